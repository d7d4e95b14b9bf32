"""Registered application commands and the option trees a Discord client would send for them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .api_errors import ApiError, FormErrors
from .channels import Channel
from .constants import ALL_PERMISSIONS, CommandType, ErrorCode, OptionType
from .guilds import Guild, Member, Role
from .payloads import interaction_channel_payload, member_payload, role_payload, user_payload
from .users import User
from .world import World

_NAME = re.compile(r"^[-_'\w]{1,32}$", re.UNICODE)


@dataclass
class AppCommand:
    id: int
    application_id: int
    guild_id: int | None
    version: int
    body: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.body["name"])

    @property
    def type(self) -> int:
        return int(self.body.get("type") or 1)

    def payload(self) -> dict[str, Any]:
        body = dict(self.body)
        perms = body.get("default_member_permissions")
        payload: dict[str, Any] = {
            "type": 1,
            "description": "",
            "options": [],
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            "name_localizations": None,
            "description_localizations": None,
            **body,
            "id": str(self.id),
            "application_id": str(self.application_id),
            "version": str(self.version),
            "default_member_permissions": None if perms is None else str(perms),
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        return payload


@dataclass
class CommandRegistry:
    """Global commands and per-guild commands, as the bot synced them."""

    global_commands: dict[tuple[str, int], AppCommand] = field(default_factory=dict)
    guild_commands: dict[int, dict[tuple[str, int], AppCommand]] = field(default_factory=dict)

    def scope(self, guild_id: int | None) -> dict[tuple[str, int], AppCommand]:
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.setdefault(guild_id, {})

    def commands_in(self, guild_id: int | None) -> list[AppCommand]:
        return list(self.scope(guild_id).values())

    def all(self) -> list[AppCommand]:
        found = list(self.global_commands.values())
        for commands in self.guild_commands.values():
            found.extend(commands.values())
        return found

    def by_id(self, guild_id: int | None, command_id: int) -> AppCommand:
        for cmd in self.scope(guild_id).values():
            if cmd.id == command_id:
                return cmd
        raise ApiError(404, ErrorCode.UNKNOWN_APPLICATION_COMMAND)

    def upsert(self, world: World, guild_id: int | None, body: dict[str, Any]) -> AppCommand:
        _validate_command(body)
        key = (str(body["name"]), int(body.get("type") or 1))
        scope = self.scope(guild_id)
        existing = scope.get(key)
        cmd = AppCommand(
            id=existing.id if existing else world.snowflake(),
            application_id=world.application.id,
            guild_id=guild_id,
            version=world.snowflake(),
            body=dict(body),
        )
        scope[key] = cmd
        return cmd

    def overwrite(
        self, world: World, guild_id: int | None, bodies: list[dict[str, Any]]
    ) -> list[AppCommand]:
        errors = FormErrors()
        for i, body in enumerate(bodies):
            try:
                _validate_command(body)
            except ApiError as exc:
                for field_name, value in (exc.errors or {}).items():
                    errors.tree.setdefault(str(i), {})[field_name] = value
        if len(bodies) > 100:
            errors.max_length((), 100)
        errors.raise_if_any()
        old = self.scope(guild_id)
        new: dict[tuple[str, int], AppCommand] = {}
        for body in bodies:
            key = (str(body["name"]), int(body.get("type") or 1))
            previous = old.get(key)
            same = previous is not None and previous.body == body
            new[key] = AppCommand(
                id=previous.id if previous else world.snowflake(),
                application_id=world.application.id,
                guild_id=guild_id,
                version=previous.version if previous and same else world.snowflake(),
                body=dict(body),
            )
        if guild_id is None:
            self.global_commands = new
        else:
            self.guild_commands[guild_id] = new
        return list(new.values())

    def delete(self, guild_id: int | None, command_id: int) -> None:
        scope = self.scope(guild_id)
        for key, cmd in list(scope.items()):
            if cmd.id == command_id:
                del scope[key]
                return
        raise ApiError(404, ErrorCode.UNKNOWN_APPLICATION_COMMAND)

    def find(self, name: str, guild_id: int | None, type: int = 1) -> AppCommand | None:
        """What a user in ``guild_id`` (``None`` for DMs) can pick: guild commands first."""
        if guild_id is not None:
            cmd = self.guild_commands.get(guild_id, {}).get((name, type))
            if cmd is not None:
                return cmd
        return self.global_commands.get((name, type))


def _validate_command(body: Any) -> None:
    errors = FormErrors()
    if not isinstance(body, dict):
        errors.add((), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
        errors.raise_if_any()
        return
    name = body.get("name")
    ctype = int(body.get("type") or 1)
    if not isinstance(name, str) or not name:
        errors.add(("name",), "BASE_TYPE_REQUIRED", "This field is required")
    elif ctype == CommandType.CHAT_INPUT and (not _NAME.match(name) or name != name.lower()):
        errors.add(("name",), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if ctype == CommandType.CHAT_INPUT:
        description = body.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 100:
            errors.add(
                ("description",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
    options = body.get("options") or []
    if len(options) > 25:
        errors.max_length(("options",), 25)
    errors.raise_if_any()


# -- building the options a client sends ------------------------------------------------------


@dataclass
class BuiltOptions:
    """What ``fake.slash`` puts into ``data``: the option tree plus ``resolved``."""

    options: list[dict[str, Any]]
    resolved: dict[str, dict[str, Any]]


class OptionBuilder:
    """Turns ``{"query": "rope", "user": alice}`` into typed, nested interaction options."""

    def __init__(self, world: World, guild: Guild | None, invoker: User) -> None:
        self.world = world
        self.guild = guild
        self.invoker = invoker
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(
        self,
        command: AppCommand | None,
        path: list[str],
        values: Mapping[str, Any],
        *,
        focused: str | None = None,
    ) -> BuiltOptions:
        schema: list[dict[str, Any]] | None = None
        if command is not None:
            schema = list(command.body.get("options") or [])
            for part in path:
                sub = next(
                    (o for o in schema if o.get("name") == part and o.get("type") in (1, 2)),
                    None,
                )
                if sub is None:
                    raise ValueError(f"/{command.name} has no subcommand or group {part!r}")
                schema = list(sub.get("options") or [])
            if any(o.get("type") in (1, 2) for o in schema):
                names = [o["name"] for o in schema]
                raise ValueError(
                    f"pick a subcommand of /{' '.join([command.name, *path])}: {names}"
                )
        leaf = self._leaf(schema, values, focused=focused)
        options = leaf
        for depth, part in reversed(list(enumerate(path))):
            is_group = depth == 0 and len(path) == 2
            options = [
                {
                    "name": part,
                    "type": int(
                        OptionType.SUB_COMMAND_GROUP if is_group else OptionType.SUB_COMMAND
                    ),
                    "options": options,
                }
            ]
        return BuiltOptions(options=options, resolved=self.resolved)

    def _leaf(
        self,
        schema: list[dict[str, Any]] | None,
        values: Mapping[str, Any],
        *,
        focused: str | None,
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if schema is None:
            for name, value in values.items():
                otype = _infer_type(value)
                out.append(self._option(name, otype, value, None, name == focused))
            return out
        known = {o["name"]: o for o in schema}
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"unknown option(s) {sorted(unknown)}; the command has {list(known)}")
        for opt in schema:
            name = opt["name"]
            if name not in values:
                if opt.get("required") and focused is None:
                    raise ValueError(f"option {name!r} is required")
                continue
            out.append(self._option(name, int(opt["type"]), values[name], opt, name == focused))
        return out

    def _option(
        self,
        name: str,
        otype: int,
        value: Any,
        schema: dict[str, Any] | None,
        focused: bool,
    ) -> dict[str, Any]:
        option: dict[str, Any] = {"name": name, "type": otype}
        if focused:
            option["value"] = value if isinstance(value, str) else str(value)
            option["focused"] = True
            return option
        option["value"] = self._convert(name, otype, value, schema)
        return option

    def _convert(self, name: str, otype: int, value: Any, schema: dict[str, Any] | None) -> Any:
        if otype == OptionType.STRING:
            converted: Any = str(value)
            if schema is not None:
                lo, hi = schema.get("min_length"), schema.get("max_length")
                if (lo is not None and len(converted) < lo) or (
                    hi is not None and len(converted) > hi
                ):
                    raise ValueError(f"option {name!r}: length must be within {lo}..{hi}")
        elif otype == OptionType.INTEGER:
            converted = int(value)
        elif otype == OptionType.NUMBER:
            converted = float(value)
        elif otype == OptionType.BOOLEAN:
            converted = bool(value)
        elif otype == OptionType.USER:
            converted = str(self._resolve_user(value).id)
        elif otype == OptionType.CHANNEL:
            converted = str(self._resolve_channel(value).id)
        elif otype == OptionType.ROLE:
            converted = str(self._resolve_role(value).id)
        elif otype == OptionType.MENTIONABLE:
            if isinstance(value, Role):
                converted = str(self._resolve_role(value).id)
            else:
                converted = str(self._resolve_user(value).id)
        else:
            raise ValueError(f"option {name!r}: type {otype} is not supported by fakediscord")
        if schema is not None and otype in (OptionType.INTEGER, OptionType.NUMBER):
            lo, hi = schema.get("min_value"), schema.get("max_value")
            if (lo is not None and converted < lo) or (hi is not None and converted > hi):
                raise ValueError(f"option {name!r}: {converted} is outside {lo}..{hi}")
        if schema is not None and schema.get("choices"):
            allowed = [c["value"] for c in schema["choices"]]
            if converted not in allowed:
                raise ValueError(f"option {name!r}: {converted!r} is not one of {allowed}")
        return converted

    def _resolve_user(self, value: Any) -> User:
        user: User | None
        if isinstance(value, Member):
            user = value.user
        elif isinstance(value, User):
            user = value
        else:
            user = self.world.users.get(int(value))
        if user is None:
            raise ValueError(f"unknown user {value!r}")
        self.resolved.setdefault("users", {})[str(user.id)] = user_payload(user)
        member = self.guild.member(user) if self.guild else None
        if member is not None and self.guild is not None:
            data = member_payload(member, with_user=False)
            data["permissions"] = str(self.guild.base_permissions(user))
            self.resolved.setdefault("members", {})[str(user.id)] = data
        return user

    def _resolve_channel(self, value: Any) -> Channel:
        channel = value if isinstance(value, Channel) else self.world.channels.get(int(value))
        if channel is None:
            raise ValueError(f"unknown channel {value!r}")
        self.resolved.setdefault("channels", {})[str(channel.id)] = interaction_channel_payload(
            channel, self.world, self.invoker
        )
        return channel

    def _resolve_role(self, value: Any) -> Role:
        role: Role | None = value if isinstance(value, Role) else None
        if role is None and self.guild is not None:
            role = self.guild.roles.get(int(value))
        if role is None:
            raise ValueError(f"unknown role {value!r}")
        self.resolved.setdefault("roles", {})[str(role.id)] = role_payload(role)
        return role


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return OptionType.BOOLEAN
    if isinstance(value, int):
        return OptionType.INTEGER
    if isinstance(value, float):
        return OptionType.NUMBER
    if isinstance(value, User | Member):
        return OptionType.USER
    if isinstance(value, Channel):
        return OptionType.CHANNEL
    if isinstance(value, Role):
        return OptionType.ROLE
    return OptionType.STRING


GUILD_INSTALL = 0
USER_INSTALL = 1
CONTEXT_GUILD, CONTEXT_BOT_DM, CONTEXT_PRIVATE = 0, 1, 2


def interaction_context(channel: Channel, guild: Guild | None) -> int:
    """0 in a guild, 1 in the bot's DM, 2 in a DM or group DM between users."""
    if guild is not None:
        return CONTEXT_GUILD
    return CONTEXT_PRIVATE if channel.is_private else CONTEXT_BOT_DM


def integration_owners(
    command: AppCommand | None, user: User, guild: Guild | None, channel: Channel, world: World
) -> dict[str, str]:
    """``authorizing_integration_owners``: which installs of the app authorise this use.

    ``"0"``: the guild install (the guild's id; ``"0"`` in the bot's DM), when the command
    supports guild installs and the app is installed there; ``"1"``: the user's id, when the
    command supports user installs and the user added the app to their account."""
    types = _integration_types(command)
    owners: dict[str, str] = {}
    context = interaction_context(channel, guild)
    if GUILD_INSTALL in types:
        if context == CONTEXT_GUILD and guild is not None and guild.has_bot:
            owners["0"] = str(guild.id)
        elif context == CONTEXT_BOT_DM:
            owners["0"] = "0"
    if USER_INSTALL in types and user.id in world.user_installs:
        owners["1"] = str(user.id)
    return owners


def _integration_types(command: AppCommand | None) -> list[int]:
    if command is None:
        return [GUILD_INSTALL]
    if command.guild_id is not None:
        return [GUILD_INSTALL]  # guild commands belong to that guild's install only
    return [int(x) for x in command.body.get("integration_types") or [GUILD_INSTALL]]


def can_use(
    command: AppCommand, user: User, guild: Guild | None, channel: Channel, world: World
) -> str | None:
    """Why ``user`` could not pick ``command`` here (``None`` when they can).

    Discord's rules: the interaction context (guild, bot DM, private channel) must be in the
    command's ``contexts``; some install of the app must authorise it (the guild's, or the
    user's own for commands with user installs: the only way into guilds without the bot and
    into private channels); ``default_member_permissions`` applies to guild installs."""
    body = command.body
    contexts = body.get("contexts")
    context = interaction_context(channel, guild)
    owners = integration_owners(command, user, guild, channel, world)
    where = {CONTEXT_GUILD: "servers", CONTEXT_BOT_DM: "DMs", CONTEXT_PRIVATE: "private channels"}
    if contexts is not None and context not in contexts:
        return f"/{command.name} is not available in {where[context]} (contexts={contexts})"
    if context == CONTEXT_PRIVATE:
        if "1" not in owners:
            return f"/{command.name} needs the app added to {user.username}'s account here"
        return None
    if context == CONTEXT_BOT_DM:
        if contexts is None and body.get("dm_permission") is False:
            return f"/{command.name} is not available in DMs (dm_permission=false)"
        return None if owners else f"/{command.name} is not installed for {user.username}"
    if not owners:
        return f"/{command.name} is not installed in this server or for {user.username}"
    required = body.get("default_member_permissions")
    if required is not None and "0" in owners and guild is not None:
        needed = int(required)
        have = guild.permissions_in(user, channel)
        if have != ALL_PERMISSIONS and (needed == 0 or have & needed != needed):
            return f"{user.username} lacks permissions {needed} needed for /{command.name}"
    return None
