"""An in-memory Courier: channels, threads and DMs as lists, with injectable faults.

Only the Discord side is faked; the database under the workers is always a real SQLite file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.delivery import RecentMessage
from bot.render.announcements import markers_in
from bot.render.message import Embed

Fault = Callable[[str, int], BaseException | None]  # (operation, target id) -> error to raise


class Crash(BaseException):
    """The process dying mid-operation: not an Exception, nothing in the bot catches it."""


@dataclass
class Posted:
    id: int
    content: str
    embeds: list[Embed]
    allowed_role_id: int | None = None
    components: list[Embed] = field(default_factory=list)

    @property
    def footers(self) -> tuple[str, ...]:
        return tuple(e.get("footer", {}).get("text", "") for e in self.embeds)

    @property
    def markers(self) -> tuple[str, ...]:
        return markers_in(self.embeds)

    def recent(self) -> RecentMessage:
        return RecentMessage(self.id, self.content, self.footers, self.markers)


@dataclass
class FakeCourier:
    channels: dict[int, list[Posted]] = field(default_factory=dict)
    dms: dict[int, list[Posted]] = field(default_factory=dict)
    threads: dict[int, int] = field(default_factory=dict)  # message id -> thread id
    fault: Fault | None = None
    # raised AFTER the operation took effect (a crash between "sent" and "recorded")
    fault_after: Fault | None = None
    dm_attempts: dict[int, list[dt.datetime]] = field(default_factory=dict)
    clock: Callable[[], dt.datetime] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def _check(self, fault: Fault | None, op: str, target: int) -> None:
        if fault is not None and (error := fault(op, target)) is not None:
            raise error

    async def post_message(
        self,
        channel_id: int,
        content: str,
        embeds: Sequence[Embed],
        allowed_role_id: int | None,
        *,
        components: Sequence[Embed] = (),
    ) -> int:
        self._check(self.fault, "post", channel_id)
        message = Posted(next(self._ids), content, list(embeds), allowed_role_id, list(components))
        self.channels.setdefault(channel_id, []).append(message)
        self._check(self.fault_after, "post", channel_id)
        return message.id

    async def create_thread(self, channel_id: int, message_id: int, name: str) -> int:
        self._check(self.fault, "thread", channel_id)
        self.threads.setdefault(message_id, message_id)  # Discord: thread id = message id
        self.channels.setdefault(message_id, [])
        return self.threads[message_id]

    async def recent_messages(self, channel_id: int, limit: int) -> list[RecentMessage]:
        messages = self.channels.get(channel_id, [])[-limit:][::-1]
        return [m.recent() for m in messages]

    async def send_dm(
        self, user_id: int, embeds: Sequence[Embed], *, components: Sequence[Embed] = ()
    ) -> int:
        if self.clock is not None:
            self.dm_attempts.setdefault(user_id, []).append(self.clock())
        self._check(self.fault, "dm", user_id)
        message = Posted(next(self._ids), "", list(embeds), components=list(components))
        self.dms.setdefault(user_id, []).append(message)
        self._check(self.fault_after, "dm", user_id)
        return message.id

    async def recent_dms(self, user_id: int, limit: int) -> list[RecentMessage]:
        messages = self.dms.get(user_id, [])[-limit:][::-1]
        return [m.recent() for m in messages]

    def footers(self, channel_id: int) -> list[str]:
        return [f for m in self.channels.get(channel_id, []) for f in m.footers]

    def markers(self, channel_id: int) -> list[str]:
        """The (hidden) recovery markers of a channel's messages, oldest first."""
        return [marker for m in self.channels.get(channel_id, []) for marker in m.markers]


class FakeClock:
    """A settable UTC clock."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now
