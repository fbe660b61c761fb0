"""The conversation card of Movisie for volunteers, in their DM: helping thoughts (`gedachte`), the
five steps (`gesprek`), the record (`gesprek verslag`), the terugblik and the agreed steps
(`acties`, `gesprekken`)."""

from bot.core.router import Router
from bot.tools.gesprek import acties, gedachte, gesprek, gesprekken, terugblik, verslag


def register(router: Router) -> None:
    for module in (gedachte, gesprek, verslag, terugblik, acties, gesprekken):
        module.register(router)
