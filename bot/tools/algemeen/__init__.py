"""What every tool leans on: the weekly post (`planning`), reminders (`herinneringen`),
coordinators, safety (`hulp nu`), a person's own data, answering in channels (`antwoord`), the
first meeting (`start`), the start page (`overzicht`) and `hulp`, registered last so it lists everything."""

from bot.core.router import Router
from bot.tools.algemeen import (
    antwoord,
    bronnen,
    coordinator,
    herinneringen,
    hulp,
    overzicht,
    planning,
    privacy,
    start,
    veiligheid,
)


def register(router: Router) -> None:
    for module in (
        planning,
        herinneringen,
        coordinator,
        veiligheid,
        privacy,
        antwoord,
        start,
        overzicht,
        bronnen,
        hulp,
    ):
        module.register(router)
