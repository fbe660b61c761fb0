"""The question jar of one conversation: which questions are in it, and drawing without repeats.

A question leaves the jar when drawn and only comes back when every enabled question (of the
colour asked for) has been drawn: then that part of the jar is refilled.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from random import Random
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from bot.core.storage import Database, Read, Row
from bot.core.storage.base import lands_with_next
from bot.text.dutch import fold
from bot.tools.kletspot.store.sessies import OPEN_ID
from content.schemas.kletspot import Kletspot

OWN_QUESTION_MAX = 500


@dataclass(frozen=True)
class Question:
    id: str
    colour: str
    text: str
    own: bool
    enabled: bool

    @property
    def code(self) -> str:
        return self.id


Card = TypeVar("Card")


@dataclass(frozen=True)
class Draw(Generic[Card]):
    question: Question
    history_id: int
    follows: int
    """The draw before it here (0: none): with the conversation, it names this draw before it
    is stored, so its card's buttons are stored in the same round trip."""
    refilled: bool
    card: Card
    """What the caller made for it once the question was chosen (the card's buttons)."""
    part: str | None = None
    """The colour the draw was limited to (None: the whole jar): what a refill refilled."""
    session_id: int | None = None
    """The kletspot it belongs to."""


@dataclass(frozen=True)
class Once:
    """A card's button draws once: only while the card's draw is still the newest here."""

    follows: int | None = None
    """The card's draw, by what it follows (`Draw.follows`)."""
    draw_id: int | None = None
    """The card's draw by its id: buttons made before draws were named by what they follow
    (kept until those buttons are pruned, `buttons.KEEP`)."""


class AlreadyDrawn(Exception):
    """Someone drew here first: after the card a button that draws once was on (a second
    press), or, rarely, at the same moment, again and again."""


class ColourOff(Exception):
    """The colour asked for is switched off in this jar."""


ATTEMPTS = 30
"""How often a draw may lose to another one made at the same moment in the same jar (each
time one of them lands) before it says that someone else just drew."""

_STATE = (
    "SELECT 'uit' AS part, item AS id, NULL AS number, NULL AS colour, NULL AS text"
    " FROM pot_uit WHERE conversation_id = ?"
    " UNION ALL SELECT 'eigen', NULL, number, colour, text FROM pot_eigen_vragen"
    " WHERE conversation_id = ?"
)
_LANDED = (
    "EXISTS (SELECT 1 FROM trekkingen t WHERE t.conversation_id = g.conversation_id"
    " AND t.question_id = g.question_id AND t.id > g.na_trekking)"
)
"""A mark stands for a draw of its question made after it (by id: a mark names the newest draw
when it was made)."""
_MARKS = (
    f" UNION ALL SELECT 'getrokken', g.question_id, CASE WHEN {_LANDED} THEN 1 ELSE 0 END,"
    " NULL, NULL FROM pot_getrokken g WHERE g.conversation_id = ?"
)
"""Every mark, and whether it stands for a draw (in `number`): a draw reads them all."""
_LANDED_MARKS = (
    " UNION ALL SELECT 'getrokken', g.question_id, 1, NULL, NULL FROM pot_getrokken g"
    f" WHERE g.conversation_id = ? AND {_LANDED}"
)
_FOR_DRAW = (
    " UNION ALL SELECT 'laatste', NULL, (SELECT MAX(id) FROM trekkingen WHERE conversation_id = ?),"
    " NULL, NULL"
    " UNION ALL SELECT 'volgt', NULL, (SELECT follows FROM trekkingen WHERE conversation_id = ?"
    " ORDER BY id DESC LIMIT 1), NULL, NULL"
    f" UNION ALL SELECT 'sessie', NULL, ({OPEN_ID}), NULL, NULL"
)


@dataclass(frozen=True)
class Jar:
    """A conversation's jar as one read finds it."""

    questions: list[Question]
    """Every question in content order, own ones after each colour."""
    drawn: set[str]
    """As a draw reads it, every mark (one a losing draw left before marks landed only with
    their draws waits until the round's end); in the overview, the questions drawn this
    round."""
    disabled: set[str]
    newest: int
    """The newest draw's id here (0: none yet): the one the next draw follows."""
    newest_follows: int | None
    """What the newest draw follows (None: none yet, or drawn before draws said so)."""
    open_session: int | None
    landed: set[str]
    """The marks that stand for a draw (`_LANDED`): when the jar looks full, whether it is
    (a mark a losing draw left does not refill it early)."""
    newest_question: str | None = None
    """The newest draw's question, when this process made that draw (`_Known`)."""

    def colour_on(self, colour: str) -> bool:
        return colour not in self.disabled

    @property
    def plain(self) -> bool:
        """The content's questions, none switched off and none of the team's own: the jar most
        teams keep, and the one a draw may take from memory (`_Known`)."""
        return not self.disabled and not any(q.own for q in self.questions)

    def moved_on(self, once: Once) -> bool:
        """The card's draw is no longer the newest here: its button has drawn already."""
        if once.follows is not None:
            return self.newest_follows != once.follows
        return once.draw_id is not None and self.newest != once.draw_id


_ALL_ON: dict[int, tuple[Kletspot, tuple[Question, ...]]] = {}


def _all_on(kletspot: Kletspot) -> tuple[Question, ...]:
    """The content's questions, all switched on: made once per content (loaded once at
    start), not at every draw."""
    cached = _ALL_ON.get(id(kletspot))
    if cached is None or cached[0] is not kletspot:
        questions = tuple(
            Question(f"{c.kleur}-{n}", c.kleur, text, False, True)
            for c in kletspot.clusters
            for n, text in enumerate(c.vragen, start=1)
        )
        cached = _ALL_ON[id(kletspot)] = (kletspot, questions)
    return cached[1]


class _Known:
    """The plain jars this process drew from last, per database: a draw from one of them skips
    the jar's read and checks in its own statement that the jar is still as remembered (`_still`),
    so a jar changed by another process, or by another event here, costs a second try, never a
    wrong draw. One team drawing lunch questions in one process: one round trip per question."""

    MAX = 1000
    """Conversations remembered per database (a jar is a few hundred bytes)."""

    def __init__(self) -> None:
        self._jars: WeakKeyDictionary[Database, OrderedDict[int, Jar]] = WeakKeyDictionary()

    def recall(self, db: Database, conversation_id: int) -> Jar | None:
        jars = self._jars.get(db)
        return None if jars is None else jars.get(conversation_id)

    def remember(self, db: Database, conversation_id: int, jar: Jar) -> None:
        jars = self._jars.setdefault(db, OrderedDict())
        known = jars.get(conversation_id)
        if known is not None and known.newest > jar.newest:
            return  # a draw here that landed later was remembered already
        jars[conversation_id] = jar
        jars.move_to_end(conversation_id)
        if len(jars) > self.MAX:
            jars.popitem(last=False)

    def forget(self, db: Database, conversation_id: int) -> None:
        jars = self._jars.get(db)
        if jars is not None:
            jars.pop(conversation_id, None)


_known = _Known()


def _still(conversation_id: int, jar: Jar, colour: str | None) -> tuple[str, tuple[object, ...]]:
    """The condition, for a draw's writes, that the jar is still as `jar` remembers it: its
    newest draw is the newest here and the very one this process made (no draw since; nor one
    it made whose transaction was then rolled back, and whose id SQLite gave to another), the
    same open kletspot, still plain, and (for the whole jar) every colour that was drawn
    through still drawn through. A refill empties a colour only when it was drawn through at
    the newest draw it read, so memory of a later draw has it drawn through too, and memory of
    an earlier one fails the first check. A jar with own or switched-off questions is never
    remembered: their rows (`NOT EXISTS`) cover every other change. The draw's own mark is
    never of a colour drawn through (those are not candidates), so these counts are the same
    before and after it: the mark may wait on the draw in its statement (`lands_with_next`)."""
    sql = (
        " AND (SELECT COALESCE(MAX(id), 0) FROM trekkingen WHERE conversation_id = ?) = ?"
        " AND EXISTS (SELECT 1 FROM trekkingen WHERE id = ? AND question_id = ? AND follows = ?)"
        f" AND COALESCE(({OPEN_ID}), 0) = ?"
        " AND NOT EXISTS (SELECT 1 FROM pot_uit WHERE conversation_id = ?)"
        " AND NOT EXISTS (SELECT 1 FROM pot_eigen_vragen WHERE conversation_id = ?)"
    )
    params: list[object] = [conversation_id, jar.newest, jar.newest, jar.newest_question]
    params += [jar.newest_follows, conversation_id, jar.open_session or 0]
    params += [conversation_id, conversation_id]
    if colour is None:
        by_colour: dict[str, list[str]] = {}
        for q in jar.questions:
            by_colour.setdefault(q.colour, []).append(q.id)
        for ids in by_colour.values():
            if jar.drawn.issuperset(ids):
                among = ", ".join("?" for _ in ids)
                sql += " AND (SELECT COUNT(*) FROM pot_getrokken WHERE conversation_id = ?"
                sql += f" AND question_id IN ({among})) = ?"
                params += [conversation_id, *ids, len(ids)]
    return sql, tuple(params)


class Pot:
    def __init__(self, db: Database, kletspot: Kletspot, rng: Random) -> None:
        self._db = db
        self._content = kletspot
        self._rng = rng

    async def jar(self, conversation_id: int) -> Jar:
        return await self._db.read(self._state(conversation_id))

    def for_draw(self, conversation_id: int) -> Read[Jar]:
        """The jar as a draw reads it, to read together with something else (`draw`'s `jar`)."""
        return self._state(conversation_id, for_draw=True)

    def _state(self, conversation_id: int, for_draw: bool = False) -> Read[Jar]:
        """The jar and what was drawn from it, in one read; for a draw also the newest draw
        here and the open kletspot (the owner's subquery), so a draw reads once."""
        sql = (
            _STATE + (_MARKS + _FOR_DRAW if for_draw else _LANDED_MARKS) + " ORDER BY part, number"
        )
        params = (conversation_id,) * (6 if for_draw else 3)
        return Read(sql, params, self._jar_of)

    def _jar_of(self, rows: list[Row]) -> Jar:
        disabled: set[str] = set()
        drawn: set[str] = set()
        landed: set[str] = set()
        own: list[Row] = []
        found: dict[str, int | None] = {}
        for r in rows:
            part = r["part"]
            if part == "getrokken":
                drawn.add(r["id"])
                if r["number"]:
                    landed.add(r["id"])
            elif part == "uit":
                disabled.add(r["id"])
            elif part == "eigen":
                own.append(r)
            else:
                found[part] = r["number"]
        newest, follows, session = (found.get(p) for p in ("laatste", "volgt", "sessie"))
        if not disabled and not own:  # as most jars are: the content's questions, all on
            result = list(_all_on(self._content))
        else:
            result = self._questions(disabled, own)
        return Jar(
            result,
            drawn,
            disabled,
            0 if newest is None else int(newest),
            None if follows is None else int(follows),
            None if session is None else int(session),
            landed,
        )

    def _questions(self, disabled: set[str], own: list[Row]) -> list[Question]:
        result: list[Question] = []
        for cluster in self._content.clusters:
            colour_on = cluster.kleur not in disabled
            for n, text in enumerate(cluster.vragen, start=1):
                qid = f"{cluster.kleur}-{n}"
                result.append(
                    Question(qid, cluster.kleur, text, False, colour_on and qid not in disabled)
                )
            for row in own:
                if row["colour"] == cluster.kleur:
                    qid = f"eigen-{row['number']}"
                    result.append(
                        Question(
                            qid, cluster.kleur, row["text"], True, colour_on and qid not in disabled
                        )
                    )
        return result

    async def draw(
        self,
        conversation_id: int,
        colour: str | None,
        now: str,
        card: Callable[[int, int | None], Awaitable[Card]],
        *,
        session_id: int | None = None,
        open_session: bool = False,
        after: Once | None = None,
        jar: Jar | None = None,
    ) -> Draw[Card] | None:
        """Draw one enabled question; None when nothing (of that colour) is switched on, and
        `ColourOff` when the colour asked for is switched off. `card(follows, session)` makes
        what goes with the draw (its buttons, held back) once the question is chosen: it is
        stored in the draw's round trip. `open_session`: the draw belongs to this
        conversation's open kletspot, if any (else to `session_id`). `after`: only while that
        card's draw is still the newest (else `AlreadyDrawn`): two presses of one "Nog een
        vraag" draw once. `jar`: read already (`for_draw`, together with what the caller
        needed): the first attempt takes it instead of reading; without it, the first attempt
        takes the jar as this process last drew from it, if it did (`_Known`), and its writes
        land only while the jar is still that one (`_still`).

        No transaction (on PostgreSQL that is two round trips and the global write lock): the
        question's mark travels with the draw (held back: the draw runs in a unit), which is
        stored only if it still follows the newest draw that was read (`trekkingen.follows`
        is unique per conversation). Of two draws from the same jar one lands; the other reads
        the jar again (its card, stored already, is never shown). Its mark lands only with
        the draw (`lands_with_next`: on SQLite the writes of one call are not interleaved; on
        PostgreSQL the draw runs first in the statement and the mark waits on it, so the
        draw may also check the marks of a colour drawn through in that one statement).
        Before that, on PostgreSQL, a draw that lost to one committed in the microseconds
        its statement ran could leave its mark, which was never taken back (that raced with a
        third draw that found the mark and landed the same question): such a mark waits
        until the round's end, and stands for a draw only when a draw of its question came
        after it (`_LANDED`, by id). Marks go only when the jar refills."""
        async with self._db.unit():  # the mark must travel with the draw, not before it
            return await self._draw(
                conversation_id, colour, now, card, session_id, open_session, after, jar
            )

    async def _draw(
        self,
        conversation_id: int,
        colour: str | None,
        now: str,
        card: Callable[[int, int | None], Awaitable[Card]],
        session_id: int | None,
        open_session: bool,
        after: Once | None,
        jar: Jar | None,
    ) -> Draw[Card] | None:
        known = _known.recall(self._db, conversation_id) if jar is None else None
        if known is not None and after is not None and known.moved_on(after):
            known = None  # only a jar read now can tell that a card's button drew already
        for attempt in range(ATTEMPTS):
            remembered = known is not None and attempt == 0
            if remembered:
                jar = known
            elif attempt or jar is None:
                jar = await self._db.read(self.for_draw(conversation_id))
            assert jar is not None
            if after is not None and jar.moved_on(after):
                raise AlreadyDrawn
            if colour is not None and colour in jar.disabled:
                raise ColourOff(colour)
            pool = [
                q for q in jar.questions if q.enabled and (colour is None or q.colour == colour)
            ]
            if not pool:
                return None
            candidates = [q for q in pool if q.id not in jar.drawn]
            if remembered and not candidates:
                continue  # drawn through: whether to refill is for the jar as it is now
            if not candidates:  # full, or one of them only marked by a draw that lost just now
                candidates = [q for q in pool if q.id not in jar.landed]
            refilled = not candidates
            if refilled:
                # only while no draw landed since the jar was read: two draws that found it full
                # at once refill it once (the second would take the first one's new mark away);
                # the marks of its questions switched off go too (switched on later, they are
                # in the new round), and for the whole jar any mark left here
                scope = [q.id for q in jar.questions if q.colour == colour]
                among = f" AND question_id IN ({', '.join('?' for _ in scope)})" if colour else ""
                await self._db.execute(
                    f"DELETE FROM pot_getrokken WHERE conversation_id = ?{among}"
                    " AND (SELECT COALESCE(MAX(id), 0) FROM trekkingen WHERE conversation_id = ?)"
                    " = ?",
                    (conversation_id, *(scope if colour else ()), conversation_id, jar.newest),
                )
                candidates = pool
            question = self._rng.choice(candidates)
            session = jar.open_session if open_session else session_id
            still, still_params = _still(conversation_id, jar, colour) if remembered else ("", ())
            made = await card(jar.newest, session)
            lands, lands_params = lands_with_next(
                (
                    "EXISTS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM trekkingen"
                    f" WHERE conversation_id = ? AND follows = ?){still})",
                    (conversation_id, jar.newest, *still_params),
                )
            )
            await self._db.later(
                "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
                f" SELECT ?, ?, ?, ? WHERE {lands}"
                " ON CONFLICT (conversation_id, question_id) DO NOTHING",
                (conversation_id, question.id, now, jar.newest, *lands_params),
            )
            history_id = await self._db.scalar(
                "INSERT INTO trekkingen (conversation_id, question_id, colour, question_text,"
                f" session_id, drawn_at, follows) SELECT ?, ?, ?, ?, ?, ?, ? WHERE TRUE{still}"
                " ON CONFLICT (conversation_id, follows) DO NOTHING RETURNING id",
                (
                    conversation_id,
                    question.id,
                    question.colour,
                    question.text,
                    session,
                    now,
                    jar.newest,
                )
                + still_params,
            )
            if history_id is not None:
                if jar.plain and not refilled:
                    now_known = replace(
                        jar,
                        drawn=jar.drawn | {question.id},
                        landed=jar.landed | {question.id},
                        newest=int(history_id),
                        newest_follows=jar.newest,
                        newest_question=question.id,
                    )
                    _known.remember(self._db, conversation_id, now_known)
                else:
                    _known.forget(self._db, conversation_id)
                return Draw(
                    question,
                    int(history_id),
                    jar.newest,
                    refilled,
                    made,
                    colour,
                    session,
                )
            # another draw landed first, or the jar changed since this process drew from it
            # (and its mark did not land either): read again
            if after is not None and not remembered:
                raise AlreadyDrawn
        raise AlreadyDrawn  # others kept drawing here meanwhile: theirs is the newest question

    async def find(self, conversation_id: int, code: str) -> Question | None:
        wanted = fold(code).replace(" ", "-")
        questions = (await self.jar(conversation_id)).questions
        return next((q for q in questions if q.id == wanted), None)

    async def set_enabled(self, conversation_id: int, item: str, enabled: bool) -> None:
        """`item` is a colour or a question id."""
        _known.forget(self._db, conversation_id)  # read again at the next draw, not tried
        if enabled:
            await self._db.execute(
                "DELETE FROM pot_uit WHERE conversation_id = ? AND item = ?",
                (conversation_id, item),
            )
        else:
            await self._db.execute(
                "INSERT INTO pot_uit (conversation_id, item) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (conversation_id, item),
            )

    async def add_own(
        self, conversation_id: int, colour: str, text: str, author_id: int, now: str
    ) -> Question:
        """Numbered one past the highest here, in one statement and no transaction: of two
        added at once on two processes one takes the number (it is unique per conversation)
        and the other tries again. A removed question's number comes back, and a draw of it
        still on its way when it was removed may have left its mark, which is not this new
        question's, nor is a switch left by "pot uit" at the moment of the removal: the marks and
        switches of own questions no longer in the jar go in the same statement (read before
        the new row is there, on both backends)."""
        _known.forget(self._db, conversation_id)
        async with self._db.unit():
            for _ in range(ATTEMPTS):
                for table, column in (("pot_getrokken", "question_id"), ("pot_uit", "item")):
                    await self._db.later(
                        f"DELETE FROM {table} WHERE conversation_id = ? AND {column} LIKE"
                        " 'eigen-%' AND NOT EXISTS (SELECT 1 FROM pot_eigen_vragen e WHERE"
                        f" e.conversation_id = {table}.conversation_id"
                        f" AND 'eigen-' || e.number = {table}.{column})",
                        (conversation_id,),
                    )
                number = await self._db.scalar(
                    "INSERT INTO pot_eigen_vragen (conversation_id, number, colour, text,"
                    " author_id, created_at) SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, ?"
                    " FROM pot_eigen_vragen WHERE conversation_id = ?"
                    " ON CONFLICT (conversation_id, number) DO NOTHING RETURNING number",
                    (conversation_id, colour, text, author_id, now, conversation_id),
                )
                if number is not None:
                    return Question(f"eigen-{number}", colour, text, True, True)
        raise RuntimeError("others kept adding own questions here meanwhile")

    async def remove_own(self, conversation_id: int, question: Question) -> None:
        """The question, its switch and its mark, all or nothing (its number comes back, and
        must not come back switched off or drawn): one statement, no transaction, as no
        foreign key refers to these tables (`postgres.DELETE_SHARES`); on SQLite one call."""
        number = int(question.id.removeprefix("eigen-"))
        _known.forget(self._db, conversation_id)
        async with self._db.unit():
            await self._db.later(
                "DELETE FROM pot_uit WHERE conversation_id = ? AND item = ?",
                (conversation_id, question.id),
            )
            await self._db.later(
                "DELETE FROM pot_getrokken WHERE conversation_id = ? AND question_id = ?",
                (conversation_id, question.id),
            )
            await self._db.execute(
                "DELETE FROM pot_eigen_vragen WHERE conversation_id = ? AND number = ?",
                (conversation_id, number),
            )


@dataclass(frozen=True)
class Trekking:
    """One question as it was drawn: its text then, even if the pot changed since."""

    id: int
    colour: str
    question_text: str


def _trekking(row: Row) -> Trekking:
    return Trekking(row["id"], row["colour"], row["question_text"])


class Trekkingen:
    """The history of draws: what a note belongs to and what a session talked about."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, trekking_id: int, conversation_id: int) -> Read[Trekking | None]:
        return Read.one(
            "SELECT id, colour, question_text FROM trekkingen WHERE id = ? AND conversation_id = ?",
            (trekking_id, conversation_id),
            _trekking,
        )

    def after(self, conversation_id: int, follows: int) -> Read[Trekking | None]:
        """The draw here that follows `follows` (how a card names its draw)."""
        return Read.one(
            "SELECT id, colour, question_text FROM trekkingen WHERE conversation_id = ?"
            " AND follows = ?",
            (conversation_id, follows),
            _trekking,
        )

    async def newest(self, conversation_id: int) -> int:
        """The id of the last draw here (0: none yet)."""
        return int(
            await self._db.scalar(
                "SELECT COALESCE(MAX(id), 0) FROM trekkingen WHERE conversation_id = ?",
                (conversation_id,),
            )
        )

    def latest(self, conversation_id: int, since: str) -> Read[Trekking | None]:
        """The question a `noteer` without button belongs to: the last one drawn here lately."""
        return Read.one(
            "SELECT id, colour, question_text FROM trekkingen WHERE conversation_id = ?"
            " AND drawn_at >= ? ORDER BY id DESC LIMIT 1",
            (conversation_id, since),
            _trekking,
        )

    def count_of_open(self, conversation_id: int) -> Read[int]:
        """The questions of the conversation's open kletspot so far (0: none open)."""
        return Read(
            f"SELECT COUNT(*) AS n FROM trekkingen WHERE session_id = ({OPEN_ID})",
            (conversation_id,),
            lambda rows: int(rows[0]["n"]),
        )

    def of_session(self, session_id: int) -> Read[list[Trekking]]:
        return Read.each(
            "SELECT id, colour, question_text FROM trekkingen WHERE session_id = ? ORDER BY id",
            (session_id,),
            _trekking,
        )
