"""`/healthz` and `/metrics` over HTTP (aiohttp): on the Telegram webhook port, on
KLETSPOT_HEALTH_PORT when it is set (also with long polling), and for any other platform's web
server through `add_routes(app)`."""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.core.health import HEALTH, Health
from bot.core.metrics import exposition

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def add_routes(app: web.Application, health: Health = HEALTH) -> None:
    """Mount GET /healthz (200 or 503 with a small JSON) and GET /metrics (Prometheus text)."""

    async def healthz(request: web.Request) -> web.Response:
        ok, parts = await health.check()
        return web.Response(
            status=200 if ok else 503, text=json.dumps(parts), content_type="application/json"
        )

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(body=exposition(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


class HealthServer:
    """A small server of its own, for KLETSPOT_HEALTH_PORT."""

    def __init__(self, port: int, listen: str = "0.0.0.0", health: Health = HEALTH) -> None:
        self.port = port
        self._listen = listen
        self._health = health
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        add_routes(app, self._health)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._listen, self.port)
        await site.start()
        if self.port == 0:
            sockets = getattr(site._server, "sockets", None)  # noqa: SLF001 - ephemeral port
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
        log.info("health and metrics listening: port=%s", self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
