"""Compact views of parsed papers, so tests can state every field of every paper in one table."""

from __future__ import annotations

from bot.digests.models import PROSE_FIELDS, Paper


def present(paper: Paper) -> set[str]:
    """Which of the free-text fields a paper has."""
    return {name for name in PROSE_FIELDS if getattr(paper, name)}


def links(paper: Paper) -> list[tuple[str, str]]:
    return [(link.kind.value, link.url) for link in paper.links]
