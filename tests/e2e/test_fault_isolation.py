"""One server's bad stored state pauses that server alone: the bot starts, every other
server gets its announcement, and the admins of the broken ones are told why.

Each kind of bad state a store can hold: a time zone the runtime cannot resolve (stored by an
older paperbot that accepted ``localtime``, or removed by a tzdata change), a corrupt row, a
channel deleted while the bot was down, a ping role deleted while the bot was down.
"""

from __future__ import annotations

from pathlib import Path

from bot.ingest.files import load_local_digests
from bot.settings import BUNDLED_DIGESTS
from fakediscord import Channel, Guild, User
from tests.e2e.conftest import Clock, Env, arrived_at, max_document_id, running_bot, started_bot
from tests.e2e.digests import paper, write_weekly


def _overviews(env: Env, channel: Channel) -> list[str]:
    return [m.text for m in env.fake.messages(channel) if m.interaction_metadata is None]


def _admin(env: Env, guild: Guild, name: str) -> User:
    admin = env.fake.world.add_user(name, locale="en-US")
    guild.add_member(admin, admin=True)
    return admin


async def _raw(env: Env, sql: str, params: tuple[object, ...]) -> None:
    async with env.store.db.write_lock:
        await env.store.db.writer.execute(sql, params)


async def test_bad_state_in_some_servers_leaves_the_others_announcing(
    tmp_path: Path,
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    clock = Clock()
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming], clock=clock) as env:
        world = env.fake.world
        healthy = env.guild
        zone = world.add_guild("Zone Club", channels=("papers", "general"))
        corrupt = world.add_guild("Corrupt Club", channels=("papers", "general"))
        gone = world.add_guild("Gone Club", channels=("papers", "general"))
        roleless = world.add_guild("Roleless Club", channels=("papers", "general"))
        pinged = roleless.add_role("readers", mentionable=True)
        now = clock()
        for guild in (healthy, zone, corrupt, gone, roleless):
            await env.store.guilds.configure_guild(
                guild.id,
                channel_id=guild.channel("papers").id,
                weekday=0,
                time="09:00",
                role_id=pinged.id if guild is roleless else None,
                now=now,
            )
        await env.bot.close()

        # While the bot is down: an older paperbot stored `localtime`, a row got corrupted,
        # a channel and a role were deleted.
        await _raw(
            env, "UPDATE guild_settings SET timezone = ? WHERE guild_id = ?", ("localtime", zone.id)
        )
        await _raw(
            env,
            "UPDATE guild_settings SET kinds = ? WHERE guild_id = ?",
            ('["weekly", "gossip"]', corrupt.id),
        )
        gone_channel = gone.channel("papers")
        gone.channel_ids.remove(gone_channel.id)
        del world.channels[gone_channel.id]
        del roleless.roles[pinged.id]

        known = await max_document_id(env.store)
        write_weekly(incoming, clock().date(), [paper("Isolation Works")])
        await load_local_digests(env.store, env.settings)
        await arrived_at(env.store, clock(), after_id=known)
        clock.advance(days=8)  # a slot passed

        async with started_bot(env.fake, env.store, env.settings, clock) as bot:
            assert bot.catch_up_task is not None
            results = {r.guild_id: r.outcome for r in await bot.catch_up_task}
            assert results[healthy.id] == "sent"
            assert results[roleless.id] == "sent"
            assert results[gone.id] == "failed"
            assert zone.id not in results  # paused, never tried
            assert corrupt.id not in results
            for guild in (healthy, roleless):
                assert any(
                    "Isolation Works" in text for text in _overviews(env, guild.channel("papers"))
                )
            for guild in (zone, corrupt):
                assert _overviews(env, guild.channel("papers")) == []
            # the scheduler runs the healthy servers' slots and none for the paused ones
            jobs = bot.scheduler.job_ids()
            assert f"announce:{healthy.id}" in jobs
            assert f"announce:{zone.id}" not in jobs
            assert f"announce:{corrupt.id}" not in jobs

            # the admins of the paused servers are told why, in /status and /settings show
            expected = {
                zone.id: "time zone `localtime` is not available",
                corrupt.id: "could not be read",
                gone.id: "no longer exists",
            }
            for guild in (zone, corrupt, gone):
                admin = _admin(env, guild, f"admin-{guild.id}")
                for command in ("status", "settings show"):
                    ix = await env.fake.slash(admin, guild.channel("general"), command)
                    reply = await ix.original_message()
                    assert "Something went wrong" not in reply.text, (command, reply.text)
                    assert expected[guild.id] in reply.text, (command, reply.text)

            # choosing a zone again un-pauses the server, and its job comes back
            admin = _admin(env, zone, "zone-fixer")
            ix = await env.fake.slash(
                admin, zone.channel("papers"), "settings timezone", {"zone": "Europe/Berlin"}
            )
            assert "Europe/Berlin" in (await ix.original_message()).text
            assert f"announce:{zone.id}" in bot.scheduler.job_ids()
            fixed = await env.store.guilds.get_guild(zone.id)
            assert fixed is not None
            assert fixed.enabled


async def test_a_zone_the_runtime_cannot_resolve_is_refused_where_it_is_set(env: Env) -> None:
    admin = _admin(env, env.guild, "carol")
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    for name in (
        "localtime",
        "posixrules",
        "Factory",
        "/etc/localtime",
        "../zoneinfo/UTC",
        "Mars/Olympus",
    ):
        ix = await env.fake.slash(admin, env.channel, "settings timezone", {"zone": name})
        reply = await ix.original_message()
        assert "is not a time zone I know" in reply.text, (name, reply.text)
    settings = await env.store.guilds.get_guild(env.guild.id)
    assert settings is not None
    assert settings.timezone == "Asia/Seoul"
    ix = await env.fake.slash(admin, env.channel, "settings timezone", {"zone": "Asia/Tokyo"})
    assert "Asia/Tokyo" in (await ix.original_message()).text
