-- Announcements (per-guild settings and delivery records), per-user topic alerts
-- (subscriptions, users, the alert outbox) and the health of the digest sources.
--
-- Timestamps are ISO 8601 UTC text with milliseconds ('2024-05-13T00:00:00.000Z'), the same
-- shape as documents.created_at, so they compare correctly as text. The code writes them from
-- an injected clock (bot.store.community.iso), never from SQLite's 'now', so tests and the
-- due/lease logic agree on what time it is.

CREATE TABLE guild_settings (
    guild_id              INTEGER PRIMARY KEY,
    channel_id            INTEGER NOT NULL,
    weekday               INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Monday
    time                  TEXT    NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'
                                                  AND substr(time, 1, 2) <= '23'),
    timezone              TEXT    NOT NULL DEFAULT 'Asia/Seoul' CHECK (timezone <> ''),
    role_id               INTEGER,
    kinds                 TEXT    NOT NULL DEFAULT '["weekly"]'
                                  CHECK (json_valid(kinds) AND json_type(kinds) = 'array'),
    language              TEXT    NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en')),
    configured_at         TEXT    NOT NULL,
    -- documents with an id <= baseline were there before the guild was configured: never
    -- announced on schedule (no back-catalogue flood); /announce preview still shows them
    baseline_document_id  INTEGER NOT NULL DEFAULT 0,
    disabled_reason       TEXT,               -- set on 403/404: no retries until settings change
    disabled_at           TEXT,
    notice_pending        INTEGER NOT NULL DEFAULT 0 CHECK (notice_pending IN (0, 1)),
    updated_at            TEXT    NOT NULL
);

-- One row per (guild, issue): the claim that makes an announcement exactly-once.
CREATE TABLE deliveries (
    id                   INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
    document_id          INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    channel_id           INTEGER,
    status               TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
    claim_owner          TEXT,
    lease_until          TEXT,
    -- older issues this delivery summarises (their rows are 'skipped', summarised_in = this)
    summarised_in        INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
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
CREATE INDEX deliveries_by_status ON deliveries (status, lease_until);
CREATE INDEX deliveries_by_guild_finished ON deliveries (guild_id, finished_at);

CREATE TABLE alert_users (
    user_id         INTEGER PRIMARY KEY,
    paused          INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    unreachable     INTEGER NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1)),
    notice_pending  INTEGER NOT NULL DEFAULT 0 CHECK (notice_pending IN (0, 1)),
    locale          TEXT    NOT NULL DEFAULT 'ko' CHECK (locale IN ('ko', 'en')),
    updated_at      TEXT    NOT NULL
);

CREATE TABLE subscriptions (
    user_id     INTEGER NOT NULL REFERENCES alert_users (user_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('tag', 'keyword')),
    value       TEXT    NOT NULL CHECK (value <> '' AND length(value) <= 100),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX subscriptions_by_value ON subscriptions (kind, value, user_id);

-- Written in the same transaction as the document that brought the papers (ingest hook).
CREATE TABLE alert_outbox (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES alert_users (user_id) ON DELETE CASCADE,
    document_id      INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- [[paper_id, ["#tag" | "keyword", ...]], ...] in the digest's order
    matches          TEXT    NOT NULL CHECK (json_valid(matches) AND json_type(matches) = 'array'),
    status           TEXT    NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'cancelled')),
    claim_owner      TEXT,
    lease_until      TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  TEXT    NOT NULL,
    message_id       INTEGER,
    last_error       TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    UNIQUE (user_id, document_id)
);
CREATE INDEX alert_outbox_due ON alert_outbox (status, next_attempt_at, id);

CREATE TABLE source_status (
    source           TEXT    PRIMARY KEY,
    last_fetch_at    TEXT,
    last_success_at  TEXT,
    last_error       TEXT,
    state            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(state)),
    updated_at       TEXT    NOT NULL
) WITHOUT ROWID;
