"""The playground: the real bot against the bundled Discord emulator, driven from a terminal.

For newcomers without a Discord token: type `/search 환각`, press buttons, and read the bot's
replies rendered as text. Everything below the terminal is real: discord.py, the cogs, the
store; only Discord itself is the local emulator (`fakediscord`) on loopback.

A sandbox: the bot runs on a temporary store of its own, filled from the configured digests,
so nothing typed here (made-up issues, settings, follows) reaches the configured store, which
is never opened.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import shlex
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.digests.parse import parse_text
from bot.digests.tags import load_vocabulary
from bot.discord.client import PaperBot
from bot.discord.runner import open_bot
from bot.settings import Settings
from bot.slots import Schedule
from fakediscord import Channel, FakeDiscord, Guild, User
from fakediscord.world import Message

BANNER = (
    "paperbot playground: the real bot on a local Discord emulator (no token needed).\n"
    "To connect to Discord instead, set DISCORD_TOKEN and run `make run` again "
    "(README: 'Connecting to Discord')."
)
# /announce now posts a whole issue under Discord's channel limit (5 messages per 5 s).
REPLY_WAIT = 60.0
log = logging.getLogger(__name__)
HELP = """\
Type a slash command as in Discord, e.g.
  /search 환각                 /search hallucination tag:llm kind:weekly
  /paper random               /paper random tag:rlhf
  /paper show Chameleon       /digest latest        /digest list        /tags
  /alerts follow rlhf         /alerts list          /status
  /settings channel channel:papers    /settings schedule weekday:monday time:09:00
  /announce preview           /announce now
Then:
  press N      press button N of the last reply      pick N   choose entry N of its menu
  lang ko|en   answer as a Korean or English client   help     quit
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
        return dt.datetime.now(dt.UTC) + self.offset


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


def build_world(fake: FakeDiscord) -> tuple[Guild, Channel, User]:
    guild = fake.world.add_guild(
        "paperbot playground", locale="ko", channels=("papers", "announcements")
    )
    you = fake.world.add_user("you")
    guild.add_member(you, admin=True)
    # Your bot: you own the application too (/status shows the owner's global figures).
    fake.world.application = dataclasses.replace(fake.world.application, owner=you)
    return guild, guild.channel("papers"), you


async def run_playground(
    settings: Settings, *, stdin: TextIO = sys.stdin, out: Callable[[str], None] = print
) -> None:
    out(BANNER)
    async with FakeDiscord() as fake:
        guild, channel, you = build_world(fake)
        discord_settings = settings.discord.model_copy(
            update={
                "rest_url": fake.rest_url,
                "gateway_url": fake.gateway_url,
                "dev_guild_id": None,
            }
        )
        clock = ShiftedClock()
        with tempfile.TemporaryDirectory(prefix="paperbot-playground-") as sandbox:
            # A store of its own, filled from the configured digests: made-up issues, settings
            # and follows stay in the sandbox, and the real store is never opened.
            store_settings = settings.store.model_copy(
                update={"path": Path(sandbox) / "playground.db"}
            )
            local = settings.model_copy(
                update={"discord": discord_settings, "store": store_settings}
            )
            await _play(local, fake, guild, channel, you, clock, stdin, out)


async def _play(
    settings: Settings,
    fake: FakeDiscord,
    guild: Guild,
    channel: Channel,
    you: User,
    clock: ShiftedClock,
    stdin: TextIO,
    out: Callable[[str], None],
) -> None:
    async with open_bot(settings, always_sync=True, clock=clock) as bot:
        runner = asyncio.create_task(bot.start(fake.token))
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({runner, ready}, return_when=asyncio.FIRST_COMPLETED)
        if runner.done():
            ready.cancel()
            runner.result()  # raises what stopped the bot
            return
        out(
            f"Connected as {bot.user} to the server '{guild.name}', channel #{channel.name}."
            f" Type `help` for examples."
        )
        session = Session(
            fake=fake, guild=guild, channel=channel, user=you, out=out, bot=bot, clock=clock
        )
        try:
            await repl(session, stdin)
        finally:
            await bot.close()
            await runner


async def repl(session: Session, stdin: TextIO) -> None:
    interactive = stdin.isatty()
    while True:
        line = await asyncio.to_thread(_read_line, stdin, "> " if interactive else "")
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


def _read_line(stdin: TextIO, prompt: str) -> str | None:
    if prompt:
        try:
            return input(prompt)
        except EOFError:
            return None
    text = stdin.readline()
    return text if text else None


async def handle(session: Session, line: str) -> None:
    if line == "help":
        session.out(HELP)
        return
    word, _, rest = line.partition(" ")
    if word == "lang":
        session.locale = "ko" if rest.strip().startswith("ko") else "en-US"
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
    if not line.startswith("/"):
        session.out("(playground) start with / for a command, or type help")
        return
    name, options = parse_command(session, line[1:])
    ix = await session.fake.slash(
        session.user, session.channel, name, options, locale=session.locale
    )
    message = await ix.original_message(within=REPLY_WAIT)
    session.last = message
    session.out(render_message(message))


def parse_command(session: Session, text: str) -> tuple[str, dict[str, Any]]:
    """`paper random tag:rlhf` -> ("paper random", {"tag": "rlhf"}), using the synced schema.

    Words after the command that are not `name:value` fill the first text option, so
    `/search large language models` works as it does in Discord's box.
    """
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    commands = {c.name: c.payload() for c in session.fake.commands.all()}
    if not words or words[0] not in commands:
        known = ", ".join(f"/{n}" for n in sorted(commands))
        raise LookupError(f"unknown command; try one of {known}")
    path = [words.pop(0)]
    schema = commands[path[0]]
    while words and any(
        o.get("type") in (1, 2) and o["name"] == words[0] for o in schema.get("options", [])
    ):
        schema = next(o for o in schema["options"] if o["name"] == words[0])
        path.append(words.pop(0))
    params = [o for o in schema.get("options", []) if o.get("type") not in (1, 2)]
    if any(o.get("type") in (1, 2) for o in schema.get("options", [])):
        subs = ", ".join(o["name"] for o in schema["options"])
        raise LookupError(f"/{' '.join(path)} needs one of: {subs}")
    options: dict[str, Any] = {}
    free: list[str] = []
    names = {o["name"] for o in params}
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key in names:
            options[key] = value
        else:
            free.append(word)
    if free:
        first_text = next(
            (o for o in params if o.get("type") == 3 and o["name"] not in options), None
        )
        if first_text is None:
            raise ValueError(f"/{' '.join(path)} takes no text; options: {', '.join(names)}")
        options[first_text["name"]] = " ".join(free)
    by_name = {o["name"]: o for o in params}
    return " ".join(path), {k: _typed(session, by_name[k], v) for k, v in options.items()}


def _typed(session: Session, schema: dict[str, Any], value: Any) -> Any:
    """A typed word as Discord's client would send it: choices by name, channels by name."""
    if not isinstance(value, str):
        return value
    for choice in schema.get("choices") or []:
        if value.casefold() in (str(choice["name"]).casefold(), str(choice["value"]).casefold()):
            return choice["value"]
    kind = schema.get("type")
    if kind == 7:  # channel
        return session.guild.channel(value.lstrip("#"))
    if kind == 8:  # role
        return session.guild.role(value.lstrip("@"))
    if kind == 6:  # user
        return session.user
    if kind == 4:
        return int(value)
    if kind == 10:
        return float(value)
    if kind == 5:
        return value.casefold() in {"true", "yes", "1", "on"}
    return value


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
        session.out(render_message(reply))
        return
    buttons = message.buttons
    if not 0 <= index < len(buttons):
        raise ValueError("no such button")
    button = buttons[index]
    if button.get("disabled"):
        raise ValueError(f"button {index + 1} ({button.get('label')}) is disabled")
    ix = await session.fake.click(message, button["custom_id"], user=session.user)
    await ix.response(within=REPLY_WAIT)
    updated = session.fake.world.find_message(message.id) or message
    session.last = updated
    session.out(render_message(updated))


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
        session.out("(playground) DM from paperbot:\n" + render_message(message))


async def _wait_for_slot(session: Session) -> None:
    """Move the bot's clock to this server's next announcement time and let the job run."""
    assert session.bot is not None
    settings = await session.bot.store.guilds.get_guild(session.guild.id)
    if settings is None:
        session.out("(playground) no announcement schedule yet: try /settings channel first")
        return
    schedule = Schedule.parse(settings.weekday, settings.time, settings.timezone)
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
        session.out(render_message(message))
    for thread in session.guild.threads():
        count = len(session.fake.messages(thread))
        session.out(f"(playground) thread «{thread.name}»: {count} messages")


def render_message(message: Message) -> str:
    """A Discord message as terminal text: content, embeds, then numbered buttons/menus."""
    lines: list[str] = []
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        title = embed.get("title")
        if title:
            lines.append(f"== {title} ==")
        if embed.get("url"):
            lines.append(f"   {embed['url']}")
        if embed.get("description"):
            lines.append(embed["description"])
        for fld in embed.get("fields", []):
            lines.append(f"-- {fld['name']}: {fld['value']}")
        if embed.get("footer"):
            lines.append(f"   ({embed['footer']['text']})")
    buttons = message.buttons
    if buttons:
        lines.append(
            "   ".join(
                f"[{i}] {b.get('label', '')}{' (disabled)' if b.get('disabled') else ''}"
                for i, b in enumerate(buttons, start=1)
            )
        )
    for component in message.iter_components():
        if component.get("type") == 3:
            lines.append(f"menu: {component.get('placeholder', '')}")
            lines.extend(
                f"  ({i}) {o['label']}" for i, o in enumerate(component.get("options", []), start=1)
            )
    if message.flags & 64:
        lines.append("   (only you can see this)")
    return "\n".join(lines)
