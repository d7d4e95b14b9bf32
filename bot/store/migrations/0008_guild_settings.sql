-- Every per-server setting in one row of one table. Until now they were spread over three
-- tables (guild_settings: announcements; guild_preferences: how /search answers;
-- guild_trends: the chart in announcements), so a new setting had no obvious home.
--
-- A server can choose how /search answers without ever picking an announcement channel, so
-- the announcement columns become nullable: a row whose channel_id is NULL has only
-- preferences ("announcements not set up"); channel, weekday, time and configured_at are set
-- together or not at all. A new setting is a column here with its default.
--
-- SQLite cannot drop NOT NULL in place, so the table is rebuilt. deliveries references it
-- (ON DELETE CASCADE): dropping the old table with foreign keys on would delete every
-- delivery record, so deliveries is rebuilt too, referencing the new table, before the old
-- one goes; the renames then point the references at the final names. Every value is kept.

CREATE TABLE guild_settings_new (
    guild_id              INTEGER PRIMARY KEY,
    -- announcements (all four NULL: not set up)
    channel_id            INTEGER,
    weekday               INTEGER CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Monday
    time                  TEXT    CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'
                                         AND substr(time, 1, 2) <= '23'),
    configured_at         TEXT,
    timezone              TEXT    NOT NULL DEFAULT 'Asia/Seoul' CHECK (timezone <> ''),
    role_id               INTEGER,
    kinds                 TEXT    NOT NULL DEFAULT '["weekly"]'
                                  CHECK (json_valid(kinds) AND json_type(kinds) = 'array'),
    language              TEXT    NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en')),
    -- documents with an id <= baseline were there before the guild was configured: never
    -- announced on schedule (no back-catalogue flood); /announce preview still shows them
    baseline_document_id  INTEGER NOT NULL DEFAULT 0,
    disabled_reason       TEXT,               -- set on 403/404: no retries until settings change
    disabled_at           TEXT,
    notice_pending        INTEGER NOT NULL DEFAULT 0 CHECK (notice_pending IN (0, 1)),
    -- 1: /search answers for everyone (the default); 0: only the searcher sees the results
    search_public         INTEGER NOT NULL DEFAULT 1 CHECK (search_public IN (0, 1)),
    -- 1: the weekly trend chart goes with each weekly announcement
    announce_chart        INTEGER NOT NULL DEFAULT 0 CHECK (announce_chart IN (0, 1)),
    updated_at            TEXT    NOT NULL,
    CHECK ((channel_id IS NULL) = (weekday IS NULL)
           AND (channel_id IS NULL) = (time IS NULL)
           AND (channel_id IS NULL) = (configured_at IS NULL))
);

INSERT INTO guild_settings_new (guild_id, channel_id, weekday, time, configured_at, timezone,
    role_id, kinds, language, baseline_document_id, disabled_reason, disabled_at,
    notice_pending, search_public, announce_chart, updated_at)
SELECT s.guild_id, s.channel_id, s.weekday, s.time, s.configured_at, s.timezone, s.role_id,
       s.kinds, s.language, s.baseline_document_id, s.disabled_reason, s.disabled_at,
       s.notice_pending, coalesce(p.search_public, 1), coalesce(t.announce_chart, 0),
       max(s.updated_at, coalesce(p.updated_at, ''), coalesce(t.updated_at, ''))
  FROM guild_settings AS s
  LEFT JOIN guild_preferences AS p ON p.guild_id = s.guild_id
  LEFT JOIN guild_trends AS t ON t.guild_id = s.guild_id;

-- preferences of servers that never set up announcements
INSERT INTO guild_settings_new (guild_id, search_public, updated_at)
SELECT p.guild_id, p.search_public, p.updated_at
  FROM guild_preferences AS p
 WHERE p.guild_id NOT IN (SELECT guild_id FROM guild_settings);

CREATE TABLE deliveries_new (
    id                   INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL
                                 REFERENCES guild_settings_new (guild_id) ON DELETE CASCADE,
    document_id          INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    channel_id           INTEGER,
    status               TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
    claim_owner          TEXT,
    lease_until          TEXT,
    -- older issues this delivery summarises (their rows are 'skipped', summarised_in = this)
    summarised_in        INTEGER REFERENCES deliveries_new (id) ON DELETE SET NULL,
    summary_message_id   INTEGER,
    overview_message_id  INTEGER,
    thread_id            INTEGER,
    papers_posted        INTEGER NOT NULL DEFAULT 0 CHECK (papers_posted >= 0),
    attempts             INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error           TEXT,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    finished_at          TEXT,
    UNIQUE (guild_id, document_id),
    CHECK (status <> 'claimed' OR (claim_owner IS NOT NULL AND lease_until IS NOT NULL))
);

INSERT INTO deliveries_new (id, guild_id, document_id, channel_id, status, claim_owner,
    lease_until, summarised_in, summary_message_id, overview_message_id, thread_id,
    papers_posted, attempts, last_error, created_at, updated_at, finished_at)
SELECT id, guild_id, document_id, channel_id, status, claim_owner, lease_until, summarised_in,
       summary_message_id, overview_message_id, thread_id, papers_posted, attempts, last_error,
       created_at, updated_at, finished_at
  FROM deliveries;

DROP TABLE guild_trends;
DROP TABLE guild_preferences;
DROP TABLE deliveries;
DROP TABLE guild_settings;

ALTER TABLE guild_settings_new RENAME TO guild_settings;
ALTER TABLE deliveries_new RENAME TO deliveries;

CREATE INDEX deliveries_by_status ON deliveries (status, lease_until);
CREATE INDEX deliveries_by_guild_finished ON deliveries (guild_id, finished_at);
