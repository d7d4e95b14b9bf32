-- A new store is filled once from the configured digests (bot.ingest.fill_new_store). The
-- marker is written here, in the same transaction that creates the schema, and set to 'done'
-- only after the fill completed: a fill that was killed half-way is completed on next open,
-- whichever command opens the store. Stores that already hold digests were filled by earlier
-- versions and get no marker; an empty one is treated as new.

INSERT INTO meta (key, value)
    SELECT 'first_fill', 'pending' WHERE NOT EXISTS (SELECT 1 FROM documents);
