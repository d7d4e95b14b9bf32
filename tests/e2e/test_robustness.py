"""The bot under bad conditions: huge data, hostile input, 429s, a slow store, a dropped
gateway, unexpected errors, broken cogs, and command syncing only when something changed."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.discord.client import PaperBot
from bot.render import limits
from bot.store import Store
from fakediscord import CallbackType, MessageFlag
from tests.e2e.conftest import Env, running_bot

HUGE_DAILY = """2024년 6월 3일
A Paper With An Enormous Abstract About @everyone And <@123456789012345678>
({authors})
{abstract}
@everyone 환각을 줄이는 방법에 대한 코멘트입니다. <@&987654321098765432> 도 부르지 마세요.
#hallucination #llm
"""


def _huge_digest(folder: Path) -> Path:
    folder.mkdir()
    authors = ", ".join(f"Author Number{i} Surname{i}" for i in range(300))
    abstract = ("We study hallucination in very long abstracts. " * 220)[:10_000]
    path = folder / "daily-2024-06-03.txt"
    path.write_text(HUGE_DAILY.format(authors=authors, abstract=abstract), encoding="utf-8")
    return path


async def test_oversized_paper_fits_discords_limits_and_pings_nobody(tmp_path: Path) -> None:
    _huge_digest(tmp_path / "digests")
    async with running_bot(tmp_path, digests=[tmp_path / "digests"]) as env:
        ix = await env.fake.slash(
            env.bob, env.channel, "paper show", {"title": "A Paper With An Enormous Abstract"}
        )
        reply = await ix.original_message()
        embed = reply.embeds[0]
        assert embed["title"].startswith("A Paper With An Enormous Abstract")
        assert len(embed["description"]) <= limits.DESCRIPTION
        assert limits.embed_length(embed) <= limits.TOTAL
        authors = next(f["value"] for f in embed["fields"] if f["name"] == "Authors")
        assert len(authors) <= limits.FIELD_VALUE
        assert "+" in authors  # "…, (+N)" says how many names were left out
        assert "@everyone" in reply.text  # shown as text...
        assert not reply.pings  # ...but nobody is notified
        assert reply.allowed_mentions == {"parse": []}

        ix = await env.fake.slash(env.alice, env.channel, "search", {"query": "환각"}, locale="ko")
        assert not (await ix.original_message()).pings


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND(",
        "NEAR(a b",
        "*",
        "-",
        "'; DROP TABLE papers; --",
        "🙂🙂",
        "ㅎ",
        "a" * 200,
        "title:foo",
        "^^^ OR OR",
    ],
)
async def test_hostile_queries_get_a_reply_never_a_traceback(env: Env, query: str) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": query})
    reply = await ix.original_message()
    if reply.embeds:
        assert reply.embeds[0]["title"].startswith("Search:")
    else:
        assert reply.flags & MessageFlag.EPHEMERAL
        assert "No papers match" in reply.content or "Type something" in reply.content
    assert "error id" not in reply.content


async def test_a_429_during_a_command_is_waited_out(env: Env) -> None:
    env.fake.faults.add("POST", "/interactions/*/*/callback", status=429, retry_after=0.2, times=1)
    ix = await env.fake.slash(env.bob, env.channel, "tags")
    reply = await ix.original_message()
    assert reply.embeds[0]["title"] == "Tags"
    assert env.fake.served_429 == 1


async def test_a_slow_store_defers_instead_of_missing_the_deadline(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_search = Store.search

    async def slow_search(self: Store, *args: object, **kwargs: object) -> object:
        await asyncio.sleep(2.0)  # a store under load: slower than DEFER_AFTER
        return await real_search(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "search", slow_search)
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "hallucination"})
    response = await ix.response(within=3.0)
    assert response.type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    reply = await ix.original_message(within=5.0)
    assert "Hallucination" in reply.embeds[0]["description"]


async def test_gateway_drop_and_resume(env: Env) -> None:
    await env.fake.drop_gateway(resumable=True)
    await env.fake.gateway.wait_resumed()
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "Chameleon"})
    reply = await ix.original_message(within=10.0)
    assert "Chameleon" in reply.embeds[0]["description"]


async def test_unexpected_error_gives_a_quotable_id_and_is_logged(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: Store) -> list[tuple[str, int]]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "tag_counts", broken)
    with caplog.at_level(logging.ERROR):
        ix = await env.fake.slash(env.bob, env.channel, "tags")
        reply = await ix.original_message()
    assert reply.flags & MessageFlag.EPHEMERAL
    assert "error id" in reply.content
    error_id = reply.content.split("`")[1]
    assert any(error_id in r.getMessage() for r in caplog.records)
    assert "disk on fire" not in reply.content


async def test_commands_sync_only_when_changed(tmp_path: Path) -> None:
    app_id = 424242424242424242
    async with running_bot(tmp_path, application_id=app_id) as env:
        first = env.fake.requests.count("PUT", "/applications/*/commands")
    assert first == 1
    async with running_bot(tmp_path, application_id=app_id) as env:  # same store and commands
        assert env.fake.requests.count("PUT", "/applications/*/commands") == 0
        assert await env.bot.sync_commands(force=True)  # the owner's explicit sync
        assert env.fake.requests.count("PUT", "/applications/*/commands") == 1
    async with running_bot(tmp_path, application_id=app_id + 1) as env:  # another application
        assert env.fake.requests.count("PUT", "/applications/*/commands") == 1


async def test_a_broken_cog_is_logged_and_the_rest_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("bot.discord.client.EXTENSIONS", ("cogs.does_not_exist", "cogs.lookup"))
    original_init = PaperBot.__init__

    def init(self: PaperBot, *args: object, **kwargs: object) -> None:
        kwargs["extensions"] = ("cogs.does_not_exist", "cogs.lookup")
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PaperBot, "__init__", init)
    with caplog.at_level(logging.ERROR):
        async with running_bot(tmp_path) as env:
            assert "cogs.does_not_exist" in env.bot.failed_extensions
            ix = await env.fake.slash(env.bob, env.channel, "tags")
            assert (await ix.original_message()).embeds
    assert any("cogs.does_not_exist" in r.getMessage() for r in caplog.records)


async def test_heartbeat_only_while_connected_and_survives_store_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.discord.client.HEARTBEAT_EVERY", 0.05)
    async with running_bot(tmp_path) as env:
        await _heartbeat_checks(env, monkeypatch)


async def _heartbeat_checks(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.runtime.health import HEARTBEAT_KEY

    bot = env.bot
    store = bot.store
    real_set_meta = store.set_meta
    failures = 0

    async def locked_once(key: str, value: str) -> None:
        nonlocal failures
        if key == HEARTBEAT_KEY and failures == 0:
            failures += 1
            raise sqlite3.OperationalError("database is locked")
        await real_set_meta(key, value)

    monkeypatch.setattr(store, "set_meta", locked_once)
    first = await store.get_meta(HEARTBEAT_KEY)
    await env.fake.wait_until(lambda: failures == 1)
    for _ in range(200):  # the beat goes on after the failure
        if await store.get_meta(HEARTBEAT_KEY) != first:
            break
        await asyncio.sleep(0.02)
    assert await store.get_meta(HEARTBEAT_KEY) != first

    env.fake.gateway.refusing = True
    await env.fake.gateway.drop()
    for _ in range(200):
        if not bot.gateway_connected:
            break
        await asyncio.sleep(0.02)
    assert not bot.gateway_connected
    silent = await store.get_meta(HEARTBEAT_KEY)
    await asyncio.sleep(0.5)  # ten beats' worth: none may be recorded while disconnected
    assert await store.get_meta(HEARTBEAT_KEY) == silent

    env.fake.gateway.refusing = False
    await env.fake.gateway.wait_resumed(within=30)
    for _ in range(200):
        if await store.get_meta(HEARTBEAT_KEY) != silent:
            break
        await asyncio.sleep(0.02)
    assert await store.get_meta(HEARTBEAT_KEY) != silent
