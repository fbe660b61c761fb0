"""`herinneringen`: a user's own reminders, with snooze and cancel; the default reminder message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Button, Reply, Span, b, i, say
from bot.core.router import CommandInfo, Router
from bot.core.storage import Read
from bot.text.moments import say_moment, say_weekly
from bot.timed.herinneringen import Herinnering, Herinneringen, dm_buttons, timed_work
from bot.timed.schedule import Weekly

SNOOZES = {"dag": timedelta(days=1), "week": timedelta(weeks=1)}


def describe(reminder: Herinnering) -> str:
    if reminder.recurrence is None:
        return "eenmalig"
    return say_weekly(Weekly.decode(reminder.recurrence, reminder.timezone))


async def reminder_buttons(deps: Deps, reminder: Herinnering) -> list[Button]:
    """Snooze and stop, bound to the user's DM; none when that DM is not known yet."""
    if reminder.recurrence is not None:
        choice = ("Stop deze herinnering", "reminder.cancel", {"r": reminder.id})
    else:
        choice = ("Morgen opnieuw", "reminder.again", {"r": reminder.id})
    return await dm_buttons(deps, reminder, [choice])


async def render_text(deps: Deps, reminder: Herinnering) -> Reply:
    return say(b("⏰ Herinnering\n"), reminder.text, buttons=await reminder_buttons(deps, reminder))


async def herinneringen(ctx: Ctx, args: str) -> list[Reply]:
    reminders = await Herinneringen(ctx.db).of_user(ctx.user_id)
    audience = Audience.PRIVATE if ctx.is_group else Audience.HERE
    if not reminders:
        return [say("Je hebt geen lopende herinneringen.", audience=audience)]
    parts: list[str | Span] = [b(f"Je herinneringen ({len(reminders)})")]
    row_buttons: list[Button] = []
    for n, reminder in enumerate(reminders, start=1):
        parts += [
            f"\n{n}. ",
            reminder.text[:200],
            i(
                f" (volgende: {say_moment(reminder.due_at, reminder.timezone, ctx.now())}, {describe(reminder)})"
            ),
        ]
        for label, kind, payload in (
            (f"{n}: 1 dag later", "reminder.snooze", {"d": "dag"}),
            (f"{n}: 1 week later", "reminder.snooze", {"d": "week"}),
            (f"{n}: annuleer", "reminder.cancel", {}),
        ):
            row_buttons.append(
                await ctx.button(label, kind, {"r": reminder.id, **payload}, personal=True)
            )
    return [say(*parts, buttons=row_buttons, audience=audience)]


async def _own(ctx: Ctx, payload: dict[str, Any], status: str = "active") -> Herinnering | None:
    reminder_id = payload.get("r")
    if not isinstance(reminder_id, int):
        return None
    reminder = await Herinneringen(ctx.db).get(reminder_id)
    if reminder is None or reminder.user_id != ctx.user_id or reminder.status != status:
        return None
    return reminder


async def on_snooze(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    reminder = await _own(ctx, payload)
    delta = SNOOZES.get(str(payload.get("d")))
    if reminder is None or delta is None:
        return [say("Deze herinnering bestaat niet meer. Typ herinneringen voor je lijst.")]
    due = await Herinneringen(ctx.db).snooze(reminder, delta)
    return [say(f"Uitgesteld tot {say_moment(due, reminder.timezone, ctx.now())}.")]


async def on_again(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """A one-off reminder that arrived at a bad moment comes back tomorrow at the same hour."""
    reminder = await _own(ctx, payload, status="done")
    if reminder is None:
        return [say("Deze herinnering staat al opnieuw gepland of bestaat niet meer.")]
    due = await Herinneringen(ctx.db).reactivate(reminder, ctx.now() + timedelta(days=1))
    return [
        say(f"Ik herinner je er opnieuw aan op {say_moment(due, reminder.timezone, ctx.now())}.")
    ]


async def on_cancel(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    reminder = await _own(ctx, payload)
    if reminder is None:
        return [say("Deze herinnering is al gestopt.")]
    await Herinneringen(ctx.db).set_status(reminder.id, "cancelled")
    return [say("De herinnering is gestopt: ", i(reminder.text[:200]))]


def home_read(ctx: Ctx) -> Read[list[Herinnering]] | None:
    """Reminder texts can hold a plan's goal or a helping thought: only on one's own page."""
    return None if ctx.is_group else Herinneringen.active_of(ctx.user_id)


async def home_lines(ctx: Ctx, active: list[Herinnering]) -> list[str | Span]:
    reminders = active[:5]
    if not reminders:
        return []
    parts: list[str | Span] = [b("Je volgende herinneringen")]
    for reminder in reminders:
        parts += [
            "\n• ",
            f"{say_moment(reminder.due_at, reminder.timezone, ctx.now())}: ",
            reminder.text[:120],
        ]
    return parts


def register(router: Router) -> None:
    router.home(home_read, home_lines)
    router.command(
        CommandInfo(
            "herinneringen",
            "Je herinneringen: uitstellen of stoppen.",
            "herinneringen",
            in_group=Audience.QUIET,
        ),
        herinneringen,
    )
    router.button("reminder.snooze", on_snooze)
    router.button("reminder.cancel", on_cancel)
    router.button("reminder.again", on_again)
    router.reminder("tekst", render_text)
    router.timed(timed_work(router.reminders))

    def export(deps: Deps, reminders: list[dict[str, Any]]) -> dict[str, Any]:
        return {"herinneringen": reminders}

    async def erase(deps: Deps, user_id: int) -> None:
        await Herinneringen(deps.db).erase_of(user_id)

    router.personal("herinneringen", Herinneringen.export_of, export, erase)
