"""The console: the embedded default, for trying everything as a team and as one person.

Lines starting with '/' are commands; a number presses that button of the last message, unless
the bot asked for text or a number (`expects_text`): then it is the answer, like any other text.
/groep, /dm and /als <naam> switch conversation and user; each conversation keeps its last
buttons. Works piped too: lines are read until the end of input, each echoed before its answer.
Pictures and PDFs are saved in a folder only this user can read (KLETSPOT_FILES, else a new
temporary folder) and their paths printed.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import TextIO

from bot.core.delivery import Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.events import Actor, ButtonPress, Command, Event, Place, TextReply
from bot.core.replies import Attachment, Audience, Colour, Outgoing, Reply, Span
from bot.text.dutch import fold

PLATFORM = "console"
WORKSPACE = "lokaal"
GROUP_ID = "team"
FIRST_USER = "Ik"

_PALETTE: dict[int, tuple[int, int, int]] = {
    30: (0, 0, 0),
    31: (205, 0, 0),
    32: (0, 205, 0),
    33: (205, 205, 0),
    34: (0, 0, 238),
    35: (205, 0, 205),
    36: (0, 205, 205),
    37: (229, 229, 229),
    90: (127, 127, 127),
    91: (255, 0, 0),
    92: (0, 255, 0),
    93: (255, 255, 0),
    94: (92, 92, 255),
    95: (255, 0, 255),
    96: (0, 255, 255),
    97: (255, 255, 255),
}
"""xterm's default 16 colours, to pick the nearest when the content gives a hex colour only."""

BANNER = (
    "Kletspot in de console. Je zit in de teamgroep als coördinator.\n"
    "Typ /start om kennis te maken, /hulp voor de commando's, een cijfer om een knop te kiezen,\n"
    "/dm of /groep om van gesprek te wisselen, /als <naam> om iemand anders te zijn, /einde (of\n"
    "Ctrl-D) om te stoppen.\n"
)


def ansi_code(colour: Colour) -> int | None:
    """The terminal colour the reply asks for, else the one nearest its hex; None if unreadable."""
    if colour.ansi is not None:
        return colour.ansi
    if len(colour.hex) != 7 or not colour.hex.startswith("#"):
        return None
    try:
        rgb = tuple(int(colour.hex[n : n + 2], 16) for n in (1, 3, 5))
    except ValueError:
        return None

    def distance(code: int) -> int:
        return sum((a - b) ** 2 for a, b in zip(rgb, _PALETTE[code], strict=True))

    return min(_PALETTE, key=distance)


def render(spans: tuple[Span, ...], colour: bool) -> str:
    out = []
    for s in spans:
        text = f"/{s.text}" if s.command else s.text
        codes = [c for c, on in (("1", s.bold), ("3", s.italic)) if on]
        code = ansi_code(s.colour) if s.colour is not None else None
        if code is not None:
            codes.append(str(code))
        out.append(f"\033[{';'.join(codes)}m{text}\033[0m" if codes and colour else text)
    return "".join(out)


class ConsoleAdapter:
    platform = PLATFORM
    limits = SendLimits(
        per_second=math.inf, per_group_per_minute=math.inf, per_private_per_second=math.inf
    )

    def __init__(
        self,
        engine: Engine,
        stdin: TextIO,
        stdout: TextIO,
        colour: bool = False,
        banner: bool = False,
        echo: bool = False,
        log_file: str | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self._engine = engine
        configured = os.environ.get("KLETSPOT_FILES")
        self._files_dir = files_dir or (Path(configured) if configured else None)
        self.saved: list[Path] = []
        self._in = stdin
        self._out = stdout
        self._colour = colour
        self._banner = banner
        self._echo = echo
        self._log_file = log_file
        self._user = FIRST_USER
        self._in_group = True
        self._names: dict[str, str] = {}
        self._last: dict[tuple[str, bool], tuple[list[str], bool]] = {}
        """Per person and conversation: the last buttons shown there and whether the bot
        waits for a typed answer, so switching with /dm, /groep or /als loses nothing."""

    @property
    def _buttons(self) -> list[str]:
        return self._last.get((self._user, self._in_group), ([], False))[0]

    @property
    def _expects_text(self) -> bool:
        return self._last.get((self._user, self._in_group), ([], False))[1]

    @property
    def place(self) -> Place:
        if self._in_group:
            return Place(GROUP_ID, is_group=True, title="Team (console)")
        return Place(f"dm-{fold(self._user)}", is_group=False, title=f"Privé: {self._user}")

    @property
    def actor(self) -> Actor:
        self._names[fold(self._user)] = self._user
        return Actor(
            PLATFORM,
            WORKSPACE,
            fold(self._user),
            self._user,
            handle=fold(self._user),
            is_platform_admin=self._user == FIRST_USER,
        )

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    async def run(self) -> None:
        if self._banner:
            self._print(
                BANNER + (f"Het logboek staat in {self._log_file}.\n" if self._log_file else "")
            )
        lines = self._reader()
        while True:
            self._out.write(self._prompt())
            self._out.flush()
            line = await lines.get()
            if line is None:
                self._print("")
                return
            if self._echo:
                self._print(f"> {line.rstrip()}")
            if not await self.feed(line.rstrip("\n")):
                return

    def _reader(self) -> asyncio.Queue[str | None]:
        """stdin is read on a daemon thread: Ctrl-C stops the process at once instead of
        waiting for a blocked read to return (the default executor would wait for Enter)."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()

        def read() -> None:
            while True:
                try:
                    line = self._in.readline()
                except (OSError, ValueError):
                    line = ""
                loop.call_soon_threadsafe(queue.put_nowait, line or None)
                if not line:
                    return

        threading.Thread(target=read, name="console-stdin", daemon=True).start()
        return queue

    def _prompt(self) -> str:
        where = "groep" if self._in_group else "dm"
        return f"[{self._user} @ {where}] > " if self._banner else ""

    async def feed(self, line: str) -> bool:
        """Handle one typed line; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            meta = await self._meta(name.lower(), args.strip())
            if meta is not None:
                return meta
            await self._send(Command(name.lower(), args.strip()))
        elif text.isdigit() and self._buttons and not self._expects_text:
            index = int(text) - 1
            if 0 <= index < len(self._buttons):
                await self._send(ButtonPress(self._buttons[index]))
            else:
                self._print(f"Kies een knop tussen 1 en {len(self._buttons)}.")
        elif text.isdigit() and not self._expects_text and (others := self._others_with_buttons()):
            self._print(
                f"Jij, {self._user}, hebt hier nu geen knoppen: die hierboven horen bij "
                + " of ".join(others)
                + f". Typ /als {others[-1]} om ze te kiezen, of een commando, bv. /vraag."
            )
        else:
            await self._send(TextReply(text))
        return True

    async def _meta(self, name: str, args: str) -> bool | None:
        if name in ("einde", "exit", "quit"):
            return False
        if name == "groep":
            self._in_group = True
            self._print("Je bent nu in de teamgroep." + self._still_there())
            return True
        if name == "dm":
            self._in_group = False
            self._print(
                f"Je bent nu in je privégesprek met Kletspot, als {self._user}."
                + self._still_there()
            )
            return True
        if name == "als":
            if not args:
                self._print("Gebruik /als <naam>, bv. /als Sam.")
                return True
            self._user = args[:40]
            self._print(f"Je bent nu {self._user}." + self._still_there())
            return True
        return None

    def _others_with_buttons(self) -> list[str]:
        """Who else was shown buttons in this conversation (the console keeps them per
        person: a number typed as someone who saw none would otherwise say nothing)."""
        return [
            user
            for (user, in_group), (buttons, _) in self._last.items()
            if in_group == self._in_group and buttons and user != self._user
        ]

    def _still_there(self) -> str:
        count = len(self._buttons)
        if not count:
            return ""
        return (
            " De knop van je vorige bericht hier werkt nog: 1."
            if count == 1
            else f" De knoppen van je vorige bericht hier werken nog: 1 tot {count}."
        )

    async def _send(self, what: Command | ButtonPress | TextReply) -> None:
        replies = await self._engine.handle(Event(self.actor, self.place, what))
        self._show(replies, (self._user, self._in_group))

    def _show(self, replies: list[Reply], where: tuple[str, bool] | None = None) -> None:
        shown: list[str] = []
        for reply in replies:
            prefix = {
                Audience.PRIVATE: "(alleen voor jou) ",
                Audience.DM: f"(privébericht aan {self._user}) ",
            }.get(reply.audience, "")
            if reply.replaces:  # the console cannot edit what it printed: it prints it again
                prefix = "(bijgewerkt) " + prefix
            self._print(prefix + render(reply.text, self._colour))
            for button in reply.buttons:
                shown.append(button.action_id)
                self._print(f"  [{len(shown)}] {button.label}")
            if reply.attachment is not None and reply.attachment.binary:
                path = self._save(reply.attachment)
                self._print(f"[bestand bewaard: {path}]")
                if reply.attachment.alt:
                    self._print(f"[in woorden: {reply.attachment.alt}]")
            elif reply.attachment is not None:
                self._print(f"--- {reply.attachment.filename} ---")
                self._print(reply.attachment.content.rstrip("\n"))
                self._print("--- einde bestand ---")
            self._print("")
        if replies and where is not None:
            self._last[where] = (shown, any(r.expects_text for r in replies))

    def _save(self, attachment: Attachment) -> Path:
        """Write a picture or PDF to the files folder; never over an earlier file."""
        if self._files_dir is None:
            self._files_dir = Path(tempfile.mkdtemp(prefix="kletspot-"))
        self._files_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stem, dot, ext = re.sub(r"[^\w.-]", "_", attachment.filename).rpartition(".")
        stem, ext = (stem, "." + ext) if dot and stem else (ext, "")
        path = self._files_dir / f"{stem}{ext}"
        n = 1
        while path.exists():
            n += 1
            path = self._files_dir / f"{stem}-{n}{ext}"
        path.write_bytes(attachment.payload)
        self.saved.append(path)
        return path

    async def deliver(self, outgoing: Outgoing) -> Result:
        """Messages nobody asked for just now: nudges, reminders, a session whose time ran out."""
        user = outgoing.target.user_id
        name = self._names.get(user, user) if user is not None else None
        self._print(
            "\n(bericht van de planner, " + ("groep" if name is None else f"dm {name}") + ")"
        )
        self._show([outgoing.reply], (self._user, True) if name is None else (name, False))
        self._out.write(self._prompt())
        self._out.flush()
        return Result(Outcome.SENT)
