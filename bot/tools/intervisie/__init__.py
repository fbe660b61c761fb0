"""Working as a team: intervision assignments and the dialoogsessie (`intervisie`), the team's
actions (`acties team`), the reflection fronts (`reflectie team`) and the 7-step plan
(`stappenplan`) and the team's verwijskaart (`verwijskaart`)."""

from bot.core.replies import Audience
from bot.core.router import CommandInfo, Router
from bot.tools.intervisie import (
    dialoogsessie,
    intervisie,
    reflectie_team,
    stappenplan,
    teamacties,
    verwijskaart,
)


def register(router: Router) -> None:
    for module in (
        intervisie,
        dialoogsessie,
        teamacties,
        reflectie_team,
        stappenplan,
        verwijskaart,
    ):
        module.register(router)
    router.explain(
        CommandInfo(
            "acties team",
            "De afspraken van het team: wie doet wat tegen wanneer, en hoe het ermee "
            "staat. Coördinatoren voegen een actie toe, stap voor stap of in één regel.",
            "acties team nieuw Buurthuis bellen @sam volgende vrijdag",
            in_group=Audience.HERE,
        )
    )
