"""Rendering core data (papers, pages, digests) as plain, limit-safe embed dicts."""
