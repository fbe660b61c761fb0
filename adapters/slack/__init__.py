"""Slack: the whole engine through `/kletspot`, Block Kit buttons, the Messages tab and App Home.

Start with `runner.serve(engine, env, stop, on_ready)`; see README.md in this folder.
"""

from adapters.slack.outbound import SlackDeliverer
from adapters.slack.runner import (
    PLATFORM,
    SlackAdapter,
    SlackConfigError,
    SlackSettings,
    configured,
    serve,
)

__all__ = [
    "PLATFORM",
    "SlackAdapter",
    "SlackConfigError",
    "SlackDeliverer",
    "SlackSettings",
    "configured",
    "serve",
]
