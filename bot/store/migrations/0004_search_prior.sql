-- Search tie-break (issue 9): among equally relevant hits, prefer the more recent paper and
-- the one more digests mention (a weekly issue over a stray note). `prior` is written by the
-- ingest with every merge (bot/store/_merge.py: prior); this fills it for existing papers
-- with the same formula: days from 2000-01-01 to the latest mention, plus 30 per further
-- mention and 30 if a weekly issue mentions the paper.
-- The FTS tables are unchanged: no index rebuild is needed.

ALTER TABLE papers ADD COLUMN prior INTEGER NOT NULL DEFAULT 0;

UPDATE papers SET prior = coalesce((
    SELECT max(0, coalesce(CAST(
               julianday(max(substr(d.sort_date, 1, 10))) - julianday('2000-01-01') AS INTEGER), 0))
           + 30 * (count(*) - 1)
           + 30 * max(d.kind = 'weekly')
    FROM mentions AS m JOIN documents AS d ON d.id = m.document_id
    WHERE m.paper_id = papers.id
), 0);
