"""Forms as Slack modals of native elements: the engine's `Form` opened with views.open and the
interaction's trigger_id, checked against Block Kit's limits by the fake, submitted as Slack
sends a view_submission (view.state.values with selected_options, selected_date, selected_time,
selected_option, selected_user: bolt-js src/types/view/index.ts ViewStateValue, and bolt-python
tests/scenario_tests_async/test_view_submission.py for the payload around it) and stored; what
cannot be used comes back as `response_action: errors` on its field."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.store import MODAL_KEEP
from bot.core.engine import Engine
from bot.tools.algemeen.store.planningen import Planningen
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.fake_slack import view_problems
from tests.adapters.slack.helpers import all_text, button, buttons_of, text_of


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    [found] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return found


def option(view: dict[str, Any], block_id: str, value: str) -> dict[str, Any]:
    [found] = [o for o in block(view, block_id)["element"]["options"] if o["value"] == value]
    return dict(found)


def planning_state(
    view: dict[str, Any],
    days: list[str],
    at: str | None,
    pause: str | None = None,
    what: str = "vraag",
    holidays: str = "be",
    on: str = "aan",
) -> dict[str, Any]:
    """view.state.values as Slack sends it for the planning modal."""
    return {
        "dagen": {
            "v": {
                "type": "checkboxes",
                "selected_options": [option(view, "dagen", d) for d in days],
            }
        },
        "uur": {"v": {"type": "timepicker", "selected_time": at}},
        "wat": {"v": {"type": "static_select", "selected_option": option(view, "wat", what)}},
        "feestdagen": {
            "v": {
                "type": "static_select",
                "selected_option": option(view, "feestdagen", holidays),
            }
        },
        "pauze": {"v": {"type": "datepicker", "selected_date": pause}},
        "aan": {"v": {"type": "static_select", "selected_option": option(view, "aan", on)}},
    }


def errors_of(body: str) -> dict[str, str]:
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    return dict(answer["errors"])


async def test_planning_opens_as_a_modal_and_is_stored_like_the_buttons(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    await slack.command("planning")
    [opened] = fake.of("views.open")
    assert opened["trigger_id"].startswith("13345224609.")
    view = slack.last_view()
    assert view_problems(view) == []
    assert view["callback_id"] == "kletspot.formulier"
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {
        "dagen": "checkboxes",
        "uur": "timepicker",
        "wat": "static_select",
        "feestdagen": "static_select",
        "pauze": "datepicker",
        "aan": "static_select",
    }
    assert block(view, "uur")["element"]["initial_time"] == "12:00"
    assert [o["text"]["text"] for o in block(view, "dagen")["element"]["options"]][:2] == [
        "Maandag",
        "Dinsdag",
    ]
    assert not fake.of("chat.postEphemeral")  # the modal is the card

    # a required field left empty (Slack's client asks for it; a forged payload need not)
    status, body = await slack.submit(view, state=planning_state(view, ["0"], None))
    assert errors_of(body) == {"uur": "Vul dit in."}
    # a pause that already ended and no day ticked: each said on its field
    status, body = await slack.submit(
        view, state=planning_state(view, [], "09:30", pause="2026-02-27")
    )
    problems = errors_of(body)
    assert set(problems) == {"dagen", "pauze"}
    assert "minstens één dag" in problems["dagen"]
    assert "Die dag, vrijdag 27 februari, is al voorbij" in problems["pauze"]
    assert await Planningen(engine.db).get(1) is None

    # corrected, the same modal is sent again and stored as the one-line syntax stores it
    status, body = await slack.submit(
        view, state=planning_state(view, ["0", "3"], "09:30", pause="2026-03-15", holidays="nl")
    )
    assert (status, body) == (200, "")
    [plan] = [p for p in [await Planningen(engine.db).get(n) for n in (1, 2)] if p]
    assert plan.weekdays == (0, 3) and f"{plan.at:%H:%M}" == "09:30"
    assert plan.holidays == "nl" and plan.enabled and str(plan.paused_until) == "2026-03-15"
    card = fake.of("chat.postEphemeral")[-1]
    assert card["channel"] == "C1"
    said = text_of(card)
    assert "Bewaard: elke maandag en donderdag om 09:30." in said
    assert "Gepauzeerd tot en met zondag 15 maart" in said

    # sent a third time (a replay): refused on the field, nothing changes
    status, body = await slack.submit(view, state=planning_state(view, ["4"], "16:00"))
    assert "al verstuurd" in next(iter(errors_of(body).values()))


async def test_planning_modal_of_someone_else_or_a_member_is_refused(
    slack: Slack, engine: Engine
) -> None:
    await slack.command("planning")
    view = slack.last_view()
    status, body = await slack.submit(view, state=planning_state(view, ["1"], "10:00"), user="U2")
    assert "voor iemand anders geopend" in next(iter(errors_of(body).values()))
    forged = {**view, "private_metadata": view["private_metadata"].split(" ")[0] + " vervalst"}
    status, body = await slack.submit(forged, state=planning_state(view, ["1"], "10:00"))
    assert (status, body) == (200, "")
    assert "Dit formulier werkt niet meer" in text_of(slack.fake.posts()[-1])
    assert await Planningen(engine.db).get(1) is None

    # a member (not a coordinator) sees the card without a form: no modal, no change
    opened = len(slack.fake.of("views.open"))
    await slack.command("planning", user="U2", user_name="bob")
    assert len(slack.fake.of("views.open")) == opened
    assert "Alleen coördinatoren" in text_of(slack.fake.of("chat.postEphemeral")[-1])


def action_state(
    text: str, member: str | None = None, name: str | None = None, due: str | None = None
) -> dict[str, Any]:
    """view.state.values of the team-action modal: a plain_text_input, a users_select and a
    datepicker, as Slack sends them."""
    return {
        "tekst": {"v": {"type": "plain_text_input", "value": text}},
        "eigenaar": {"v": {"type": "users_select", "selected_user": member}},
        "naam": {"v": {"type": "plain_text_input", "value": name}},
        "datum": {"v": {"type": "datepicker", "selected_date": due}},
    }


async def actions(engine: Engine) -> list[tuple[str, str | None, str]]:
    rows = await engine.db.all(
        "SELECT t.text, COALESCE(u.display_name, t.owner_name), t.due_date FROM teamacties t"
        " LEFT JOIN users u ON u.id = t.owner_id ORDER BY t.id"
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def test_team_action_modal_with_a_member_or_a_name_outside(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    fake.user("U2", "Bob")
    await slack.command("vraag", user="U2", user_name="bob")  # Bob is known here
    await slack.command("acties team nieuw")
    view = slack.last_view()
    assert view_problems(view) == [] and view["callback_id"] == "kletspot.formulier"
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {
        "tekst": "plain_text_input",
        "eigenaar": "users_select",
        "naam": "plain_text_input",
        "datum": "datepicker",
    }
    assert block(view, "tekst")["optional"] is False and block(view, "naam")["optional"]

    status, body = await slack.submit(view, state=action_state("   ", due="2026-03-20"))
    assert errors_of(body) == {"tekst": "Vul dit in."}
    status, body = await slack.submit(view, state=action_state("Flyers", due="2026-02-01"))
    problems = errors_of(body)
    assert set(problems) == {"eigenaar", "datum"}
    assert (
        "Die dag, zondag 1 februari, is al voorbij" in problems["datum"]
        and "Kies wie het doet" in problems["eigenaar"]
    )
    status, body = await slack.submit(
        view, state=action_state("Flyers", member="U2", name="de wijkagent", due="2026-03-20")
    )
    assert "niet allebei" in errors_of(body)["naam"]
    status, body = await slack.submit(
        view, state=action_state("Flyers", member="U9", due="2026-03-20")
    )
    assert "niet als lid van dit gesprek" in errors_of(body)["eigenaar"]
    assert await actions(engine) == []

    status, body = await slack.submit(
        view, state=action_state("Flyers ophalen bij het buurthuis", member="U2", due="2026-03-20")
    )
    assert (status, body) == (200, "")
    posted = text_of(fake.of("chat.postMessage")[-1])
    assert "Actie 1 vastgelegd" in posted and "Actie-eigenaar: Bob" in posted
    assert await actions(engine) == [("Flyers ophalen bij het buurthuis", "Bob", "2026-03-20")]
    # the step-by-step entry the command also opened (for typed answers) is closed
    flows = await engine.db.all("SELECT status FROM flows WHERE kind = 'teamactie.nieuw'")
    assert [r[0] for r in flows] == ["done"]

    # an owner outside the chat, by name: the adder gets the reminder in their place
    await slack.command("acties team nieuw")
    second = slack.last_view()
    await slack.submit(
        second, state=action_state("Buurt verkennen", name="de wijkagent", due="2026-04-01")
    )
    posted = text_of(fake.of("chat.postMessage")[-1])
    assert "Actie 2 vastgelegd" in posted and "de wijkagent (buiten de groep)" in posted
    assert (await actions(engine))[1] == ("Buurt verkennen", "de wijkagent", "2026-04-01")

    # only a coordinator adds: Bob gets no form, but a Dutch answer
    opened = len(fake.of("views.open"))
    await slack.command("acties team nieuw", user="U2", user_name="bob")
    assert len(fake.of("views.open")) == opened
    assert "coördinator" in all_text(fake.posts()[-1:])


async def test_team_action_outcome_modal(slack: Slack, engine: Engine) -> None:
    fake = slack.fake
    fake.user("U2", "Bob")
    await slack.command("vraag", user="U2", user_name="bob")
    await slack.command("acties team nieuw Flyers ophalen @U2 20-03-2026")
    await slack.command("acties team uitkomst 1")
    view = slack.last_view()
    assert view_problems(view) == [] and [
        b["block_id"] for b in view["blocks"] if b["type"] == "input"
    ] == ["uitkomst"]
    status, body = await slack.submit(
        view, state={"uitkomst": {"v": {"type": "plain_text_input", "value": " "}}}
    )
    assert errors_of(body) == {"uitkomst": "Vul dit in."}
    status, body = await slack.submit(
        view,
        state={
            "uitkomst": {"v": {"type": "plain_text_input", "value": "Drie nieuwe buren kwamen"}}
        },
    )
    assert (status, body) == (200, "")
    assert "Genoteerd bij actie 1" in text_of(fake.of("chat.postMessage")[-1])
    row = await engine.db.one("SELECT outcome FROM teamacties")
    assert row is not None and row[0] == "Drie nieuwe buren kwamen"


async def test_stappenplan_checklist_as_checkboxes(slack: Slack, engine: Engine) -> None:
    fake = slack.fake
    await slack.command("acties team nieuw Buurt verkennen @U1 20-03-2026")
    added = fake.of("chat.postMessage")[-1]
    await slack.press(button([added], "Checklist (stappenplan)"))
    view = slack.last_view()
    assert view_problems(view) == []
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["keuze:werkzame-elementen"]["element"]["type"] == "multi_static_select"
    assert inputs["keuze:actie"]["element"]["type"] == "checkboxes"
    assert all(b["optional"] for b in inputs.values())  # each item may be skipped
    open_fields = [k for k in inputs if k.startswith(("open:", "impact:"))]
    assert open_fields

    def ticked(block_id: str, kind: str, *values: str) -> dict[str, Any]:
        options = [o for o in inputs[block_id]["element"]["options"] if o["value"] in values]
        return {"v": {"type": kind, "selected_options": options}}

    state = {
        "keuze:werkzame-elementen": ticked(
            "keuze:werkzame-elementen", "multi_static_select", "2", "10"
        ),
        "keuze:actie": ticked("keuze:actie", "checkboxes", "3"),
        open_fields[0]: {"v": {"type": "plain_text_input", "value": "x" * 1001}},
    }
    status, body = await slack.submit(view, state=state)
    assert "te lang" in errors_of(body)[open_fields[0]]
    state[open_fields[0]] = {"v": {"type": "plain_text_input", "value": "De wijkagent en Anne"}}
    status, body = await slack.submit(view, state=state)
    assert (status, body) == (200, "")
    said = text_of(fake.of("chat.postMessage")[-1])
    assert "De checklist en de impactanalyse zijn bewaard bij actie 1" in said
    row = await engine.db.one("SELECT checklist FROM teamacties")
    assert row is not None
    stored = json.loads(row[0])
    assert stored["keuzes"] == {
        "werkzame-elementen": ["Sociale steun verhogen", "Ontmoeten / sociaal contact"],
        "actie": ["Tertiaire actie (personen met eenzaamheidsgevoelens)"],
    }
    kind, _, key = open_fields[0].partition(":")
    assert kind == "open" and stored["open"] == {key: "De wijkagent en Anne"}


async def home(slack: Slack, ts: str) -> dict[str, Any]:
    await slack.event(
        {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home", "event_ts": ts}
    )
    view = slack.fake.of("views.publish")[-1]["view"]
    assert view["type"] == "home"
    return dict(view)


async def test_app_home_shows_the_next_weekly_post_and_open_team_actions(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    await slack.command("planning ma,do 12:30")
    await slack.command("acties team nieuw Flyers ophalen @U1 20-03-2026")

    view = await home(slack, "1772449300.000100")
    text = all_text([view])
    assert "De volgende wekelijkse post van je teams" in text
    assert "• team: maandag 2 maart om 12:30, een vraag uit de kletspot" in text
    assert "Je open teamacties (1)" in text and "team, actie 1: Flyers ophalen" in text
    labels = buttons_of(view)
    assert {"1: Gedaan", "1: Nog bezig", "1: Geschrapt"} <= set(labels)

    home_press = {"id": "V1", "type": "home", "private_metadata": "DU1"}
    await slack.press(labels["1: Gedaan"], channel=None, view=home_press)
    row = await engine.db.one("SELECT status FROM teamacties")
    assert row is not None and row[0] == "gedaan"
    again = fake.of("views.publish")[-1]["view"]
    text = all_text([again])
    assert "✅ Actie 1 staat op gedaan" in text  # the answer on top of the page
    assert "Je open teamacties" not in text
    # the button the answer carries works from the Home too: the outcome opens as a modal
    await slack.press(buttons_of(again)["Noteer wat het opleverde"], channel=None, view=home_press)
    outcome = slack.last_view()
    assert [b["block_id"] for b in outcome["blocks"] if b["type"] == "input"] == ["uitkomst"]

    # someone else's press of the same Home button does nothing to the action
    await slack.press(labels["1: Nog bezig"], channel=None, view=home_press, user="U2")
    row = await engine.db.one("SELECT status FROM teamacties")
    assert row is not None and row[0] == "gedaan"


async def test_a_form_left_open_too_long_is_refused(slack: Slack, engine: Engine) -> None:
    await slack.command("planning")
    view = slack.last_view()
    store = slack.adapter.bot.store
    later = store.clock() + MODAL_KEEP + 60
    store.clock = lambda: later
    status, body = await slack.submit(view, state=planning_state(view, ["1"], "10:00"))
    assert "te lang open" in next(iter(errors_of(body).values()))
    assert await Planningen(engine.db).get(1) is None
