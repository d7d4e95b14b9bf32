"""Errors raised while turning digest bytes into documents.

Every parser raises :class:`DigestFormatError` with the 1-based line where it gave up, so that a
bad file becomes one :class:`~bot.digests.models.ParseError` naming the file and the line, and
never an exception that stops a whole ingest run.
"""

from __future__ import annotations


class DigestFormatError(Exception):
    """The text cannot be read as a digest; ``line`` is 1-based (0 means "the file as a whole")."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class NotADigestError(DigestFormatError):
    """The text is recognisably something else (a markdown table, an outline of headings).

    Not a failure: a folder or a notes repository holds such files beside its digests. Ingest
    skips them with a notice naming the file, the line and why.
    """


class UndecodableError(DigestFormatError):
    """The bytes are not text in any encoding we accept (binary file, or mostly control chars)."""


class VocabularyError(ValueError):
    """A tag vocabulary file is malformed (bad TOML, a conflicting alias, a non-list field)."""
