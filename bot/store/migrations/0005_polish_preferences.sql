-- Server preferences that do not depend on announcements being set up (a server can choose
-- how /search answers without ever picking an announcement channel), so they live beside
-- guild_settings rather than in it. No row: the defaults.

CREATE TABLE guild_preferences (
    guild_id       INTEGER PRIMARY KEY,
    -- 1: /search answers for everyone (the default); 0: only the searcher sees the results,
    -- with a Share button that posts them for everyone
    search_public  INTEGER NOT NULL DEFAULT 1 CHECK (search_public IN (0, 1)),
    updated_at     TEXT    NOT NULL
);
