"""What a Discord error becomes on its way to a retry message: its status once, in words."""

from __future__ import annotations

import types

import discord
import pytest

from bot.delivery import Transient
from bot.discord.rest_courier import _mapped
from bot.i18n import t
from bot.render.admin import reason_text


def _error(kind: type[discord.HTTPException], status: int, body: object) -> discord.HTTPException:
    return kind(types.SimpleNamespace(status=status, reason="Reason"), body)


@pytest.mark.parametrize(
    ("error", "stored", "shown"),
    [
        (
            _error(
                discord.DiscordServerError,
                500,
                {"message": "500: Internal Server Error", "code": 0},
            ),
            "transient error 500 Internal Server Error",
            "Could not post this time (a server error at Discord (HTTP 500))",
        ),
        (
            _error(discord.DiscordServerError, 502, "Bad Gateway"),
            "transient error 502 Bad Gateway",
            "Could not post this time (a server error at Discord (HTTP 502))",
        ),
        (
            _error(discord.HTTPException, 429, "error code: 1015"),
            "transient error 429 error code: 1015",
            "Could not post this time (Discord asked the bot to slow down)",
        ),
    ],
)
async def test_a_discord_error_is_stored_once_and_shown_in_words(
    error: discord.HTTPException, stored: str, shown: str
) -> None:
    with pytest.raises(Transient) as caught:
        async with _mapped():
            raise error
    assert str(caught.value) == stored  # "500 500: Internal Server Error" no more
    message = t("announce.now.retry", "en", reason=reason_text(str(caught.value), "en"), when="?")
    assert message.startswith(shown)
