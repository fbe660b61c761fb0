"""A person's part in the team's work for mijngegevens and vergeetmij: the actions they own and
the cases they brought in; forgetting them leaves the team its actions and cases."""

from __future__ import annotations

from typing import Any

from bot.core.clock import iso
from bot.core.context import Deps
from bot.core.storage import Reads
from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten
from bot.tools.intervisie.store.dialoogsessies import Dialoog, Dialoogsessies
from bot.tools.intervisie.store.teamacties import Teamactie, Teamacties
from bot.tools.intervisie.store.voortgang import Voortgang
from bot.tools.intervisie.teamacties.shared import STATUS_WORDS, TEAM


def personal_read(
    user_id: int,
) -> Reads[tuple[list[tuple[Teamactie, str | None]], list[tuple[Dialoog, str | None]]]]:
    """The actions a person owns and the cases they brought in, each with its group's title."""
    return Reads.pair(Teamacties.owned_by(user_id), Dialoogsessies.brought_by(user_id))


def personal_export(
    deps: Deps, found: tuple[list[tuple[Teamactie, str | None]], list[tuple[Dialoog, str | None]]]
) -> dict[str, Any]:
    actions, dialogues = found
    return {
        "acties": [
            {
                "groep": title or TEAM,
                "nummer": a.number,
                "actie": a.text,
                "tijdsplanning": a.due_date.isoformat(),
                "stand": STATUS_WORDS[a.status],
                "opgeleverd": a.outcome,
            }
            for a, title in actions
        ],
        "casussen": [
            {
                "groep": title or TEAM,
                "datum": iso(d.started_at),
                "casus": d.casus,
                "vraag": d.vraag,
                "meenemen": d.meenemen,
            }
            for d, title in dialogues
        ],
    }


async def personal_erase(deps: Deps, user_id: int) -> None:
    """The team keeps its actions and cases; the links to this person go."""
    await Teamacties(deps.db).forget_user(user_id)
    await Dialoogsessies(deps.db).forget_user(user_id)
    await Bijeenkomsten(deps.db).forget_user(user_id)
    await Voortgang(deps.db).forget_user(user_id)
