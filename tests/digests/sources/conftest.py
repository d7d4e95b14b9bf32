"""Fixtures for the source tests: scripted loopback servers, a client that cannot leave them.

See :mod:`.fakeweb` for the server and the transport guard.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bot.digests.sources.http import HttpFetcher

from .fakeweb import FakeWeb, LoopbackOnly, ServerFactory, fast_settings, start_fake_web


@pytest.fixture
async def start_server() -> AsyncIterator[ServerFactory]:
    """Start as many scripted servers as a test needs (GitHub's API and raw host are two)."""
    runners: list[web.AppRunner] = []

    async def start() -> FakeWeb:
        fake, runner = await start_fake_web()
        runners.append(runner)
        return fake

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def server(start_server: ServerFactory) -> FakeWeb:
    return await start_server()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = LoopbackOnly()
    async with httpx.AsyncClient(transport=transport, trust_env=False) as opened:
        yield opened
    assert transport.refused == []


@pytest.fixture
def http(client: httpx.AsyncClient) -> HttpFetcher:
    return HttpFetcher(client, fast_settings())
