-- Digests, papers, mentions, tags and the search index.
--
-- A paper that several digests present (a weekly issue and a daily note) is ONE row in
-- `papers` with one row per appearance in `mentions`. Each mention keeps that digest's own
-- copy of the fields; `papers` holds the merged best fields (re-merged whenever a mention
-- changes) and `paper_search` indexes the union of all mentions' text.
--
-- Dates are ISO 8601 text (YYYY-MM-DD), timestamps ISO 8601 UTC text, lists JSON arrays.
-- The runner wraps this file in one transaction and bumps PRAGMA user_version.

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,          -- Document.key: the digest's identity
    source        TEXT    NOT NULL,                 -- where it was last read from
    kind          TEXT    NOT NULL CHECK (kind IN ('weekly', 'daily', 'note')),
    title         TEXT    NOT NULL,
    date          TEXT,
    period_start  TEXT,
    period_end    TEXT,
    -- the date an issue is listed under: its period start, else its date
    sort_date     TEXT    GENERATED ALWAYS AS (coalesce(period_start, date)) VIRTUAL,
    intro         TEXT,
    content_hash  TEXT    NOT NULL,                 -- sha256 of Document.model_dump_json()
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);
CREATE INDEX documents_by_date ON documents (sort_date DESC, id DESC);
CREATE INDEX documents_by_kind_date ON documents (kind, sort_date DESC, id DESC);

CREATE TABLE papers (
    id           INTEGER PRIMARY KEY,
    identity     TEXT    NOT NULL UNIQUE,           -- 'arxiv:<id>' or 'title:<normalised title>'
    arxiv_id     TEXT,
    title_en     TEXT,
    title_ko     TEXT,
    authors      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(authors)),
    summary_ko   TEXT,
    summary_en   TEXT,
    abstract_ko  TEXT,
    abstract_en  TEXT,
    commentary   TEXT,
    links        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(links)),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX papers_by_arxiv ON papers (arxiv_id) WHERE arxiv_id IS NOT NULL;

CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- no cascade: a paper is deleted only once nothing mentions it any more
    paper_id     INTEGER NOT NULL REFERENCES papers (id),
    position     INTEGER NOT NULL CHECK (position >= 0),   -- 0-based order in the digest
    line         INTEGER NOT NULL,                          -- 1-based line in the source
    title_en     TEXT,
    title_ko     TEXT,
    authors      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(authors)),
    summary_ko   TEXT,
    summary_en   TEXT,
    abstract_ko  TEXT,
    abstract_en  TEXT,
    commentary   TEXT,
    tags         TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    links        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(links)),
    UNIQUE (document_id, position)
);
CREATE INDEX mentions_by_paper ON mentions (paper_id, document_id);

-- Union of the mentions' tags, for the tag filter, random-by-tag and autocomplete.
CREATE TABLE paper_tags (
    tag       TEXT    NOT NULL CHECK (tag <> ''),
    paper_id  INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, paper_id)
) WITHOUT ROWID;
CREATE INDEX paper_tags_by_paper ON paper_tags (paper_id, tag);

-- Papers per tag, kept by triggers so tag lists and autocomplete never scan paper_tags.
CREATE TABLE tags (
    tag          TEXT    PRIMARY KEY,
    paper_count  INTEGER NOT NULL CHECK (paper_count >= 0)
) WITHOUT ROWID;

CREATE TRIGGER paper_tags_counted AFTER INSERT ON paper_tags BEGIN
    INSERT INTO tags (tag, paper_count) VALUES (new.tag, 1)
        ON CONFLICT (tag) DO UPDATE SET paper_count = paper_count + 1;
END;

CREATE TRIGGER paper_tags_uncounted AFTER DELETE ON paper_tags BEGIN
    UPDATE tags SET paper_count = paper_count - 1 WHERE tag = old.tag;
    DELETE FROM tags WHERE tag = old.tag AND paper_count <= 0;
END;

-- Full-text index, one row per paper (rowid = papers.id). Columns hold pre-analysed tokens
-- (bot/store/analysis.py: Korean/CJK bigrams, stemmed English words), never raw text, so the
-- FTS tokenizer only splits on spaces. Weights: title 10, authors 6, tags 5, summaries 3,
-- body (abstracts + commentary) 1. `keys` (weight 0, never matched by user words) holds one
-- token per tag (t + hex of the tag) and per kind of digest mentioning the paper (kweekly,
-- kdaily, knote): the tag and kind filters of search are then FTS terms, intersected inside
-- FTS5 instead of probed row by row.
-- No prefix index: it would add a posting per token (a quarter of the ingest cost) to speed
-- up only 1-syllable Korean queries (환 -> 환각, 환경...), which take a few ms without it.
-- automerge 8 (default 4): a little less merging work per document written; Store.optimize
-- merges everything after a bulk load.
CREATE VIRTUAL TABLE paper_search USING fts5 (
    title, authors, tags, summaries, body, keys,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO paper_search (paper_search, rank)
    VALUES ('rank', 'bm25(10.0, 6.0, 5.0, 3.0, 1.0, 0.0)');
INSERT INTO paper_search (paper_search, rank) VALUES ('automerge', 8);

-- Titles alone, for autocomplete. Title rows are short, so the prefix indexes that make a
-- one- or two-letter prefix a single lookup stay small (on paper_search they would double its
-- size and slow every insert).
CREATE VIRTUAL TABLE title_search USING fts5 (
    title,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

-- The index vocabulary, for the one-typo fallback of search.
CREATE VIRTUAL TABLE paper_search_terms USING fts5vocab (paper_search, 'row');

CREATE TRIGGER papers_unindexed AFTER DELETE ON papers BEGIN
    DELETE FROM paper_search WHERE rowid = old.id;
    DELETE FROM title_search WHERE rowid = old.id;
END;
