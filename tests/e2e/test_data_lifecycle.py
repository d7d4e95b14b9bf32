"""Forgetting through the emulator: a server the bot leaves, a user who asks (in both
languages), and the daily purge of old records."""

from __future__ import annotations

import asyncio
import datetime as dt

from fakediscord import User
from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.conftest import Env


def admin_of(env: Env) -> User:
    env.fake.limiter.config = RateLimitConfig(enabled=False)  # "announce now" posts a thread
    admin = env.fake.world.add_user("carol", locale="en-US")
    env.guild.add_member(admin, admin=True)
    return admin


async def test_leaving_a_server_deletes_its_settings_and_deliveries(env: Env) -> None:
    admin = admin_of(env)
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    ix = await env.fake.slash(
        admin, env.channel, "settings search-replies", {"visibility": "private"}
    )
    await ix.original_message()
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    await ix.original_message()
    assert await env.store.guilds.deliveries(env.guild.id)
    assert f"announce:{env.guild.id}" in env.bot.scheduler.job_ids()

    env.fake.world.remove_bot(env.guild)
    await env.fake.wait_until(lambda: env.bot.get_guild(env.guild.id) is None, within=5)
    for _ in range(100):  # on_guild_remove runs right after the cache drops the guild
        if await env.store.guilds.get_guild(env.guild.id) is None:
            break
        await asyncio.sleep(0.02)
    assert await env.store.guilds.get_guild(env.guild.id) is None
    assert await env.store.guilds.deliveries(env.guild.id) == []
    assert await env.store.guilds.search_public(env.guild.id)  # no row left: the default
    assert f"announce:{env.guild.id}" not in env.bot.scheduler.job_ids()


async def test_a_user_deletes_their_data_after_confirming(env: Env) -> None:
    for user in (env.alice, env.bob):
        for tag in ("rlhf", "rag"):
            ix = await env.fake.slash(user, env.channel, "alerts follow", {"tag": tag})
            await ix.original_message()

    ix = await env.fake.slash(env.alice, env.channel, "alerts forget", {}, locale="ko")
    asked = await ix.original_message()
    assert asked.ephemeral
    assert "구독한 주제 2개" in asked.text
    assert [b["label"] for b in asked.buttons] == ["내 정보 지우기", "취소"]
    cancelled = await env.fake.click(asked, "forget:no")
    await cancelled.original_message()
    assert env.fake.world.find_message(asked.id).text == "아무것도 지우지 않았습니다."  # type: ignore[union-attr]
    assert len(await env.store.alerts.subscriptions(env.alice.id)) == 2

    paper = await env.store.random_paper()
    assert paper is not None
    await env.store.library.save(env.alice.id, paper.id)  # a reading list of one paper
    await env.store.library.refresh_profile(env.alice.id)
    ix = await env.fake.slash(env.alice, None, "alerts forget", {}, locale="ko")  # in the DM
    asked = await ix.original_message()
    assert "내 서재 (논문 1편)" in asked.text
    await (await env.fake.click(asked, "forget:yes")).original_message()
    done = env.fake.world.find_message(asked.id)
    assert done is not None
    assert done.text.startswith("모두 지웠습니다")
    assert "내 서재 (논문 1편)" in done.text  # the confirmation names what went
    assert not done.buttons
    assert await env.store.alerts.get_user(env.alice.id) is None
    assert await env.store.alerts.subscriptions(env.alice.id) == []
    assert await env.store.library.count(env.alice.id) == 0
    assert (
        await env.store.retention.user_data(env.alice.id)
        == type(await env.store.retention.user_data(0))()
    )

    ix = await env.fake.slash(env.bob, env.channel, "alerts forget", {}, locale="en-US")
    asked = await ix.original_message()
    assert "your 2 followed topics, your reading list (0 saved papers)" in asked.text
    assert [b["label"] for b in asked.buttons] == ["Delete my data", "Cancel"]
    await (await env.fake.click(asked, "forget:yes")).original_message()
    assert env.fake.world.find_message(asked.id).text.startswith("Done:")  # type: ignore[union-attr]
    assert await env.store.alerts.subscriptions(env.bob.id) == []


async def test_old_records_are_purged_daily_without_reposting(env: Env) -> None:
    assert "retention:purge" in env.bot.scheduler.job_ids()
    admin = admin_of(env)
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    await ix.original_message()
    posted = len(env.fake.messages(env.channel))
    (delivery,) = await env.store.guilds.deliveries(env.guild.id)

    lifecycle = env.bot.delivery.lifecycle
    assert (await lifecycle.purge(env.clock() + dt.timedelta(days=89))).deliveries == 0
    env.clock.advance(days=91)  # past the default 90 days
    assert (await lifecycle.purge()).deliveries == 1
    assert await env.store.guilds.deliveries(env.guild.id) == []
    assert await env.bot.jobs.announce(env.guild.id) == []
    assert await env.bot.jobs.catch_up() == []
    assert len(env.fake.messages(env.channel)) == posted
    assert delivery.status == "sent"
