"""Guilds with their roles and members, and the permission arithmetic (base, overwrites)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .channels import Channel, Overwrite
from .constants import (
    ALL_PERMISSIONS,
    ChannelType,
    Permission,
)
from .snowflakes import iso_timestamp
from .users import User

if TYPE_CHECKING:
    from .world import World


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
