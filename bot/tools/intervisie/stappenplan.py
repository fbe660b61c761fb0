"""`stappenplan`: the 7-step plan of the Thomas More toolkit for a team setting up a local
approach. Where the team stands per step (coordinators change it, members read), and for an
action the team plans: the checklist of table 2 and the impact questions, kept with the action
so its export shows why and for whom it was set up."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core import flows, steering
from bot.core.context import Ctx
from bot.core.replies import (
    Audience,
    Button,
    Choice,
    Field,
    FieldKind,
    Form,
    Reply,
    Span,
    b,
    cmd,
    i,
    refused_fields,
    rich,
    say,
)
from bot.core.router import CommandInfo, Flow, Router
from bot.text import long
from bot.text.dutch import fold, is_number
from bot.tools.intervisie import afdruk
from bot.tools.intervisie.shared import action_by_number, coordinators_only, read_text, source
from bot.tools.intervisie.store.teamacties import Teamactie, Teamacties
from bot.tools.intervisie.store.voortgang import NOTE_MAX, Voortgang
from content.schemas.stappenplan import (
    Alinea,
    Citaat,
    Lijst,
    Onderdeel,
    Praktijk,
    Stap,
    Stappenplan,
)

FLOW = "stappenplan.checklist"
ANSWER_MAX = 1000
STATUS_WORDS = {"open": "nog niet gestart", "bezig": "bezig", "klaar": "klaar"}
ICONS = {"open": "⬜", "bezig": "🔶", "klaar": "✅"}
STATUS_INPUT = {
    "open": "open",
    "nog": "open",
    "bezig": "bezig",
    "klaar": "klaar",
    "gedaan": "klaar",
}
SKIP = ("-", "geen", "overslaan")
FORM = "stappenplan.checklist.formulier"
GONE = "Deze actie staat niet meer op de lijst van het team, dus hier heb ik niets bij genoteerd."
USAGE = (
    "stappenplan · stappenplan 3 · stappenplan 3 bezig <notitie> · stappenplan waarom "
    "· stappenplan voorbereiding · stappenplan randvoorwaarden · stappenplan elementen "
    "· stappenplan praktijken · stappenplan checklist <actienr>"
)
PARTS = ("waarom", "voorbereiding", "randvoorwaarden", "elementen")
RIGHTS = "aanduiden waar het team staat of een checklist invullen"


def plan(ctx: Ctx) -> Stappenplan:
    return ctx.content.stappenplan


async def overview(ctx: Ctx) -> Reply:
    states = await Voortgang(ctx.db).steps(ctx.conversation_id)
    parts: list[str | Span] = [
        b("Stappenplan voor een lokale aanpak\n"),
        plan(ctx).inleiding[0],
        "\n\n",
        b("Waar staat het team?"),
    ]
    for stap in plan(ctx).stappen:
        state = states.get(stap.id)
        status = state.status if state else "open"
        parts += [f"\n{ICONS[status]} {stap.nummer}. {stap.titel}", i(f" ({STATUS_WORDS[status]})")]
        if state and state.note:
            parts += [": ", state.note]
    parts += ["\n\n", i(USAGE), "\n", source(plan(ctx).bron)]
    row = [
        await ctx.button(f"Stap {s.nummer}", "stappenplan.stap", {"n": s.nummer})
        for s in plan(ctx).stappen
    ]
    row += [
        await ctx.button("Waarom deze toolkit?", "stappenplan.deel", {"d": "waarom"}),
        await ctx.button("Voorbereiding", "stappenplan.deel", {"d": "voorbereiding"}),
        await ctx.button("Randvoorwaarden", "stappenplan.deel", {"d": "randvoorwaarden"}),
        await ctx.button("Werkzame elementen", "stappenplan.deel", {"d": "elementen"}),
    ]
    return say(*parts, buttons=row)


def text_blocks(tekst: list[Alinea]) -> list[list[str | Span]]:
    """The source's running text, one block per paragraph so a long step splits between
    paragraphs; a list stays with the paragraph that leads into it."""
    blocks: list[list[str | Span]] = []
    for blok in tekst:
        if isinstance(blok, Lijst):
            items: list[str | Span] = [
                x
                for n, t in enumerate(blok.lijst, start=1)
                for x in (f"\n{n}. " if blok.genummerd else "\n• ", t)
            ]
            if blocks:
                blocks[-1] += items
            else:
                blocks.append(items)
        elif isinstance(blok, Citaat):
            blocks.append(["\n\n", i(blok.citaat), "\n– ", blok.wie])
        else:
            blocks.append(["\n\n", blok])
    return blocks


def part_blocks(deel: Onderdeel) -> list[list[str | Span]]:
    """One part of a step, in the source's order: heading, its full text (or, for a box
    without running text, lead, questions, statements and closing line), goals, an example
    card, a link. The heading opens the first block so it never ends a message alone."""
    blocks = text_blocks(deel.tekst)
    if not blocks:
        lead: list[str | Span] = ["\n"]
        if deel.uitleg:
            lead += ["\n", deel.uitleg]
        lead += [x for v in deel.vragen for x in ("\n• ", v)]
        lead += [
            x
            for n, t in enumerate(deel.punten, start=1)
            for x in (f"\n{n}. " if deel.genummerd else "\n• ", t)
        ]
        if deel.slot:
            lead += ["\n", deel.slot]
        lead += [x for t in deel.tips for x in ("\n💡 ", t)]
        blocks = [lead]
    if deel.titel:
        first = long.strip_leading_breaks(blocks[0])
        blocks[0] = ["\n\n", b(deel.titel), "\n", *first]
    last = blocks[-1]
    for doel in deel.doelstellingen:
        last += ["\n", i(doel.titel), *[x for p in doel.punten for x in ("\n  – ", p)]]
    if deel.voorbeeld:
        voorbeeld = deel.voorbeeld
        last += ["\n\n", voorbeeld.inleiding, "\n", b(voorbeeld.titel)]
        last += [x for r in voorbeeld.rijen for x in ("\n", i(f"{r.kop}: "), r.tekst)]
    if deel.url:
        last.append(f"\n{deel.url}")
    return blocks


def practice_parts(praktijk: Praktijk) -> list[str | Span]:
    """A good practice of step 7 in full: description, goals, target group, what works, contact."""
    parts: list[str | Span] = ["\n\n", b(f"🌱 {praktijk.titel}")]
    for alinea in praktijk.projectomschrijving:
        parts += ["\n", alinea]
    for kop, punten in (
        ("Doelstellingen", praktijk.doelstellingen),
        ("Werkzame elementen", praktijk.werkzame_elementen),
    ):
        if kop == "Werkzame elementen":
            parts += ["\n", i("Doelgroep: "), "; ".join(praktijk.doelgroep)]
        if punten:
            parts += ["\n", i(f"{kop}:")]
        for punt in punten:
            parts += ["\n• ", punt.tekst, *[x for d in punt.details for x in ("\n   ◦ ", d)]]
    if praktijk.contact:
        parts += ["\n", i("Contact: "), praktijk.contact]
    return parts


def step_head(stap: Stap) -> list[str | Span]:
    return [b(f"Stap {stap.nummer}: {stap.titel}")]


def impact_blocks(p: Stappenplan) -> list[list[str | Span]]:
    """ "Onderbouwing: waar naartoe? Impactanalyse", the end of step 6 in the source."""
    analyse = p.impactanalyse
    parts: list[str | Span] = ["\n\n", b(analyse.titel), "\n", analyse.inleiding]
    parts += [x for v in analyse.vragen for x in ("\n• ", v)]
    if analyse.slot:
        parts += ["\n", analyse.slot]
    parts += [
        "\n",
        i(
            "Die lijst is de checklist (tabel 2). Bij een actie van het team vul je ze "
            "samen met deze vragen in: "
        ),
        cmd("stappenplan checklist <actienr>"),
        i("."),
    ]
    return [parts]


def step_blocks(stap: Stap, p: Stappenplan | None = None) -> list[list[str | Span]]:
    """The step's own text, then each part, then (step 6) the impact analysis and (step 7)
    the titles of the good practices; each paragraph a block for `long.messages`."""
    blocks = text_blocks(stap.tekst)
    if blocks:
        blocks[0] = ["\n", *long.strip_leading_breaks(blocks[0])]
    for deel in stap.onderdelen:
        blocks += part_blocks(deel)
    if p is not None and p.impactanalyse.stap == stap.id:
        blocks += impact_blocks(p)
    if stap.praktijken:
        titles: list[str | Span] = ["\n\n", b(f"Goede praktijken ({len(stap.praktijken)})")]
        titles += [x for pr in stap.praktijken for x in ("\n• ", pr.titel)]
        titles += [
            "\n",
            i("Elke praktijk volledig: de knop Meer lezen of "),
            cmd("stappenplan praktijken"),
            i("."),
        ]
        blocks.append(titles)
    return blocks


def step_parts(stap: Stap, p: Stappenplan | None = None) -> list[str | Span]:
    """The whole step as one text (for a test or an export); the chat splits it."""
    return [x for block in [step_head(stap), *step_blocks(stap, p)] for x in block]


def practices_view(ctx: Ctx) -> list[Reply]:
    """Step 7's good practices in full, read on request so the step itself stays short."""
    praktijken = plan(ctx).praktijken()
    head: list[str | Span] = [b(f"Stap 7 · de {len(praktijken)} goede praktijken, volledig")]
    pages = long.messages(
        head, [practice_parts(p) for p in praktijken], ["\n\n", source(plan(ctx).bron, "stap 7")]
    )
    return [say(*page) for page in pages]


async def on_practices(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return practices_view(ctx)


async def step_view(ctx: Ctx, number: int) -> list[Reply]:
    steps = plan(ctx).stappen
    if not 1 <= number <= len(steps):
        return [
            say(f"Kies een stap van 1 tot en met {len(steps)}, bv. ", cmd("stappenplan 3"), ".")
        ]
    stap = steps[number - 1]
    state = (await Voortgang(ctx.db).steps(ctx.conversation_id)).get(stap.id)
    status = state.status if state else "open"
    tail: list[str | Span] = ["\n\n", b("Het team: "), f"{ICONS[status]} {STATUS_WORDS[status]}"]
    if state and state.note:
        tail += [" · ", state.note]
    tail += ["\n", source(plan(ctx).bron, f"stap {number}")]
    row: list[Button] = []
    if stap.praktijken:
        row.append(await ctx.button("Meer lezen", "stappenplan.praktijken"))
    if ctx.is_coordinator:
        row += [
            await ctx.button(
                f"Stap {number}: {STATUS_WORDS[s]}", "stappenplan.stand", {"s": stap.id, "st": s}
            )
            for s in STATUS_WORDS
        ]
    else:
        tail += [
            "\n",
            i(f"Coördinatoren duiden aan waar het team staat, met stappenplan {number} bezig."),
        ]
    if stap.id == plan(ctx).impactanalyse.stap:
        row.append(
            await ctx.button("Tabel 1: werkzame elementen", "stappenplan.deel", {"d": "elementen"})
        )
    pages = long.messages(step_head(stap), step_blocks(stap, plan(ctx)), tail)
    return [say(*page, buttons=row if k == len(pages) - 1 else []) for k, page in enumerate(pages)]


async def set_status(ctx: Ctx, stap: Stap, status: str, note: str) -> Reply:
    if not ctx.is_coordinator:
        return coordinators_only(RIGHTS)
    cleaned: str | None = None
    if note.strip():
        got = read_text(note, NOTE_MAX, "notitie")
        if isinstance(got, Reply):
            return got
        cleaned = got
    await Voortgang(ctx.db).set_step(
        ctx.conversation_id, stap.id, status, cleaned, ctx.user_id, ctx.now()
    )
    return say(
        f"{ICONS[status]} Stap {stap.nummer} ({stap.titel}) staat op {STATUS_WORDS[status]}."
        + (f" Notitie: {cleaned}" if cleaned else "")
    )


def part_view(ctx: Ctx, which: str) -> Reply:
    p = plan(ctx)
    if which == "waarom":
        waarom = p.waarom
        parts: list[str | Span] = [b(waarom.titel + "\n"), waarom.uitleg]
        parts += [x for q in waarom.vragen for x in ("\n• ", q)]
        parts += ["\n\n", p.inleiding[1]]
    elif which == "voorbereiding":
        v = p.voorbereiding
        parts = [b(v.titel + "\n"), v.uitleg]
        parts += [x for q in v.vragen for x in ("\n• ", q)]
        parts += [x for t in v.tips for x in ("\n💡 ", t)]
    elif which == "randvoorwaarden":
        r = p.randvoorwaarden
        parts = [b("Randvoorwaarden\n"), r.inleiding]
        parts += [x for w in r.voorwaarden for x in ("\n\n", b(w.titel), "\n", w.uitleg)]
    else:
        w = p.werkzame_elementen
        parts = [b(w.titel)]
        parts += [
            x
            for e in w.elementen
            for x in (
                "\n• ",
                b(e.naam + (" *" if e.effectiviteit_bewezen else "")),
                ": ",
                e.betekenis,
            )
        ]
        parts += ["\n\n", i(w.voetnoot)]
    return say(*parts, "\n", source(p.bron))


# --- the checklist of one action ---------------------------------------------------------------


def items(p: Stappenplan) -> list[tuple[str, str]]:
    """The checklist in order: option columns, open columns, then the impact questions."""
    return (
        [("keuze", d.id) for d in p.checklist.dimensies]
        + [("open", k.id) for k in p.checklist.open_kolommen]
        + [("impact", str(n)) for n in range(len(p.impactanalyse.vragen))]
    )


def prompt(ctx: Ctx, action: Teamactie, index: int, lead: list[str | Span] | None = None) -> Reply:
    p = plan(ctx)
    todo = items(p)
    kind, key = todo[index]
    parts: list[str | Span] = list(lead or [])
    if index == 0:
        parts += [
            b(f"{p.checklist.titel} voor actie {action.number}: "),
            action.text,
            "\n",
            p.checklist.uitleg,
            "\n\n",
        ]
    head = f"({index + 1}/{len(todo)}) "
    if kind == "keuze":
        dim = p.checklist.dimensie(key)
        parts += [b(head + dim.kolom + "\n"), dim.vraag]
        parts += [x for n, o in enumerate(dim.opties, start=1) for x in (f"\n{n}. ", o)]
        parts.append("\n\nTyp de nummers die passen, bv. 1, 4 (of - om over te slaan).")
    elif kind == "open":
        kolom = next(k for k in p.checklist.open_kolommen if k.id == key)
        parts += [b(head + kolom.kop + "\n"), kolom.vraag, "\n\nTyp je antwoord (of -)."]
    else:
        if key == "0":
            parts += [b(p.impactanalyse.titel + "\n"), p.impactanalyse.inleiding, "\n\n"]
        parts += [b(head), p.impactanalyse.vragen[int(key)], "\n\nTyp je antwoord (of -)."]
    return say(*parts, expects_text=True)


def read_choice(text: str, options: list[str]) -> list[str] | None:
    if fold(text) in SKIP:
        return []
    chosen: list[str] = []
    for word in text.replace(";", ",").replace(" ", ",").split(","):
        if not word:
            continue
        if not is_number(word) or not 1 <= int(word) <= len(options):
            return None
        if options[int(word) - 1] not in chosen:
            chosen.append(options[int(word) - 1])
    return chosen or None


async def start_checklist(ctx: Ctx, action: Teamactie) -> Reply:
    if not ctx.is_coordinator:
        return coordinators_only(RIGHTS)
    flow = await flows.start(
        ctx, FLOW, step_of(0), {"a": action.id, "i": 0, "keuzes": {}, "open": {}, "impact": []}
    )
    return replace(prompt(ctx, action, 0), form=await checklist_form(ctx, action, flow))


async def checklist_form(ctx: Ctx, action: Teamactie, flow: Flow) -> Form:
    """The whole checklist at once: the options of each column ticked, the open columns and
    the impact questions written; the same items the step-by-step questions ask."""
    p = plan(ctx)
    fields: list[Field] = []
    for dim in p.checklist.dimensies:
        fields.append(
            Field(
                f"keuze:{dim.id}",
                dim.kolom,
                FieldKind.CHECKS,
                tuple(Choice(str(n), o) for n, o in enumerate(dim.opties, start=1)),
                required=False,
                hint=dim.vraag,
            )
        )
    for kolom in p.checklist.open_kolommen:
        fields.append(
            Field(
                f"open:{kolom.id}",
                kolom.kop,
                required=False,
                hint=kolom.vraag,
                max_length=ANSWER_MAX,
                multiline=True,
            )
        )
    for n, vraag in enumerate(p.impactanalyse.vragen):
        fields.append(
            Field(f"impact:{n}", vraag, required=False, max_length=ANSWER_MAX, multiline=True)
        )
    token = await ctx.button("checklist", FORM, {"a": action.id, "f": flow.id}, personal=True)
    return Form(
        title="Checklist",
        submit="Bewaren",
        token=token.action_id,
        intro=rich(
            b(f"{p.checklist.titel} voor actie {action.number}: "),
            action.text,
            "\n",
            p.checklist.uitleg,
        ),
        fields=tuple(fields),
    )


async def on_form(
    ctx: Ctx, payload: dict[str, Any], values: dict[str, tuple[str, ...]]
) -> list[Reply]:
    """The checklist filled in at once, stored as the step-by-step answers are. Not over a
    checklist finished or stopped since the form opened, and not empty."""
    if not ctx.is_coordinator:
        return [coordinators_only(RIGHTS)]
    found = await flows.find(ctx, payload.get("f"), FLOW)
    if found is None or found.status != "open":
        return [
            say(
                "Deze checklist is intussen al ingevuld of gestopt; ik bewaar dit formulier "
                "niet. Opnieuw invullen kan met ",
                cmd("stappenplan checklist"),
                ".",
            )
        ]
    p = plan(ctx)
    action_id = payload.get("a")
    action = await Teamacties(ctx.db).get(action_id) if isinstance(action_id, int) else None
    if action is None or action.conversation_id != ctx.conversation_id:
        return [say(GONE)]
    keuzes: dict[str, list[str]] = {}
    for dim in p.checklist.dimensies:
        ticked = {v for v in values.get(f"keuze:{dim.id}", ()) if is_number(v)}
        keuzes[dim.id] = [o for n, o in enumerate(dim.opties, start=1) if str(n) in ticked]
    problems: list[tuple[str, str]] = []
    written: dict[str, str] = {}
    for name, given in values.items():
        if name.startswith(("open:", "impact:")) and given and fold(given[0]) not in SKIP:
            got = read_text(given[0], ANSWER_MAX, "antwoord")
            if isinstance(got, Reply):
                problems.append((name, got.plain))
            else:
                written[name] = got
    if not problems and not written and not any(keuzes.values()):
        first = p.checklist.dimensies[0].id if p.checklist.dimensies else "open"
        problems.append((f"keuze:{first}", "Er is nog niets aangevinkt of ingevuld."))
    if problems:
        return [refused_fields(*problems)]
    checklist = {
        "keuzes": {k: v for k, v in keuzes.items() if v},
        "open": {
            k.id: written[f"open:{k.id}"]
            for k in p.checklist.open_kolommen
            if f"open:{k.id}" in written
        },
    }
    impact = [
        {"vraag": vraag, "antwoord": written[f"impact:{n}"]}
        for n, vraag in enumerate(p.impactanalyse.vragen)
        if f"impact:{n}" in written
    ]
    return [await save(ctx, found.flow, action, checklist, impact)]


def step_of(index: int) -> str:
    """The step names the item, so an old 'Terug' button of an earlier item does nothing."""
    return f"ask_{index}"


def given(p: Stappenplan, data: dict[str, Any], index: int) -> str | None:
    """The answer held for item `index` (the numbers typed, for a choice), if any."""
    kind, key = items(p)[index]
    if kind == "keuze":
        options = p.checklist.dimensie(key).opties
        chosen = data.get("keuzes", {}).get(key)
        if chosen is None:
            return None
        return ", ".join(str(options.index(o) + 1) for o in chosen if o in options) or "-"
    if kind == "open":
        answer = data.get("open", {}).get(key)
        return str(answer) if answer else None
    vraag = p.impactanalyse.vragen[int(key)]
    return next((x["antwoord"] for x in data.get("impact", []) if x["vraag"] == vraag), None)


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """The previous item of the checklist, with the answer given; nothing is stored yet."""
    index = int(flow.data.get("i", 0))
    action = await Teamacties(ctx.db).get(int(flow.data.get("a", 0)))
    if index == 0 or action is None:
        return None
    data = {**flow.data, "i": index - 1}
    if await flows.move(ctx, flow, step_of(index - 1), data) is None:
        return [say("Deze vraag is al voorbij.")]
    answer = given(plan(ctx), data, index - 1)
    lead: list[str | Span] = (
        [*steering.given(answer), "Typ een nieuw antwoord, of hetzelfde om het te houden.\n\n"]
        if answer
        else []
    )
    return [prompt(ctx, action, index - 1, lead)]


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    p = plan(ctx)
    data = dict(flow.data)
    action = await Teamacties(ctx.db).get(int(data.get("a", 0)))
    if action is None:
        await flows.finish(ctx, flow, "gone")
        return [
            say(
                "Deze actie staat niet meer op de lijst van het team, dus hier heb ik niets bij genoteerd."
            )
        ]
    index = int(data.get("i", 0))
    kind, key = items(p)[index]
    if kind == "keuze":
        chosen = read_choice(text, p.checklist.dimensie(key).opties)
        if chosen is None:
            n = len(p.checklist.dimensie(key).opties)
            return [
                say(
                    f"Typ nummers van 1 tot en met {n}, gescheiden door komma's, of - om over "
                    "te slaan.",
                    expects_text=True,
                )
            ]
        data["keuzes"] = {**data["keuzes"], key: chosen}
    else:
        skipped = fold(text) in SKIP
        got = None if skipped else read_text(text, ANSWER_MAX, "antwoord")
        if isinstance(got, Reply):
            return [replace(got, expects_text=True)]
        if kind == "open":  # an answer given again after "terug" replaces the earlier one
            data["open"] = {k: v for k, v in data["open"].items() if k != key}
            if got is not None:
                data["open"][key] = got
        else:
            vraag = p.impactanalyse.vragen[int(key)]
            kept = [x for x in data["impact"] if x["vraag"] != vraag]
            new = [] if got is None else [{"vraag": vraag, "antwoord": got}]
            order = p.impactanalyse.vragen
            data["impact"] = sorted(kept + new, key=lambda x: order.index(x["vraag"]))
    if index + 1 < len(items(p)):
        data["i"] = index + 1
        await flows.advance(ctx, flow, step_of(index + 1), data)
        return [prompt(ctx, action, index + 1)]
    checklist = {"keuzes": data["keuzes"], "open": data["open"]}
    return [await save(ctx, flow, action, checklist, data["impact"])]


async def save(
    ctx: Ctx,
    flow: Flow,
    action: Teamactie,
    checklist: dict[str, Any],
    impact: list[dict[str, str]],
) -> Reply:
    """The checklist with the end of the question that asked for it, in one statement and no
    transaction: it lands only where the question still waits (a second submission, typed or
    the form, stores nothing). The action as it was read with the checklist set: not read
    back."""
    await Teamacties(ctx.db).set_checklist(
        action.id, checklist, impact, ctx.user_id, ctx.now(), flows.still_at(flow)
    )
    listed = Teamacties.listed_still(action.id)
    if await flows.move(ctx, flow, flow.step, status="done", only=listed) is None:
        return say(
            "Deze checklist is intussen al ingevuld of gestopt, of de actie staat niet meer op "
            "de lijst; ik heb dit niet bewaard. Bekijken kan met ",
            cmd("acties team export"),
            ".",
        )
    stored = replace(action, checklist=checklist, impact=impact)
    return say(
        "✅ De checklist en de impactanalyse zijn bewaard bij actie "
        f"{action.number}. Ze staan ook in ",
        cmd("acties team export"),
        ".\n\n",
        *checklist_parts(ctx, stored),
    )


def checklist_parts(ctx: Ctx, action: Teamactie) -> list[str | Span]:
    p = plan(ctx)
    parts: list[str | Span] = [b(f"Actie {action.number}: "), action.text]
    for dim in p.checklist.dimensies:
        chosen = action.checklist.get("keuzes", {}).get(dim.id)
        if chosen:
            parts += ["\n", b(dim.kolom + ": "), ", ".join(chosen)]
    for kolom in p.checklist.open_kolommen:
        answer = action.checklist.get("open", {}).get(kolom.id)
        if answer:
            parts += ["\n", b(kolom.kop + ": "), answer]
    for item in action.impact:
        parts += ["\n", b(item["vraag"] + " "), item["antwoord"]]
    return parts


async def checklist(ctx: Ctx, rest: str) -> Reply:
    action = await action_by_number(ctx, rest, "Voor welke actie?", "stappenplan checklist 2")
    if isinstance(action, Reply):
        return action
    if ctx.is_coordinator:
        return await start_checklist(ctx, action)
    if not action.checklist and not action.impact:
        return say(
            f"Actie {action.number} heeft nog geen checklist. Een coördinator vult ze in "
            f"met stappenplan checklist {action.number}."
        )
    return say(*checklist_parts(ctx, action))


async def stappenplan(ctx: Ctx, args: str) -> list[Reply]:
    words = args.split(maxsplit=2)
    head = fold(words[0]) if words else ""
    if not head:
        team = ctx.title or "het team"
        return [await afdruk.steps_picture(ctx, team), await overview(ctx)]
    if head in PARTS:
        return [part_view(ctx, head)]
    if head in ("praktijken", "praktijk"):
        return practices_view(ctx)
    if head == "checklist":
        return [await checklist(ctx, " ".join(words[1:]))]
    if is_number(head):
        if len(words) == 1:
            return await step_view(ctx, int(head))
        status = STATUS_INPUT.get(fold(words[1]))
        steps = plan(ctx).stappen
        if status is None or not 1 <= int(head) <= len(steps):
            return [
                say(
                    "Zo duid je aan waar het team staat: ",
                    cmd("stappenplan 3 bezig"),
                    ", ",
                    cmd("stappenplan 3 klaar"),
                    " of ",
                    cmd("stappenplan 3 open"),
                    ".",
                )
            ]
        return [
            await set_status(ctx, steps[int(head) - 1], status, words[2] if len(words) > 2 else "")
        ]
    return [say("Dat begrijp ik niet. ", i(USAGE))]


async def on_step(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    number = payload.get("n")
    return await step_view(ctx, number if isinstance(number, int) else 0)


async def on_part(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    which = str(payload.get("d"))
    return [part_view(ctx, which if which in PARTS else "elementen")]


async def on_status(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    stap = next((s for s in plan(ctx).stappen if s.id == payload.get("s")), None)
    status = str(payload.get("st"))
    if stap is None or status not in STATUS_WORDS:
        return [say("Deze knop werkt niet meer. Typ ", cmd("stappenplan"), ".")]
    return [await set_status(ctx, stap, status, "")]


async def on_checklist(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    action_id = payload.get("a")
    action = await Teamacties(ctx.db).get(action_id) if isinstance(action_id, int) else None
    if action is None or action.conversation_id != ctx.conversation_id:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    return [await start_checklist(ctx, action)]


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "stappenplan",
            "Het stappenplan voor een lokale aanpak: de zeven "
            "stappen, waar het team staat, en de checklist bij een actie.",
            "stappenplan 3",
            dm_menu=False,
            in_group=Audience.HERE,
        ),
        stappenplan,
    )
    router.button("stappenplan.stap", on_step)
    router.button("stappenplan.deel", on_part)
    router.button("stappenplan.stand", on_status)
    router.button("stappenplan.praktijken", on_practices)
    router.button("stappenplan.checklist", on_checklist)
    router.text_flow(
        FLOW,
        on_text,
        label="de checklist",
        resume="stappenplan checklist",
        back=on_back,
        first=lambda flow: int(flow.data.get("i", 0)) == 0,
        keeps_answers=False,
    )
    router.form(FORM, on_form)  # its fields come from the content: none is required
