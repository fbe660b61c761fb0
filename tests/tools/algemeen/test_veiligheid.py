"""Crisis signposting: the word list catches distress in many spellings, never the bot's topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.replies import Audience
from bot.tools.algemeen.signalen import detector, words
from content.loader import ContentError, load_yaml
from content.schemas.signalen import Signalen
from tests.conftest import CONTENT, ROOT, Chat, text_of
from tests.tools.reflectie.helpers import dm, start

DISTRESS = [
    "Ik wil dood.",
    "ik wil gewoon dood",
    "Soms wil ik liever dood zijn",
    "ik wou dat ik dood was",
    "was ik maar dood",
    "Ik denk aan zelfmoord",
    "ik heb zelfmoordgedachten",
    "ik heb zelf moord gedachten",
    "ik denk aan zelfmoort",
    "Zelfdoding lijkt me een uitweg",
    "ik ben suïcidaal",
    "IK BEN SUICIDAAL",
    "suicidale gedachten, al weken",
    "ik wil er een eind aan maken",
    "Ik wil er een einde aan maken.",
    "ik maak er een einde aan",
    "ik heb pillen gespaard om er een eind aan te maken",
    "ik wil een eind aan mijn leven maken",
    "ik wil niet meer leven",
    "ik wil eigenlijk niet meer leven",
    "ik wil m'n leven beëindigen",
    "ik wil er niet meer zijn",
    "ik wil niet meer wakker worden",
    "ik wil sterven",
    "ik wil het liefst gewoon sterven",
    "ik wil mezelf iets aandoen",
    "ik ga mijzelf iets aan doen",
    "ik ga me iets aandoen",
    "ik snijd mezelf",
    "ik doe aan zelfbeschadiging",
    "ik hang me op",
    "ik denk erover mezelf op te hangen",
    "ik ga voor de trein springen",
    "ik wil van een brug springen",
    "ik wil uit het leven stappen",
    "iedereen is beter af zonder mij",
    "niemand zou me missen als ik er niet meer was",
    "ik zie het niet meer zitten",
    "ik zie het echt niet meer zitten",
    "ik zie geen uitweg meer",
    "het leven heeft voor mij geen zin meer",
    "ik heb geen zin meer in het leven",
    "mijn leven is zo zinloos",
    "ik kan het niet meer aan",
    "ik houd het niet meer vol",
    "ik hou het echt niet langer vol",
    "het hoeft voor mij niet meer",
    "ik heb een afscheidsbrief geschreven",
    "ik heb al mijn pillen verzameld",
    "I want to kill myself",
]

ORDINARY = [
    "ik voel me eenzaam",
    "mijn cliënt is erg alleen",
    "eenzaamheid bij ouderen",
    "Ik voel me zo alleen sinds mijn man overleden is",
    "Ik mis gezelligheid om me heen.",
    "Ik ervaar leegte om me heen.",
    "Vaak voel ik me in de steek gelaten.",
    "Niemand belt me nog",
    "niemand mist me als ik niet naar de koffieochtend ga",
    "ik wil niet meer alleen zijn",
    "ik wil niemand tot last zijn",
    "Sinds de dood van haar man komt mevrouw J. de deur niet meer uit",
    "Ik wil de dood van mijn moeder een plek geven",
    "ik ben doodmoe na die dienst",
    "ik heb me dood geschaamd",
    "We moeten een eind maken aan de wachtlijst",
    "het project loopt ten einde",
    "eindelijk weekend",
    "Ik heb geen zin meer in die vergadering",
    "Ik kan niet meer komen op dinsdag",
    "leven in het verleden staat op de signaleringskaart",
    "gevoelens van zinloosheid en uitzichtloosheid",
    "Het leven van een mantelzorger is zwaar",
    "Mijn buurvrouw ligt op sterven",
    "ik moest de telefoon ophangen",
    "We springen even binnen in het buurthuis",
    "de trein naar Gent had vertraging",
    "ik stond op het perron te wachten voor de trein",
    "zij houdt zich flink",
    "ik zit niet lekker in mijn vel",
    "hoe zit je in je vel?",
    "ik word blij van tuinieren",
    "ik wil graag leren schaken",
    "Wat doe je om te ontspannen?",
    "mijn cliënt wil niemand zien",
    "ik wil meer sociale contacten",
    "ik ben vaak alleen, maar niet eenzaam",
    "sociale eenzaamheid, emotionele eenzaamheid",
    "Hij mist een hechte band met zijn kinderen",
    "ik wil stoppen met deze reflectie",
]


@pytest.mark.parametrize("text", DISTRESS)
def test_distress_is_recognised(text: str) -> None:
    assert detector(CONTENT.signalen).hits(text), words(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_texts_about_loneliness_are_not(text: str) -> None:
    assert not detector(CONTENT.signalen).hits(text), words(text)


def test_whole_corpus_of_loneliness_content_does_not_trigger() -> None:
    """Every statement and question of the tools themselves: the topic is not a crisis."""
    hits = [item.tekst for tool in CONTENT.reflectoren.reflectoren for item in tool.items
            if detector(CONTENT.signalen).hits(item.tekst)]
    assert hits == []


def test_word_list_is_checked_at_load(tmp_path: Path) -> None:
    source = (ROOT / "content" / "signalen.yaml").read_text("utf-8")
    broken = tmp_path / "signalen.yaml"
    broken.write_text(source.replace("  - wil dood\n", "  - Wil Dóód\n"), "utf-8")
    with pytest.raises(ContentError, match="kleine letters"):
        load_yaml(broken, Signalen)
    broken.write_text(source.replace("  - code: nl\n", "  - code: fr\n"), "utf-8")
    with pytest.raises(ContentError):
        load_yaml(broken, Signalen)


async def test_signposting_in_the_same_reply_with_the_numbers(engine: Engine) -> None:
    chat = dm(engine)
    replies = await chat.text("ik zie het echt niet meer zitten")
    assert len(replies) == 1
    text = replies[0].plain
    assert text.startswith("Ik reageer op commando's")  # the ordinary answer, then the help
    for number in ("Zelfmoordlijn 1813", "zelfmoord1813.be", "Tele-Onthaal: bel 106", "bel 112",
                   "113 of 0800-0113"):
        assert number in text
    assert "geen hulpdienst" in text and "hulp nu" in text
    assert "ik zie het" not in text.lower()  # nothing of what was written is repeated


async def test_country_asked_once_then_only_its_numbers(engine: Engine) -> None:
    chat = dm(engine)
    asked = await chat.cmd("hulp nu")
    assert [b.label for b in asked[0].buttons] == ["Ik woon in België", "Ik woon in Nederland"]
    assert "Zelfmoordlijn 1813" in asked[0].plain  # Belgium until chosen
    chosen = text_of(await chat.press("Ik woon in Nederland"))
    assert "Genoteerd: Nederland" in chosen and "0800-0113" in chosen and "1813" not in chosen
    text = text_of(await chat.text("ik wil er een einde aan maken"))
    assert "bel 113 of 0800-0113" in text and "bel 112" in text
    assert "1813" not in text and "106" not in text and "land te kiezen" not in text
    again = await chat.cmd("hulp nu")
    assert [b.label for b in again[0].buttons] == ["Ik woon in België"]
    assert "chatten kan via 113.nl" in again[0].plain


async def test_answers_in_a_reflection_are_watched_too(engine: Engine) -> None:
    chat = dm(engine)
    await start(chat, CONTENT.reflectoren.get("gesprek-van-waarde"))
    replies = await chat.text("niets, ik wil niet meer leven")
    assert len(replies) == 1
    assert "2 van 12" in replies[0].plain and "1813" in replies[0].plain
    assert replies[0].buttons  # the next question keeps its buttons


async def test_group_texts_are_not_watched_and_hulp_nu_stays_private(engine: Engine) -> None:
    group = Chat(engine, "team")
    assert await group.text("ik wil dood van die vergadering") == []
    replies = await group.cmd("hulp nu")
    assert replies[0].audience is Audience.PRIVATE and "1813" in replies[0].plain
    assert "hulp kletspot" in text_of(await group.cmd("hulp"))  # hulp itself is untouched


async def test_forged_country_is_refused(engine: Engine) -> None:
    from bot.core import buttons
    from bot.core.replies import Reply
    chat = dm(engine)
    await chat.cmd("hulp nu")
    user = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    conversation = await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'an'")
    forged = await buttons.make(engine.db, conversation, "x", "safety.country", {"c": "fr"},
                                "2026-03-02T11:00:00+00:00", user)
    assert "ken ik niet" in text_of(await chat.press("x", replies=[Reply((), (forged,))]))
    assert await engine.db.scalar("SELECT COUNT(*) FROM hulp_land") == 0
