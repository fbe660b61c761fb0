"""Moving a flow on exactly once: a button pressed twice, or pressed after the answer was typed,
finds the flow already moved and changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.clock import iso
from bot.context import Ctx
from bot.router import Flow


@dataclass(frozen=True)
class Found:
    flow: Flow
    status: str


async def find(ctx: Ctx, flow_id: Any, kind: str) -> Found | None:
    """A flow of this user here by id (from a button's payload), whatever its status."""
    if not isinstance(flow_id, int):
        return None
    row = await ctx.db.one(
        "SELECT id, kind, step, data, status FROM flows WHERE id = ? AND user_id = ?"
        " AND conversation_id = ? AND kind = ?", (flow_id, ctx.user_id, ctx.conversation_id, kind))
    if row is None:
        return None
    return Found(Flow(row["id"], row["kind"], row["step"], json.loads(row["data"])), row["status"])


async def move(ctx: Ctx, flow: Flow, step: str, data: dict[str, Any] | None = None,
               status: str = "open") -> Flow | None:
    """From `flow.step` to `step` (or closed with `status`); None when it had already moved."""
    data = flow.data if data is None else data
    changed = await ctx.db.changes(
        "UPDATE flows SET step = ?, data = ?, status = ?, updated_at = ? WHERE id = ?"
        " AND step = ? AND status = 'open'",
        (step, json.dumps(data), status, iso(ctx.now()), flow.id, flow.step))
    return Flow(flow.id, flow.kind, step, data) if changed == 1 else None


class Moved(Exception):
    """The flow had already moved on: the surrounding transaction is rolled back."""


async def must_move(ctx: Ctx, flow: Flow, step: str, data: dict[str, Any] | None = None,
                    status: str = "open") -> Flow:
    moved = await move(ctx, flow, step, data, status)
    if moved is None:
        raise Moved
    return moved
