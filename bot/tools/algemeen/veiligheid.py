"""Crisis signposting, and what someone can do now.

- **Answered first.** Before anything else in a DM, a text that shows acute distress is answered
  with a warm word and the help lines of the person's country, in one message. A question of
  a flow that waits for its answer does not move on: the person chooses with buttons to go on
  (what they wrote becomes their answer, as if typed) or to stop for now. The same for a
  command whose text shows distress.
- **Someone else in danger:** the same numbers, with words for a worried bystander.
- **`hulp nu` and `stop` always reach:** with or without a slash, inside any flow, they are never
  taken as its answer.
- **Loneliness talk is not a command error:** free text in a DM that is no command, no answer
  and no distress gets a short warm acknowledgement and what can help now.
- **Country** per person (asked once, default Belgium); a coordinator may set the team's
  country, so its members start with the right numbers.

Kletspot is no crisis service and says so. The watcher reads the text in memory and logs only
that a signal was shown. A paused answer is held in its own flow row until the person chooses,
writes again, or half an hour passes; then it is deleted (blanked where they write again).
The two buttons name that row and the question's flow, so a press reads both with its token
(`buttons.held_id`, `flow_id`); "Ga verder" hands the text to the question's handler and, where
that handler stores an answer once (`Router.text_flow`'s `answers_once`), deletes the row with
the handler's first statement: three round trips.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from bot.core import flows
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.events import Command, TextReply
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, say
from bot.core.router import CommandInfo, Flow, Router
from bot.core.steering import flow_name, said, stopped, typed_line
from bot.core.storage import Database
from bot.text.dutch import fold
from bot.tools.algemeen.signalen import Signal, detector, help_lines
from bot.tools.algemeen.store.hulpland import HulpLand, TeamLand
from content.schemas.signalen import LandHulp, Signalen

log = logging.getLogger(__name__)

NOT_A_SERVICE = "Kletspot is een chatbot, geen hulpdienst en geen therapie."
PAUSE = "veiligheid.pauze"
"""A flow row that holds the text of a paused answer or command until the person chooses."""
RUNNABLE = {("reflectie", ""), ("hulp", ""), ("hulp", "nu")}
"""The commands the buttons under the answer to free text may run."""


# --- country -------------------------------------------------------------------------------


async def country_of(db: Database, user_id: int) -> tuple[str | None, bool]:
    """The country for this person's numbers, and whether they chose it themselves."""
    own, team = await db.together(HulpLand.of(user_id), TeamLand.of_member(user_id))
    return (own, True) if own is not None else (team, False)


def _code(signalen: Signalen, typed: str) -> str | None:
    key = fold(typed).strip()
    for land in signalen.landen:
        if key in (land.code, fold(land.naam)):
            return land.code
    return None


async def _country_buttons(ctx: Ctx, choices: list[LandHulp]) -> list[Button]:
    return [
        await ctx.button(
            f"Ik woon in {land.naam}", "safety.country", {"c": land.code}, personal=True
        )
        for land in choices
    ]


# --- the crisis answer ---------------------------------------------------------------------


def _opening(signal: Signal) -> str:
    if signal.kind == "other":
        return (
            "💛 Wat je vertelt over iemand anders, klinkt ernstig. Goed dat je het niet voor "
            "je houdt. Je hoeft dit niet alleen te dragen: je kan nu zelf iemand bellen die "
            "met je meedenkt.\n\n"
        )
    return (
        "💛 Wat je schrijft, klinkt alsof het nu heel zwaar is. Je hoeft dat niet alleen te "
        "dragen: praat er nu over met iemand die kan helpen.\n\n"
    )


async def crisis(ctx: Ctx, signal: Signal) -> tuple[list[str | Span], list[Button]]:
    """The warm word and the help lines first; then, when the person did not choose a country
    yet, the question which one (with buttons)."""
    signalen = ctx.content.signalen
    country, own = await country_of(ctx.db, ctx.user_id)
    parts: list[str | Span] = [
        _opening(signal),
        *help_lines(signalen, country, bystander=signal.kind == "other", others=not own),
        f"\n\n{NOT_A_SERVICE}",
    ]
    buttons: list[Button] = []
    if not own:
        parts.append("\n\nWaar woon je? Dan toon ik voortaan de nummers van jouw land.")
        buttons = await _country_buttons(ctx, signalen.landen)
    return parts, buttons


# --- `hulp nu` ----------------------------------------------------------------------------


async def hulp_nu(ctx: Ctx, args: str) -> list[Reply]:
    signalen = ctx.content.signalen
    country, own = await country_of(ctx.db, ctx.user_id)
    parts: list[str | Span] = [
        f"{NOT_A_SERVICE} Wil je nu met iemand praten? Zij zijn er dag en nacht:\n\n",
        *help_lines(signalen, country, others=not own),
    ]
    if ctx.is_group:
        return [say(*parts, audience=Audience.PRIVATE)]
    if not own:
        parts.append("\n\nWaar woon je? Dan toon ik voortaan de nummers van jouw land.")
        choices = signalen.landen
    else:
        choices = [land for land in signalen.landen if land.code != country]
    return [say(*parts, buttons=await _country_buttons(ctx, choices))]


async def on_country(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    code = payload.get("c")
    landen = {land.code: land for land in ctx.content.signalen.landen}
    if not isinstance(code, str) or code not in landen:
        return [say("Dat land ken ik niet. Typ ", cmd("hulp nu"), " om opnieuw te kiezen.")]
    await HulpLand(ctx.db).set(ctx.user_id, code, ctx.now())
    return [
        say(
            f"Genoteerd: {landen[code].naam}. Dit zijn voortaan je nummers.\n\n",
            *help_lines(ctx.content.signalen, code),
        )
    ]


async def hulp_land(ctx: Ctx, args: str) -> list[Reply]:
    """`hulp land nl`: in a group the team's country (coordinators), in a DM one's own."""
    signalen = ctx.content.signalen
    code = _code(signalen, args) if args.strip() else None
    if args.strip() and code is None:
        return [
            say(
                "Dat land ken ik niet. Kies be (België) of nl (Nederland), bv. ",
                cmd("hulp land nl"),
                ".",
                audience=Audience.QUIET,
            )
        ]
    if not ctx.is_group:
        if code is None:
            return await hulp_nu(ctx, "")
        return await on_country(ctx, {"c": code})
    teams = TeamLand(ctx.db)
    if code is None:
        current = await teams.get(ctx.conversation_id)
        land = signalen.land(current)
        chosen = (
            f"Dit team koos {land.naam}: wie hier meedoet en zelf nog geen land koos, "
            f"krijgt de hulpnummers van {land.naam}."
            if current
            else f"Dit team koos nog geen land: wie zelf niet kiest, krijgt de nummers van "
            f"{land.naam}."
        )
        return [
            say(
                chosen,
                " Een coördinator kiest met ",
                cmd("hulp land nl"),
                " of ",
                cmd("hulp land be"),
                ". Je eigen land kies je met ",
                cmd("hulp nu"),
                ".",
                audience=Audience.QUIET,
            )
        ]
    if not ctx.is_coordinator:
        return [
            say(
                "Alleen een coördinator kiest het land van het team. Je eigen land kies je met ",
                cmd("hulp nu"),
                ", in ons privégesprek.",
                audience=Audience.QUIET,
            )
        ]
    await teams.set(ctx.conversation_id, code, ctx.now())
    naam = signalen.land(code).naam
    return [
        say(
            f"Het land van dit team is nu {naam}. Wie hier meedoet en zelf nog geen land "
            f"koos, krijgt voortaan de hulpnummers van {naam}. Een eigen keuze met ",
            cmd("hulp nu"),
            " gaat altijd voor.",
        )
    ]


# --- free text in a DM ---------------------------------------------------------------------


def _talk_line(land: LandHulp) -> list[str | Span]:
    line = land.lijn("praten")
    when = line.wanneer + (f"; chatten kan {line.chat}" if line.chat else "")
    return ["bel ", b(line.naam), f" op {line.nummer} ({when})"]


async def free_text(ctx: Ctx, text: str) -> list[Reply]:
    """Loneliness talk is no command error: a warm word, and what can help now."""
    signalen = ctx.content.signalen
    country, own = await country_of(ctx.db, ctx.user_id)
    land = signalen.land(country)
    parts: list[str | Span] = [
        "Fijn dat je me schrijft. 💛 Ik ben een chatbot: echt met je praten kan ik niet, "
        "maar dit kan nu helpen:\n• Even stilstaan bij hoe het met je gaat: ",
        cmd("reflectie"),
        "\n• Met iemand praten: ",
        *_talk_line(land),
    ]
    if not own:
        for other in signalen.landen:
            if other.code != land.code:
                line = other.lijn("praten")
                parts.append(f"\nWoon je in {other.naam}? {line.naam}: {line.nummer}.")
    parts += ["\n\nAlles wat ik kan: ", cmd("hulp"), "."]
    buttons = [
        await ctx.button(label, "veiligheid.doe", {"c": name, "a": args}, personal=True)
        for label, name, args in (
            ("Reflectie starten", "reflectie", ""),
            ("Hulp nu", "hulp", "nu"),
            ("Alle commando's", "hulp", ""),
        )
    ]
    return [say(*parts, buttons=buttons)]


# --- pausing an answer or a command --------------------------------------------------------


def _asked(flow: Flow) -> str:
    """Which question a flow asks: its step, and its data in short (a reflection asks every
    question at one step, its position in the data). A digest, not the data: the pause row
    keeps no answers of the flow."""
    held = json.dumps(flow.data, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2s(f"{flow.step}\n{held}".encode(), digest_size=8).hexdigest()


def _still_asks(pause: Flow, question: Flow) -> bool:
    """The question still asks what it asked when its answer was paused (not answered
    meanwhile); a pause made before it kept the digest (`_asked`) compares the step only."""
    if "q" in pause.data:
        return bool(pause.data["q"] == _asked(question))
    return bool(pause.data.get("s") == question.step)


def _pending(
    router: Router, what: Command | TextReply, waiting: Flow | None
) -> tuple[dict[str, Any], str] | None:
    """What the distress text was about to do, as the data of a pause, and its name."""
    if isinstance(what, Command):
        return {"c": what.name.lower().lstrip("/"), "a": what.args}, f"{what.name.lstrip('/')}"
    if waiting is not None:
        return (
            {
                "f": waiting.id,
                "k": waiting.kind,
                "s": waiting.step,
                "q": _asked(waiting),
                "t": what.text,
            },
            flow_name(router, waiting.kind),
        )
    word, _, rest = what.text.strip().partition(" ")
    name = word.lower().lstrip("/")
    if router.resolve(name) is not None:
        return {"c": name, "a": rest}, name
    return None


async def _distress(
    ctx: Ctx, router: Router, what: Command | TextReply, waiting: Flow | None, signal: Signal
) -> list[Reply]:
    parts, buttons = await crisis(ctx, signal)
    pending = _pending(router, what, waiting)
    if pending is not None:
        data, name = pending
        pause = await flows.start(ctx, PAUSE, "keuze", data)
        if "c" in data:
            parts += [
                "\n\nWil je toch verder met ",
                cmd(name),
                "? Dan doe ik dat met wat je schreef. Of stop je liever even?",
            ]
        else:
            parts += [
                f"\n\nJe was bezig met {name}. Wil je verder? Dan geldt wat je schreef "
                "als je antwoord, als het bij die vraag past. Of stop je liever even?"
            ]
        # the buttons name the pause and a paused answer's question: both are read with the
        # press (`flows.find`)
        at = {"p": pause.id} | ({"f": data["f"], "k": data["k"]} if "f" in data else {})
        buttons = [
            await ctx.button("Ga verder", "veiligheid.verder", at, personal=True, held=pause.id),
            await ctx.button("Stop voor nu", "veiligheid.stop", at, personal=True, held=pause.id),
            *buttons,
        ]
    log.info("safety signposting shown")  # no user id: who got crisis numbers is health data
    return [say(*parts, buttons=buttons)]


EXPIRED = (
    "Deze keuze is verlopen, en wat je toen schreef, heb ik niet bewaard. Wil je verder? "
    "Typ je antwoord dan gewoon opnieuw."
)
CHOSEN_MEANWHILE = "Er is intussen al gekozen. Kijk hierboven wat er met je tekst gebeurde."
"""A press of one of a pause's buttons after another press took it (the same choice or the
other one, at the same moment): which one counted is in the reply above, not in this one."""


def register(router: Router) -> None:
    async def first(
        ctx: Ctx, what: Command | TextReply, waiting: Flow | None
    ) -> list[Reply] | None:
        line = typed_line(said(what))
        if waiting is not None and line == "hulp nu":
            note: list[str | Span] = [
                f"\n\nJe was bezig met {flow_name(router, waiting.kind)}. Wil je verder, typ dan "
                "gewoon je antwoord. Stoppen kan met ",
                cmd("stop"),
                ".",
            ]
            replies = await hulp_nu(ctx, "")
            if ctx.is_group:
                return replies
            return [say(*replies[0].text, *note, buttons=replies[0].buttons)]
        if ctx.is_group:
            return None
        written = what.args if isinstance(what, Command) else what.text
        await flows.forget(ctx, PAUSE)  # they wrote again: an earlier pause is over
        signal = detector(ctx.content.signalen).check(written) if written.strip() else None
        if signal is None:
            return None
        return await _distress(ctx, router, what, waiting, signal)

    async def chosen(ctx: Ctx, payload: dict[str, Any]) -> Flow | None:
        """The pause as read with the press (`buttons.held_id`; a button made before names it
        only in its payload: read apart), while it still holds what was written."""
        held = await flows.find(ctx, payload.get("p"), PAUSE)
        return held.flow if held is not None and held.status == "open" else None

    async def question(ctx: Ctx, pause: Flow) -> tuple[str, flows.Found | None]:
        """The kind of a paused answer's question and its flow, as read with the press (the
        button names it too; one made before is read apart)."""
        kind = str(pause.data.get("k"))
        return kind, await flows.find(ctx, pause.data.get("f"), kind)

    async def on_go_on(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        """A paused command is taken first and then run: of two presses at once one runs it.
        A paused answer goes to its question's handler. Where that handler stores one answer
        once (`Router.text_flow`'s `answers_once`), the pause is deleted with the handler's
        first statement, unread: of two presses at once one answer lands, as the question
        guards it (three round trips: the press, the handler's read, its write). Elsewhere the
        pause is taken first: of two presses at once one finds it (one trip more)."""
        pause = await chosen(ctx, payload)
        if pause is None:
            return [say(EXPIRED)]
        if "c" in pause.data:
            if await flows.take(ctx, pause.id, PAUSE) is None:
                return [say(CHOSEN_MEANWHILE)]
            assert router.run_command is not None
            command = Command(str(pause.data["c"]), str(pause.data.get("a", "")))
            return await router.run_command(ctx, command)
        kind, found = await question(ctx, pause)
        handler = router.text_flows.get(kind)
        if (
            found is None
            or found.status != "open"
            or not _still_asks(pause, found.flow)
            or handler is None
        ):
            await flows.release(ctx, pause)  # nothing of it is kept
            label = router.flow_labels.get(kind)
            later: list[str | Span] = (
                [" Verder gaan kan met ", cmd(label.resume), "."] if label and label.resume else []
            )
            return [say("Die vraag staat niet meer open, dus ik heb niets bewaard.", *later)]
        if kind in router.flows_answered_once:
            await flows.release(ctx, pause)
        elif await flows.take(ctx, pause.id, PAUSE) is None:
            return [say(CHOSEN_MEANWHILE)]
        return await handler(ctx, found.flow, str(pause.data.get("t", "")))

    async def on_stop(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        """The pause taken (of two choices at once one counts), and a paused answer's question
        stopped where it still asks what it asked when the button was pressed: where "Ga
        verder" answered it at the same moment, that answer is not undone, and the stop does
        not say the text was not kept."""
        pause = await chosen(ctx, payload)
        if pause is None:
            return [say(EXPIRED)]
        # the question as read with the press, before the take (a write to flows)
        kind, found = ("", None) if "c" in pause.data else await question(ctx, pause)
        if await flows.take(ctx, pause.id, PAUSE) is None:
            return [say(CHOSEN_MEANWHILE)]
        end: list[str | Span] = [
            "\n\nWil je toch met iemand praten? Typ ",
            cmd("hulp nu"),
            " voor de nummers.",
        ]
        if "c" in pause.data:
            return [say("Oké, ik doe er niets mee. Wat je schreef, heb ik niet bewaard.", *end)]
        if found is not None and found.status == "open":
            asked = found.flow
            if await flows.move(ctx, asked, asked.step, status="stopped", as_read=True) is None:
                return [say("Deze vraag is al voorbij.", *end)]
        return [say(*stopped(router, kind, True), *end)]

    async def on_do(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        wanted = (payload.get("c"), payload.get("a", ""))
        if wanted not in RUNNABLE:
            return [say("Deze knop werkt niet meer. Typ ", cmd("hulp"), ".")]
        assert router.run_command is not None
        return await router.run_command(ctx, Command(str(wanted[0]), str(wanted[1])))

    router.watch(first)
    router.on_free_text(free_text)
    router.subcommand("hulp", "nu", hulp_nu, in_group=Audience.QUIET)
    router.subcommand("hulp", "land", hulp_land, in_group=Audience.HERE)
    router.explain(
        CommandInfo(
            "hulp nu",
            "De hulplijnen die je meteen kan bellen of chatten, "
            "dag en nacht. Werkt altijd, ook midden in een vraag.",
            "hulp nu",
            in_group=Audience.QUIET,
        )
    )
    router.explain(
        CommandInfo(
            "hulp land",
            "Kies het land van de hulplijnen die ik toon (België of Nederland).",
            "hulp land nl",
            in_group=Audience.HERE,
        )
    )
    router.button("safety.country", on_country)
    router.button("veiligheid.verder", on_go_on)
    router.button("veiligheid.stop", on_stop)
    router.button("veiligheid.doe", on_do)
    router.personal("hulpnummers", HulpLand.of, export, erase)
    router.tidy(forget_old_pauses)


# --- personal data and forgetting ----------------------------------------------------------


def export(deps: Deps, code: str | None) -> dict[str, Any]:
    return {"land voor hulpnummers": deps.content.signalen.land(code).naam if code else None}


async def erase(deps: Deps, user_id: int) -> None:
    await HulpLand(deps.db).erase(user_id)


async def forget_old_pauses(deps: Deps, now: datetime) -> int:
    """A pause nobody chose for within the wait of a question is deleted with its text."""
    return await flows.forget_older(deps.db, PAUSE, iso(now - flows.TEXT_WAIT))
