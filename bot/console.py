"""The console chat: the conversation core in a terminal.

It reads one line at a time, hands it to :meth:`Conversation.handle` exactly
as the Telegram app would, and prints the replies: Telegram HTML turned into
terminal text (bold, italics and underline as ANSI codes when the output is a
terminal, plain text otherwise; links with their address; quotes indented;
entities decoded). Buttons become numbered choices, ``[1] Turning points``;
typing the number presses the button. ``/quit`` or end of input leaves.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.core import ChatRef, Conversation, Reply
from briefs.transcript import remove_controls

__all__ = ["CONSOLE_CHAT", "Console", "html_to_terminal"]

CONSOLE_CHAT = ChatRef(chat_id=0, user_id=0, chat_type="private", is_admin=True)
"""The console is run by the machine's operator: an admin, in chat 0."""

_QUIT = frozenset({"/quit", "/exit", "/q"})
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>|([^<]+)|(<)")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# ANSI SGR codes: (on, off) per Telegram tag.
_STYLES = {
    "b": ("1", "22"),
    "strong": ("1", "22"),
    "i": ("3", "23"),
    "em": ("3", "23"),
    "u": ("4", "24"),
    "ins": ("4", "24"),
    "s": ("9", "29"),
    "strike": ("9", "29"),
    "del": ("9", "29"),
    "code": ("36", "39"),
    "pre": ("36", "39"),
    "tg-spoiler": ("7", "27"),
}


def html_to_terminal(html: str, *, color: bool = False) -> str:
    """Telegram HTML as terminal text; ANSI styles only when ``color``."""
    out: list[str] = []
    depth: dict[str, int] = {}
    links: list[str] = []
    quote = 0
    bar = "\x1b[2m│\x1b[22m " if color else "│ "

    def emit(text: str) -> None:
        if quote:
            text = text.replace("\n", "\n" + bar)
        out.append(text)

    for m in _TOKEN.finditer(html):
        closing, name, attrs, text, stray = m.groups()
        if text is not None or stray is not None:
            # No control character from the text reaches the terminal (an escape
            # code in an old database's title, or "&#27;"): only ours, for styles.
            emit(remove_controls(_html.unescape(text if text is not None else stray))[0])
            continue
        name = name.lower()
        if name == "blockquote":
            if closing:
                quote = max(0, quote - 1)
            else:
                at_line_start = not out or "".join(out).endswith("\n")
                out.append(("" if at_line_start else "\n") + bar)
                quote += 1
        elif name == "a":
            if closing:
                href = links.pop() if links else ""
                shown = "".join(out)
                if href and not shown.endswith(href):
                    emit(f" ({href})" if not color else f" \x1b[4m({href})\x1b[24m")
            else:
                found = _HREF.search(attrs or "")
                links.append(_html.unescape(next(g for g in found.groups() if g is not None))
                             if found else "")
        elif name in _STYLES and color:
            on, off = _STYLES[name]
            level = depth.get(name, 0)
            if closing:
                depth[name] = max(0, level - 1)
                if level == 1:
                    out.append(f"\x1b[{off}m")
            else:
                depth[name] = level + 1
                if level == 0:
                    out.append(f"\x1b[{on}m")
    return "".join(out)


@dataclass
class Console:
    """One console session: shows replies and remembers the numbered choices."""

    conversation: Conversation
    write: Callable[[str], None]
    color: bool = False
    chat: ChatRef = CONSOLE_CHAT
    choices: dict[int, str] = field(default_factory=dict)
    files: Path = field(default_factory=Path)
    """Where files the chat sends (``/export``) are written: the current folder."""

    def show(self, replies: list[Reply]) -> None:
        """Print replies; their buttons become the current numbered choices."""
        if not replies:
            return
        self.choices = {}
        for reply in replies:
            self.write(html_to_terminal(reply.html, color=self.color))
            if reply.document is not None:
                self.write(self._save(reply.document.filename, reply.document.data))
            for row in reply.buttons:
                cells = []
                for button in row:
                    number = len(self.choices) + 1
                    self.choices[number] = button.data
                    cells.append(f"[{number}] {button.label}")
                self.write("   ".join(cells))
            self.write("")

    def _save(self, name: str, data: bytes) -> str:
        """Write a sent file into ``files``; one line saying where, or why not."""
        target = self.files / Path(name).name  # a name, never a path elsewhere
        try:
            target.write_bytes(data)
        except OSError as err:
            return f"Could not write {target}: {err.strerror or err}"
        return f"Wrote {target}"

    async def say(self, line: str) -> bool:
        """Handle one input line; ``False`` when the user asked to leave."""
        line = line.strip()
        if line.lower() in _QUIT:
            return False
        if "\ufffd" in line:  # what the console's stdin makes of bytes that are not UTF-8
            self.write("(Part of that line was not UTF-8; those bytes are shown as \ufffd.)")
        # ASCII only: "²".isdigit() is True, but int("²") raises.
        if line.isascii() and line.isdigit() and int(line) in self.choices:
            replies = await self.conversation.handle(self.chat, callback=self.choices[int(line)])
        else:
            replies = await self.conversation.handle(self.chat, text=line)
        self.show(replies)
        return True

    async def run(
        self, readline: Callable[[], str], *, prompt: Callable[[], None] | None = None
    ) -> None:
        """The loop: greet, then read lines until ``/quit`` or end of input."""
        self.write("briefbot console chat. Type /help for commands, a number to press a")
        self.write("button, or any words to find quotes. /quit or Ctrl-D leaves.")
        self.write("")
        self.show(await self.conversation.handle(self.chat, text="/start"))
        while True:
            if prompt is not None:
                prompt()
            line = readline()
            if not line:  # end of input
                break
            if not await self.say(line):
                break
        self.write("Bye.")
