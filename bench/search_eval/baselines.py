"""Baselines over the same notes paperbot stored, plain SQLite FTS5 with the stdlib ``sqlite3``.

- ``Unicode61``: one row per note, columns ``title`` (the file name without its ``YYMMDD``
  date) and ``body`` (the file's text), SQLite's default tokenizer; a query is its
  whitespace-separated words, each quoted, all required (FTS5's implicit AND), ranked by
  ``bm25``. What a first FTS5 search box would do.
- ``Bigram``: the same rows, pre-tokenised: every run of Hangul syllables as its overlapping
  two-syllable bigrams (a lone syllable as itself), every other run of letters and digits as
  one lowercased word; a query is analysed the same way and its tokens are OR-ed, ranked by
  ``bm25``. The usual CJK n-gram index, with no stemming, glossary or typo handling.
- ``TitleIndex``: for related papers, one row per stored paper holding its title; the seed's
  title words OR-ed, ranked by ``bm25``, the seed itself left out.

Column weights are FTS5's defaults (1 for every column) in all three.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_DATE_PREFIX = re.compile(r"^\d{6}[\s_-]*")
_RUNS = re.compile(r"([\uac00-\ud7a3]+)|([^\W_\uac00-\ud7a3]+)")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Note:
    name: str  # the note's file name (NFC): how notes are identified, see _paperbot.note_name
    title: str
    body: str


def read_note(name: str, path: Path) -> Note:
    title = _DATE_PREFIX.sub("", Path(name).stem) or Path(name).stem
    return Note(name, title, path.read_text(encoding="utf-8", errors="replace"))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def bigram_tokens(text: str) -> list[str]:
    """Hangul runs as overlapping syllable bigrams, other letter/digit runs as lowercased words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    tokens: list[str] = []
    for match in _RUNS.finditer(text):
        hangul, other = match.groups()
        if hangul is None:
            tokens.append(other)
        elif len(hangul) == 1:
            tokens.append(hangul)
        else:
            tokens.extend(hangul[i : i + 2] for i in range(len(hangul) - 1))
    return tokens


class _Index:
    def __init__(self, columns: str) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(f"CREATE VIRTUAL TABLE docs USING fts5({columns})")

    def _ranked(self, expression: str, limit: int) -> list[str]:
        if not expression:
            return []
        try:
            rows = self.db.execute(
                "SELECT key FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                (expression, limit),
            ).fetchall()
        except sqlite3.OperationalError:  # e.g. a quoted term with no token in it
            return []
        return [row[0] for row in rows]

    def close(self) -> None:
        self.db.close()


class Unicode61(_Index):
    def __init__(self, notes: Iterable[Note]) -> None:
        super().__init__("key UNINDEXED, title, body")
        self.db.executemany(
            "INSERT INTO docs (key, title, body) VALUES (?, ?, ?)",
            ((n.name, n.title, n.body) for n in notes),
        )

    def search(self, query: str, limit: int) -> list[str]:
        return self._ranked(" ".join(_quote(word) for word in query.split()), limit)


class Bigram(_Index):
    def __init__(self, notes: Iterable[Note]) -> None:
        super().__init__("key UNINDEXED, title, body")
        self.db.executemany(
            "INSERT INTO docs (key, title, body) VALUES (?, ?, ?)",
            (
                (n.name, " ".join(bigram_tokens(n.title)), " ".join(bigram_tokens(n.body)))
                for n in notes
            ),
        )

    def search(self, query: str, limit: int) -> list[str]:
        tokens = dict.fromkeys(bigram_tokens(query))
        return self._ranked(" OR ".join(_quote(t) for t in tokens), limit)


class TitleIndex(_Index):
    def __init__(self, titles: dict[int, str]) -> None:
        super().__init__("key UNINDEXED, title")
        self.titles = titles
        self.db.executemany(
            "INSERT INTO docs (key, title) VALUES (?, ?)", ((str(k), t) for k, t in titles.items())
        )

    def related(self, paper_id: int, limit: int) -> list[int]:
        words = dict.fromkeys(w.casefold() for w in _WORDS.findall(self.titles[paper_id]))
        found = self._ranked(" OR ".join(_quote(w) for w in words), limit + 1)
        return [int(key) for key in found if int(key) != paper_id][:limit]
