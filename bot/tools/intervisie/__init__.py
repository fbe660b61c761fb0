"""Working as a team: intervision assignments and the dialoogsessie (`intervisie`), the team's
actions (`acties team`), the reflection fronts (`reflectie team`) and the 7-step plan
(`stappenplan`)."""

from bot.core.router import Router
from bot.tools.intervisie import dialoogsessie, intervisie, reflectie_team, stappenplan, teamacties


def register(router: Router) -> None:
    for module in (intervisie, dialoogsessie, teamacties, reflectie_team, stappenplan):
        module.register(router)
