"""Modals: where Slack lets someone type to the bot in a channel.

In a channel the bot does not read plain messages, so a question of the engine (`expects_text`)
opens a modal (views.open with the interaction's trigger_id); its submission becomes the same
answer `/kletspot antwoord <tekst>` gives. The message shortcut "Bewaar als aanknopingspunt"
opens one prefilled with the message. Shapes follow the Block Kit reference and bolt-python's
tests/scenario_tests_async/test_view_submission.py (view_submission) and test_shortcut.py
(message_action).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.limits import (
    INPUT_MAX,
    METADATA_MAX,
    MODAL_BLOCKS,
    SECTION_MAX,
    VIEW_TITLE_MAX,
    split_text,
    truncate,
)
from adapters.slack.presentation import (
    ANSWER_LABEL,
    ANSWER_PLACEHOLDER,
    ANSWER_SUBMIT,
    ANSWER_TITLE,
    CANCEL,
    SHORTCUT_CUT,
    SHORTCUT_INTRO,
    SHORTCUT_LABEL,
    SHORTCUT_SUBMIT,
    SHORTCUT_TITLE,
)
from adapters.slack.render import ANSWER_BUTTON, Block, context, mrkdwn, section
from bot.core.replies import Reply

ANSWER = "kletspot.antwoord"
"""callback_id of the answer modal."""
SHORTCUT = "kletspot.bewaar"
"""callback_id of the message shortcut and of its modal (manifest.yaml: shortcuts)."""
INPUT_BLOCK = "tekst"
INPUT_ACTION = "waarde"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def _input(label: str, initial: str | None = None) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "multiline": True,
        "max_length": INPUT_MAX,
        "placeholder": _plain(ANSWER_PLACEHOLDER, 150),
    }
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": INPUT_BLOCK,
        "label": _plain(label, 2000),
        "element": element,
    }


def _view(
    callback_id: str, title: str, submit: str, token: str, blocks: Sequence[Block]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title, VIEW_TITLE_MAX),
        "submit": _plain(submit, VIEW_TITLE_MAX),
        "close": _plain(CANCEL, VIEW_TITLE_MAX),
        "private_metadata": token[:METADATA_MAX],
        "blocks": list(blocks)[:MODAL_BLOCKS],
    }


def answer_view(token: str, question: Reply | None) -> dict[str, Any]:
    """The engine's question above one text field (the question is shown once, in the modal,
    when the modal replaces the "only for you" message)."""
    blocks: list[Block] = []
    if question is not None:
        blocks += [section(chunk) for chunk in split_text(mrkdwn(question.text), SECTION_MAX)]
    blocks = blocks[: MODAL_BLOCKS - 1] + [_input(ANSWER_LABEL)]
    return _view(ANSWER, ANSWER_TITLE, ANSWER_SUBMIT, token, blocks)


def shortcut_view(token: str, text: str, author_name: str | None) -> dict[str, Any]:
    cut = len(text) > INPUT_MAX
    initial = truncate(text, INPUT_MAX) if cut else text
    intro = SHORTCUT_INTRO.format(author=author_name or "onbekend")
    blocks: list[Block] = [context(intro)]
    if cut:
        blocks.append(context(SHORTCUT_CUT.format(limit=INPUT_MAX)))
    blocks.append(_input(SHORTCUT_LABEL, initial or None))
    return _view(SHORTCUT, SHORTCUT_TITLE, SHORTCUT_SUBMIT, token, blocks)


def submitted_text(view: dict[str, Any]) -> str | None:
    """The value typed in the modal's field, or None when the view has no such field."""
    values = ((view.get("state") or {}).get("values") or {}).get(INPUT_BLOCK)
    if not isinstance(values, dict):
        return None
    field = values.get(INPUT_ACTION)
    if not isinstance(field, dict):
        return None
    value = field.get("value")
    return value if isinstance(value, str) else ""


def error(message: str) -> dict[str, Any]:
    """`response_action: errors`: the message shown under the field."""
    return {"response_action": "errors", "errors": {INPUT_BLOCK: message}}


__all__ = [
    "ANSWER",
    "ANSWER_BUTTON",
    "SHORTCUT",
    "answer_view",
    "error",
    "shortcut_view",
    "submitted_text",
]
