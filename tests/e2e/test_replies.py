"""Reply wording through the emulator, in both languages: plurals, user text quoted as typed,
an honest /status right after start-up, notices that name the command to run, localised
check failures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.settings import BUNDLED_DIGESTS
from fakediscord import User
from tests.e2e.conftest import Env, running_bot
from tests.e2e.digests import paper, write_weekly

ZW = "\u200b"


def admin_of(env: Env, locale: str) -> User:
    admin = env.fake.world.add_user(f"admin-{locale}", locale=locale)
    env.guild.add_member(admin, admin=True)
    return admin


async def test_one_paper_is_one_paper_in_both_languages(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    write_weekly(incoming, dt.date(2030, 1, 7), [paper("Lonely Paper")])
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        for user, locale, one, wrong in (
            (env.bob, "en-US", "· 1 paper", "1 papers"),
            (env.alice, "ko", "· 논문 1편", "1 papers"),
        ):
            ix = await env.fake.slash(user, env.channel, "digest latest", {}, locale=locale)
            text = (await ix.original_message()).text
            assert one in text
            assert wrong not in text


@pytest.mark.parametrize(
    ("locale", "typed", "expected"),
    [
        ("en-US", "```", f"No papers match `` `{ZW}`{ZW}` ``."),
        ("ko", "```", f"`` `{ZW}`{ZW}` ``에 맞는 논문이 없습니다."),
        ("en-US", "zzqx**qq** <@&qq>", "No papers match `zzqx**qq** <@&qq>`."),
        ("ko", "zq`qx qqzzx", "`` zq`qx qqzzx ``에 맞는 논문이 없습니다."),
    ],
)
async def test_a_query_is_echoed_exactly_as_typed(
    env: Env, locale: str, typed: str, expected: str
) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": typed}, locale=locale)
    reply = await ix.original_message()
    assert reply.ephemeral
    assert reply.text.startswith(expected)
    assert not reply.pings


async def test_followed_keyword_is_quoted(env: Env) -> None:
    ix = await env.fake.slash(
        env.alice, env.channel, "alerts keyword", {"word": "**diffusion**"}, locale="ko"
    )
    assert (await ix.original_message()).text.startswith("`**diffusion**`이(가) 들어간")
    ix = await env.fake.slash(env.alice, env.channel, "alerts list", {}, locale="ko")
    assert "`**diffusion**`" in (await ix.original_message()).text


async def test_status_right_after_start_up_shows_the_local_digests(env: Env) -> None:
    for locale, fetched, not_yet in (
        ("en-US", "`local`: fetched", "nothing fetched yet"),
        ("ko", "`local`:", "아직 가져온 적 없음"),
    ):
        admin = admin_of(env, locale)
        ix = await env.fake.slash(admin, env.channel, "status", {}, locale=locale)
        text = (await ix.original_message()).text
        assert fetched in text
        assert not_yet not in text
        assert "no polls yet" not in text


async def test_paused_notice_names_the_command_to_run(env: Env) -> None:
    for locale, command in (("en-US", "`/settings channel`"), ("ko", "`/설정 채널`")):
        admin = admin_of(env, locale)
        ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
        await ix.original_message()
        await env.store.guilds.disable_guild(env.guild.id, "forbidden:50013", env.clock())
        ix = await env.fake.slash(admin, env.channel, "settings show", {}, locale=locale)
        notice = (await ix.original_message()).text
        assert command in notice
        assert "announcement setup" not in notice
