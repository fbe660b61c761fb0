"""The few Dutch sentences Slack itself makes necessary. Who sees a reply is the engine's
decision (`Reply.audience`); the adapter only renders it."""

from __future__ import annotations

COMMAND = "/kletspot"

# --- adapter-level Dutch: only what Slack makes necessary --------------------------------------

ANSWER_IN_CHANNEL = (
    f"In een kanaal lees ik geen gewone berichten: druk op Antwoorden, of typ "
    f"`{COMMAND} antwoord <je tekst>`."
)
"""Shown under a question the engine asks (expects_text) in a channel, above the button."""
ANSWER_BUTTON_LABEL = "Antwoorden"

# --- modals -----------------------------------------------------------------------------------

ANSWER_TITLE = "Kletspot"
ANSWER_SUBMIT = "Versturen"
ANSWER_LABEL = "Je antwoord"
ANSWER_PLACEHOLDER = "Typ hier"
CANCEL = "Annuleren"
SHORTCUT_TITLE = "Aanknopingspunt"
SHORTCUT_SUBMIT = "Bewaren"
SHORTCUT_LABEL = "Aanknopingspunt"
SHORTCUT_INTRO = (
    "Dit bericht van {author} komt bij de aanknopingspunten van dit kanaal. "
    "Pas de tekst gerust aan voor je bewaart."
)
SHORTCUT_CUT = "Het bericht was langer dan {limit} tekens; het is ingekort."
SHORTCUT_NO_TEXT = "Dit bericht heeft geen tekst om als aanknopingspunt te bewaren."

EMPTY_ANSWER = "Schrijf eerst iets in het veld."
TOO_LONG = "Dat is te lang ({size} tekens): houd het onder {limit} tekens."
UNKNOWN_MODAL = (
    "Dit venster hoort niet (meer) bij een vraag van Kletspot. Sluit het en druk "
    "opnieuw op de knop."
)
STALE_MODAL = (
    "Dit venster stond te lang open. Sluit het en druk opnieuw op de knop; wat je "
    "typte, kan je eerst kopiëren."
)
FOREIGN_MODAL = "Dit venster is voor iemand anders geopend."
USED_MODAL = "Dit venster is al verstuurd."
MODAL_FAILED = (
    "Het venster om te antwoorden ging niet open. Probeer opnieuw, of typ "
    f"`{COMMAND} antwoord <je tekst>`."
)
"""Shown in the channel when views.open fails (an expired trigger_id, Slack unreachable)."""

HOW_TO_TYPE = (
    f"In Slack typ je elk commando na `{COMMAND}`, bv. `{COMMAND} vraag groen`. In je "
    "privégesprek met Kletspot mag het ook zonder."
)
"""Under the help text: the engine names its commands without the slash command."""

ATTACHMENT_HEADER = "📄 {filename}"
"""Above a document the engine attaches; the content follows in a code block."""
