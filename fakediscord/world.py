"""The emulated Discord world: users, guilds, roles, members, channels and messages.

Plain data plus a few rules (snowflakes, permission arithmetic, who can see what). The REST and
gateway layers read and change it; tests read it to see "what the user sees". Changes that a
connected bot would hear about are announced through :meth:`World.listen` as ``(event, object)``
pairs, which the server turns into gateway dispatches.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .constants import (
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DISCORD_EPOCH_MS,
    THREAD_TYPES,
    ChannelType,
    MessageFlag,
    Permission,
)

Clock = Callable[[], float]
"""Seconds since the Unix epoch (``time.time`` by default); inject a fake one in tests."""

WorldListener = Callable[[str, object], None]


def iso_timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


class SnowflakeGenerator:
    """Discord-shaped ids: milliseconds since 2015 in the high bits, strictly increasing."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0

    def __call__(self) -> int:
        ms = int(self._clock() * 1000) - DISCORD_EPOCH_MS
        candidate = max(ms, 0) << 22
        self._last = max(self._last + 1, candidate)
        return self._last

    def on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next id whose guild belongs to shard ``shard_id`` of ``shard_count`` (Discord's
        rule: ``(id >> 22) % shard_count``), still strictly increasing."""
        stamp = (self() >> 22) + (shard_id - (self._last >> 22)) % shard_count
        self._last = max(self._last, stamp << 22)
        return self._last


@dataclass(eq=False)
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"
    #: ``False`` models "Allow direct messages from server members" switched off: the bot's
    #: ``POST /channels/{dm}/messages`` gets 403 code 50007.
    dms_open: bool = True
    avatar: str | None = None

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def __repr__(self) -> str:
        return f"<User {self.username} id={self.id}>"


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    @property
    def is_everyone(self) -> bool:
        return self.id == self.guild_id


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = ""

    @property
    def id(self) -> int:
        return self.user.id


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


class Guild:
    def __init__(
        self, world: World, *, id: int, name: str, owner: User, locale: str, created: float
    ) -> None:
        self.world = world
        self.id = id
        self.name = name
        self.owner_id = owner.id
        self.preferred_locale = locale
        self.joined_at = iso_timestamp(created)
        self.roles: dict[int, Role] = {}
        self.members: dict[int, Member] = {}
        self.channel_ids: list[int] = []
        self.system_channel_id: int | None = None

    def __repr__(self) -> str:
        return f"<Guild {self.name} id={self.id}>"

    # -- reading -------------------------------------------------------------------------------

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    @property
    def channels(self) -> list[Channel]:
        return [self.world.channels[cid] for cid in self.channel_ids]

    def channel(self, name: str) -> Channel:
        for ch in self.channels:
            if ch.name == name:
                return ch
        raise KeyError(f"no channel named {name!r} in {self.name}")

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r} in {self.name}")

    def member(self, user: User | int) -> Member | None:
        return self.members.get(user if isinstance(user, int) else user.id)

    @property
    def has_bot(self) -> bool:
        """Whether the bot is a member (the app is installed to this guild)."""
        return self.world.bot.id in self.members

    @property
    def bot_member(self) -> Member:
        return self.members[self.world.bot.id]

    # -- changing ------------------------------------------------------------------------------

    def add_role(
        self,
        name: str,
        *,
        permissions: int = 0,
        mentionable: bool = False,
        color: int = 0,
        hoist: bool = False,
        managed: bool = False,
        bot_id: int | None = None,
    ) -> Role:
        role = Role(
            id=self.world.snowflake(),
            guild_id=self.id,
            name=name,
            permissions=permissions,
            position=len(self.roles),
            color=color,
            hoist=hoist,
            mentionable=mentionable,
            managed=managed,
            bot_id=bot_id,
        )
        self.roles[role.id] = role
        self.world.emit("GUILD_ROLE_CREATE", role)
        return role

    def add_member(
        self,
        user: User,
        *,
        roles: Iterable[Role] = (),
        admin: bool = False,
        permissions: int | None = None,
        nick: str | None = None,
    ) -> Member:
        """Add ``user`` to the guild.

        ``admin=True`` gives the member an "Admin" role with ADMINISTRATOR; ``permissions=bits``
        gives the member a role of their own with exactly those bits (on top of @everyone).
        """
        role_ids = [r.id for r in roles]
        if admin:
            role_ids.append(self._admin_role().id)
        if permissions is not None:
            role_ids.append(self.add_role(f"perms-{user.username}", permissions=permissions).id)
        member = Member(
            user=user,
            guild_id=self.id,
            role_ids=role_ids,
            nick=nick,
            joined_at=iso_timestamp(self.world.clock()),
        )
        self.members[user.id] = member
        self.world.users.setdefault(user.id, user)
        self.world.emit("GUILD_MEMBER_ADD", member)
        return member

    def _admin_role(self) -> Role:
        for role in self.roles.values():
            if role.name == "Admin" and role.permissions & Permission.ADMINISTRATOR:
                return role
        return self.add_role("Admin", permissions=ALL_PERMISSIONS)

    def add_text_channel(
        self,
        name: str,
        *,
        topic: str | None = None,
        category: Channel | None = None,
        overwrites: Iterable[Overwrite] = (),
        type: ChannelType = ChannelType.GUILD_TEXT,
        nsfw: bool = False,
    ) -> Channel:
        return self._add_channel(
            name,
            type=type,
            topic=topic,
            parent_id=category.id if category else None,
            overwrites=overwrites,
            nsfw=nsfw,
        )

    def add_forum_channel(self, name: str, *, topic: str | None = None) -> Channel:
        return self._add_channel(name, type=ChannelType.GUILD_FORUM, topic=topic)

    def _add_channel(
        self,
        name: str,
        *,
        type: ChannelType,
        topic: str | None = None,
        parent_id: int | None = None,
        overwrites: Iterable[Overwrite] = (),
        nsfw: bool = False,
    ) -> Channel:
        channel = Channel(
            id=self.world.snowflake(),
            type=type,
            name=name,
            guild_id=self.id,
            position=len(self.channel_ids),
            parent_id=parent_id,
            topic=topic,
            nsfw=nsfw,
            overwrites=list(overwrites),
            created_at=iso_timestamp(self.world.clock()),
        )
        self.world.channels[channel.id] = channel
        self.channel_ids.append(channel.id)
        if self.system_channel_id is None and type == ChannelType.GUILD_TEXT:
            self.system_channel_id = channel.id
        self.world.emit("CHANNEL_CREATE", channel)
        return channel

    def threads(self) -> list[Channel]:
        return [c for c in self.channels if c.is_thread]

    # -- permissions ---------------------------------------------------------------------------

    def base_permissions(self, user: User | int) -> int:
        uid = user if isinstance(user, int) else user.id
        if uid == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(uid)
        if member is None:
            return 0
        perms = self.everyone.permissions
        for rid in member.role_ids:
            role = self.roles.get(rid)
            if role is not None:
                perms |= role.permissions
        if perms & Permission.ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms

    def permissions_in(self, user: User | int, channel: Channel | None) -> int:
        """Discord's permission algorithm: base, then @everyone, role and member overwrites."""
        uid = user if isinstance(user, int) else user.id
        perms = self.base_permissions(uid)
        if perms == ALL_PERMISSIONS or channel is None:
            return perms
        target = channel
        if channel.is_thread and channel.parent_id is not None:
            target = self.world.channels.get(channel.parent_id, channel)
        member = self.members.get(uid)
        role_ids = set(member.role_ids) if member else set()
        overwrites = {(o.type, o.id): o for o in target.overwrites}
        everyone = overwrites.get((0, self.id))
        if everyone:
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for o in target.overwrites:
            if o.type == 0 and o.id in role_ids:
                allow |= o.allow
                deny |= o.deny
        perms = (perms & ~deny) | allow
        own = overwrites.get((1, uid))
        if own:
            perms = (perms & ~own.deny) | own.allow
        if not perms & Permission.VIEW_CHANNEL:
            return 0
        return perms


@dataclass
class Application:
    id: int
    name: str
    owner: User
    description: str = "A bot running against fakediscord"
    flags: int = 0
    verify_key: str = "0" * 64


class World:
    """Everything the emulator knows; create objects through its methods so ids and events
    line up."""

    def __init__(self, clock: Clock, *, bot_name: str = "paperbot") -> None:
        self.clock = clock
        self.snowflake = SnowflakeGenerator(clock)
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self._listeners: list[WorldListener] = []
        self._names = itertools.count(1)
        #: Users who added the app to their account (user installs).
        self.user_installs: set[int] = set()
        owner = self.add_user(f"{bot_name}-owner")
        self.bot = self.add_user(bot_name, bot=True)
        self.application = Application(id=self.bot.id, name=bot_name, owner=owner)

    # -- events --------------------------------------------------------------------------------

    def listen(self, listener: WorldListener) -> None:
        self._listeners.append(listener)

    def emit(self, event: str, obj: object) -> None:
        for listener in list(self._listeners):
            listener(event, obj)

    # -- users and guilds ----------------------------------------------------------------------

    def add_user(
        self,
        username: str | None = None,
        *,
        locale: str = "en-US",
        dms_open: bool = True,
        global_name: str | None = None,
        bot: bool = False,
    ) -> User:
        user = User(
            id=self.snowflake(),
            username=username or f"user{next(self._names)}",
            global_name=global_name,
            bot=bot,
            locale=locale,
            dms_open=dms_open,
        )
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        owner: User | None = None,
        locale: str = "en-US",
        channels: Iterable[str] = ("general",),
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        with_bot: bool = True,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A guild the bot is in: @everyone, the bot's managed role, the owner, text channels.

        ``with_bot=False``: a guild without the bot (the app is not installed there); the bot
        hears nothing of it, but members who added the app to their account can still use its
        user-installable commands there. ``shard=(id, count)`` picks an id that a bot with
        ``count`` shards receives on ``id``."""
        if owner is None:
            owner = self.add_user(f"{_slug(name)}-owner")
        guild = Guild(
            self,
            id=self.snowflake() if shard is None else self.snowflake.on_shard(*shard),
            name=name,
            owner=owner,
            locale=locale,
            created=self.clock(),
        )
        # Built quietly; the bot hears one GUILD_CREATE at the end.
        guild.roles[guild.id] = Role(
            id=guild.id, guild_id=guild.id, name="@everyone", permissions=everyone_permissions
        )
        now = iso_timestamp(self.clock())
        bot_role = Role(
            id=self.snowflake(),
            guild_id=guild.id,
            name=self.bot.username,
            permissions=bot_permissions,
            position=1,
            managed=True,
            bot_id=self.bot.id,
        )
        guild.members[owner.id] = Member(user=owner, guild_id=guild.id, joined_at=now)
        if with_bot:
            guild.roles[bot_role.id] = bot_role
            guild.members[self.bot.id] = Member(
                user=self.bot, guild_id=guild.id, role_ids=[bot_role.id], joined_at=now
            )
        self.users.setdefault(owner.id, owner)
        self.guilds[guild.id] = guild
        muted = self._listeners
        self._listeners = []
        try:
            for channel_name in channels:
                guild.add_text_channel(channel_name)
        finally:
            self._listeners = muted
        if with_bot:
            self.emit("GUILD_CREATE", guild)
        return guild

    def remove_bot(self, guild: Guild) -> None:
        """The bot is kicked (or the app removed) from ``guild``: its member and managed role
        go, and it hears GUILD_DELETE without ``unavailable`` (Discord's "you were removed")."""
        guild.members.pop(self.bot.id, None)
        for role_id, role in list(guild.roles.items()):
            if role.bot_id == self.bot.id:
                del guild.roles[role_id]
        self.emit("GUILD_DELETE", guild)

    def install_for_user(self, user: User) -> None:
        """``user`` adds the app to their account (a user install, integration type 1)."""
        self.user_installs.add(user.id)

    def private_channel(self, *users: User) -> Channel:
        """A DM (two users) or group DM (more) between users, without the bot."""
        if len(users) < 2:
            raise ValueError("a private channel has at least two users")
        channel = Channel(
            id=self.snowflake(),
            type=ChannelType.DM if len(users) == 2 else ChannelType.GROUP_DM,
            members=list(users),
            created_at=iso_timestamp(self.clock()),
        )
        self.channels[channel.id] = channel
        return channel

    def guild(self, name: str) -> Guild:
        for guild in self.guilds.values():
            if guild.name == name:
                return guild
        raise KeyError(f"no guild named {name!r}")

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id is not None else None

    def dm_channel(self, user: User) -> Channel:
        """The bot's DM channel with ``user`` (created on first use, like Discord does)."""
        for channel in self.channels.values():
            if channel.type == ChannelType.DM and channel.recipient is user:
                return channel
        channel = Channel(
            id=self.snowflake(),
            type=ChannelType.DM,
            recipient=user,
            created_at=iso_timestamp(self.clock()),
        )
        self.channels[channel.id] = channel
        return channel

    def create_thread(
        self,
        parent: Channel,
        name: str,
        *,
        owner: User,
        type: ChannelType = ChannelType.PUBLIC_THREAD,
        thread_id: int | None = None,
        auto_archive_duration: int = 1440,
        invitable: bool = True,
    ) -> Channel:
        guild = self.guild_of(parent)
        if guild is None:
            raise ValueError("threads live in guild channels")
        thread = Channel(
            id=thread_id if thread_id is not None else self.snowflake(),
            type=type,
            name=name,
            guild_id=guild.id,
            parent_id=parent.id,
            owner_id=owner.id,
            auto_archive_duration=auto_archive_duration,
            invitable=invitable,
            created_at=iso_timestamp(self.clock()),
        )
        self.channels[thread.id] = thread
        guild.channel_ids.append(thread.id)
        self.emit("THREAD_CREATE", thread)
        return thread

    # -- messages ------------------------------------------------------------------------------

    def add_message(self, message: Message) -> Message:
        channel = self.channels[message.channel_id]
        channel.messages.append(message)
        self.messages[message.id] = message
        if message.ephemeral_to is None:
            channel.last_message_id = message.id
            self.emit("MESSAGE_CREATE", message)
        return message

    def edit_message(self, message: Message, changes: dict[str, Any]) -> Message:
        """Apply a PATCH-style body (fields absent stay as they were) and emit MESSAGE_UPDATE."""
        message.revisions.append(
            {
                "content": message.content,
                "embeds": message.embeds,
                "components": message.components,
                "flags": message.flags,
                "edited_timestamp": message.edited_timestamp,
            }
        )
        for key, value in changes.items():
            setattr(message, key, value)
        message.edited_timestamp = iso_timestamp(self.clock())
        if message.ephemeral_to is None:
            self.emit("MESSAGE_UPDATE", message)
        return message

    def delete_message(self, message: Message) -> None:
        message.deleted = True
        if message.ephemeral_to is None:
            self.emit("MESSAGE_DELETE", message)

    def find_message(self, message_id: int) -> Message | None:
        return self.messages.get(message_id)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "guild"
