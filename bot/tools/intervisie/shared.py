"""What the team features (intervision, actions, reflection, 7-step plan) say alike: who may
do what, where the text comes from, and how a date, a person or an action is read."""

from __future__ import annotations

from datetime import date

from bot.core import identity
from bot.core.context import Ctx
from bot.core.replies import Reply, Span, cmd, i, say
from bot.text import moments
from bot.text.dutch import is_number, local
from bot.text.markdown import clean
from bot.text.refused import Refused
from bot.tools.intervisie.store.teamacties import Teamactie, Teamacties
from content.schemas.common import Bron

COORDINATORS = "de beheerders van dit gesprek en wie zij aanduiden met coordinator @naam"


def coordinators_only(what: str) -> Reply:
    return say(f"Alleen coördinatoren kunnen {what}: {COORDINATORS}.")


def in_group_only(what: str) -> Reply:
    return say(f"{what} doe je in het groepsgesprek van het team, niet in een privégesprek.")


def source(bron: Bron, where: str = "") -> Span:
    """The source line every quoted text carries."""
    return i(bron.cite(where) + ".")


def today(ctx: Ctx) -> date:
    return local(ctx.now(), ctx.timezone).date()


def read_date(ctx: Ctx, text: str) -> date | Reply:
    """A date from today on; anything else is a Dutch explanation of what to type."""
    try:
        return moments.read_date(text, today(ctx))
    except Refused as refused:
        return say(str(refused))


async def read_member(ctx: Ctx, mention: str) -> tuple[int, str] | Reply:
    """A person named with @naam who is a member of this conversation."""
    mention = mention.strip()
    found = await identity.find_member(ctx.db, ctx.conversation_id, mention) if mention else None
    return found or unknown_member(mention)


def member_among(members: list[identity.Member], mention: str) -> tuple[int, str] | Reply:
    """`read_member` among the members read already (`identity.members_of`)."""
    return identity.member_named(members, mention) or unknown_member(mention.strip())


def unknown_member(mention: str) -> Reply:
    shown = mention[:60] or "(niemand)"
    return say(
        "Ik ken ",
        shown,
        " niet als lid van dit gesprek. Noem iemand uit dit gesprek "
        "met @naam; wie nog nooit iets aan de bot vroeg, typt hier eerst ",
        cmd("hulp"),
        ".",
    )


def read_text(text: str, limit: int, what: str) -> str | Reply:
    """Cleaned text, or why it cannot be kept (empty, too long)."""
    cleaned = clean(text)
    if not cleaned:
        return say(f"Een lege {what} bewaar ik niet. Typ de tekst zelf.")
    if len(cleaned) > limit:
        return say(
            f"Dat is te lang ({len(cleaned)} tekens): een {what} mag hoogstens {limit} "
            "tekens zijn. Dit heb ik nog niet bewaard."
        )
    return cleaned


async def action_by_number(ctx: Ctx, text: str, question: str, example: str) -> Teamactie | Reply:
    """A team action named by its number (the first word, '#2' too), or a Dutch answer that
    asks for one with an example of the command at hand."""
    word = text.split(maxsplit=1)[0].lstrip("#") if text.strip() else ""
    found = (
        await Teamacties(ctx.db).by_number(ctx.conversation_id, int(word))
        if is_number(word)
        else None
    )
    if found is None:
        return say(
            f"{question} Geef het nummer uit ", cmd("acties team"), ", bv. ", cmd(example), "."
        )
    return found
