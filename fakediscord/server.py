"""``FakeDiscord``: the emulator a real discord.py client connects to over loopback."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiohttp import web

from .channels import Channel, Message
from .commands import CommandRegistry
from .constants import (
    API_PREFIX,
    PRIVILEGED_INTENTS,
    ChannelType,
)
from .driving import Driver
from .endpoints import Endpoints
from .events import dispatch_world_event
from .faults import FaultRules
from .gateway import GatewayServer
from .interactions import Interactions
from .ratelimits import RateLimitConfig, RateLimiter
from .recording import RequestLog
from .rest import RequestHook, RestPipeline, Router
from .signals import Signal
from .snowflakes import Clock
from .users import User
from .world import World

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class FakeDiscord(Driver):
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
        self.world.listen(
            lambda event, obj: dispatch_world_event(self.gateway, self.world, event, obj)
        )
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
