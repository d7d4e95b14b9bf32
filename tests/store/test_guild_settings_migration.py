"""Migration 0008: the three per-server tables become one, and every value survives.

The store is created at migration 0007 with values in all three old tables (and delivery
records that reference the old settings table), then migrated to the newest schema.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import Store
from bot.store._db import connect, load_migrations, migrate

T0 = "2026-03-02T00:00:00.000Z"
T1 = "2026-03-05T12:00:00.000Z"


async def _store_at_0007(path: Path) -> None:
    db = await connect(path)
    try:
        assert await migrate(db, load_migrations()[:7]) == 7
        statements = [
            "INSERT INTO documents (id, key, kind, source, title, content_hash, created_at,"
            " updated_at)"
            " VALUES (5, 'w', 'weekly', 'w.txt', 'W', 'h', '" + T0 + "', '" + T0 + "')",
            # guild 1: announcements, search only for the searcher, chart in announcements,
            # paused by a permission error
            "INSERT INTO guild_settings (guild_id, channel_id, weekday, time, timezone, role_id,"
            " kinds, language, configured_at, baseline_document_id, disabled_reason,"
            " disabled_at, notice_pending, updated_at) VALUES (1, 10, 2, '18:30',"
            " 'Europe/Berlin', 77, '[\"daily\",\"weekly\"]', 'en', '" + T0 + "', 4,"
            " 'forbidden:50013', '" + T1 + "', 1, '" + T0 + "')",
            "INSERT INTO guild_preferences (guild_id, search_public, updated_at)"
            " VALUES (1, 0, '" + T1 + "')",
            "INSERT INTO guild_trends (guild_id, announce_chart, updated_at)"
            " VALUES (1, 1, '" + T0 + "')",
            # guild 2: announcements only (defaults elsewhere)
            "INSERT INTO guild_settings (guild_id, channel_id, weekday, time, configured_at,"
            " updated_at) VALUES (2, 20, 0, '09:00', '" + T0 + "', '" + T0 + "')",
            # guild 3: a search preference, never any announcements
            "INSERT INTO guild_preferences (guild_id, search_public, updated_at)"
            " VALUES (3, 0, '" + T0 + "')",
            # guild 4: the chart turned off explicitly
            "INSERT INTO guild_settings (guild_id, channel_id, weekday, time, configured_at,"
            " updated_at) VALUES (4, 40, 6, '07:05', '" + T0 + "', '" + T0 + "')",
            "INSERT INTO guild_trends (guild_id, announce_chart, updated_at)"
            " VALUES (4, 0, '" + T1 + "')",
            # deliveries: one sent, one skipped and summarised by it
            "INSERT INTO deliveries (id, guild_id, document_id, channel_id, status, attempts,"
            " papers_posted, thread_id, created_at, updated_at, finished_at) VALUES (1, 2, 5,"
            " 20, 'sent', 1, 3, 99, '" + T0 + "', '" + T0 + "', '" + T0 + "')",
            "INSERT INTO deliveries (id, guild_id, document_id, channel_id, status,"
            " summarised_in, created_at, updated_at) VALUES (2, 1, 5, 10, 'skipped', 1, '"
            + T0
            + "', '"
            + T0
            + "')",
        ]
        for statement in statements:
            await db.execute(statement)
    finally:
        await db.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return [tuple(row) for row in db.execute(sql)]


async def test_every_value_of_the_three_tables_survives_in_one(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    await _store_at_0007(path)
    deliveries_before = _rows(path, "SELECT * FROM deliveries ORDER BY id")

    async with await Store.open(path) as store:
        assert store.schema_version == len(load_migrations())
        one = await store.guilds.get_guild(1)
        assert one is not None
        assert (one.channel_id, one.weekday, one.time, one.timezone, one.role_id) == (
            10,
            2,
            "18:30",
            "Europe/Berlin",
            77,
        )
        assert one.kinds == ("daily", "weekly")
        assert one.language == "en"
        assert one.baseline_document_id == 4
        assert one.disabled_reason == "forbidden:50013"
        assert one.notice_pending
        assert not one.search_public
        assert one.announce_chart
        assert one.fault is None
        assert not await store.guilds.search_public(1)
        assert await store.guilds.announce_chart(1)

        two = await store.guilds.get_guild(2)
        assert two is not None
        assert two.search_public
        assert not two.announce_chart
        assert two.enabled

        # a server that only chose how /search answers keeps that choice, and still has no
        # announcements set up
        assert await store.guilds.get_guild(3) is None
        assert not await store.guilds.search_public(3)
        assert not await store.guilds.announce_chart(3)

        four = await store.guilds.get_guild(4)
        assert four is not None
        assert not four.announce_chart
        assert [g.guild_id for g in await store.guilds.configured_guilds()] == [1, 2, 4]
        assert [g.guild_id for g in await store.guilds.configured_guilds(enabled_only=True)] == [
            2,
            4,
        ]
        assert await store.guilds.search_public(5)  # no row: the default

    tables = {row[0] for row in _rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "guild_preferences" not in tables
    assert "guild_trends" not in tables
    assert not any(name.endswith("_new") for name in tables)
    assert _rows(path, "SELECT * FROM deliveries ORDER BY id") == deliveries_before
    assert _rows(path, "PRAGMA foreign_key_check") == []
    references = _rows(path, "PRAGMA foreign_key_list(deliveries)")
    assert {(row[2], row[3]) for row in references} == {
        ("guild_settings", "guild_id"),
        ("documents", "document_id"),
        ("deliveries", "summarised_in"),
    }
    indexes = {row[1] for row in _rows(path, "PRAGMA index_list(deliveries)")}
    assert {"deliveries_by_status", "deliveries_by_guild_finished"} <= indexes


async def test_forgetting_a_migrated_server_takes_its_deliveries_and_choices(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    await _store_at_0007(path)
    async with await Store.open(path) as store:
        assert await store.retention.forget_guild(1)
        assert await store.guilds.get_guild(1) is None
        assert await store.guilds.search_public(1)
        assert await store.guilds.deliveries(1) == []
        assert [d.id for d in await store.guilds.deliveries(2)] == [1]


async def test_a_server_with_only_a_choice_gets_its_baseline_when_it_sets_up_announcements(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    await _store_at_0007(path)
    async with await Store.open(path) as store:
        settings = await store.guilds.configure_guild(3, channel_id=30, weekday=1, time="10:00")
        assert settings.baseline_document_id == 5  # the newest stored document
        assert not settings.search_public  # the earlier choice stays
        await store.guilds.set_announce_chart(3, True)
        again = await store.guilds.get_guild(3)
        assert again is not None
        assert again.announce_chart
        assert not again.search_public
