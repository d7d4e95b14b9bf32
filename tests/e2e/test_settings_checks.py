"""/settings checks every permission announcements need and the ping role; /status shows a
server only its own figures. Through the emulator, in both languages."""

from __future__ import annotations

import pytest

from fakediscord import Overwrite, Permission, User
from tests.e2e.conftest import Env


def admin_of(env: Env, locale: str) -> User:
    admin = env.fake.world.add_user(f"admin-{locale}", locale=locale)
    env.guild.add_member(admin, admin=True)
    return admin


def bot_role_id(env: Env) -> int:
    return next(r.id for r in env.guild.roles.values() if r.bot_id == env.fake.world.bot.id)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "I am missing Embed Links, Read Message History there."),
        ("ko", "봇에게 그 채널의 링크 첨부, 메시지 기록 보기 권한이 없습니다."),
    ],
)
async def test_channel_without_embed_links_or_history_is_refused_naming_them(
    env: Env, locale: str, expected: str
) -> None:
    deny = Permission.EMBED_LINKS | Permission.READ_MESSAGE_HISTORY
    plain = env.guild.add_text_channel(
        "plain-text", overwrites=[Overwrite(id=bot_role_id(env), type=0, deny=deny)]
    )
    await env.fake.wait_until(lambda: env.bot.get_channel(plain.id) is not None, within=5)
    admin = admin_of(env, locale)
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": plain})
    refused = await ix.original_message()
    assert refused.ephemeral
    assert expected in refused.text
    assert "Send Messages" not in refused.text  # only what is missing
    assert await env.store.guilds.get_guild(env.guild.id) is None

    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    assert (await ix.original_message()).text.startswith(("Saved.", "저장했습니다."))


async def test_ping_role_must_be_mentionable_unless_the_bot_may_mention_everyone(
    env: Env,
) -> None:
    admin = admin_of(env, "ko")
    quiet = env.guild.add_role("quiet", mentionable=False)
    loud = env.guild.add_role("loud", mentionable=True)
    await env.fake.wait_until(lambda: env.bot.get_guild(env.guild.id).get_role(loud.id), within=5)  # type: ignore[union-attr]
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()

    ix = await env.fake.slash(admin, env.channel, "settings role", {"role": quiet})
    refused = await ix.original_message()
    assert f"{quiet.mention} 역할은 멘션할 수 없어" in refused.text
    assert not refused.pings
    settings = await env.store.guilds.get_guild(env.guild.id)
    assert settings is not None
    assert settings.role_id is None
    ix = await env.fake.slash(admin, env.channel, "settings role", {"role": quiet}, locale="en")
    assert "it is not mentionable" in (await ix.original_message()).text

    ix = await env.fake.slash(admin, env.channel, "settings role", {"role": loud})
    await ix.original_message()
    settings = await env.store.guilds.get_guild(env.guild.id)
    assert settings is not None
    assert settings.role_id == loud.id

    # With Mention @everyone in the announcement channel, any role can be pinged.
    room = env.guild.add_text_channel(
        "announcements",
        overwrites=[Overwrite(id=bot_role_id(env), type=0, allow=Permission.MENTION_EVERYONE)],
    )
    await env.fake.wait_until(lambda: env.bot.get_channel(room.id) is not None, within=5)
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": room})
    await ix.original_message()
    ix = await env.fake.slash(admin, env.channel, "settings role", {"role": quiet})
    await ix.original_message()
    settings = await env.store.guilds.get_guild(env.guild.id)
    assert settings is not None
    assert settings.role_id == quiet.id


async def test_status_shows_a_server_its_own_figures_and_the_owner_everything(env: Env) -> None:
    other = env.fake.world.add_guild("Other Club", channels=("general",))
    await env.store.guilds.configure_guild(
        other.id, channel_id=other.channel("general").id, weekday=0, time="09:00", now=env.clock()
    )
    await env.store.guilds.disable_guild(other.id, "forbidden:50013", env.clock())
    await env.store.alerts.follow(env.bob.id, "tag", "rlhf", now=env.clock())
    await env.store.alerts.mark_unreachable(env.bob.id, env.clock(), "closed_dms")

    for locale, alerts_heading in (("en-US", "Topic alerts"), ("ko", "주제 알림")):
        admin = admin_of(env, locale)
        ix = await env.fake.slash(admin, env.channel, "status", {}, locale=locale)
        mine = await ix.original_message()
        assert alerts_heading not in mine.text  # global alert figures: not theirs
        assert "unreachable" not in mine.text
        assert "DM 불가" not in mine.text
        assert "50013" not in mine.text  # another server's failure

    owner = env.fake.world.application.owner
    env.guild.add_member(owner, admin=True)
    ix = await env.fake.slash(owner, env.channel, "status", {}, locale="en-US")
    everything = await ix.original_message()
    assert "Topic alerts" in everything.text
    assert "unreachable users 1" in everything.text
