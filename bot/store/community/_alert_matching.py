"""Matching new papers to subscriptions; runs inside the ingest transaction."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

import aiosqlite

from bot.search.analysis import QueryGroup, analyse_query
from bot.search.plan import match_expression
from bot.store._rows import to_json
from bot.store.papers.picks import Pick, Profile, candidates, picks

ACTIVE_USER = "u.paused = 0 AND u.unreachable = 0"


async def _active_keywords(db: aiosqlite.Connection) -> list[str]:
    rows = await db.execute_fetchall(
        "SELECT DISTINCT s.value FROM subscriptions s JOIN alert_users u USING (user_id)"
        " WHERE s.kind = 'keyword' AND " + ACTIVE_USER
    )
    return [str(row[0]) for row in rows]


async def keyword_matches(
    db: aiosqlite.Connection, keyword: str, paper_ids: Collection[int]
) -> set[int]:
    """Which of ``paper_ids`` the keyword finds, exactly as ``/search`` would (all terms,
    Korean particles stripped, English stems), without prefix completion: a keyword is a
    whole word the user chose, not something half typed."""
    if not paper_ids:
        return set()
    groups = analyse_query(keyword, prefix_min=10_000)
    if not groups:
        return set()
    # A rowid range next to MATCH is applied inside FTS5 (new papers have adjacent ids);
    # a rowid IN list would re-run the MATCH per id (see ``bot.store.papers.search._page``).
    rows = await db.execute_fetchall(
        "SELECT rowid FROM paper_search WHERE paper_search MATCH ? AND rowid BETWEEN ? AND ?",
        (match_expression(groups), min(paper_ids), max(paper_ids)),
    )
    wanted = set(paper_ids)
    return {int(row[0]) for row in rows} & wanted


async def reading_list_picks(
    db: aiosqlite.Connection, paper_ids: Collection[int]
) -> dict[int, list[Pick]]:
    """For every active user who asked for recommendations and saved papers: the (at most
    three) new papers closest to their reading list and followed tags."""
    users = {
        int(row[0]): Profile.from_json(str(row[1]))
        for row in await db.execute_fetchall(
            "SELECT u.user_id, p.profile FROM alert_users u JOIN reading_profiles p"
            " USING (user_id) WHERE u.recommend = 1 AND " + ACTIVE_USER
        )
    }
    if not users or not paper_ids:
        return {}
    followed: dict[int, set[str]] = {}
    for row in await db.execute_fetchall(
        "SELECT user_id, value FROM subscriptions WHERE kind = 'tag'"
        " AND user_id IN (SELECT value FROM json_each(?))",
        (to_json(sorted(users)),),
    ):
        followed.setdefault(int(row[0]), set()).add(str(row[1]))
    new = await candidates(db, list(paper_ids))
    groups: dict[str, QueryGroup | None] = {}
    found: dict[int, list[Pick]] = {}
    for user_id, profile in users.items():
        chosen = picks(profile, new, followed_tags=followed.get(user_id, ()), groups=groups)
        if chosen:
            found[user_id] = chosen
    return found


def _merged_picks(previous: list[Any], new: list[Pick]) -> str:
    """Picks of a still-pending alert and of papers added to its issue since: the best three."""
    every = {
        int(pid): (float(score), [str(reason) for reason in reasons])
        for pid, score, reasons in previous
    }
    for pick in new:
        every[pick.paper_id] = (pick.score, list(pick.reasons))
    best = sorted(every.items(), key=lambda item: (-item[1][0], -item[0]))[:3]
    return to_json([[pid, score, reasons] for pid, (score, reasons) in best])


async def queue_alerts(
    db: aiosqlite.Connection, document_id: int, new_paper_ids: Iterable[int], stamp: str
) -> int:
    """Insert/merge one outbox row per user with matches among ``new_paper_ids``.

    Returns the number of users queued. A row still pending (the same document re-ingested
    with more papers) gets the new matches merged in; a row already sent is left alone.
    """
    new_ids = sorted(set(new_paper_ids))
    if not new_ids:
        return 0
    ids_json = to_json(new_ids)
    order = {
        int(row[0]): index
        for index, row in enumerate(
            await db.execute_fetchall(
                "SELECT paper_id FROM mentions WHERE document_id = ? ORDER BY position",
                (document_id,),
            )
        )
    }
    matched: dict[int, dict[int, list[str]]] = {}  # user -> paper -> labels

    def add(user_id: int, paper_id: int, label: str) -> None:
        labels = matched.setdefault(user_id, {}).setdefault(paper_id, [])
        if label not in labels:
            labels.append(label)

    for row in await db.execute_fetchall(
        "SELECT s.user_id, s.value, pt.paper_id FROM paper_tags pt"
        " JOIN subscriptions s ON s.kind = 'tag' AND s.value = pt.tag"
        " JOIN alert_users u ON u.user_id = s.user_id"
        " WHERE pt.paper_id IN (SELECT value FROM json_each(?)) AND " + ACTIVE_USER,
        (ids_json,),
    ):
        add(int(row[0]), int(row[2]), f"#{row[1]}")

    found: dict[str, set[int]] = {}
    for keyword in await _active_keywords(db):
        hits = await keyword_matches(db, keyword, new_ids)
        if hits:
            found[keyword] = hits
    if found:
        for row in await db.execute_fetchall(
            "SELECT s.user_id, s.value FROM subscriptions s JOIN alert_users u USING (user_id)"
            " WHERE s.kind = 'keyword' AND s.value IN (SELECT value FROM json_each(?)) AND "
            + ACTIVE_USER,
            (to_json(sorted(found)),),
        ):
            for paper_id in found[str(row[1])]:
                add(int(row[0]), paper_id, str(row[1]))
    picked = await reading_list_picks(db, new_ids)  # one DM per issue carries both
    if not matched and not picked:
        return 0

    existing = {
        int(row[0]): (str(row[1]), json.loads(row[2]), json.loads(row[3]))
        for row in await db.execute_fetchall(
            "SELECT user_id, status, matches, picks FROM alert_outbox WHERE document_id = ?",
            (document_id,),
        )
    }
    rows: list[tuple[object, ...]] = []
    for user_id in sorted(matched.keys() | picked.keys()):
        previous = existing.get(user_id)
        previous_picks: list[Any] = []
        if previous is not None:
            if previous[0] != "pending":
                continue  # already being sent or done: late additions do not re-alert
            for paper_id, labels in previous[1]:
                for label in labels:
                    add(user_id, int(paper_id), label)
            previous_picks = previous[2]
        papers = matched.get(user_id, {})
        ordered = sorted(papers.items(), key=lambda item: (order.get(item[0], 1 << 30), item[0]))
        rows.append(
            (
                user_id,
                document_id,
                to_json([[pid, labels] for pid, labels in ordered]),
                _merged_picks(previous_picks, picked.get(user_id, [])),
            )
        )
    await db.executemany(
        "INSERT INTO alert_outbox (user_id, document_id, matches, picks, next_attempt_at,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id, document_id) DO UPDATE"
        " SET matches = excluded.matches, picks = excluded.picks,"
        " updated_at = excluded.updated_at WHERE alert_outbox.status = 'pending'",
        [(*row, stamp, stamp, stamp) for row in rows],
    )
    return len(rows)
