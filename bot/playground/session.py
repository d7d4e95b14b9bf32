"""One playground session: read a line, act on it, print what the bot answered."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.clock import utcnow
from bot.digests.parse import parse_text
from bot.digests.tags import load_vocabulary
from bot.discord.client import PaperBot
from bot.playground.commands import CommandError, parse_command
from bot.playground.render import render_message
from fakediscord import CallbackType, Channel, FakeDiscord, Guild, Message, User

__all__ = ["HELP", "Session", "ShiftedClock", "repl"]

# /announce now posts a whole issue under Discord's channel limit (5 messages per 5 s).
REPLY_WAIT = 60.0
LOCALES = {"ko": "ko", "en": "en-US"}
log = logging.getLogger(__name__)
HELP = """\
Type a slash command as in Discord, e.g.
  /search 환각                 /search hallucination tag:llm kind:weekly
  /paper random               /paper random tag:rlhf
  /paper show Chameleon       /digest latest        /digest list        /tags
  /paper related Chameleon    /library list         /library export     /alerts recommend on
  /alerts follow rlhf         /alerts list          /status
  /trends                     /trends weeks:16      (the chart is saved; its path is shown)
  /settings channel channel:papers    /settings schedule weekday:monday time:09:00
  /announce preview           /announce now
Under `lang ko` the Korean names work too: /검색 환각, /논문 랜덤 태그:rlhf
Then:
  press N      press button N of the last reply      pick N   choose entry N of its menu
  save         save the paper shown in the last reply to your library (its Save button)
  lang ko|en   answer as a Korean or English client   help     quit (or Ctrl-D, Ctrl-C)
Time and news, to see announcements and alerts without waiting a week:
  new issue    a (made-up) weekly issue arrives, as if the forum had just posted it
  wait         jump the bot's clock to this server's next announcement time"""

# A made-up issue for `new issue`: the playground needs papers that are new to the store.
DEMO_ISSUE = """[{start} ~ {end}] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)

  • 플레이그라운드용 예시 이슈입니다 (playground demo #{n}).

보상 모델 해킹 줄이기 #{n} / Reducing Reward Hacking in RLHF #{n}

논문 소개

RLHF에서 보상 모델 해킹을 줄이는 방법을 제안합니다.

Proposes a way to reduce reward hacking in RLHF with an ensemble of reward models.

논문 링크

https://example.org/playground/{n}/rlhf

멀티모달 환각 벤치마크 #{n} / A Multimodal Hallucination Benchmark #{n}

논문 소개

멀티모달 모델의 환각을 측정하는 벤치마크입니다.

A benchmark measuring hallucination in multimodal vision-language models.

논문 링크

https://example.org/playground/{n}/hallucination
"""


class ShiftedClock:
    """Real time plus an offset the playground's `wait` moves forward."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utcnow() + self.offset


@dataclass
class Session:
    fake: FakeDiscord
    guild: Guild
    channel: Channel
    user: User
    locale: str = "en-US"
    last: Message | None = None
    out: Callable[[str], None] = print
    bot: PaperBot | None = None
    clock: ShiftedClock = field(default_factory=ShiftedClock)
    demo_issues: int = 0

    files_dir: Path | None = None  # where attachments (charts) are saved; made on first use

    def show(self, message: Message) -> None:
        self.out(render_message(message, self.fake.world))
        for attachment in message.attachments:
            path = self.save(attachment.filename, attachment.data)
            self.out(f"   [file] {attachment.filename}: {path}")

    def save(self, filename: str, data: bytes) -> Path:
        """Write an attachment where the person at the terminal can open it: a folder that
        outlives the session (the sandbox store does not)."""
        if self.files_dir is None:
            self.files_dir = Path(tempfile.mkdtemp(prefix="paperbot-playground-files-"))
        path = self.files_dir / Path(filename).name
        path.write_bytes(data)
        return path


async def repl(session: Session, stdin: TextIO) -> None:
    interactive = stdin.isatty()
    lines = _lines(stdin, "> " if interactive else "")
    while True:
        line = await lines.get()
        if line is None:
            return
        line = line.strip()
        if not line:
            continue
        if not interactive:
            session.out(f"> {line}")
        if line in {"quit", "exit", ":q"}:
            return
        try:
            await handle(session, line)
        except (LookupError, ValueError, PermissionError) as error:
            session.out(f"(playground) {error}")
        except TimeoutError:
            session.out(f"(playground) no reply from the bot within {REPLY_WAIT:.0f} s")
        except Exception:  # a playground bug must not end the session: show it, go on
            log.exception("playground command failed: %s", line)
            session.out("(playground) that failed; the error is logged above")


def _lines(stdin: TextIO, prompt: str) -> asyncio.Queue[str | None]:
    """Lines from ``stdin`` (None at the end), read on a daemon thread.

    Not the event loop's executor: a thread blocked in ``input()`` there would keep the
    process alive after Ctrl-C until Enter was pressed. A daemon thread dies with it.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        while True:
            line = _read_line(stdin, prompt)
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            except RuntimeError:  # the loop is closed: the session is over
                return
            if line is None:
                return

    threading.Thread(target=read, name="playground-input", daemon=True).start()
    return queue


def _read_line(stdin: TextIO, prompt: str) -> str | None:
    if prompt and stdin is sys.stdin:
        try:
            return input(prompt)
        except (EOFError, KeyboardInterrupt):
            return None
    text = stdin.readline()
    return text if text else None


async def handle(session: Session, line: str) -> None:
    if line == "help":
        session.out(HELP)
        return
    word, _, rest = line.partition(" ")
    if word == "lang":
        choice = rest.strip().casefold()
        if choice not in LOCALES:
            raise ValueError(f"lang takes one of: {', '.join(LOCALES)} (not {rest.strip()!r})")
        session.locale = LOCALES[choice]
        session.out(f"(playground) now answering as a {session.locale} client")
        return
    if line == "new issue":
        await _new_issue(session)
        return
    if line == "wait":
        await _wait_for_slot(session)
        return
    if word in {"press", "click", "pick"}:
        await _component(session, word, rest.strip())
        return
    if line == "save":
        await _save_shown(session)
        return
    if not line.startswith("/"):
        session.out("(playground) start with / for a command, or type help")
        return
    commands = [c.payload() for c in session.fake.commands.all()]
    try:
        name, options = parse_command(commands, line[1:], session.guild, session.user)
    except CommandError as error:
        raise LookupError(str(error)) from None
    ix = await session.fake.slash(
        session.user, session.channel, name, options, locale=session.locale
    )
    message = await ix.original_message(within=REPLY_WAIT)
    session.last = message
    session.show(message)


async def _component(session: Session, verb: str, arg: str) -> None:
    message = session.last
    if message is None:
        raise LookupError("no reply to act on yet")
    index = int(arg) - 1 if arg.isdigit() else -1
    if verb == "pick":
        menu = next((c for c in message.iter_components() if c.get("type") == 3), None)
        if menu is None or not 0 <= index < len(menu["options"]):
            raise ValueError("no such menu entry")
        ix = await session.fake.select(
            message, menu["custom_id"], [menu["options"][index]["value"]], user=session.user
        )
        reply = await ix.original_message(within=REPLY_WAIT)
        if reply.buttons:  # a paper's details: `save` and `press` act on it next
            session.last = reply
        session.show(reply)
        return
    buttons = message.buttons
    if not 0 <= index < len(buttons):
        raise ValueError("no such button")
    button = buttons[index]
    if button.get("disabled"):
        raise ValueError(f"button {index + 1} ({button.get('label')}) is disabled")
    await _press(session, message, str(button["custom_id"]))


async def _press(session: Session, message: Message, custom_id: str) -> None:
    """Press a button; show the message it changed, or the new reply it gave (Related, Save)."""
    ix = await session.fake.click(message, custom_id, user=session.user, locale=session.locale)
    response = await ix.response(within=REPLY_WAIT)
    if response.type == CallbackType.UPDATE_MESSAGE:
        updated = session.fake.world.find_message(message.id) or message
        session.last = updated
        session.show(updated)
        return
    reply = await ix.original_message(within=REPLY_WAIT)
    if reply.components:  # a reply with buttons of its own becomes the one to act on
        session.last = reply
    session.show(reply)


async def _save_shown(session: Session) -> None:
    """Press the Save button of the paper the last reply shows."""
    message = session.last
    button = None
    if message is not None:
        button = next(
            (b for b in message.buttons if str(b.get("custom_id", "")).startswith("paper:save:")),
            None,
        )
    if message is None or button is None:
        raise LookupError("the last reply shows no paper to save: try /paper show first")
    await _press(session, message, str(button["custom_id"]))


async def _new_issue(session: Session) -> None:
    """Ingest a made-up weekly issue dated this week, queueing alerts as a real poll would."""
    assert session.bot is not None
    session.demo_issues += 1
    today = session.clock().date()
    start = today - dt.timedelta(days=today.weekday())
    text = DEMO_ISSUE.format(
        start=start.strftime("%Y/%m/%d"),
        end=(start + dt.timedelta(days=6)).strftime("%m/%d"),
        n=session.demo_issues,
    )
    document = parse_text(text, f"playground-demo-{session.demo_issues}", load_vocabulary())
    seen = len(session.fake.dms(session.user))
    await session.bot.store.ingest([document])
    session.out(
        f"(playground) a new weekly issue arrived: {document.title}, {len(document.papers)} papers"
    )
    await session.bot.jobs.drain_alerts()
    for message in session.fake.dms(session.user)[seen:]:
        session.out(
            "(playground) DM from paperbot:\n" + render_message(message, session.fake.world)
        )


async def _wait_for_slot(session: Session) -> None:
    """Move the bot's clock to this server's next announcement time and let the job run."""
    assert session.bot is not None
    settings = await session.bot.store.guilds.get_guild(session.guild.id)
    if settings is None:
        session.out("(playground) no announcement schedule yet: try /settings channel first")
        return
    if settings.fault is not None or settings.channel_id is None:
        session.out(
            f"(playground) announcements are paused here: {settings.reason or 'no channel'}"
        )
        return
    schedule = settings.schedule
    slot = schedule.next_slot_after(session.clock())
    session.clock.offset += slot - session.clock() + dt.timedelta(seconds=1)
    local = slot.astimezone(schedule.zone)
    session.out(f"(playground) the clock now reads {local:%Y-%m-%d %H:%M %Z}: announcing…")
    channel = session.fake.world.channels[settings.channel_id]
    before = len(session.fake.messages(channel))
    results = await session.bot.jobs.announce(session.guild.id)
    posted = session.fake.messages(channel)[before:]
    if not posted:
        outcome = ", ".join(r.outcome for r in results) or "nothing"
        session.out(f"(playground) nothing was due ({outcome}); try `new issue` first")
    for message in posted:
        session.show(message)
    for thread in session.guild.threads():
        count = len(session.fake.messages(thread))
        session.out(f"(playground) thread «{thread.name}»: {count} messages")
