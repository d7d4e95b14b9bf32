"""Channels (text, forum, threads, DMs), their permission overwrites, and the messages in them.

Plain data: the world creates them, ``messages.py`` builds messages from request bodies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .constants import (
    THREAD_TYPES,
    ChannelType,
    MessageFlag,
)
from .users import User


@dataclass
class Overwrite:
    """A channel permission overwrite; ``type`` 0 is a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Pings:
    """Who a message actually notifies once ``allowed_mentions`` is applied."""

    users: frozenset[int] = frozenset()
    roles: frozenset[int] = frozenset()
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.users or self.roles or self.everyone)


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    timestamp: str
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    tts: bool = False
    #: The ``allowed_mentions`` the sender passed (``None`` when it sent none).
    allowed_mentions: dict[str, Any] | None = None
    pings: Pings = field(default_factory=Pings)
    mention_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    edited_timestamp: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    nonce: str | int | None = None
    pinned: bool = False
    #: For ephemeral messages: the only user who can see it.
    ephemeral_to: int | None = None
    #: emoji -> user ids who reacted.
    reactions: dict[str, list[int]] = field(default_factory=dict)
    thread_id: int | None = None
    poll: dict[str, Any] | None = None
    deleted: bool = False
    #: Every earlier version of the message body (content/embeds/components/flags), oldest first.
    revisions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def loading(self) -> bool:
        """A deferred interaction response still showing "Bot is thinking..."."""
        return bool(self.flags & MessageFlag.LOADING)

    @property
    def edited(self) -> bool:
        return self.edited_timestamp is not None

    def visible_to(self, user: User | int) -> bool:
        uid = user if isinstance(user, int) else user.id
        return not self.deleted and (self.ephemeral_to is None or self.ephemeral_to == uid)

    def iter_components(self) -> Iterator[dict[str, Any]]:
        """Every component, depth first (action rows, containers, sections, accessories)."""
        yield from _walk_components(self.components)

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        for component in self.iter_components():
            if component.get("custom_id") == custom_id:
                return component
        return None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in self.iter_components() if c.get("type") == 2]

    @property
    def text(self) -> str:
        """Content plus every text field of every embed, for "does the reply mention X" checks."""
        parts = [self.content]
        for embed in self.embeds:
            parts.extend(_embed_texts(embed))
        for component in self.iter_components():
            for key in ("content", "label", "placeholder"):
                value = component.get(key)
                if isinstance(value, str):
                    parts.append(value)
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        flags = f" flags={self.flags}" if self.flags else ""
        return (
            f"<Message id={self.id} channel={self.channel_id} content={self.content[:40]!r}{flags}>"
        )


def _walk_components(components: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        children = component.get("components")
        if isinstance(children, list):
            yield from _walk_components(children)
        for key in ("accessory", "component"):
            child = component.get(key)
            if isinstance(child, dict):
                yield from _walk_components([child])


def _embed_texts(embed: dict[str, Any]) -> Iterator[str]:
    for key in ("title", "description", "url"):
        value = embed.get(key)
        if isinstance(value, str):
            yield value
    for key in ("author", "footer"):
        sub = embed.get(key)
        if isinstance(sub, dict):
            value = sub.get("name") or sub.get("text")
            if isinstance(value, str):
                yield value
    for f in embed.get("fields") or []:
        if isinstance(f, dict):
            yield str(f.get("name", ""))
            yield str(f.get("value", ""))


@dataclass(eq=False)
class Channel:
    id: int
    type: ChannelType
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    #: DM channels: the other user.
    recipient: User | None = None
    #: Private channels between users (a DM or group DM without the bot): who is in it.
    members: list[User] = field(default_factory=list)
    #: Threads: who created it, archive state.
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    invitable: bool = True
    created_at: str = ""
    messages: list[Message] = field(default_factory=list)
    last_message_id: int | None = None

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_dm(self) -> bool:
        return self.type in (ChannelType.DM, ChannelType.GROUP_DM)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_private(self) -> bool:
        """A DM or group DM between users, not with the bot: only user-installed apps work
        there (interaction context 2, PRIVATE_CHANNEL)."""
        return self.is_dm and bool(self.members)

    @property
    def live_messages(self) -> list[Message]:
        """Messages not deleted, oldest first (ephemeral ones included)."""
        return [m for m in self.messages if not m.deleted]

    def visible_messages(self, user: User | int) -> list[Message]:
        """What ``user`` sees in this channel, oldest first (their ephemeral messages included)."""
        return [m for m in self.messages if m.visible_to(user)]

    def __repr__(self) -> str:
        return f"<Channel {self.name or self.type.name} id={self.id}>"
