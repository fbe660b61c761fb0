"""Block Kit rendering and Slack's escaping, without a network."""

from __future__ import annotations

from adapters.slack.limits import BLOCKS_PER_MESSAGE, BUTTONS_PER_ACTIONS, SECTION_MAX, split_text
from adapters.slack.render import escape, from_slack, home_view, mrkdwn, render
from bot.core.replies import Attachment, Button, Span, b, i, rich, say


def test_spans_escape_user_text_and_keep_markers_on_engine_spans() -> None:
    spans = rich(
        "Genoteerd: ", i("a & <b> > c"), "\n", b("Vet\n"), Span("x", bold=True, italic=True)
    )
    assert mrkdwn(spans) == "Genoteerd: _a &amp; &lt;b&gt; &gt; c_\n*Vet*\n*_x_*"
    # markers hug the words: never "* tekst *" or a marker alone on a line
    assert mrkdwn(rich(b(" De pot \n\nvan ons "))) == " *De pot* \n\n*van ons* "
    assert mrkdwn(rich(b(""), i("  "))) == "  "


def test_user_formatting_characters_are_not_ours_to_remove() -> None:
    # escaping & < > is what Slack documents; *bold* typed by a user stays their text
    assert mrkdwn(rich("*Jan* <@U1> <!channel>")) == "*Jan* &lt;@U1&gt; &lt;!channel&gt;"


def test_long_text_splits_at_paragraphs_then_lines_then_words() -> None:
    text = "\n\n".join(["a" * 1000] * 7)
    parts = split_text(text)
    assert [len(p) for p in parts] == [2002, 2002, 2002, 1000]
    lines = "\n".join(["regel " * 50] * 40)  # no paragraphs, ~12,000 characters
    assert all(len(p) <= SECTION_MAX for p in split_text(lines))
    word = "x" * 7000
    assert [len(p) for p in split_text(word)] == [3000, 3000, 1000]
    entity = "a" * 2998 + "&amp;" + "b" * 10
    first, second = split_text(entity)
    assert first == "a" * 2998 and second.startswith("&amp;")


def test_reply_with_many_parts_and_buttons() -> None:
    buttons = [Button(f"Knop {n}", f"tok{n}") for n in range(30)]
    messages = render(say("\n\n".join("y" * 2900 for _ in range(60)), buttons=buttons))
    assert len(messages) == 2
    assert all(len(m.blocks) <= BLOCKS_PER_MESSAGE for m in messages)
    all_blocks = [blk for m in messages for blk in m.blocks]
    sections = [blk for blk in all_blocks if blk["type"] == "section"]
    assert all(len(blk["text"]["text"]) <= SECTION_MAX for blk in sections)
    rows = [blk for blk in all_blocks if blk["type"] == "actions"]
    assert [len(r["elements"]) for r in rows] == [BUTTONS_PER_ACTIONS, 5]
    ids = [e["action_id"] for r in rows for e in r["elements"]]
    assert len(set(ids)) == 30 and ids[0] == "k0" and rows[1]["elements"][0]["value"] == "tok25"
    assert messages[-1].blocks[-1]["type"] == "actions"  # buttons come with the last part
    assert all(m.text for m in messages)


def test_button_labels_are_cut_to_75() -> None:
    [message] = render(say("Kies", buttons=[Button("L" * 100, "t")]))
    label = message.blocks[-1]["elements"][0]["text"]["text"]
    assert len(label) == 75 and label.endswith("…")


def test_buttons_only_reply_has_a_fallback_text() -> None:
    [message] = render(say("", buttons=[Button("Ja", "t1"), Button("Nee", "t2")]))
    assert message.text == "Ja · Nee" and message.blocks[0]["type"] == "actions"


def test_attachment_as_code_blocks() -> None:
    content = "# Titel\n\n- a & b ```code```\n" + "\n".join(f"- punt {n}" for n in range(800))
    [*messages] = render(say("Het overzicht", attachment=Attachment("punten.md", content)))
    blocks = [blk for m in messages for blk in m.blocks]
    texts = [blk["text"]["text"] for blk in blocks]
    assert texts[0] == "Het overzicht" and texts[1] == "*📄 punten.md*"
    assert all(t.startswith("```\n") and t.endswith("\n```") for t in texts[2:])
    assert len(texts) > 3 and all(len(t) <= SECTION_MAX for t in texts)
    assert "a &amp; b ``\u200b`code``\u200b`" in "".join(texts[2:4])
    assert "- punt 799" in texts[-1]


def test_home_view_numbers_buttons_across_replies() -> None:
    view = home_view(
        [say("Een", buttons=[Button("A", "ta")]), say("Twee", buttons=[Button("B", "tb")])], "D123"
    )
    ids = [
        e["action_id"]
        for blk in view["blocks"]
        if blk["type"] == "actions"
        for e in blk["elements"]
    ]
    assert view["type"] == "home" and view["private_metadata"] == "D123" and ids == ["k0", "k1"]


def test_from_slack_undoes_escaping() -> None:
    assert from_slack("coordinator <@U123|anne>") == "coordinator @U123"
    assert from_slack("coordinator <@U123>") == "coordinator @U123"
    assert from_slack("zie <#C42|algemeen> en <!here>") == "zie #algemeen en @here"
    assert (
        from_slack("<https://resokit.be|resokit.be> &amp; &lt;3 &gt;")
        == "https://resokit.be & <3 >"
    )
    assert from_slack("&amp;lt;") == "&lt;"
    assert from_slack("<mailto:an@example.org|an@example.org>") == "an@example.org"
    assert from_slack("<!subteam^S1|@team>") == "@team"
    assert escape(from_slack("a &amp; &lt;b&gt;")) == "a &amp; &lt;b&gt;"
