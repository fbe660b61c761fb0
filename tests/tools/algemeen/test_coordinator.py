"""Coordinators: platform admins plus whoever a coordinator names."""

from __future__ import annotations

from tests.conftest import Chat, text_of


async def test_named_coordinator_may_change_the_jar(chat: Chat) -> None:
    await chat.cmd("vraag", who="Sam")
    assert "Alleen coördinatoren" in text_of(await chat.cmd("pot uit wit", who="Sam"))
    assert "Sam is nu coördinator" in text_of(await chat.cmd("coordinator @sam"))
    assert "staat nu uit" in text_of(await chat.cmd("pot uit wit", who="Sam"))
    assert "Sam" in text_of(await chat.cmd("coordinator"))
    await chat.cmd("coordinator weg @Sam")
    assert "Alleen coördinatoren" in text_of(await chat.cmd("pot aan wit", who="Sam"))


async def test_member_cannot_name_coordinators(chat: Chat) -> None:
    await chat.cmd("vraag", who="Bo")
    text = text_of(await chat.cmd("coordinator @bo", who="Sam"))
    assert "Alleen een coördinator" in text
    assert "Alleen coördinatoren" in text_of(await chat.cmd("pot uit wit", who="Bo"))


async def test_unknown_person_and_other_conversation(engine) -> None:  # type: ignore[no-untyped-def]
    a, b = Chat(engine, "a"), Chat(engine, "b")
    await b.cmd("vraag", who="Sam")
    assert "nog niet in dit gesprek" in text_of(await a.cmd("coordinator @sam"))
    assert "nog niet in dit gesprek" in text_of(await a.cmd("coordinator @"))


async def test_in_a_dm_you_are_your_own_coordinator(engine) -> None:  # type: ignore[no-untyped-def]
    dm = Chat(engine, "dm-sam", group=False)
    assert "staat nu uit" in text_of(await dm.cmd("pot uit roos", who="Sam", admin=False))
