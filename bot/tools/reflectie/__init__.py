"""Reflecting alone, in a DM: the workbook's reflectors and instruments (`reflectie`,
`reflecties`) and the persoonlijk plan (`plan`)."""

from bot.core.router import Router
from bot.tools.reflectie import plan, reflectie


def register(router: Router) -> None:
    for module in (reflectie, plan):
        module.register(router)
