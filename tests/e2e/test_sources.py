"""A forum poll through the running bot: new issue ingested, followers DM'd once, /status true.

The forum is a Discourse-shaped server on loopback; the bot's HTTP client cannot leave it.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from fakediscord import MessageFlag
from tests.digests.sources.fakeweb import LoopbackOnly, json_reply, start_fake_web, text_reply
from tests.digests.sources.posts import (
    WEEKLY_2026_MARKDOWN,
    WEEKLY_2026_TITLE,
    topic,
    topic_list,
)
from tests.e2e.conftest import running_bot

TOPIC_ID = 9001


async def test_forum_poll_ingests_a_new_issue_and_alerts_followers_once(tmp_path: Path) -> None:
    forum, server = await start_fake_web()
    forum.route(
        "/c/news/14.json",
        json_reply(topic_list([topic(TOPIC_ID, WEEKLY_2026_TITLE)]), etag='"listing-1"'),
    )
    forum.route(f"/raw/{TOPIC_ID}/1", text_reply(WEEKLY_2026_MARKDOWN))
    transport = LoopbackOnly()
    try:
        async with (
            httpx.AsyncClient(transport=transport, trust_env=False) as http,
            running_bot(
                tmp_path, http=http, sources={"forum": {"enabled": True, "base_url": forum.base}}
            ) as env,
        ):
            # "reasoning", not "rl": since tags come from titles and summaries (issue 9), no
            # bundled sample carries rl, and /alerts follow only accepts tags in use.
            follow = await env.fake.slash(
                env.alice, env.channel, "alerts follow", {"tag": "reasoning"}, locale="ko"
            )
            assert (await follow.original_message()).flags & MessageFlag.EPHEMERAL
            name = next(n for n in env.bot.jobs.sources if n.startswith("forum:"))

            first = await env.bot.jobs.poll(name)
            assert first.error is None
            dms = env.fake.dms(env.alice)
            assert len(dms) == 1
            assert "Reasoning Gym" in dms[0].text
            assert not env.fake.dms(env.bob)  # bob follows nothing

            again = await env.bot.jobs.poll(name)  # nothing new: no second DM
            assert again.error is None
            assert len(env.fake.dms(env.alice)) == 1

            latest = await env.fake.slash(env.bob, env.channel, "digest latest", {})
            assert "2026/06/08" in (await latest.original_message()).text

            admin = env.fake.world.application.owner  # the alert backlog is the owner's view
            env.guild.add_member(admin, admin=True)
            status = await env.fake.slash(admin, env.channel, "status", {})
            text = (await status.original_message()).text
            host = forum.base.removeprefix("http://")
            assert f"`forum:{host}/c/news/14`: fetched" in text
            assert ", ok" in text
            assert "sent 1" in text  # the one alert DM
    finally:
        await server.cleanup()
    assert transport.refused == []
