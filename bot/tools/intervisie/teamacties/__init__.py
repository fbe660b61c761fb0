"""`acties team`: the actions a team agreed (Actie / Actie-eigenaar / Tijdsplanning), the
owner's reminder before the date, and the revisit at the next meeting (reflectieve integratie)
with a button per action, so agreements come back instead of fading.

This module reads the command's words and registers the handlers; the work lives beside it:
`nieuw` (adding, as a form or step by step) and `een_regel` (adding in one line), `status` (how
an action stands, its outcome, taking it off), `terugblik` (the revisit and the reminder),
`overzicht` (the list, the export, the start page) and `gegevens` (mijngegevens, vergeetmij);
`shared` holds what several of them use."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, i, say
from bot.core.router import Router
from bot.text.dutch import fold
from bot.tools.intervisie.shared import in_group_only
from bot.tools.intervisie.teamacties.een_regel import add_in_one_line, on_outside
from bot.tools.intervisie.teamacties.gegevens import personal_erase, personal_export, personal_read
from bot.tools.intervisie.teamacties.nieuw import (
    FLOW_NEW,
    FORM_NEW,
    FORM_NEW_FIELDS,
    on_new_back,
    on_new_form,
    on_new_text,
    on_who,
)
from bot.tools.intervisie.teamacties.overzicht import (
    export,
    export_pdf,
    home_card,
    home_read,
    listing,
    own_listing,
)
from bot.tools.intervisie.teamacties.shared import REMINDER_KIND, USAGE
from bot.tools.intervisie.teamacties.status import (
    FLOW_OUTCOME,
    FORM_OUTCOME,
    ask_outcome,
    mark,
    numbered,
    on_mark,
    on_outcome_button,
    on_outcome_form,
    on_outcome_text,
    remove,
    save_outcome,
)
from bot.tools.intervisie.teamacties.terugblik import REVISITS, render_reminder

MARK_WORDS = {
    "gedaan": "gedaan",
    "klaar": "gedaan",
    "bezig": "bezig",
    "geschrapt": "geschrapt",
    "schrap": "geschrapt",
    "open": "open",
}


async def acties_team(ctx: Ctx, args: str) -> list[Reply]:
    head, _, rest = args.strip().partition(" ")
    head = fold(head)
    if not ctx.is_group:
        if head in ("", "mijn"):
            return [await own_listing(ctx)]
        return [in_group_only("De actielijst van het team bijhouden")]
    if not head:
        return [await listing(ctx)]
    if head == "export":
        return [await export(ctx), await export_pdf(ctx)]
    if head in ("nieuw", "toevoegen"):
        return [await add_in_one_line(ctx, rest)]
    if head in ("weg", "verwijder"):
        return [await remove(ctx, rest)]
    if head in MARK_WORDS or head == "uitkomst":
        action = await numbered(ctx, rest)
        if isinstance(action, Reply):
            return [action]
        if head in MARK_WORDS:
            return [await mark(ctx, action, MARK_WORDS[head])]
        text = rest.strip().partition(" ")[2]
        if not text.strip():
            return [await ask_outcome(ctx, action)]
        return [(await save_outcome(ctx, action, text))[0]]
    return [say("Dat begrijp ik niet. ", i(USAGE))]


def register(router: Router) -> None:
    router.subcommand("acties", "team", acties_team, in_group=Audience.HERE)
    router.text_flow(
        FLOW_NEW,
        on_new_text,
        label="de nieuwe teamactie",
        resume="acties team nieuw",
        back=on_new_back,
    )
    router.text_flow(
        FLOW_OUTCOME,
        on_outcome_text,
        label="de uitkomst van de actie",
        resume="acties team",
        keeps_answers=False,
    )
    router.form(FORM_NEW, on_new_form, FORM_NEW_FIELDS)
    router.form(FORM_OUTCOME, on_outcome_form, {"uitkomst": True})
    router.button("teamactie.status", on_mark)
    router.button("teamactie.uitkomst.vraag", on_outcome_button)
    router.button("teamactie.wie", on_who)
    router.button("teamactie.buiten", on_outside)
    router.reminder(REMINDER_KIND, render_reminder)
    router.timed(REVISITS)
    router.personal("teamacties", personal_read, personal_export, personal_erase)
    router.home(home_read, home_card)
