-- Discovery: each user's reading list (papers they saved), the reading profile derived from
-- it (for recommendations), the opt-in to recommendations, and the recommended papers an
-- alert DM carries next to the tag matches (one DM per user and issue, never two).

CREATE TABLE library (
    user_id   INTEGER NOT NULL,
    -- a paper that disappears (its last mention deleted) leaves every reading list too
    paper_id  INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    saved_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, paper_id)
) WITHOUT ROWID;
CREATE INDEX library_by_user_saved ON library (user_id, saved_at DESC, paper_id DESC);
CREATE INDEX library_by_paper ON library (paper_id);

-- The distinctive words and tags of a user's newest saved papers, recomputed when the list
-- changes, so that matching a new issue against it (inside the ingest) stays cheap.
-- {"terms": [[word, weight], ...], "tags": [[tag, weight], ...]}
CREATE TABLE reading_profiles (
    user_id     INTEGER PRIMARY KEY,
    profile     TEXT    NOT NULL CHECK (json_valid(profile)),
    updated_at  TEXT    NOT NULL
);

ALTER TABLE alert_users ADD COLUMN recommend INTEGER NOT NULL DEFAULT 0
    CHECK (recommend IN (0, 1));

-- [[paper_id, score, [reason, ...]], ...], best first, at most three
ALTER TABLE alert_outbox ADD COLUMN picks TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(picks) AND json_type(picks) = 'array');
