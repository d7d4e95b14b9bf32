"""Echoing what a user typed, safely: the one helper every reply uses for user text.

A query such as ``"```"``, ``**bold**`` or ``<@123>`` must come back as the characters typed,
never as a code block, formatting or a mention. ``quote_user_text`` makes it one line of inline
code (Discord renders nothing inside: no markdown, no mentions, no links), choosing a fence the
text cannot close. ``plain_user_text`` is for places that render no markdown (embed titles,
choice names): one line, shortened.

The catalogue (``bot.i18n``) applies them with the conversions ``{query!q}`` and
``{query!p}``, so a message cannot forget to.
"""

from __future__ import annotations

__all__ = ["plain_user_text", "quote_user_text"]

LIMIT = 100
_ZERO_WIDTH = "\u200b"


def plain_user_text(text: str, limit: int = LIMIT) -> str:
    """One line (whitespace runs collapsed), at most ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def quote_user_text(text: str, limit: int = LIMIT) -> str:
    """``text`` as inline code that shows exactly what was typed (shortened to ``limit``).

    Without backticks: `` `text` ``. With backticks: a double-backtick fence, padded with
    spaces (Discord strips one on each side, so a leading or trailing backtick shows), and
    every run of backticks inside broken by a zero-width space, so no run can close the fence
    or open a code block.
    """
    line = plain_user_text(text, limit)
    if not line:
        return "` `"
    if "`" not in line:
        return f"`{line}`"
    safe = line.replace("``", f"`{_ZERO_WIDTH}`").replace("``", f"`{_ZERO_WIDTH}`")
    return f"`` {safe} ``"
