"""The question jar of Resokit: drawing (`vraag`), preparing the pot (`pot`), timed sessions
(`kletspot`, `stop`) and the aanknopingspunten a team keeps (`noteer`, `punten`)."""

from bot.core.router import Router
from bot.tools.kletspot import kletspot, punten, vraag


def register(router: Router) -> None:
    for module in (vraag, kletspot, punten):
        module.register(router)
