"""User text comes back exactly as typed: never a code block, formatting or a mention."""

from __future__ import annotations

import re

import pytest

from bot.i18n.user_text import plain_user_text, quote_user_text

ZW = "\u200b"


def shown(quoted: str) -> str:
    """What Discord displays for an inline code span (fences and one padding space off)."""
    fence = re.match(r"`+", quoted)
    assert fence is not None
    inner = quoted[len(fence.group()) : -len(fence.group())]
    if len(fence.group()) > 1:
        inner = inner.removeprefix(" ").removesuffix(" ")
    return inner.replace(ZW, "")


@pytest.mark.parametrize(
    "typed", ["```", "`", "a`b", "``x``", "**bold** <@123> @everyone", "환각", "x```py\ny```"]
)
def test_quote_shows_what_was_typed(typed: str) -> None:
    quoted = quote_user_text(typed)
    assert shown(quoted) == " ".join(typed.split())
    assert "\n" not in quoted
    assert "```" not in quoted  # never opens a code block
    fence = re.match(r"`+", quoted)
    assert fence is not None
    inner = quoted[len(fence.group()) : -len(fence.group())]
    assert fence.group() not in inner  # nothing inside can close the span early


def test_quote_is_short_and_never_empty() -> None:
    assert len(quote_user_text("x" * 500)) <= 102
    assert quote_user_text("   ") == "` `"
    assert plain_user_text("a\n\nb   c") == "a b c"
