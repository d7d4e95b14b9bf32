"""The gateway: a websocket speaking Discord's v10 JSON protocol (no compression).

HELLO -> heartbeats/ACKs -> IDENTIFY -> READY + one GUILD_CREATE per guild; RESUME replays
what the session missed, then RESUMED. Sessions outlive connections, so a test can cut the
socket (:meth:`GatewayServer.drop`) and watch the client resume.

Sharding as Discord does it: IDENTIFY may carry ``shard: [id, count]``; the session then hears
only about guilds with ``(guild_id >> 22) % count == id`` (READY's list, GUILD_CREATE, and every
guild event, interactions included), and DM events go to shard 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .constants import GatewayOp, Intent
from .payloads import client_user_payload, guild_create_payload, member_payload
from .signals import Signal

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

#: Builds an event's ``d`` for a session with these intents; ``None`` skips the session.
PayloadFactory = Callable[[int], dict[str, Any] | None]

REPLAY_BUFFER = 2000


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule: which shard of ``shard_count`` receives ``guild_id``'s events."""
    return (guild_id >> 22) % shard_count


class Connection:
    """One websocket; frames go out through a queue so they leave in order."""

    def __init__(self, ws: web.WebSocketResponse, number: int) -> None:
        self.ws = ws
        self.number = number
        self.session: Session | None = None
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write(), name=f"fakediscord-gw-writer-{number}")
        self.heartbeats = 0

    def send(self, frame: dict[str, Any] | str) -> None:
        self.queue.put_nowait(frame if isinstance(frame, str) else json.dumps(frame))

    async def _write(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            if self.ws.closed:
                continue
            try:
                await self.ws.send_str(frame)
            except (ConnectionError, RuntimeError):
                log.debug("gateway connection %s: send failed", self.number)

    async def close(self, code: int, message: str = "") -> None:
        await self.ws.close(code=code, message=message.encode())
        await self.stop_writer()

    async def stop_writer(self) -> None:
        if not self.writer.done():
            self.queue.put_nowait(None)
            with contextlib.suppress(asyncio.CancelledError):
                await self.writer


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    log: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))
    connection: Connection | None = None
    resumable: bool = True
    presence: dict[str, Any] | None = None
    #: ``(shard_id, shard_count)`` from IDENTIFY; ``(0, 1)`` for an unsharded client.
    shard: tuple[int, int] = (0, 1)

    def owns(self, guild_id: int | None) -> bool:
        """Whether this session hears about ``guild_id`` (``None``: DMs, shard 0's)."""
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return shard_of(guild_id, count) == shard_id

    def dispatch(self, event: str, data: dict[str, Any]) -> int:
        self.seq += 1
        frame = json.dumps({"op": 0, "t": event, "s": self.seq, "d": data})
        self.log.append((self.seq, frame))
        if self.connection is not None:
            self.connection.send(frame)
        return self.seq


class GatewayServer:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self.identifies = 0
        self.resumes = 0
        self.connects = 0
        #: Every frame a client sent, decoded, with the connection number.
        self.received: list[tuple[int, dict[str, Any]]] = []
        #: Turn off to make the client think the connection is a zombie.
        self.ack_heartbeats = True
        #: Turn on to refuse new gateway connections (503), as during an outage.
        self.refusing = False
        self.signal = Signal()

    # -- state -----------------------------------------------------------------------------------

    @property
    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.resumable]

    @property
    def connected(self) -> bool:
        return any(s.connection is not None for s in self.live_sessions)

    async def wait_for(
        self,
        predicate: Callable[[GatewayServer], bool],
        within: float = 5.0,
        what: str = "gateway",
    ) -> None:
        await self.signal.wait_for(lambda: True if predicate(self) else None, within, what)

    async def wait_resumed(self, count: int = 1, within: float = 10.0) -> None:
        await self.wait_for(lambda g: g.resumes >= count and g.connected, within, "a RESUME")

    # -- dispatching -----------------------------------------------------------------------------

    def dispatch(self, event: str, build: PayloadFactory, guild_id: int | None = None) -> None:
        """Send an event to every live session of the guild's shard (shard 0 for ``None``, a
        DM), buffered for sessions that are disconnected."""
        for session in self.live_sessions:
            if not session.owns(guild_id):
                continue
            data = build(session.intents)
            if data is not None:
                session.dispatch(event, data)

    # -- faults ----------------------------------------------------------------------------------

    async def drop(self, code: int = 4000, *, resumable: bool = True) -> None:
        """Cut every connection. The session stays resumable unless ``resumable=False``, in
        which case the client's RESUME gets INVALID_SESSION and it identifies again."""
        for conn in list(self.connections):
            session = conn.session
            if session is not None:
                session.connection = None
                session.resumable = resumable
            conn.session = None
            await conn.close(code, "fakediscord: dropped")
        self.signal.fire()

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes and resumes."""
        for conn in list(self.connections):
            conn.send({"op": GatewayOp.RECONNECT, "d": None})

    async def close(self) -> None:
        for conn in list(self.connections):
            if conn.session is not None:
                conn.session.connection = None
            await conn.close(1001, "fakediscord: shutting down")
        self.connections.clear()

    # -- the websocket ---------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.refusing:  # an outage: the client's reconnects fail until it ends
            return web.Response(status=503, text="fakediscord: gateway unavailable")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.connects += 1
        conn = Connection(ws, self.connects)
        self.connections.append(conn)
        conn.send(
            {"op": GatewayOp.HELLO, "d": {"heartbeat_interval": self.fake.heartbeat_interval_ms}}
        )
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        frame = json.loads(msg.data)
                    except ValueError:
                        await conn.close(4002, "Error while decoding payload.")
                        break
                    self.received.append((conn.number, frame))
                    await self._on_frame(conn, frame)
                elif msg.type is WSMsgType.BINARY:
                    await conn.close(4002, "ETF and binary frames are not supported.")
                    break
        finally:
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
            await conn.stop_writer()
            if conn in self.connections:
                self.connections.remove(conn)
            self.signal.fire()
        return ws

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == GatewayOp.HEARTBEAT:
            conn.heartbeats += 1
            if self.ack_heartbeats:
                conn.send({"op": GatewayOp.HEARTBEAT_ACK})
        elif op == GatewayOp.IDENTIFY:
            await self._identify(conn, data if isinstance(data, dict) else {})
        elif op == GatewayOp.RESUME:
            await self._resume(conn, data if isinstance(data, dict) else {})
        elif conn.session is None:
            await conn.close(4003, "Not authenticated.")
        elif op == GatewayOp.PRESENCE_UPDATE:
            conn.session.presence = data if isinstance(data, dict) else None
        elif op == GatewayOp.REQUEST_GUILD_MEMBERS:
            self._request_members(conn.session, data if isinstance(data, dict) else {})
        elif op == GatewayOp.VOICE_STATE_UPDATE:
            pass
        else:
            await conn.close(4001, "Unknown opcode.")

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.close(4005, "Already authenticated.")
            return
        if data.get("token") != self.fake.token:
            await conn.close(4004, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents >= 1 << 26:
            await conn.close(4013, "Invalid intent(s).")
            return
        if (
            intents
            & ~self.fake.allowed_privileged_intents
            & (Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES | Intent.MESSAGE_CONTENT)
        ):
            await conn.close(4014, "Disallowed intent(s).")
            return
        shard = data.get("shard") or [0, 1]
        if (
            not isinstance(shard, list)
            or len(shard) != 2
            or not all(isinstance(n, int) for n in shard)
            or not 0 <= shard[0] < shard[1]
        ):
            await conn.close(4010, "Invalid shard.")
            return
        session = Session(id=secrets.token_hex(16), intents=intents, shard=(shard[0], shard[1]))
        owned = sum(1 for guild_id in self.fake.world.guilds if session.owns(guild_id))
        if owned > self.fake.max_guilds_per_session:
            await conn.close(4011, "Sharding required.")
            return
        self.sessions[session.id] = session
        session.connection = conn
        conn.session = session
        self.identifies += 1
        world = self.fake.world
        session.dispatch(
            "READY",
            {
                "v": 10,
                "user": client_user_payload(world.bot),
                "guilds": [
                    {"id": str(g.id), "unavailable": True}
                    for g in world.guilds.values()
                    if g.has_bot and session.owns(g.id)
                ],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.fake.resume_gateway_url,
                "shard": list(session.shard),
                "application": {"id": str(world.application.id), "flags": world.application.flags},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "user_settings": {},
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "auth": {},
                "_trace": ["fakediscord"],
            },
        )
        for guild in list(world.guilds.values()):
            if guild.has_bot and session.owns(guild.id):
                session.dispatch(
                    "GUILD_CREATE", guild_create_payload(guild, world, intents=intents)
                )
        self.signal.fire()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.fake.token:
            await conn.close(4004, "Authentication failed.")
            return
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        if session is None or not session.resumable or not isinstance(seq, int):
            conn.send({"op": GatewayOp.INVALID_SESSION, "d": False})
            return
        oldest = session.log[0][0] if session.log else session.seq + 1
        if seq + 1 < oldest:
            session.resumable = False
            conn.send({"op": GatewayOp.INVALID_SESSION, "d": False})
            return
        previous = session.connection
        session.connection = conn
        conn.session = session
        if previous is not None and previous is not conn:
            previous.session = None
            await previous.close(4000, "Session resumed elsewhere.")
        for frame_seq, frame in list(session.log):
            if frame_seq > seq:
                conn.send(frame)
        self.resumes += 1
        session.dispatch("RESUMED", {"_trace": ["fakediscord"]})
        self.signal.fire()

    def _request_members(self, session: Session, data: dict[str, Any]) -> None:
        world = self.fake.world
        guild = world.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        members = list(guild.members.values())
        user_ids = data.get("user_ids")
        if user_ids:
            wanted = {int(u) for u in user_ids}
            members = [m for m in members if m.user.id in wanted]
        else:
            query = str(data.get("query") or "").lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
            if not session.intents & Intent.GUILD_MEMBERS:
                members = [m for m in members if m.user is world.bot]
            limit = int(data.get("limit") or 0)
            if limit:
                members = members[:limit]
        payload: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [member_payload(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            payload["nonce"] = data["nonce"]
        session.dispatch("GUILD_MEMBERS_CHUNK", payload)
