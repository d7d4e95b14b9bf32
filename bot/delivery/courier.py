"""The one interface between the delivery workers and Discord.

The workers never import discord.py: they talk to a ``Courier`` (``bot/discord/rest_courier.py``
adapts discord.py; tests use an in-memory fake) and handle its typed errors. Mapping HTTP
status and Discord error codes to these errors is the adapter's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.render.message import Attachment, Component, Embed

__all__ = [
    "ClosedDMs",
    "Courier",
    "CourierError",
    "Forbidden",
    "NotFound",
    "RecentMessage",
    "Transient",
]


class CourierError(Exception):
    """Base of the errors a courier raises; anything else is a bug."""


class Forbidden(CourierError):  # noqa: N818 - the names the issue and adapters use
    """HTTP 403 with a Discord error code (50001 missing access, 50013 missing permissions)."""

    def __init__(self, code: int = 0, message: str = "") -> None:
        super().__init__(f"forbidden ({code}) {message}".strip())
        self.code = code


class NotFound(CourierError):  # noqa: N818 - the names the issue and adapters use
    """HTTP 404 (10003 unknown channel, 10008 unknown message, 10013 unknown user)."""

    def __init__(self, code: int = 0, message: str = "") -> None:
        super().__init__(f"not found ({code}) {message}".strip())
        self.code = code


class ClosedDMs(CourierError):  # noqa: N818 - the names the issue and adapters use
    """403 code 50007: the user does not accept DMs from us."""

    def __init__(self, message: str = "") -> None:
        super().__init__(f"cannot send messages to this user {message}".strip())


class Transient(CourierError):  # noqa: N818 - the names the issue and adapters use
    """Worth retrying: 5xx, timeouts, 429 beyond the library's own handling."""

    def __init__(self, retry_after: float | None = None, message: str = "") -> None:
        super().__init__(f"transient error {message}".strip())
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RecentMessage:
    """Enough of a recent message to recognise our own by its marker: ``markers`` are the
    hidden ones (``bot.render.announcements.markers_in``); content and footers still count
    for posts of versions that wrote the marker there."""

    id: int
    content: str = ""
    footers: tuple[str, ...] = field(default_factory=tuple)
    markers: tuple[str, ...] = field(default_factory=tuple)

    @property
    def texts(self) -> Sequence[str]:
        return (*self.markers, self.content, *self.footers)


class Courier(Protocol):
    """What the workers need from Discord. Every method raises only ``CourierError``s."""

    async def post_message(
        self,
        channel_id: int,
        content: str,
        embeds: Sequence[Embed],
        allowed_role_id: int | None,
        *,
        files: Sequence[Attachment] = (),
        components: Sequence[Component] = (),
    ) -> int:
        """Post to a channel or thread; only ``allowed_role_id`` may be pinged. Returns the
        message id. ``files`` are uploaded with it (a chart); ``components`` carry persistent
        custom ids (handled by the bot whenever they are pressed, across restarts), never
        callbacks of their own. Callers without either may omit them, so couriers that never
        carry them need not know them."""
        ...

    async def create_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """Start a thread on a message; returns the thread id. Must be idempotent: if the
        message already has a thread (a resumed delivery), return that thread (on Discord a
        message's thread has the message's id)."""
        ...

    async def recent_messages(self, channel_id: int, limit: int) -> list[RecentMessage]:
        """The newest ``limit`` messages of a channel or thread, newest first."""
        ...

    async def send_dm(
        self, user_id: int, embeds: Sequence[Embed], *, components: Sequence[Component] = ()
    ) -> int:
        """DM a user; returns the message id. ``ClosedDMs`` if they do not accept DMs."""
        ...

    async def recent_dms(self, user_id: int, limit: int) -> list[RecentMessage]:
        """The newest messages of our DM channel with a user (to recognise an alert a
        crashed worker sent but did not record)."""
        ...
