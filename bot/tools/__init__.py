"""The practice tools, one package each. Each package's `register()` puts its commands, buttons,
text flows, timed work and personal data on the router; the order here is the order of `hulp`."""

from bot.core.router import Router
from bot.tools import algemeen, gesprek, intervisie, kletspot, reflectie

PACKAGES = (kletspot, gesprek, reflectie, intervisie, algemeen)


def register(router: Router) -> None:
    for package in PACKAGES:
        package.register(router)
