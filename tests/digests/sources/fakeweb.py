"""A real HTTP server on loopback that plays the forum and GitHub, and a client that cannot leave.

Every test talks HTTP for real — sockets, headers, status codes, timeouts — to an aiohttp
server on ``127.0.0.1`` with a random port. The server answers from a script (a path maps to a
sequence of :class:`Reply`; the last one repeats) and records each request with the moment it
arrived, so tests can check headers, counts and spacing from the server's side.

The client's transport refuses any host but ``127.0.0.1``, and ``trust_env=False`` keeps proxy
variables out of the way: no test can reach the network, whatever a source's defaults are.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from bot.digests.sources.http import HttpSettings

TEST_USER_AGENT = "paperbot-tests/1.0 (+https://example.invalid/paperbot; digest fetcher)"


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted answer. With ``etag``/``last_modified`` set, a matching conditional request
    gets a 304 instead, as a real server would."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None


def json_reply(data: object, *, etag: str | None = None, status: int = 200) -> Reply:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8"}, etag=etag)


def text_reply(text: str, *, content_type: str = "text/plain; charset=utf-8") -> Reply:
    return Reply(200, text.encode(), {"Content-Type": content_type})


def status_reply(status: int, **headers: str) -> Reply:
    return Reply(status, b"", {key.replace("_", "-"): value for key, value in headers.items()})


@dataclass(frozen=True, slots=True)
class Seen:
    """A request as the server received it."""

    path: str  # percent-decoded, without the query
    raw_path: str  # as sent on the wire, with the query
    query: str
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


class FakeWeb:
    """The scripted server. ``base`` is its ``http://127.0.0.1:<port>``."""

    def __init__(self) -> None:
        self.base = ""
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []

    def route(self, target: str, *replies: Reply) -> None:
        """Answer ``target`` (decoded path, plus ``?query`` when it has one) with ``replies``."""
        self.routes[target] = list(replies)

    def seen(self, target: str) -> list[Seen]:
        return [request for request in self.requests if request.target == target]

    def targets(self) -> list[str]:
        return [request.target for request in self.requests]

    def clear(self) -> None:
        self.requests.clear()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(
            path=request.path,
            raw_path=request.raw_path,
            query=request.query_string,
            headers=dict(request.headers),
            at=time.monotonic(),
        )
        self.requests.append(seen)
        replies = self.routes.get(seen.target)
        if not replies:
            return web.Response(status=404, text="not scripted")
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if reply.delay:
            await asyncio.sleep(reply.delay)
        validators: dict[str, str] = {}
        if reply.etag is not None:
            validators["ETag"] = reply.etag
        if reply.last_modified is not None:
            validators["Last-Modified"] = reply.last_modified
        if (reply.etag is not None and request.headers.get("If-None-Match") == reply.etag) or (
            reply.last_modified is not None
            and request.headers.get("If-Modified-Since") == reply.last_modified
        ):
            return web.Response(status=304, headers=validators)
        return web.Response(
            status=reply.status, body=reply.body, headers={**reply.headers, **validators}
        )


ServerFactory = Callable[[], Awaitable[FakeWeb]]


async def start_fake_web() -> tuple[FakeWeb, web.AppRunner]:
    """A scripted server on 127.0.0.1 with a random port, and its runner (to clean up)."""
    fake = FakeWeb()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    assert host == "127.0.0.1"
    fake.base = f"http://127.0.0.1:{port}"
    return fake, runner


class LoopbackOnly(httpx.AsyncBaseTransport):
    """Refuses every host but 127.0.0.1, and remembers any attempt (in case it was swallowed)."""

    def __init__(self) -> None:
        # Plain HTTP on loopback only: skipping certificate loading saves ~0.1 s per test.
        self._inner = httpx.AsyncHTTPTransport(verify=False)
        self.refused: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            self.refused.append(str(request.url))
            raise AssertionError(f"test tried to leave loopback: {request.url}")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


FAST = HttpSettings(
    user_agent=TEST_USER_AGENT,
    timeout=1.0,
    min_interval=0.0,
    max_attempts=3,
    backoff_base=0.01,
    backoff_cap=0.05,
    max_retry_after=5.0,
)


def fast_settings(**overrides: Any) -> HttpSettings:
    """Production behaviour with waits shrunk to milliseconds."""
    return dataclasses.replace(FAST, **overrides)
