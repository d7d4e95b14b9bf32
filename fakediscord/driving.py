"""Driving the bot as users would: slash and context-menu commands, autocomplete, button
presses, select menus, modal submits and plain messages, each sent as an interaction (or a
message) through the gateway. ``FakeDiscord`` inherits these methods."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from .channels import Channel, Message
from .commands import CommandRegistry, OptionBuilder, can_use
from .constants import CommandType, ComponentType, InteractionType
from .gateway import GatewayServer
from .guilds import Guild, Role
from .handles import InteractionHandle
from .interactions import Interactions
from .messages import build_message
from .payloads import message_payload
from .users import User
from .world import World

SELECT_TYPES = frozenset({3, 5, 6, 7, 8})


class Driver:
    """What a test does as a user; the emulator's parts it drives are ``FakeDiscord``'s."""

    world: World
    commands: CommandRegistry
    gateway: GatewayServer
    interactions: Interactions
    #: When true, :meth:`slash` only invokes commands the bot has synced.
    strict_commands: bool

    def _where(self, user: User, where: Channel | Guild | None) -> Channel:
        if where is None:
            return self.world.dm_channel(user)
        if isinstance(where, Guild):
            channel_id = where.system_channel_id
            if channel_id is None:
                raise ValueError(f"{where!r} has no text channel; pass a channel")
            return self.world.channels[channel_id]
        if where.is_private:
            if user not in where.members:
                raise ValueError(f"{user!r} is not in {where!r}")
        elif where.is_dm and where.recipient is not user:
            raise ValueError(f"{user!r} is not the recipient of {where!r}")
        return where

    async def _dispatch(
        self,
        *,
        type: InteractionType,
        user: User,
        channel: Channel,
        data: dict[str, Any] | None,
        locale: str | None = None,
        message: Message | None = None,
    ) -> InteractionHandle:
        """Create an interaction, send it as INTERACTION_CREATE, and let the bot see it."""
        if not self.gateway.live_sessions:
            raise RuntimeError("no bot is connected to the gateway")
        ix = self.interactions.create(
            type=type, user=user, channel=channel, data=data, locale=locale, message=message
        )
        guild = self.world.guild_of(channel)
        self.gateway.dispatch(
            "INTERACTION_CREATE", lambda _intents: ix.payload, guild.id if guild else None
        )
        await asyncio.sleep(0)
        return ix

    def _command_data(
        self,
        user: User,
        channel: Channel,
        command: str,
        options: Mapping[str, Any] | None,
        *,
        focused: str | None = None,
    ) -> dict[str, Any]:
        guild = self.world.guild_of(channel)
        parts = command.strip().lstrip("/").split()
        if not parts:
            raise ValueError("empty command name")
        name, path = parts[0], parts[1:]
        cmd = self.commands.find(name, guild.id if guild else None)
        if cmd is None and self.strict_commands:
            raise LookupError(
                f"/{name} is not registered here; sync the command tree first "
                "(or create FakeDiscord(strict_commands=False))"
            )
        if cmd is not None:
            reason = can_use(cmd, user, guild, channel, self.world)
            if reason is not None:
                raise PermissionError(reason)
        built = OptionBuilder(self.world, guild, user).build(
            cmd, path, options or {}, focused=focused
        )
        data: dict[str, Any] = {
            "id": str(cmd.id if cmd else self.world.snowflake()),
            "name": name,
            "type": int(CommandType.CHAT_INPUT),
        }
        if built.options:
            data["options"] = built.options
        if built.resolved:
            data["resolved"] = built.resolved
        if cmd is not None and cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return data

    async def slash(
        self,
        user: User,
        where: Channel | Guild | None,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        locale: str | None = None,
    ) -> InteractionHandle:
        """``user`` runs ``/command`` in a channel (a guild's first text channel, or the DM
        with the bot when ``where`` is ``None``). Subcommands go in the name:
        ``"settings alerts add"``. ``locale`` defaults to the user's."""
        channel = self._where(user, where)
        data = self._command_data(user, channel, command, options)
        return await self._dispatch(
            type=InteractionType.APPLICATION_COMMAND,
            user=user,
            channel=channel,
            data=data,
            locale=locale,
        )

    async def autocomplete(
        self,
        user: User,
        where: Channel | Guild | None,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        """The user is typing into option ``focused`` (default: the last one in ``options``);
        ``await handle.choices()`` gives what the bot suggested."""
        if focused is None:
            if not options:
                raise ValueError("autocomplete needs at least the focused option")
            focused = list(options)[-1]
        channel = self._where(user, where)
        data = self._command_data(user, channel, command, options, focused=focused)
        return await self._dispatch(
            type=InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
            user=user,
            channel=channel,
            data=data,
            locale=locale,
        )

    async def _context_menu(
        self,
        user: User,
        channel: Channel,
        name: str,
        ctype: CommandType,
        target_id: int,
        resolved: dict[str, Any],
        locale: str | None,
    ) -> InteractionHandle:
        guild = self.world.guild_of(channel)
        cmd = self.commands.find(name, guild.id if guild else None, int(ctype))
        if cmd is None and self.strict_commands:
            raise LookupError(f"context menu {name!r} is not registered here")
        if cmd is not None:
            reason = can_use(cmd, user, guild, channel, self.world)
            if reason is not None:
                raise PermissionError(reason)
        data: dict[str, Any] = {
            "id": str(cmd.id if cmd else self.world.snowflake()),
            "name": name,
            "type": int(ctype),
            "target_id": str(target_id),
            "resolved": resolved,
        }
        if cmd is not None and cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return await self._dispatch(
            type=InteractionType.APPLICATION_COMMAND,
            user=user,
            channel=channel,
            data=data,
            locale=locale,
        )

    async def user_command(
        self,
        user: User,
        where: Channel | Guild | None,
        name: str,
        target: User,
        *,
        locale: str | None = None,
    ) -> InteractionHandle:
        """Right-click ``target`` -> Apps -> ``name``."""
        channel = self._where(user, where)
        builder = OptionBuilder(self.world, self.world.guild_of(channel), user)
        builder._resolve_user(target)
        return await self._context_menu(
            user, channel, name, CommandType.USER, target.id, builder.resolved, locale
        )

    async def message_command(
        self, user: User, name: str, target: Message, *, locale: str | None = None
    ) -> InteractionHandle:
        """Right-click ``target`` -> Apps -> ``name``."""
        channel = self.world.channels[target.channel_id]
        resolved = {"messages": {str(target.id): message_payload(target, self.world)}}
        return await self._context_menu(
            user, channel, name, CommandType.MESSAGE, target.id, resolved, locale
        )

    def _clicker(self, message: Message, user: User | None) -> User:
        if user is not None:
            if message.ephemeral_to is not None and message.ephemeral_to != user.id:
                raise PermissionError(f"{user!r} cannot see this ephemeral message")
            return user
        if message.ephemeral_to is not None:
            return self.world.users[message.ephemeral_to]
        meta = message.interaction_metadata
        if meta is not None:
            return self.world.users[int(meta["user"]["id"])]
        raise ValueError("pass user= to say who clicks")

    async def click(
        self,
        message: Message,
        custom_id: str,
        *,
        user: User | None = None,
        values: Sequence[Any] | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        """Press a button (or choose ``values`` in a select menu) on ``message``. ``user``
        defaults to whoever the message was for (its ephemeral owner or interaction user)."""
        if message.deleted:
            raise LookupError(f"{message!r} was deleted")
        component = message.find_component(custom_id)
        if component is None:
            ids = [c.get("custom_id") for c in message.iter_components() if c.get("custom_id")]
            raise LookupError(f"no component {custom_id!r} on {message!r}; it has {ids}")
        if component.get("disabled"):
            raise PermissionError(f"component {custom_id!r} is disabled")
        clicker = self._clicker(message, user)
        channel = self.world.channels[message.channel_id]
        ctype = int(component["type"])
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype}
        if ctype in SELECT_TYPES:
            data.update(self._select_values(clicker, channel, component, values or []))
        elif values:
            raise ValueError("only select menus take values")
        return await self._dispatch(
            type=InteractionType.MESSAGE_COMPONENT,
            user=clicker,
            channel=channel,
            data=data,
            locale=locale,
            message=message,
        )

    async def select(
        self,
        message: Message,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: User | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        return await self.click(message, custom_id, user=user, values=values, locale=locale)

    def _select_values(
        self, user: User, channel: Channel, component: dict[str, Any], values: Sequence[Any]
    ) -> dict[str, Any]:
        lo = int(component.get("min_values", 1))
        hi = int(component.get("max_values", 1))
        if not lo <= len(values) <= hi:
            raise ValueError(f"choose between {lo} and {hi} values, not {len(values)}")
        ctype = int(component["type"])
        if ctype == ComponentType.STRING_SELECT:
            allowed = [o.get("value") for o in component.get("options") or []]
            for v in values:
                if v not in allowed:
                    raise ValueError(f"{v!r} is not an option; options are {allowed}")
            return {"values": [str(v) for v in values]}
        builder = OptionBuilder(self.world, self.world.guild_of(channel), user)
        ids = []
        for v in values:
            if isinstance(v, Role) or (ctype == ComponentType.ROLE_SELECT):
                ids.append(str(builder._resolve_role(v).id))
            elif isinstance(v, Channel) or ctype == ComponentType.CHANNEL_SELECT:
                ids.append(str(builder._resolve_channel(v).id))
            else:
                ids.append(str(builder._resolve_user(v).id))
        return {"values": ids, "resolved": builder.resolved}

    async def submit_modal(
        self,
        source: InteractionHandle,
        values: Mapping[str, str | Sequence[str]],
        *,
        locale: str | None = None,
        within: float = 5.0,
    ) -> InteractionHandle:
        """Fill in and submit the modal the bot opened in answer to ``source``."""
        modal = await source.modal(within)
        unknown = set(values) - {
            c.get("custom_id") for c in _walk(modal.get("components") or []) if c.get("custom_id")
        }
        if unknown:
            raise LookupError(f"the modal has no inputs {sorted(unknown)}")
        components = [_fill(c, values) for c in modal.get("components") or []]
        return await self._dispatch(
            type=InteractionType.MODAL_SUBMIT,
            user=source.user,
            channel=source.channel,
            data={"custom_id": modal["custom_id"], "components": components},
            locale=locale,
            message=source.source_message,
        )

    async def say(
        self,
        user: User,
        channel: Channel,
        content: str,
        *,
        reply_to: Message | None = None,
    ) -> Message:
        """``user`` posts a plain message (the bot hears MESSAGE_CREATE if its intents allow)."""
        body: dict[str, Any] = {"content": content}
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to.id)}
        message = build_message(self.world, channel, user, body)
        self.world.add_message(message)
        await asyncio.sleep(0)
        return message


def _walk(components: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for c in components:
        out.append(c)
        if isinstance(c.get("components"), list):
            out.extend(_walk(c["components"]))
        if isinstance(c.get("component"), dict):
            out.extend(_walk([c["component"]]))
    return out


def _fill(component: dict[str, Any], values: Mapping[str, str | Sequence[str]]) -> dict[str, Any]:
    """A modal component as the submit payload echoes it, with the user's input filled in."""
    ctype = component.get("type")
    if ctype == ComponentType.ACTION_ROW:
        return {
            "type": 1,
            "components": [_fill(c, values) for c in component.get("components") or []],
        }
    if ctype == ComponentType.LABEL:
        return {"type": 18, "component": _fill(component["component"], values)}
    custom_id = component.get("custom_id")
    if ctype == ComponentType.TEXT_INPUT:
        raw = values.get(str(custom_id), component.get("value") or "")
        value = raw if isinstance(raw, str) else ",".join(raw)
        if component.get("required", True) and not value:
            raise ValueError(f"text input {custom_id!r} is required")
        lo, hi = component.get("min_length"), component.get("max_length")
        if value and ((lo is not None and len(value) < lo) or (hi is not None and len(value) > hi)):
            raise ValueError(f"text input {custom_id!r}: length must be within {lo}..{hi}")
        return {"type": 4, "custom_id": custom_id, "value": value}
    if ctype in SELECT_TYPES:
        raw = values.get(str(custom_id), [])
        chosen = [raw] if isinstance(raw, str) else list(raw)
        return {"type": ctype, "custom_id": custom_id, "values": chosen}
    return {"type": ctype, "id": component.get("id")}
