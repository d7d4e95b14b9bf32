"""What members read when a command cannot do what they asked, and how /metrics counts it.

Through the emulator: a command Discord still shows but the bot no longer registers, a tag
of the vocabulary that no paper carries yet, a member's typo; each answers with a plain
sentence in the member's language, and a member's mistake is counted as ``refused``, not
as an ``error`` of the bot.
"""

from __future__ import annotations

import discord
import pytest

from bot.discord.tree import discord_error_text, explain
from bot.i18n import Lang
from tests.e2e.conftest import Env
from tests.e2e.test_metrics import samples, value


def _count(env: Env, command: str, outcome: str) -> float:
    scraped = samples(env.bot.app.metrics.exposition().decode())
    return value(scraped, "paperbot_commands_total", command=command, outcome=outcome)


async def test_a_command_that_is_gone_says_so_in_both_languages(env: Env) -> None:
    env.fake.strict_commands = False  # Discord still shows /digest-old; the bot dropped it
    for user, expected in (
        (env.bob, "This command no longer exists"),
        (env.alice, "이 명령은 이제 없습니다"),
    ):
        ix = await env.fake.slash(user, env.channel, "digest-old", {})
        reply = await ix.original_message()
        assert reply.ephemeral
        assert reply.text.startswith(expected), reply.text
        assert "Something went wrong" not in reply.text
    assert _count(env, "unknown", "refused") == 2
    assert _count(env, "unknown", "error") == 0


async def test_a_vocabulary_tag_without_papers_says_there_are_none_yet(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "paper random", {"tag": "강화학습"})
    reply = await ix.original_message()
    assert reply.text == "No papers tagged `rl` yet."
    ix = await env.fake.slash(env.alice, env.channel, "paper random", {"tag": "강화학습"})
    assert (await ix.original_message()).text == "아직 `rl` 태그 논문이 없습니다."
    ix = await env.fake.slash(env.bob, env.channel, "paper random", {"tag": "zzqx"})
    assert "There is no tag" in (await ix.original_message()).text  # not a tag at all


async def test_a_members_typo_is_refused_not_an_error(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "paper random", {"tag": "zzqx"})
    await ix.original_message()
    ix = await env.fake.slash(env.bob, env.channel, "paper show", {"title": "qqqzzz"})
    await ix.original_message()
    assert _count(env, "paper random", "refused") == 1
    assert _count(env, "paper show", "refused") == 1
    assert _count(env, "paper random", "error") == 0
    assert _count(env, "paper show", "error") == 0


class _Response:
    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "Reason"


DISCORD_ERRORS = [
    (
        discord.Forbidden(_Response(403), {"code": 50013, "message": "Missing Permissions"}),
        "permission",
    ),
    (
        discord.Forbidden(_Response(403), {"code": 50001, "message": "Missing Access"}),
        "View Channel",
    ),
    (
        discord.Forbidden(_Response(403), {"code": 50007, "message": "Cannot send"}),
        "direct message",
    ),
    (
        discord.NotFound(_Response(404), {"code": 10003, "message": "Unknown Channel"}),
        "channel no longer exists",
    ),
    (discord.NotFound(_Response(404), {"code": 10008, "message": "Unknown Message"}), "deleted"),
    (
        discord.NotFound(_Response(404), {"code": 10062, "message": "Unknown interaction"}),
        "took too long",
    ),
    (
        discord.HTTPException(_Response(400), {"code": 50035, "message": "Invalid Form Body"}),
        "too long or malformed",
    ),
    (discord.HTTPException(_Response(429), "error code: 1015"), "slow down"),
    (discord.DiscordServerError(_Response(500), "500: Internal Server Error"), "having trouble"),
    (discord.HTTPException(_Response(418), {"code": 0, "message": "teapot"}), "HTTP 418"),
]


@pytest.mark.parametrize(("error", "english"), DISCORD_ERRORS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_discord_error_gets_a_plain_sentence(
    error: discord.HTTPException, english: str, lang: Lang
) -> None:
    text = discord_error_text(error, lang)
    if lang == "en":
        assert english in text
    else:
        assert text != discord_error_text(error, "en")  # Korean, not the English text
    for internal in ("error code", "Missing Permissions", "Unknown", "Internal Server Error"):
        assert internal not in text
    shown, refused = explain(error, "ko" if lang == "ko" else "en-US")
    assert shown == text
    assert not refused  # Discord's trouble, not the member's
