"""`verwijskaart`: the team's own version of the workbook's Verwijskaart (§11.5, assignment 11.3).

Every member reads it, in the group or from a DM; coordinators fill each blank of the card with
local services (name, what for, how to reach them), by the buttons on the card (three short
questions) or in one line: `verwijskaart 2 Sociaal huis | vragen en advies | 016 12 34 56`.
What people type is stored as given (a phone number in any format) and escaped when shown."""

from __future__ import annotations

from typing import Any

from bot.core import flows, identity
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Attachment, Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Flow, Router
from bot.core.storage import Read
from bot.drawing import document, pdf_reply
from bot.text.achtergrond import cite
from bot.text.dutch import count as dutch_count
from bot.text.dutch import fold, is_number
from bot.text.markdown import clean, escape
from bot.text.moments import say_day
from bot.text.sources import full as source_line
from bot.tools.intervisie.shared import COORDINATORS
from bot.tools.intervisie.store.verwijskaart import (
    BEREIK_MAX,
    NAAM_MAX,
    PER_VAK_MAX,
    WAARVOOR_MAX,
    Adres,
    Verwijskaart,
)
from content.schemas.achtergrond import Vak

KIND = "verwijskaart"
USAGE = (
    "verwijskaart · verwijskaart 2 Sociaal huis | vragen en advies | 016 12 34 56 · "
    "verwijskaart weg 3 · verwijskaart export"
)
EMPTY_WORDS = ("-", "geen", "nvt", "n.v.t.")
"""Answers that leave 'what for' or 'how to reach' empty on purpose."""
FIELDS = (("naam", NAAM_MAX), ("waarvoor", WAARVOOR_MAX), ("bereik", BEREIK_MAX))
QUESTIONS = {
    "naam": "Welke dienst, organisatie of persoon zet je erbij? Typ de naam.",
    "waarvoor": "Waarvoor kan je er terecht? (Typ - als je dat leeg wil laten.)",
    "bereik": "Hoe bereik je ze? Telefoon, e-mail, adres, uren: schrijf het zoals je wil. "
    "(Typ - als je dat leeg wil laten.)",
}
SIGNAL = "U signaleert eenzaamheid of sociaal isolement bij een persoon"
"""The card's starting point, in the workbook's words (§11.5)."""
WHAT = {"naam": "naam", "waarvoor": "omschrijving", "bereik": "contactgegeven"}


# --- which team --------------------------------------------------------------------------------


async def team(ctx: Ctx, chosen: int | None = None) -> tuple[int, str] | Reply:
    """Here in a group; from a DM the chosen team, the only one, or a question which one."""
    if ctx.is_group:
        return ctx.conversation_id, ctx.title or "dit team"
    return await _picked(ctx, await identity.member_groups(ctx.db, ctx.user_id), chosen)


async def shown(ctx: Ctx, chosen: int | None = None) -> Reply:
    """The card of the team (`team`): from a DM read with the person's teams, in one round
    trip, as the team is known only then."""
    if ctx.is_group:
        return await card(ctx, ctx.conversation_id, ctx.title or "dit team")
    teams, cards = identity.member_groups_of(ctx.user_id), Verwijskaart.of_groups_of(ctx.user_id)
    waiting = flows.open_rows((ctx.conversation_id, ctx.user_id))
    if chosen is None or waiting is None:
        groups, found = await ctx.db.together(teams, cards)
    else:  # a press: what waits is read with them too, so the card's buttons need no read
        groups, found, rows = await ctx.db.together(teams, cards, waiting)
        flows.seen(ctx, rows)
    target = await _picked(ctx, groups, chosen)
    if isinstance(target, Reply):
        return target
    if chosen is not None:
        await flows.start(ctx, KIND + ".team", "chosen", {"c": target[0]})
    return await card(ctx, *target, found.get(target[0], []))


async def _picked(
    ctx: Ctx, groups: list[identity.Group], chosen: int | None
) -> tuple[int, str] | Reply:
    """Of a DM's teams: the chosen one, the one remembered, the only one, or a question."""
    if chosen is None:
        flow = await flows.open_flow(ctx, KIND + ".team")
        chosen = int(flow.data["c"]) if flow is not None else None
    found = [g for g in groups if g.conversation_id == chosen] or (
        groups if len(groups) == 1 else []
    )
    if found:
        return found[0].conversation_id, found[0].title or "je team"
    if not groups:
        return say(
            "Ik ken nog geen team van jou. De verwijskaart hoort bij een groep: typ daar ",
            cmd("verwijskaart"),
            ".",
        )
    buttons = [
        await ctx.button(
            g.title or f"Groep {n}", "verwijskaart.team", {"c": g.conversation_id}, personal=True
        )
        for n, g in enumerate(groups, start=1)
    ]
    return say("Van welk team wil je de verwijskaart zien?", buttons=buttons)


async def refusal(ctx: Ctx, conversation_id: int) -> Reply | None:
    """None where this person may edit the team's card; else who can, by name where the bot
    knows the names. From a DM the rule and the names are read in one round trip."""
    if conversation_id == ctx.conversation_id:
        if ctx.is_coordinator:
            return None
        named = await identity.named_coordinators(ctx.db, conversation_id)
    else:
        also = identity.named_of(conversation_id)
        named = await identity.coordinated_with(ctx.db, conversation_id, ctx.user_id, also)
        if await identity.coordinates(ctx.db, conversation_id, ctx.user_id):  # read with it
            return None
    extra = f" Nu aangeduid: {', '.join(named)}." if named else ""
    return say(
        f"Alleen coördinatoren vullen de verwijskaart aan: {COORDINATORS}.{extra} Lezen "
        "mag iedereen. Weet je een adres dat erop hoort? Geef het aan hen door."
    )


def find_vak(ctx: Ctx, word: str) -> Vak | None:
    """By its number on the card (1-6), its id, or its label."""
    vakken = ctx.content.achtergrond.verwijskaart.vakken
    if is_number(word) and 1 <= int(word) <= len(vakken):
        return vakken[int(word) - 1]
    wanted = fold(word)
    return next((v for v in vakken if wanted in (v.id, fold(v.kort))), None)


# --- the card ----------------------------------------------------------------------------------


def numbered(ctx: Ctx, adressen: list[Adres]) -> list[tuple[int, Vak, list[tuple[int, Adres]]]]:
    """The blanks in the card's order, each with its services numbered across the card."""
    out = []
    n = 0
    for number, vak in enumerate(ctx.content.achtergrond.verwijskaart.vakken, start=1):
        mine = []
        for adres in (a for a in adressen if a.vak == vak.id):
            n += 1
            mine.append((n, adres))
        out.append((number, vak, mine))
    return out


def adres_parts(adres: Adres) -> list[str | Span]:
    parts: list[str | Span] = [b(adres.naam)]
    if adres.waarvoor:
        parts += [": ", adres.waarvoor]
    if adres.bereik:
        parts += [" · ", i(adres.bereik)]
    return parts


async def card(
    ctx: Ctx, conversation_id: int, title: str, adressen: list[Adres] | None = None
) -> Reply:
    """`adressen`: the team's, read already (`shown`)."""
    if adressen is None:
        adressen = await Verwijskaart(ctx.db).of_team(conversation_id)
    kaart = ctx.content.achtergrond.verwijskaart
    parts: list[str | Span] = [b(f"🗺️ Verwijskaart van {title}\n"), i(SIGNAL)]
    for number, vak, mine in numbered(ctx, adressen):
        parts += [f"\n\n{number}. ", i(vak.vak)]
        for n, adres in mine:
            parts += [f"\n   [{n}] ", *adres_parts(adres)]
        if not mine:
            parts.append("\n   (nog leeg)")
    parts += [
        "\n\n",
        cite(ctx.content, kaart.paragraaf),
        "\n",
        i("Aanvullen (coördinatoren): de knoppen, of " + USAGE),
    ]
    data = {"c": conversation_id}
    buttons = [
        await ctx.button(f"➕ {n}. {vak.kort}", "verwijskaart.vak", {**data, "v": vak.id})
        for n, vak, _ in numbered(ctx, adressen)
    ]
    if adressen:
        buttons.append(await ctx.button("➖ Iets weghalen", "verwijskaart.weg", data))
    return say(*parts, buttons=buttons)


def export(ctx: Ctx, title: str, adressen: list[Adres]) -> Reply:
    """The card as Markdown, to print or to share with partners in the network."""
    lines = [f"# Verwijskaart: {escape(title)}", "", f"*{SIGNAL}*", ""]
    for number, vak, mine in numbered(ctx, adressen):
        lines += [f"## {number}. {escape(vak.vak)}", ""]
        for _, adres in mine:
            line = f"- **{escape(adres.naam)}**"
            if adres.waarvoor:
                line += f": {escape(adres.waarvoor)}"
            if adres.bereik:
                line += f". Bereik: {escape(adres.bereik)}"
            lines.append(line.replace("\n", " "))
        if not mine:
            lines.append("- (nog leeg)")
        lines.append("")
    kaart = ctx.content.achtergrond.verwijskaart
    lines += [
        "---",
        "",
        escape(ctx.content.achtergrond.bron.cite(f"§{kaart.paragraaf}")) + ".",
        escape(source_line(ctx.content, ctx.content.achtergrond.bron.bestand)),
        "",
    ]
    return say(
        f"De verwijskaart van {title} als document.",
        attachment=Attachment(f"verwijskaart-{ctx.now().date().isoformat()}.md", "\n".join(lines)),
    )


async def printable(ctx: Ctx, title: str, adressen: list[Adres]) -> Reply:
    """The same card on A4, to hang beside the phone or hand to a partner."""
    blocks: list[document.Blok] = [document.Alinea(SIGNAL, muted=True)]
    count = 0
    for number, vak, mine in numbered(ctx, adressen):
        blocks.append(document.Kop(f"{number}. {vak.vak}", 2))
        rows = tuple((a.naam, a.waarvoor, a.bereik) for _, a in mine)
        count += len(rows)
        blocks.append(
            document.Tabel(("Wie", "Waarvoor", "Bereikbaar"), rows, (3, 4, 3))
            if rows
            else document.Alinea("(nog leeg)", muted=True)
        )
    kaart = ctx.content.achtergrond.verwijskaart
    doc = document.Document(
        f"Verwijskaart: {title}",
        title,
        say_day(ctx.now(), ctx.timezone, ctx.now()),
        ctx.content.achtergrond.bron.cite(f"§{kaart.paragraaf}"),
        blocks,
    )
    return await pdf_reply(
        doc,
        "Hetzelfde om af te drukken (PDF, A4).",
        f"verwijskaart-{ctx.now().date().isoformat()}.pdf",
        f"PDF van de verwijskaart met {dutch_count(count, 'adres', 'adressen')}.",
    )


# --- filling it in -----------------------------------------------------------------------------


def read_field(name: str, text: str) -> str | Reply:
    """Cleaned and within its limit; a Dutch explanation otherwise. Only the name is required."""
    limit = dict(FIELDS)[name]
    cleaned = " ".join(clean(text).split())
    if name != "naam" and fold(cleaned) in EMPTY_WORDS:
        return ""
    if not cleaned and name == "naam":
        return say(
            "Een lege naam zet ik niet op de kaart. Typ de naam van de dienst of persoon.",
            expects_text=True,
        )
    if len(cleaned) > limit:
        return say(
            f"Dat is te lang ({len(cleaned)} tekens): een {WHAT[name]} mag hoogstens "
            f"{limit} tekens zijn. Dit heb ik nog niet bewaard; kort het in en typ het opnieuw.",
            expects_text=True,
        )
    return cleaned


async def save(ctx: Ctx, conversation_id: int, vak: Vak, values: dict[str, str]) -> Reply:
    added = await Verwijskaart(ctx.db).add(
        conversation_id,
        vak.id,
        values["naam"],
        values.get("waarvoor", ""),
        values.get("bereik", ""),
        ctx.user_id,
        iso(ctx.now()),
    )
    if added is None:
        return say(
            f"In dit vak staan al {PER_VAK_MAX} adressen; meer wordt onleesbaar. Haal er "
            "eerst een weg met ",
            cmd("verwijskaart weg <nummer>"),
            ".",
        )
    return say(
        "🗺️ Op de verwijskaart, bij ",
        i(vak.vak),
        ":\n",
        *adres_parts(added),
        "\nDe hele kaart: ",
        cmd("verwijskaart"),
        ".",
    )


async def one_line(ctx: Ctx, conversation_id: int, words: str) -> Reply:
    """`verwijskaart 2 naam | waarvoor | bereik`."""
    head, _, rest = words.partition(" ")
    vak = find_vak(ctx, head)
    if vak is None:
        return say(
            "Dat vak ken ik niet: ",
            head[:20],
            ". Kies het nummer van een vak op de kaart (1 tot ",
            str(len(ctx.content.achtergrond.verwijskaart.vakken)),
            "), bv. ",
            cmd("verwijskaart 2 Sociaal huis | vragen en advies | 016 12 34 56"),
            ".",
        )
    if not rest.strip():
        return await ask_name(ctx, conversation_id, vak)
    pieces = rest.split("|", 2)
    values: dict[str, str] = {}
    for (name, _), piece in zip(FIELDS, pieces, strict=False):
        value = read_field(name, piece)
        if isinstance(value, Reply):
            return say(value.plain)
        values[name] = value
    return await save(ctx, conversation_id, vak, values)


async def remove(ctx: Ctx, conversation_id: int, number_text: str) -> Reply:
    adressen = await Verwijskaart(ctx.db).of_team(conversation_id)
    by_number = {n: a for _, _, mine in numbered(ctx, adressen) for n, a in mine}
    number = int(number_text) if is_number(number_text) else 0
    if number not in by_number:
        return say(
            "Geef het nummer tussen haakjes op de kaart, bv. ", cmd("verwijskaart weg 3"), "."
        )
    adres = by_number[number]
    await Verwijskaart(ctx.db).remove(conversation_id, adres.id)
    return say("Van de verwijskaart gehaald: ", b(adres.naam), ".")


# --- the command and its buttons ---------------------------------------------------------------


async def verwijskaart(ctx: Ctx, args: str) -> list[Reply]:
    if not args.strip():
        return [await shown(ctx)]
    target = await team(ctx)
    if isinstance(target, Reply):
        return [target]
    conversation_id, title = target
    words = args.strip()
    head, _, rest = words.partition(" ")
    if fold(head) == "export":
        adressen = await Verwijskaart(ctx.db).of_team(conversation_id)
        return [export(ctx, title, adressen), await printable(ctx, title, adressen)]
    refused = await refusal(ctx, conversation_id)
    if refused is not None:
        return [refused]
    if fold(head) in ("weg", "verwijder", "schrap"):
        return [await remove(ctx, conversation_id, rest.strip())]
    return [await one_line(ctx, conversation_id, words)]


def chosen(payload: dict[str, Any]) -> int | None:
    value = payload.get("c")
    return value if isinstance(value, int) else None


async def on_team(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return [await shown(ctx, chosen(payload))]


async def editable(ctx: Ctx, payload: dict[str, Any]) -> int | Reply:
    """The team of a pressed edit button, if this person may edit its card."""
    target = await team(ctx, chosen(payload))
    if isinstance(target, Reply):
        return target
    if target[0] != chosen(payload):
        return say(
            "Deze knop hoort bij een kaart die ik niet meer vind. Typ ", cmd("verwijskaart"), "."
        )
    return await refusal(ctx, target[0]) or target[0]


async def on_vak(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    conversation_id = await editable(ctx, payload)
    if isinstance(conversation_id, Reply):
        return [conversation_id]
    vak = ctx.content.achtergrond.verwijskaart.vak(str(payload.get("v", "")))
    if vak is None:
        return [say("Dat vak bestaat niet meer. Typ ", cmd("verwijskaart"), ".")]
    return [await ask_name(ctx, conversation_id, vak)]


async def ask_name(ctx: Ctx, conversation_id: int, vak: Vak) -> Reply:
    """The first of three short questions; the answers are kept in the flow until the last."""
    await flows.start(ctx, KIND, "ask_naam", {"c": conversation_id, "v": vak.id})
    return say(
        "Bij ",
        i(vak.vak),
        "\n",
        QUESTIONS["naam"],
        f" (Max. {NAAM_MAX} tekens.)",
        expects_text=True,
    )


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    name = flow.step.removeprefix("ask_")
    vak = ctx.content.achtergrond.verwijskaart.vak(str(flow.data.get("v", "")))
    conversation_id = flow.data.get("c")
    if name not in dict(FIELDS) or vak is None or not isinstance(conversation_id, int):
        await flows.finish(ctx, flow, "dropped")
        return [say("Dat kan ik niet meer plaatsen. Typ ", cmd("verwijskaart"), ".")]
    refused = await refusal(ctx, conversation_id)
    if refused is not None:
        await flows.finish(ctx, flow, "dropped")
        return [refused]
    value = read_field(name, text)
    if isinstance(value, Reply):
        return [value]
    data = {**flow.data, name: value}
    order = [n for n, _ in FIELDS]
    if name != order[-1]:
        following = order[order.index(name) + 1]
        await flows.advance(ctx, flow, f"ask_{following}", data)
        return [say(QUESTIONS[following], expects_text=True)]
    await flows.finish(ctx, flow)
    return [await save(ctx, conversation_id, vak, {n: str(data.get(n, "")) for n in order})]


async def on_remove_menu(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    conversation_id = await editable(ctx, payload)
    if isinstance(conversation_id, Reply):
        return [conversation_id]
    adressen = await Verwijskaart(ctx.db).of_team(conversation_id)
    if not adressen:
        return [say("De verwijskaart is leeg; er is niets weg te halen.")]
    buttons: list[Button] = []
    for _, _, mine in numbered(ctx, adressen):
        for n, adres in mine:
            label = f"✖ [{n}] {adres.naam}"
            buttons.append(
                await ctx.button(
                    label[:40], "verwijskaart.schrap", {"c": conversation_id, "a": adres.id}
                )
            )
    return [say("Wat moet er van de kaart?", buttons=buttons)]


async def on_remove(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    conversation_id = await editable(ctx, payload)
    if isinstance(conversation_id, Reply):
        return [conversation_id]
    adres_id = payload.get("a")
    adressen = {a.id: a for a in await Verwijskaart(ctx.db).of_team(conversation_id)}
    if not isinstance(adres_id, int) or adres_id not in adressen:
        return [say("Dat adres staat al niet meer op de kaart.")]
    await Verwijskaart(ctx.db).remove(conversation_id, adres_id)
    return [say("Van de verwijskaart gehaald: ", b(adressen[adres_id].naam), ".")]


def pointer_of(user_id: int) -> Read[list[str | Span]]:
    """A line for a volunteer's verslag: where to refer, when one of their teams has a card;
    to read with the record."""
    filled = Verwijskaart.filled_for(user_id)
    return Read(filled.sql, filled.params, lambda rows: _pointer(filled.parse(rows)))


def _pointer(filled: bool) -> list[str | Span]:
    if not filled:
        return []
    return [
        "\nDoorverwijzen? De verwijskaart van je team zegt waar je terechtkunt: ",
        cmd("verwijskaart"),
        ".",
    ]


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "verwijskaart",
            "De verwijskaart van het team: waar je terechtkunt "
            "als je eenzaamheid signaleert. Coördinatoren vullen ze aan.",
            "verwijskaart",
            in_group=Audience.QUIET,
            arguments={"export": Audience.HERE},
        ),
        verwijskaart,
    )
    router.button("verwijskaart.team", on_team)
    router.button("verwijskaart.vak", on_vak)
    router.button("verwijskaart.weg", on_remove_menu)
    router.button("verwijskaart.schrap", on_remove)
    router.text_flow(
        KIND, on_text, label="de verwijskaart", resume="verwijskaart", keeps_answers=False
    )

    def export_personal(deps: Deps, added: list[dict[str, Any]]) -> dict[str, Any]:
        return {"verwijskaart": added}

    async def erase(deps: Deps, user_id: int) -> None:
        await Verwijskaart(deps.db).forget_author(user_id)

    router.personal("verwijskaart", Verwijskaart.export_of, export_personal, erase)
