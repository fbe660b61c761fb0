"""The few Dutch sentences Slack itself makes necessary. Who sees a reply is the engine's
decision (`Reply.audience`); the adapter only renders it."""

from __future__ import annotations

COMMAND = "/kletspot"

# --- adapter-level Dutch: only what Slack makes necessary --------------------------------------

ANSWER_IN_CHANNEL = (
    f"In een kanaal lees ik geen gewone berichten: antwoord met `{COMMAND} antwoord <je tekst>`."
)
"""Shown under a question the engine asks (expects_text) in a channel."""

HOW_TO_TYPE = (
    f"In Slack typ je elk commando na `{COMMAND}`, bv. `{COMMAND} vraag groen`. In je "
    "privégesprek met Kletspot mag het ook zonder."
)
"""Under the help text: the engine names its commands without the slash command."""

ATTACHMENT_HEADER = "📄 {filename}"
"""Above a document the engine attaches; the content follows in a code block."""
