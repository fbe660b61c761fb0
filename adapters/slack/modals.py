"""Modals: where Slack lets someone type to the bot in a channel.

In a channel the bot does not read plain messages, so a question of the engine (`expects_text`)
opens a modal (views.open with the interaction's trigger_id); its submission reaches the engine
as an `Answer`. The message shortcut "Bewaar als aanknopingspunt" opens one prefilled with the
message, submitted as a `Keep`. A reply with a `Form` (the planning, a team action and its
outcome, the stappenplan checklist) opens as a modal of native elements, whose submission is
the engine's `FormSubmitted`. Shapes follow the Block Kit reference and bolt-python's
tests/scenario_tests_async/test_view_submission.py (view_submission) and test_shortcut.py
(message_action).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.limits import (
    BLOCK_ID_MAX,
    INPUT_LABEL_MAX,
    INPUT_MAX,
    METADATA_MAX,
    MODAL_BLOCKS,
    OPTION_TEXT_MAX,
    OPTION_VALUE_MAX,
    OPTIONS_PER_CHECKBOXES,
    OPTIONS_PER_SELECT,
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
from bot.core.replies import Choice, Field, FieldKind, Form, Reply

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


FORM = "kletspot.formulier"
"""callback_id of a modal that shows an engine `Form`."""
FIELD_ACTION = "v"


def _option(choice: Choice) -> dict[str, Any]:
    return {
        "text": _plain(choice.label, OPTION_TEXT_MAX),
        "value": choice.value[:OPTION_VALUE_MAX],
    }


def _element(field: Field) -> dict[str, Any]:
    """The native element for a field (Block Kit: plain_text_input, datepicker, timepicker,
    static_select, checkboxes or multi_static_select, users_select)."""
    kind = field.kind
    first = field.initial[0] if field.initial else ""
    if kind is FieldKind.DATE:
        element: dict[str, Any] = {"type": "datepicker"}
        if first:
            element["initial_date"] = first
    elif kind is FieldKind.TIME:
        element = {"type": "timepicker"}
        if first:
            element["initial_time"] = first
    elif kind is FieldKind.CHOICE:
        options = [_option(c) for c in field.choices[:OPTIONS_PER_SELECT]]
        element = {"type": "static_select", "options": options}
        chosen = [o for o in options if o["value"] == first]
        if chosen:
            element["initial_option"] = chosen[0]
    elif kind is FieldKind.CHECKS:
        many = len(field.choices) > OPTIONS_PER_CHECKBOXES
        options = [_option(c) for c in field.choices[:OPTIONS_PER_SELECT]]
        element = {"type": "multi_static_select" if many else "checkboxes", "options": options}
        ticked = [o for o in options if o["value"] in field.initial]
        if ticked:
            element["initial_options"] = ticked
    elif kind is FieldKind.MEMBER:
        element = {"type": "users_select"}
    else:
        limit = min(field.max_length or INPUT_MAX, INPUT_MAX)
        element = {"type": "plain_text_input", "multiline": field.multiline, "max_length": limit}
        if first:
            element["initial_value"] = truncate(first, limit)
    element["action_id"] = FIELD_ACTION
    return element


def form_view(token: str, form: Form) -> dict[str, Any]:
    """An engine form as a modal: its intro above one input block per field (block_id: the
    field's name), each optional where the engine says so."""
    blocks: list[Block] = []
    if form.intro:
        blocks += [section(chunk) for chunk in split_text(mrkdwn(form.intro), SECTION_MAX)]
    inputs: list[Block] = []
    for field in form.fields:
        block: Block = {
            "type": "input",
            "block_id": field.name[:BLOCK_ID_MAX],
            "label": _plain(field.label, INPUT_LABEL_MAX),
            "element": _element(field),
            "optional": not field.required,
        }
        if field.hint:
            block["hint"] = _plain(field.hint, INPUT_LABEL_MAX)
        inputs.append(block)
    blocks = blocks[: MODAL_BLOCKS - len(inputs)] + inputs
    return _view(FORM, form.title, form.submit, token, blocks)


def _one_value(value: dict[str, Any]) -> tuple[str, ...]:
    """What Slack sends for one element in view.state.values (bolt-js src/types/view/index.ts,
    ViewStateValue: value, selected_date, selected_time, selected_user, selected_option,
    selected_options). A member is given as the engine reads a mention: @U123."""
    kind = value.get("type")
    if kind == "datepicker":
        raw: Any = value.get("selected_date")
    elif kind == "timepicker":
        raw = value.get("selected_time")
    elif kind == "users_select":
        user = value.get("selected_user")
        raw = f"@{user}" if isinstance(user, str) and user else None
    elif kind == "static_select":
        raw = (value.get("selected_option") or {}).get("value")
    elif kind in ("checkboxes", "multi_static_select"):
        options = value.get("selected_options") or []
        return tuple(
            o["value"] for o in options if isinstance(o, dict) and isinstance(o.get("value"), str)
        )
    else:
        raw = value.get("value")
    return (raw,) if isinstance(raw, str) and raw else ()


def submitted_values(
    view: dict[str, Any], form_fields: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Every field's values by name, from the view's state; a field the view lacks is empty."""
    state = ((view.get("state") or {}).get("values")) or {}
    out: dict[str, tuple[str, ...]] = {}
    for name in form_fields:
        block = state.get(name) if isinstance(state, dict) else None
        value = block.get(FIELD_ACTION) if isinstance(block, dict) else None
        out[name] = _one_value(value) if isinstance(value, dict) else ()
    return out


def field_names(view: dict[str, Any]) -> list[str]:
    """The input blocks of a submitted view: the fields of the form it showed."""
    return [
        str(b["block_id"])
        for b in view.get("blocks") or []
        if isinstance(b, dict) and b.get("type") == "input" and isinstance(b.get("block_id"), str)
    ]


def errors(by_field: dict[str, str]) -> dict[str, Any]:
    """`response_action: errors` on the named fields."""
    return {"response_action": "errors", "errors": by_field}


def error(message: str) -> dict[str, Any]:
    """`response_action: errors`: the message shown under the field."""
    return {"response_action": "errors", "errors": {INPUT_BLOCK: message}}


__all__ = [
    "ANSWER",
    "ANSWER_BUTTON",
    "FORM",
    "errors",
    "field_names",
    "form_view",
    "submitted_values",
    "SHORTCUT",
    "answer_view",
    "error",
    "shortcut_view",
    "submitted_text",
]
