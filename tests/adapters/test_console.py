"""The console adapter driven through injected input and output streams."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

from adapters.console import ConsoleAdapter, ansi_code, render
from bot.core.engine import Engine
from bot.core.replies import Colour, Span, coloured
from bot.core.storage import open_database
from content import Content
from tests.conftest import CONTENT, ON_POSTGRES, ROOT, SIX_COLOURS


async def run_script(engine: Engine, script: str, colour: bool = False) -> str:
    out = io.StringIO()
    console = ConsoleAdapter(engine, io.StringIO(script), out, colour=colour)
    await console.run()
    return out.getvalue()


async def test_draw_note_and_export(engine: Engine) -> None:
    output = await run_script(engine, "/vraag groen\n3\nDe huisarts betrekken\n/punten export\n")
    assert any(q in output for q in CONTENT.kletspot.cluster("groen").vragen)
    assert "[1] Nog een vraag" in output and "[3] Noteer een aanknopingspunt" in output
    assert "Genoteerd: De huisarts betrekken" in output
    assert "--- aanknopingspunten-" in output and "## Groen: Eenzaamheid bij jezelf" in output


async def test_users_and_conversations_switch(engine: Engine) -> None:
    output = await run_script(
        engine,
        "/als Sam\n/pot uit groen\n/als Ik\n/pot uit groen\n"
        "/dm\nhallo\n/groep\nhallo groep\n/einde\n/vraag\n",
    )
    assert "Alleen coördinatoren" in output
    assert "De kleur groen staat nu uit" in output
    assert "privégesprek" in output and "Welkom bij Kletspot" in output  # a first hello
    assert "Er staan geen" not in output and "Nog een vraag" not in output  # stopped at /einde


async def test_button_numbers_out_of_range_and_without_buttons(engine: Engine) -> None:
    output = await run_script(engine, "/vraag\n9\n/hulp\n1\n")
    assert "Kies een knop tussen 1 en 3" in output
    assert output.count("Traceback") == 0


async def test_colour_rendering(engine: Engine) -> None:
    output = await run_script(engine, "/vraag blauw\n", colour=True)
    assert "\033[1;34m" in output
    plain = await run_script(engine, "/vraag blauw\n", colour=False)
    assert "\033[" not in plain


@SIX_COLOURS
async def test_a_sixth_colour_is_painted_from_its_hex_alone(
    engine: Engine, content: Content
) -> None:
    last = len(content.kletspot.kleuren)  # its button in the pot overview
    output = await run_script(engine, f"/vraag paars\n/hulp\n/pot\n{last}\n", colour=True)
    assert "🟣 \033[1;35mPaars · Eenzaamheid op het scherm\033[0m" in output  # nearest to #8e24aa
    assert "🟣 paars." in output and f"[{last}] 🟣 Paars" in output and "paars-2" in output


def test_terminal_colour_given_nearest_or_none() -> None:
    assert ansi_code(Colour("#1e88e5", 34)) == 34
    assert [ansi_code(Colour(h)) for h in ("#00c000", "#fafafa", "#101010", "#e53935")] == [
        32,
        97,
        30,
        31,
    ]
    assert ansi_code(Colour("groen")) is None and ansi_code(Colour("#12345g")) is None
    assert render((coloured("x", Colour("groen")), Span("y")), colour=True) == "\033[1mx\033[0my"


def test_python_m_bot_reads_piped_input(tmp_path: Path, db_path: str | Path) -> None:
    """On PostgreSQL with KLETSPOT_DB also set: the address wins."""
    env = {**os.environ, "KLETSPOT_DB": str(tmp_path / "pipe.db"), "PYTHONPATH": str(ROOT)}
    if ON_POSTGRES:
        env["KLETSPOT_DATABASE_URL"] = str(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="/vraag wit\n/noteer punt\n/punten\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Wit · De opdracht van organisatie en beleid" in result.stdout
    assert "punt (Ik," in result.stdout
    assert (tmp_path / "pipe.db").exists() is not ON_POSTGRES

    async def noted() -> object:
        db = await open_database(db_path if ON_POSTGRES else tmp_path / "pipe.db")
        try:
            return await db.scalar("SELECT text FROM aanknopingspunten")
        finally:
            await db.close()

    assert asyncio.run(noted()) == "punt"


def test_broken_content_stops_with_file_and_entry(tmp_path: Path) -> None:
    from content.loader import ContentError, load_yaml
    from content.schemas.kletspot import Kletspot

    broken = tmp_path / "kletspot.yaml"
    text = (ROOT / "content" / "kletspot.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("kleur: blauw", "kleur: paars"), encoding="utf-8")
    try:
        load_yaml(broken, Kletspot)
    except ContentError as exc:
        assert "kletspot.yaml" in str(exc) and "clusters[3].kleur" in str(exc)
    else:
        raise AssertionError("broken content was accepted")


async def test_pictures_and_pdfs_are_saved_and_their_paths_printed(
    engine: Engine, tmp_path: Path
) -> None:
    out = io.StringIO()
    console = ConsoleAdapter(
        engine, io.StringIO("/stappenplan\n/punten export\n"), out, files_dir=tmp_path / "bestanden"
    )
    await console.run()
    output = out.getvalue()
    png, document = console.saved
    assert png == tmp_path / "bestanden" / "stappenplan.png"
    assert png.read_bytes().startswith(b"\x89PNG") and document.suffix == ".pdf"
    assert f"[bestand bewaard: {png}]" in output and f"[bestand bewaard: {document}]" in output
    assert "[in woorden: Het stappenplan in 7 stappen" in output
    assert (tmp_path / "bestanden").stat().st_mode & 0o077 == 0  # only this user reads them


async def test_a_typed_number_is_the_answer_where_the_bot_asks_for_one(engine: Engine) -> None:
    """A 7 typed at the 0–10 question is 7 (not the seventh button, 6); 14 typed at the term
    question is 14 days (not 'Kies een knop tussen 1 en 3')."""
    output = await run_script(
        engine,
        "/dm\n/gesprek verslag\nvandaag\nMia\nsamen naar de markt\n"
        "de buurtploeg\nze belt haar zus\n7\n3\n14\n",
    )
    assert "Kies een knop" not in output
    row = await engine.db.one(
        "SELECT motivatie, vertrouwen, terugblik_op, created_at FROM gesprekken"
    )
    assert row is not None and (row["motivatie"], row["vertrouwen"]) == (7, 3)
    from datetime import date, timedelta

    assert date.fromisoformat(row["terugblik_op"]) == (
        date.fromisoformat(row["created_at"][:10]) + timedelta(days=14)
    )


async def test_numbers_still_press_buttons_where_there_is_no_free_answer(engine: Engine) -> None:
    output = await run_script(engine, "/vraag\n2\n")  # 'Andere kleur'
    assert "Uit welke kleur wil je een vraag?" in output


async def test_buttons_stay_choosable_after_switching(engine: Engine) -> None:
    output = await run_script(
        engine, "/vraag groen\n/dm\n/start\n/als Sam\n/groep\n/als Ik\n/groep\n1\n/dm\n3\n"
    )
    assert "Je bent nu Sam.\n" in output  # Sam saw nothing here yet: no buttons promised
    assert "Je bent nu Ik. De knoppen van je vorige bericht hier werken nog: 1 tot 3." in output
    # back in the group as Ik, 1 is still 'Nog een vraag'; back in the DM, 3 is 'Voor mezelf'
    assert output.count("🟢 Groen · Eenzaamheid bij jezelf") == 2
    last = output.rsplit("Je bent nu in je privégesprek", 1)[1]
    assert "werken nog: 1 tot 3" in last and "[3] Hulp nu" in last
    assert "Kies een knop" not in output


async def test_piped_lines_are_echoed_before_their_answer(engine: Engine) -> None:
    out = io.StringIO()
    console = ConsoleAdapter(engine, io.StringIO("/vraag wit\n\n/punten\n"), out, echo=True)
    await console.run()
    text = out.getvalue()
    assert text.index("> /vraag wit") < text.index("Wit · ") < text.index("> /punten")
    assert text.index("> /punten") < text.index("nog geen aanknopingspunten")


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "KLETSPOT_DB": str(tmp_path / "proef.db"), "PYTHONPATH": str(ROOT)}


def test_piped_console_echoes_and_logs_to_a_file_beside_the_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="/vraag wit\n/noteer punt\n",
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("> /vraag wit") < out.index("Wit · ") < out.index("> /noteer punt")
    log_file = tmp_path / "proef.log"
    assert f"Het logboek staat in {log_file}" in result.stderr
    assert "Je zit in de teamgroep" in result.stderr  # how to talk to it, also when piped
    assert "INFO" not in result.stderr and "INFO" not in out  # nothing over the prompt
    assert "database migrated" in log_file.read_text(encoding="utf-8")


def _interactive(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, bytes]:
    """The console on a terminal of its own (a pty), as a person starts it."""
    import pty

    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=_env(tmp_path),
        cwd=tmp_path,
        preexec_fn=_as_at_a_terminal,
    )
    os.close(child)
    return process, main, _read_until(main, b"[Ik @ groep] > ")


def _as_at_a_terminal() -> None:
    """Ctrl-C as a person's terminal delivers it: a test run started in the background by a
    shell without job control ignores SIGINT, and a child inherits that."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _read_until(fd: int, wanted: bytes, seconds: float = 30) -> bytes:
    import select

    seen = b""
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], seconds)
        if not ready:
            raise AssertionError(f"{wanted!r} did not come; saw {seen[-500:]!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_ctrl_c_leaves_at_once_without_an_extra_enter(tmp_path: Path) -> None:
    import signal

    process, main, _ = _interactive(tmp_path)
    try:
        process.send_signal(signal.SIGINT)
        assert b"Tot ziens." in _read_until(main, b"Tot ziens.")
        assert process.wait(timeout=15) == 0  # no Enter needed
    finally:
        process.kill()
        os.close(main)


def test_ctrl_d_leaves_at_once_and_the_banner_names_the_log(tmp_path: Path) -> None:
    process, main, banner = _interactive(tmp_path)
    assert f"Het logboek staat in {tmp_path / 'proef.log'}".encode() in banner
    assert b"INFO" not in banner
    try:
        os.write(main, b"/vraag\n")
        _read_until(main, b"Nog een vraag")
        os.write(main, b"\x04")
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()
        os.close(main)
    assert (tmp_path / "proef.log").exists()


async def test_back_and_stop_by_button_number_and_typed(engine: Engine) -> None:
    """In a list (no free answer) a number presses ◀ Terug or Stop; where the bot waits for
    text, the typed words steer (a number there is the answer: see the test above)."""
    output = await run_script(
        engine,
        # the helping list: 12 is ◀ Terug, 13 Stop; back in the blocking list 1 keeps the
        # thought chosen and 10 is the ninth thought
        "/dm\n/gedachte\n8\n12\n10\nvorige\n1\n13\n"
        "/plan\nElke week iemand bellen\nterug\nTwee keer per week bellen\nvorige\nannuleer\n",
    )
    assert "  [12] ◀ Terug\n  [13] Stop" in output
    assert "  [1] Houden: Ik ben bang om te oordelen over de ander." in output
    assert output.count("Je antwoordde: Ik ben bang om te oordelen over de ander.") == 1
    assert "Je antwoordde: Ik heb geen vertrouwen in opvang. Kies opnieuw" in output
    assert output.count("Je herkent: Ik heb geen vertrouwen in opvang.") == 2  # chosen, kept
    assert "Je antwoordde: Elke week iemand bellen. Typ een nieuw antwoord" in output
    assert "Je antwoordde: Twee keer per week bellen." in output
    assert "we stoppen hier voor nu met je gedachte" in output
    assert "we stoppen hier voor nu met je persoonlijk plan" in output
    assert "Kies een knop" not in output and "Traceback" not in output
    plan = await engine.db.one("SELECT goal, steps FROM persoonlijke_plannen")
    assert plan is not None and (plan["goal"], plan["steps"]) == ("Twee keer per week bellen", None)
    kept = {
        str(v) for r in await engine.db.all("SELECT * FROM gedachten") for v in dict(r).values()
    }
    assert not {"stop", "terug", "vorige", "annuleer", "12", "13"} & kept


async def test_a_number_typed_by_someone_who_saw_no_buttons_says_whose_they_are(
    engine: Engine,
) -> None:
    output = await run_script(engine, "/vraag groen\n/als Sam\n1\n/als Ik\n1\n")
    assert (
        "Jij, Sam, hebt hier nu geen knoppen: die hierboven horen bij Ik. Typ /als Ik om ze"
        " te kiezen, of een commando, bv. /vraag." in output
    )
    assert output.count("🟢 Groen · Eenzaamheid bij jezelf") == 2  # Ik's 1 still draws
