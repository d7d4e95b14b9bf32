"""Failed checks are told in the user's language (discord.py's own texts are English)."""

from __future__ import annotations

from discord import app_commands

from bot.discord.checks import NotOwner
from bot.discord.tree import user_message


def test_check_failures_are_localised() -> None:
    assert user_message(NotOwner(), "ko") == "봇 소유자만 할 수 있습니다."
    assert user_message(NotOwner(), "en-US") == "Only the bot's owner can do that."
    missing = app_commands.BotMissingPermissions(["embed_links", "read_message_history"])
    assert user_message(missing, "ko") == (
        "이 채널에서 봇에게 다음 권한이 필요합니다: 링크 첨부, 메시지 기록 보기."
    )
    assert user_message(missing, "en-US").endswith("Embed Links, Read Message History.")
    mine = app_commands.MissingPermissions(["manage_guild"])
    assert user_message(mine, "ko") == "이 명령에는 다음 권한이 필요합니다: 서버 관리하기."
    assert user_message(app_commands.NoPrivateMessage(), "ko") == (
        "서버 안에서만 쓸 수 있는 명령입니다."
    )
    assert user_message(app_commands.CheckFailure(), "ko") == "여기서는 이 명령을 쓸 수 없습니다."
