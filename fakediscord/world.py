"""The emulated Discord world: where users, guilds, channels and messages are created and found.

The entities are plain data plus a few rules, one module each: ``users.py``, ``guilds.py``
(roles, members, permission arithmetic), ``channels.py`` (overwrites, messages, who can see
what), ``snowflakes.py`` (ids and timestamps). The REST and
gateway layers read and change it; tests read it to see "what the user sees". Changes that a
connected bot would hear about are announced through :meth:`World.listen` as ``(event, object)``
pairs, which the server turns into gateway dispatches.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .channels import Channel, Message
from .constants import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    ChannelType,
)
from .guilds import Guild, Member, Role
from .snowflakes import Clock, SnowflakeGenerator, iso_timestamp
from .users import User

WorldListener = Callable[[str, object], None]


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
