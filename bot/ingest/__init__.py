"""Ingestion: digest files and sources into the store, by one path.

- ``documents``: ``DocumentBatch``, the one way documents reach ``Store.ingest`` (the
  same-digest rule for every entry point);
- ``files``: digest files and folders (the CLI's ``ingest``, a new store's first fill, the
  configured folders at start-up), parsed ahead in worker processes (``pool``);
- ``poll``: one read of a source (folders, forum, notes repository) for the scheduler.
"""
