"""``FakeDiscord``: the emulator a real discord.py client connects to over loopback."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from .commands import CommandRegistry, OptionBuilder, can_use
from .constants import (
    API_PREFIX,
    PRIVILEGED_INTENTS,
    ChannelType,
    CommandType,
    ComponentType,
    Intent,
    InteractionType,
)
from .endpoints import Endpoints
from .faults import FaultRules
from .gateway import GatewayServer
from .interactions import InteractionHandle, Interactions
from .messages import build_message
from .payloads import (
    channel_payload,
    guild_create_payload,
    member_payload,
    message_event_payload,
    message_payload,
    role_payload,
)
from .ratelimits import RateLimitConfig, RateLimiter
from .recording import RequestLog
from .rest import RequestHook, RestPipeline, Router
from .signals import Signal
from .world import Channel, Clock, Guild, Member, Message, Role, User, World

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})


class FakeDiscord:
    """A local Discord: REST under :attr:`rest_url`, the gateway at :attr:`gateway_url`.

    ``async with FakeDiscord() as fake:`` starts it on a random free loopback port. Build the
    world (``fake.world.add_guild(...)``, ``fake.world.add_user(...)``) before or after the bot
    connects; drive it with :meth:`slash`, :meth:`autocomplete`, :meth:`click`,
    :meth:`submit_modal`, :meth:`say`; inspect :attr:`requests`, :meth:`messages`, :meth:`dms`.
    """

    def __init__(
        self,
        *,
        token: str = "fakediscord-token",
        bot_name: str = "paperbot",
        clock: Clock | None = None,
        rate_limits: RateLimitConfig | None = None,
        interaction_deadline: float = 3.0,
        followup_ttl: float = 15 * 60.0,
        heartbeat_interval: float = 41.25,
        strict_commands: bool = True,
        allowed_privileged_intents: int = PRIVILEGED_INTENTS,
        host: str = "127.0.0.1",
        max_guilds_per_session: int = 2500,
        guilds_per_shard: int = 1000,
    ) -> None:
        if host not in LOOPBACK_HOSTS:
            raise ValueError("fakediscord only listens on loopback")
        self.token = token
        self.clock: Clock = clock or time.time
        #: Seconds the bot has for its first response to an interaction (Discord: 3).
        self.interaction_deadline = interaction_deadline
        #: Seconds an interaction token works for followups and edits (Discord: 15 minutes).
        self.followup_ttl = followup_ttl
        self.heartbeat_interval_ms = int(heartbeat_interval * 1000)
        #: When true, :meth:`slash` only invokes commands the bot has synced.
        self.strict_commands = strict_commands
        self.allowed_privileged_intents = allowed_privileged_intents
        self.host = host
        #: Discord closes a session with 4011 (sharding required) above this many guilds.
        self.max_guilds_per_session = max_guilds_per_session
        #: ``GET /gateway/bot`` recommends one shard per this many guilds (Discord: ~1,000).
        self.guilds_per_shard = guilds_per_shard

        self.world = World(self.clock, bot_name=bot_name)
        self.commands = CommandRegistry()
        self.faults = FaultRules()
        self.requests = RequestLog()
        self.limiter = RateLimiter(rate_limits or RateLimitConfig(), self.clock)
        self.gateway = GatewayServer(self)
        self.interactions = Interactions(self)
        self._router = Router()
        Endpoints(self).register(self._router)
        self.interactions.register(self._router)
        self._pipeline = RestPipeline(
            router=self._router,
            token=lambda: self.token,
            clock=self.clock,
            limiter=self.limiter,
            faults=self.faults,
            log=self.requests,
        )
        self._pipeline.hooks_after.append(lambda _record: self.signal.fire())
        #: Fires after every REST request and gateway change; see :meth:`wait_until`.
        self.signal = Signal()
        self.world.listen(self._on_world_event)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._runner is not None:
            return
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._pipeline.handle)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway-resume", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        family = socket.AF_INET6 if self.host == "::1" else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1" if self.host == "localhost" else self.host, 0))
        self._port = int(sock.getsockname()[1])
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner

    async def close(self) -> None:
        if self._runner is None:
            return
        self.faults.release_all()  # held requests must not keep the server from closing
        await self.gateway.close()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- addresses -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeDiscord is not started")
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def rest_url(self) -> str:
        """Set ``discord.http.Route.BASE`` to this."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Set ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` to ``yarl.URL(this)``."""
        return self.base_url.replace("http://", "ws://") + "/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway-resume"

    # -- hooks and faults ------------------------------------------------------------------------

    def on_request(self, hook: RequestHook) -> None:
        """Run ``await hook(request)`` before every REST request is handled (after recording)."""
        self._pipeline.hooks.append(hook)

    async def wait_until(
        self, predicate: Callable[[], object], within: float = 5.0, what: str = "a condition"
    ) -> None:
        """Wait until ``predicate()`` is truthy (re-checked after each request and every 10 ms)."""
        await self.signal.wait_for(lambda: True if predicate() else None, within, what)

    async def drop_gateway(self, code: int = 4000, *, resumable: bool = True) -> None:
        """Cut the websocket; discord.py reconnects to ``resume_gateway_url`` and RESUMEs."""
        await self.gateway.drop(code, resumable=resumable)

    @property
    def served_429(self) -> int:
        """How many 429 answers the emulator gave (rate limits and injected faults)."""
        return len(self.requests.rate_limited)

    @property
    def invalid_requests(self) -> int:
        """401/403/429 answers in the current Cloudflare window."""
        return self.limiter.invalid_count

    # -- reading the world -----------------------------------------------------------------------

    def messages(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """Live messages in ``channel``, oldest first."""
        return [m for m in channel.live_messages if include_ephemeral or m.ephemeral_to is None]

    def seen_by(self, user: User, channel: Channel) -> list[Message]:
        """What ``user`` sees in ``channel``: public messages plus their own ephemeral ones."""
        return channel.visible_messages(user)

    def dms(self, user: User) -> list[Message]:
        """Messages the bot sent ``user`` by DM (outside interactions), oldest first."""
        for channel in self.world.channels.values():
            if channel.type == ChannelType.DM and channel.recipient is user:
                return [
                    m
                    for m in channel.live_messages
                    if m.author is self.world.bot and m.interaction_metadata is None
                ]
        return []

    # -- driving the bot -------------------------------------------------------------------------

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

    # -- world events -> gateway -----------------------------------------------------------------

    def _on_world_event(self, event: str, obj: object) -> None:
        world = self.world
        if event == "GUILD_CREATE" and isinstance(obj, Guild):
            guild = obj
            self.gateway.dispatch(
                event,
                lambda i: (
                    guild_create_payload(guild, world, intents=i) if i & Intent.GUILDS else None
                ),
                guild.id,
            )
        elif event == "GUILD_DELETE" and isinstance(obj, Guild):
            gone = {"id": str(obj.id)}  # no "unavailable": the bot was removed
            self.gateway.dispatch(event, lambda i: gone if i & Intent.GUILDS else None)
        elif event in ("CHANNEL_CREATE", "THREAD_CREATE") and isinstance(obj, Channel):
            data = channel_payload(obj, world)
            if event == "THREAD_CREATE":
                data["newly_created"] = True
            self.gateway.dispatch(
                event, lambda i: data if i & Intent.GUILDS else None, obj.guild_id
            )
        elif event == "GUILD_ROLE_CREATE" and isinstance(obj, Role):
            data = {"guild_id": str(obj.guild_id), "role": role_payload(obj)}
            self.gateway.dispatch(
                event, lambda i: data if i & Intent.GUILDS else None, obj.guild_id
            )
        elif event == "GUILD_MEMBER_ADD" and isinstance(obj, Member):
            data = {**member_payload(obj), "guild_id": str(obj.guild_id)}
            self.gateway.dispatch(
                event, lambda i: data if i & Intent.GUILD_MEMBERS else None, obj.guild_id
            )
        elif event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and isinstance(obj, Message):
            message = obj
            needed = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
            self.gateway.dispatch(
                event,
                lambda i: message_event_payload(message, world, intents=i) if i & needed else None,
                message.guild_id,
            )
        elif event == "MESSAGE_DELETE" and isinstance(obj, Message):
            data = {"id": str(obj.id), "channel_id": str(obj.channel_id)}
            if obj.guild_id is not None:
                data["guild_id"] = str(obj.guild_id)
            needed = Intent.GUILD_MESSAGES if obj.guild_id else Intent.DIRECT_MESSAGES
            self.gateway.dispatch(event, lambda i: data if i & needed else None, obj.guild_id)

    # -- attachments -----------------------------------------------------------------------------

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        wanted = request.match_info["attachment_id"]
        for message in self.world.messages.values():
            for attachment in message.attachments:
                if str(attachment.id) == wanted:
                    return web.Response(
                        body=attachment.data,
                        content_type=attachment.content_type or "application/octet-stream",
                    )
        raise web.HTTPNotFound()


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
