-- Weekly tag trends (/trends): a server's choice to attach the trend chart to its weekly
-- announcement. A table of its own beside guild_settings (one row per configured guild that
-- ever chose), so the announcement settings stay as they are; no row means "no chart".
--
-- The weekly tag counts themselves need no table: they are read from mentions and their
-- digest's sort_date through documents_by_date (bot/store/trends.py).

CREATE TABLE guild_trends (
    guild_id        INTEGER PRIMARY KEY REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
    announce_chart  INTEGER NOT NULL DEFAULT 0 CHECK (announce_chart IN (0, 1)),
    updated_at      TEXT    NOT NULL
);
