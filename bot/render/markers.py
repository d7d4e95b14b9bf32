"""The markers that let the announcer and the alert DMs find their own earlier messages.

A marker (``paperbot:issue:<document id>``...) is the link of a zero-width embed author, so
Discord returns it in the history and readers never see it (see ``bot.render.announcements``).
It never goes in text people read: content, titles, descriptions, fields or footers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.render.message import Embed

__all__ = [
    "MARKER_URL",
    "alert_marker",
    "has_marker",
    "issue_marker",
    "markers_in",
    "paper_marker",
    "summary_marker",
    "with_marker",
]


def issue_marker(document_id: int) -> str:
    return f"paperbot:issue:{document_id}"


def summary_marker(document_id: int) -> str:
    return f"paperbot:missed:{document_id}"


def paper_marker(document_id: int, index: int) -> str:
    return f"paperbot:paper:{document_id}:{index}"


def alert_marker(document_id: int) -> str:
    return f"paperbot:alert:{document_id}"


MARKER_URL = "https://paperbot.invalid/m/"  # .invalid never resolves (RFC 2606)
ZERO_WIDTH = "\u200b"


def has_marker(texts: Sequence[str], marker: str) -> bool:
    """Whether ``marker`` appears as a whole word in any of ``texts`` (markers, footers, content;
    footers and content: posts of versions that wrote the marker there)."""
    return any(marker in text.split() for text in texts)


def markers_in(embeds: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The markers carried by ``embeds`` (as sent, or as Discord returns them)."""
    found: list[str] = []
    for embed in embeds:
        author = embed.get("author")
        url = author.get("url") if isinstance(author, Mapping) else None
        if isinstance(url, str) and url.startswith(MARKER_URL):
            found.append(url.removeprefix(MARKER_URL))
    return tuple(found)


def with_marker(embed: Embed, marker: str) -> Embed:
    """``embed`` carrying ``marker`` where readers do not see it (its author is free: the
    embeds built here never set one)."""
    return {**embed, "author": {"name": ZERO_WIDTH, "url": MARKER_URL + marker}}
