"""`gesprek`: the five steps of the card as cards to read just before a visit, Volgende / Vorige,
and the workbook's tips; `gesprek verslag` records the conversation afterwards (see verslag)."""

from __future__ import annotations

from typing import Any

from bot.core.context import Ctx
from bot.core.privately import privately
from bot.core.replies import Audience, Button, Reply, Span, b, i, say
from bot.core.router import CommandInfo, Router
from bot.text import long, sources
from bot.text.dutch import fold, is_number
from bot.tools.gesprek import verslag
from content import Content
from content.schemas.gesprek import Onderdeel

STEPS = 5
USAGE = (
    "Typ gesprek voor de vijf stappen, gesprek 3 voor één stap, gesprek tips voor de tips "
    "uit het werkboek, gesprek weerstand voor de zeven tips bij weerstand, of gesprek "
    "verslag om een gesprek vast te leggen."
)


async def gesprek(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.is_group:
        return await privately(
            ctx, "gesprek", "Een gesprek voorbereiden of vastleggen", lambda dm: in_dm(dm, args)
        )
    return await in_dm(ctx, args)


async def in_dm(ctx: Ctx, args: str) -> list[Reply]:
    word = fold(args)
    if word in ("", "kaart", "stappen"):
        return [await card(ctx, 1)]
    if is_number(word) and 1 <= int(word) <= STEPS:
        return [await card(ctx, int(word))]
    if word in ("verslag", "vastleggen"):
        return await verslag.start(ctx)
    if word in ("tips", "werkboek"):
        return [workbook_tips(ctx.content)]
    if word in ("weerstand", "weerstanden"):
        return [await weerstand_card(ctx, 1)]
    return [say(USAGE)]


def weerstand_tips(content: Content) -> list[str]:
    return content.achtergrond.tekst("weerstand").blok("tips").punten


async def weerstand_card(ctx: Ctx, n: int) -> Reply:
    """One of the seven tips of §6.5 per card, to read before or after a visit where the
    person resisted; the card's first step asks not to ignore weerstand."""
    tips = weerstand_tips(ctx.content)
    tekst = ctx.content.achtergrond.tekst("weerstand")
    parts: list[str | Span] = [
        b(f"Omgaan met weerstand · tip {n} van {len(tips)}\n"),
        i(tekst.blok("tips").kop or ""),
        "\n\n",
        tips[n - 1],
    ]
    if n == 1:
        waarom = next(blok for blok in tekst.blokken if blok.punten and blok.id is None)
        parts += ["\n\n", b(waarom.kop or "")]
        for punt in waarom.punten:
            parts += ["\n• ", punt]
    parts += ["\n\n", i(sources.werkboek(ctx.content, tekst.paragraaf))]
    row: list[Button] = []
    if n > 1:
        row.append(
            await ctx.button("◀ Vorige tip", "gesprek.weerstand", {"n": n - 1}, personal=True)
        )
    if n < len(tips):
        row.append(
            await ctx.button("Volgende tip ▶", "gesprek.weerstand", {"n": n + 1}, personal=True)
        )
    return say(*parts, buttons=row)


async def on_weerstand(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    n = payload.get("n")
    last = len(weerstand_tips(ctx.content))
    return [await weerstand_card(ctx, n if isinstance(n, int) and 1 <= n <= last else 1)]


def _part(o: Onderdeel) -> list[str | Span]:
    kind = {"oefening": "Oefening", "fase": "Fase"}.get(o.soort)
    title = f"{kind} {o.nummer}: {o.titel}" if kind and o.nummer else o.titel
    parts: list[str | Span] = ["\n\n", b(title)]
    if o.soort == "oefening":
        parts += ["\n", *o.tekst[:1]]
        if o.url:
            parts += ["\n", o.url]
    if o.soort == "fase":  # the phases of step 4 say what to do in them: the card's text
        for alinea in o.tekst:
            parts += ["\n", alinea]
    for vraag in o.vragen:
        parts += ["\n• ", vraag.tekst]
        if vraag.toelichting:
            parts += [" ", i(vraag.toelichting)]
    for gebied in o.levensgebieden:
        parts += ["\n• ", b(f"{gebied.naam}: "), " ".join(gebied.vragen)]
    for suggestie in o.suggesties:
        parts += ["\n• ", suggestie]
    for schaal in o.schaalvragen:
        parts += ["\n• ", schaal.vraag, f" ({schaal.minimum}–{schaal.maximum})"]
    if o.tip:
        parts += ["\n", b("Tip: "), o.tip]
    if o.afsluiting:
        parts += ["\n", i(o.afsluiting)]
    return parts


def card_text(content: Content, n: int) -> list[str | Span]:
    stap = content.gesprek.kaart.stap(n)
    parts: list[str | Span] = [
        b(f"Stap {n} van {STEPS} · {stap.titel}\n\n"),
        stap.uitleg,
        "\n\n",
        b("Tips"),
    ]
    for tip in stap.tips:
        parts += ["\n• ", tip.tekst]
    for onderdeel in stap.onderdelen:
        parts += _part(onderdeel)
    if stap.vragen:
        parts += ["\n\n", b("Vragen")]
        for vraag in stap.vragen:
            parts += ["\n• ", vraag.tekst]
    if stap.ondersteuningsvormen:
        parts += ["\n\n", b("Ondersteuningsvormen (Bouwman en Van Tilburg, 2020)")]
        for vorm in stap.ondersteuningsvormen.vormen:
            parts += [f"\n{vorm.nummer}. ", vorm.titel]
    return parts + ["\n\n", i(sources.kaart(content))]


def more_blocks(content: Content, n: int) -> list[list[str | Span]]:
    """The card's "Meer weten?" box of step n, one block per part; for step 4 the box is the
    overview of support forms, whose titles the card itself already lists."""
    stap = content.gesprek.kaart.stap(n)
    blocks: list[list[str | Span]] = []
    if stap.meer_weten is not None:
        for deel in stap.meer_weten.onderdelen:
            block: list[str | Span] = ["\n\n", b(deel.titel)] if deel.titel else []
            for alinea in deel.tekst:
                block += ["\n\n" if not block else "\n", alinea]
            for begrip in deel.begrippen:
                block += ["\n\n", b(f"{begrip.term}: "), begrip.uitleg]
            if deel.literatuur and block:
                block += ["\n\n", i("Meer weten?")]
            for titel in deel.literatuur:
                block += ["\n• ", titel]
            if deel.url:
                block += ["\n", deel.url]
            blocks.append(block)
    if stap.ondersteuningsvormen is not None:
        vormen = stap.ondersteuningsvormen
        blocks.append(["\n\n", vormen.inleiding])
        blocks += [["\n\n", b(f"{v.nummer}. {v.titel}"), "\n", v.tekst] for v in vormen.vormen]
    return blocks


async def more(ctx: Ctx, n: int) -> list[Reply]:
    stap = ctx.content.gesprek.kaart.stap(n)
    kop = stap.meer_weten.kop if stap.meer_weten and stap.meer_weten.kop else stap.titel
    head: list[str | Span] = [b(f"Meer weten? · stap {n}: {kop}")]
    pages = long.messages(
        head, more_blocks(ctx.content, n), ["\n\n", i(sources.kaart(ctx.content))]
    )
    back = await ctx.button(f"◀ Terug naar stap {n}", "gesprek.kaart", {"n": n}, personal=True)
    return [
        say(*page, buttons=[back] if k == len(pages) - 1 else []) for k, page in enumerate(pages)
    ]


def has_more(content: Content, n: int) -> bool:
    stap = content.gesprek.kaart.stap(n)
    return stap.meer_weten is not None or stap.ondersteuningsvormen is not None


async def on_more(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    n = payload.get("n")
    if not isinstance(n, int) or not 1 <= n <= STEPS or not has_more(ctx.content, n):
        return [await card(ctx, 1)]
    return await more(ctx, n)


async def card(ctx: Ctx, n: int) -> Reply:
    row: list[Button] = []
    if has_more(ctx.content, n):
        row.append(await ctx.button("Meer weten?", "gesprek.meerweten", {"n": n}, personal=True))
    if n == 1:
        row.append(await ctx.button("Kies een helpende gedachte", "gedachte.nieuw", personal=True))
        row.append(
            await ctx.button("Tips bij weerstand", "gesprek.weerstand", {"n": 1}, personal=True)
        )
    if n == 2:
        row.append(await ctx.button("Tips uit het werkboek", "gesprek.tips", personal=True))
    if n > 1:
        row.append(await ctx.button("◀ Vorige", "gesprek.kaart", {"n": n - 1}, personal=True))
    if n < STEPS:
        row.append(await ctx.button("Volgende ▶", "gesprek.kaart", {"n": n + 1}, personal=True))
    else:
        row.append(await ctx.button("Verslag maken", "gesprek.verslag", personal=True))
    return say(*card_text(ctx.content, n), buttons=row)


def workbook_tips(content: Content) -> Reply:
    werkboek = content.gesprek.werkboek
    tips, vragen = werkboek.bespreekbaar_maken, werkboek.voorbeeldvragen
    parts: list[str | Span] = [b(f"{tips.titel} (§{tips.paragraaf})\n")]
    parts += ["\n".join(tips.instructie), "\n\n", b("Doen")]
    for tip in tips.doen:
        parts += ["\n• ", tip]
    parts += ["\n\n", b("Niet doen")]
    for tip in tips.niet_doen:
        parts += ["\n• ", tip]
    parts += ["\n\n", b(f"{vragen.titel} (§{vragen.paragraaf})\n"), "\n".join(vragen.instructie)]
    for vraag in vragen.vragen:
        parts += [f"\n{vraag.nummer}. ", vraag.tekst]
        if vraag.toelichting:
            parts += [" ", i(vraag.toelichting)]
        for deel in vraag.deelvragen:
            parts += [f"\n    {deel.letter}. ", deel.tekst]
            if deel.achterliggende_vraag:
                parts += ["\n       ", i(f"Achterliggende vraag: {deel.achterliggende_vraag}")]
    parts += ["\n\n", i(sources.werkboek(content, tips.paragraaf, vragen.paragraaf))]
    return say(*parts)


async def on_card(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    n = payload.get("n")
    return [await card(ctx, n if isinstance(n, int) and 1 <= n <= STEPS else 1)]


async def on_tips(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return [workbook_tips(ctx.content)]


async def on_record(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return await verslag.start(ctx)


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "gesprek",
            "De vijf stappen voor een gesprek over eenzaamheid; "
            "gesprek verslag legt een gesprek vast (privé).",
            "gesprek verslag",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        gesprek,
    )
    router.button("gesprek.kaart", on_card)
    router.button("gesprek.tips", on_tips)
    router.button("gesprek.weerstand", on_weerstand)
    router.button("gesprek.meerweten", on_more)
    router.button("gesprek.verslag", on_record)
