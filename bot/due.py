"""Claiming what is due: each weekly nudge and reminder occurrence is claimed, rendered and
stored in one transaction, then handed to the scheduler's sender."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from bot.clock import iso
from bot.context import Deps
from bot.logsafe import failure
from bot.replies import Outgoing, Target
from bot.router import Router
from bot.services.deliveries import Deliveries
from bot.services.plans import Plan, Plans
from bot.services.reminders import Reminder, Reminders

log = logging.getLogger(__name__)

BATCH = 500
"""Due rows are read in batches; each claimed one moves past now, so the next batch is fresh."""


async def claim_due(deps: Deps, router: Router, grace: timedelta) -> AsyncIterator[Outgoing]:
    """Yields each occurrence as soon as it is claimed, so sending overlaps with claiming."""
    now = deps.clock.now()
    broken: set[int] = set()
    while plans := [p for p in await Plans(deps.db).due(now, BATCH + len(broken))
                    if p.conversation_id not in broken]:
        for plan in plans:
            try:
                claimed = await _claim_plan(deps, router, plan, now, grace)
            except Exception as exc:
                broken.add(plan.conversation_id)
                await _give_up(deps, "nudge", plan.conversation_id, plan.next_at, now, exc)
                continue
            for outgoing in claimed:
                yield outgoing
    broken.clear()
    while reminders := [r for r in await Reminders(deps.db).due(now, BATCH + len(broken))
                        if r.id not in broken]:
        for reminder in reminders:
            try:
                outgoing = await _claim_reminder(deps, router, reminder, now, grace)
            except Exception as exc:
                broken.add(reminder.id)
                await _give_up(deps, "reminder", reminder.id, reminder.due_at, now, exc)
                continue
            if outgoing is not None:
                yield outgoing


async def _give_up(deps: Deps, kind: str, ref_id: int, occurrence: datetime | None,
                   now: datetime, exc: Exception) -> None:
    """An occurrence that cannot even be rendered is recorded as failed (shown in `planning`)
    and leaves the others alone; the next occurrence is tried as usual."""
    log.error("%s could not be prepared: ref=%d error=%s", kind, ref_id, failure(exc))
    if occurrence is None:
        return
    try:
        async with deps.db.transaction():
            await Deliveries(deps.db).record(f"{kind}:{ref_id}:{iso(occurrence)}", kind, ref_id,
                                             iso(occurrence), "failed", type(exc).__name__,
                                             iso(now))
            if kind == "nudge":
                plan = await Plans(deps.db).get(ref_id)
                if plan is not None:
                    await Plans(deps.db).advance(plan, occurrence)
            else:
                reminder = await Reminders(deps.db).get(ref_id)
                if reminder is not None:
                    await Reminders(deps.db).advance(reminder)
    except Exception as again:
        log.error("%s could not be recorded as failed: ref=%d error=%s", kind, ref_id,
                  failure(again))


async def _conversation(deps: Deps, conversation_id: int) -> tuple[Target, bool] | None:
    row = await deps.db.one(
        "SELECT platform, workspace_id, external_id, active FROM conversations WHERE id = ?",
        (conversation_id,))
    if row is None:
        return None
    return Target(row["platform"], row["workspace_id"], conversation_id=row["external_id"]), bool(
        row["active"])


async def _claim_plan(deps: Deps, router: Router, plan: Plan, now: datetime,
                      grace: timedelta) -> list[Outgoing]:
    found = await _conversation(deps, plan.conversation_id)
    deliveries, plans = Deliveries(deps.db), Plans(deps.db)
    out: list[Outgoing] = []
    while plan.next_at is not None and plan.next_at <= now:
        occurrence = plan.next_at
        key = f"nudge:{plan.conversation_id}:{iso(occurrence)}"
        async with deps.db.transaction():
            skip = _skip_reason(now, occurrence, grace, found)
            if skip:
                await deliveries.record(key, "nudge", plan.conversation_id, iso(occurrence),
                                        "skipped", skip, iso(now))
                log.info("nudge skipped: conversation=%d reason=%s", plan.conversation_id, skip)
            elif found and await deliveries.claim(key, "nudge", plan.conversation_id,
                                                  iso(occurrence), iso(now)):
                kind = router.nudges.get(plan.content) or router.nudges["vraag"]
                reply = await kind.render(deps, plan.conversation_id)
                outgoing = Outgoing(found[0], reply, key)
                await deliveries.attach(key, outgoing)
                out.append(outgoing)
            plan = await plans.advance(plan, occurrence)
    return out


def _skip_reason(now: datetime, occurrence: datetime, grace: timedelta,
                 found: tuple[Target, bool] | None) -> str:
    if now - occurrence > grace:
        return "te laat (de bot stond uit)"
    if found is None or not found[1]:
        return "gesprek niet actief"
    return ""


async def _claim_reminder(deps: Deps, router: Router, reminder: Reminder, now: datetime,
                          grace: timedelta) -> Outgoing | None:
    user = await deps.db.one("SELECT platform, workspace_id, external_id FROM users WHERE id = ?",
                             (reminder.user_id,))
    dm, dm_active = None, True
    if reminder.conversation_id is not None:
        row = await deps.db.one("SELECT external_id, active FROM conversations WHERE id = ?",
                                (reminder.conversation_id,))
        if row is not None:
            dm, dm_active = row["external_id"], bool(row["active"])
    deliveries, reminders = Deliveries(deps.db), Reminders(deps.db)
    key = f"reminder:{reminder.id}:{iso(reminder.due_at)}"
    outgoing = None
    async with deps.db.transaction():
        late = now - reminder.due_at > grace
        if user is None or late or not dm_active:
            reason = "te laat (de bot stond uit)" if late else "gesprek niet actief"
            await deliveries.record(key, "reminder", reminder.id, iso(reminder.due_at), "skipped",
                                    reason, iso(now))
            log.info("reminder skipped: id=%d", reminder.id)
        elif await deliveries.claim(key, "reminder", reminder.id, iso(reminder.due_at), iso(now)):
            render = router.reminders.get(reminder.kind) or router.reminders["tekst"]
            reply = await render(deps, reminder)
            target = Target(user["platform"], user["workspace_id"], conversation_id=dm,
                            user_id=user["external_id"])
            outgoing = Outgoing(target, reply, key)
            await deliveries.attach(key, outgoing)
        await reminders.advance(reminder)
    return outgoing
