"""Hand-built documents for the store tests (the parsers have their own tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.digests.models import DigestKind, Document, Link, LinkKind, Paper


def arxiv(arxiv_id: str) -> Link:
    return Link(kind=LinkKind.PAPER, url=f"https://arxiv.org/abs/{arxiv_id}")


def paper(title: str | None = "A Paper", *, arxiv_id: str | None = None, **fields: Any) -> Paper:
    links = list(fields.pop("links", []))
    if arxiv_id is not None:
        links.insert(0, arxiv(arxiv_id))
    return Paper(title_en=title, links=links, **fields)


def weekly(day: dt.date, *papers: Paper, title: str | None = None, **fields: Any) -> Document:
    return Document(
        source=fields.pop("source", f"weekly-{day}.txt"),
        kind=DigestKind.WEEKLY,
        title=title or f"[{day:%Y/%m/%d}] 이번 주의 주요 ML 논문",
        period_start=day,
        period_end=day + dt.timedelta(days=6),
        papers=list(papers),
        **fields,
    )


def daily(day: dt.date, *papers: Paper, **fields: Any) -> Document:
    return Document(
        source=fields.pop("source", f"daily-{day}.txt"),
        kind=DigestKind.DAILY,
        title=fields.pop("title", f"{day.year}년 {day.month}월 {day.day}일"),
        date=day,
        papers=list(papers),
        **fields,
    )


def note(one: Paper, **fields: Any) -> Document:
    return Document(
        source=fields.pop("source", f"notes/{one.title}.md"),
        kind=DigestKind.NOTE,
        title=one.title,
        papers=[one],
        **fields,
    )
