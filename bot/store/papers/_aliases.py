"""One paper under two names: a weekly's short name and a daily's or note's full title.

Weekly issues often title an entry with the model name alone (``Shepherd``, no arXiv link), so
its identity is ``title:shepherd``; the daily digest or note of the same days has the full
title ``Shepherd: A Critic for Language Model Generation`` and an arXiv link. Without help they
are two papers, and followers get two alerts.

The rule: a weekly entry without an arXiv link whose normalised title is exactly the part of a
daily or note title before its first colon is that paper, when the two digests are at most
``WINDOW_DAYS`` apart. If several papers qualify, the nearest in date wins (then the lowest
id). It holds in either arrival order:

- a weekly written after the daily: its title identities are looked up here first
  (``weekly_targets``) and its mentions go to the daily's paper;
- a daily or note written after the weekly: the weekly mentions in its window that sit on a
  ``title:<short>`` paper and whose target is now this document's paper are moved to it
  (``absorb_weekly_mentions``); ``write_document`` keeps the older paper's id when it can.

Only mentions move, never whole papers: a name reused a year later stays another paper.

A review (a note about several papers, identity ``review:…``) is never a paper: it neither
takes a weekly's short name nor is the target of one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

import aiosqlite

from bot.digests.models import REVIEW_PREFIX, normalise_title

# The identity prefix of reviews: notes that discuss several papers (``Paper.review``). They
# are entries of their own, never merged with a paper; search and related papers can tell them
# by ``REVIEW_SQL`` (``p`` being ``papers``), which the identity index answers.
REVIEW_SQL = f"p.identity GLOB '{REVIEW_PREFIX}*'"

WINDOW_DAYS = 28
_MIN_SHORT_CHARS = 2  # "X: ..." with a one-letter X names too many things
_DAILY_KINDS = ("daily", "note")

_FULL_TITLES_NEAR = (
    "SELECT m.paper_id, m.title_en, d.sort_date FROM documents AS d"
    " JOIN mentions AS m ON m.document_id = d.id JOIN papers AS p ON p.id = m.paper_id"
    f" WHERE d.kind IN ('daily', 'note') AND NOT {REVIEW_SQL}"
    " AND d.sort_date BETWEEN date(?, ?) AND date(?, ?)"
    " AND instr(m.title_en, ':') > 0"
)
_WEEKLY_MENTIONS_NEAR = (
    "SELECT m.id, m.paper_id, p.identity, d.sort_date FROM papers AS p"
    " JOIN mentions AS m ON m.paper_id = p.id JOIN documents AS d ON d.id = m.document_id"
    " WHERE p.identity IN (SELECT value FROM json_each(?)) AND d.kind = 'weekly'"
    " AND d.sort_date BETWEEN date(?, ?) AND date(?, ?)"
)


def short_identity(title: str | None) -> str | None:
    """``title:<normalised part before the first colon>`` of ``X: subtitle``, else None."""
    if not title or ":" not in title:
        return None
    short = normalise_title(title.split(":", 1)[0])
    return f"title:{short}" if len(short) >= _MIN_SHORT_CHARS else None


def is_daily_kind(kind: str) -> bool:
    return kind in _DAILY_KINDS


def _window(sort_date: str) -> tuple[str, str, str, str]:
    return (sort_date, f"-{WINDOW_DAYS} days", sort_date, f"+{WINDOW_DAYS} days")


def _distance(a: str, b: str) -> int:
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


async def weekly_targets(
    db: aiosqlite.Connection, sort_date: str | None, identities: Iterable[str]
) -> dict[str, int]:
    """For a weekly dated ``sort_date``: ``title:`` identity -> the paper it is an alias of."""
    wanted = {identity for identity in identities if identity.startswith("title:")}
    if sort_date is None or not wanted:
        return {}
    best: dict[str, tuple[int, int]] = {}  # identity -> (distance in days, paper id)
    for paper_id, title, other_date in await db.execute_fetchall(
        _FULL_TITLES_NEAR, _window(sort_date)
    ):
        identity = short_identity(title)
        if identity in wanted:
            candidate = (_distance(sort_date, other_date), int(paper_id))
            best[identity] = min(best.get(identity, candidate), candidate)
    return {identity: paper_id for identity, (_, paper_id) in best.items()}


async def absorb_weekly_mentions(
    db: aiosqlite.Connection, sort_date: str | None, short_to_paper: Mapping[str, int]
) -> dict[int, set[int]]:
    """After a daily or note dated ``sort_date`` was written: move the weekly mentions whose
    alias target is now one of its papers (``short identity -> paper id``) onto that paper.

    Returns ``paper the mentions left -> papers they went to``; the papers left must be
    re-merged (or deleted if empty).
    """
    if sort_date is None or not short_to_paper:
        return {}
    rows = await db.execute_fetchall(
        _WEEKLY_MENTIONS_NEAR, (json.dumps(sorted(short_to_paper)), *_window(sort_date))
    )
    moves: list[tuple[int, int]] = []  # (paper id, mention id)
    left: dict[int, set[int]] = {}
    targets: dict[str, dict[str, int]] = {}  # weekly date -> its targets, asked once per date
    for mention_id, paper_id, identity, weekly_date in rows:
        if weekly_date not in targets:
            targets[weekly_date] = await weekly_targets(db, weekly_date, short_to_paper)
        target = targets[weekly_date].get(identity)
        if target is not None and target == short_to_paper[identity] and target != paper_id:
            moves.append((target, int(mention_id)))
            left.setdefault(int(paper_id), set()).add(target)
    if moves:
        await db.executemany("UPDATE mentions SET paper_id = ? WHERE id = ?", moves)
    return left


async def keep_older_ids(
    db: aiosqlite.Connection, moved: Mapping[int, set[int]], new_ids: set[int]
) -> dict[int, int]:
    """Where all mentions of an older paper went to one paper this document just created, keep
    the older row instead: it takes the new paper's identity and mentions, the new row goes.

    The paper then keeps its id (links, /paper ids) and is not new: no second alert for a paper
    followers were already told about under its short name. Returns ``new id -> kept id``.
    """
    kept: dict[int, int] = {}
    for old_id, targets in moved.items():
        (new_id,) = targets if len(targets) == 1 else (None,)
        if new_id is None or new_id not in new_ids or new_id in kept:
            continue
        rows = list(
            await db.execute_fetchall(
                "SELECT (SELECT count(*) FROM mentions WHERE paper_id = ?),"
                " (SELECT identity FROM papers WHERE id = ?)",
                (old_id, new_id),
            )
        )
        remaining, identity = rows[0]
        if remaining:
            continue
        await db.execute("UPDATE mentions SET paper_id = ? WHERE paper_id = ?", (old_id, new_id))
        await db.execute("DELETE FROM papers WHERE id = ?", (new_id,))
        await db.execute("UPDATE papers SET identity = ? WHERE id = ?", (identity, old_id))
        kept[new_id] = old_id
    return kept
