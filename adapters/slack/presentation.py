"""Where a reply appears in Slack, and the few Dutch sentences Slack itself makes necessary.

This is presentation, not product logic: the engine decides what is said; this table only says
whether an answer to a command typed in a channel is shown to everyone or only to the typist.
"""

from __future__ import annotations

from bot.core.replies import Audience

COMMAND = "/kletspot"

CHANNEL_AUDIENCE: dict[str, Audience] = {
    # engine command (or "command argument") -> who sees the answer in a channel
    "vraag": Audience.HERE,          # a drawn question is for the whole team
    "kletspot": Audience.HERE,       # session questions
    "stop": Audience.HERE,           # the session summary
    "noteer": Audience.HERE,         # a noted point belongs to the team
    "punten export": Audience.HERE,  # the document for a formal moment
    "punten": Audience.PRIVATE,      # the list is looked up, not announced
    "pot": Audience.PRIVATE,         # preparing the jar
    "coordinator": Audience.PRIVATE,
    "hulp": Audience.PRIVATE,
    "overzicht": Audience.PRIVATE,
    "antwoord": Audience.HERE,       # an answer to a question the bot asked the team
    "intervisie": Audience.HERE,     # an assignment or a dialoogsessie is for the whole team
    "acties team": Audience.HERE,
    "reflectie team": Audience.HERE,
    "stappenplan": Audience.HERE,
    "planning": Audience.PRIVATE,
}
UNLISTED = Audience.PRIVATE
"""Typos, unknown commands and commands this table does not know yet: only the typist sees them."""


def channel_audience(command: str, args: str, aliases: dict[str, str]) -> Audience:
    name = aliases.get(command, command)
    first = args.split(maxsplit=1)[0].lower() if args.split() else ""
    if first and f"{name} {first}" in CHANNEL_AUDIENCE:
        return CHANNEL_AUDIENCE[f"{name} {first}"]
    return CHANNEL_AUDIENCE.get(name, UNLISTED)


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
