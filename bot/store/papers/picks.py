"""Reading-list picks: the new papers of an issue closest to what a user saved.

A reading list's profile is the distinctive words (``related.distinctive_terms``, through the
search's own query analysis) and the tags of its newest papers, each weighted by idf and
summed over the papers that have it; ``LibraryStore`` keeps it in ``reading_profiles``,
recomputed when the list changes. ``picks`` matches a profile in Python against the indexed
tokens of a handful of new papers, exactly as FTS5 would match each word's query group:
cheap enough to run inside the ingest transaction for every user who asked for picks.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import aiosqlite

from bot.search.analysis import QueryGroup
from bot.search.related import REASONS, contains, idf, word_group
from bot.store._rows import to_json
from bot.store.papers import _reads
from bot.store.papers.related import (
    _corpus_size,
    _tag_counts,
    _tags_of,
    _tokens,
    distinctive_terms,
)

__all__ = [
    "PROFILE_PAPERS",
    "Candidates",
    "Pick",
    "Profile",
    "build_profile",
    "candidates",
    "picks",
]

PROFILE_TERMS = 24
PROFILE_TAGS = 12
PROFILE_PAPERS = 50  # the newest saved papers a profile is built from
PICK_TAG_WEIGHT = 1.0
FOLLOWED_TAG_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class Profile:
    """What a reading list is about: weighted words and tags."""

    terms: tuple[tuple[str, float], ...] = ()
    tags: tuple[tuple[str, float], ...] = ()

    def to_json(self) -> str:
        return to_json({"terms": self.terms, "tags": self.tags})

    @classmethod
    def from_json(cls, text: str) -> Profile:
        data = json.loads(text)
        return cls(
            terms=tuple((str(w), float(x)) for w, x in data.get("terms", [])),
            tags=tuple((str(t), float(x)) for t, x in data.get("tags", [])),
        )


@dataclass(frozen=True, slots=True)
class Pick:
    """A new paper recommended from a reading list, with why."""

    paper_id: int
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


async def build_profile(db: aiosqlite.Connection, paper_ids: Sequence[int]) -> Profile:
    """The words and tags of a reading list: each word's and tag's idf summed over the papers
    that have it (among each paper's most distinctive words)."""
    papers = await _reads.fetch_papers(db, list(paper_ids)[:PROFILE_PAPERS])
    if not papers:
        return Profile()
    size = await _corpus_size(db)
    words: dict[tuple[str, ...], tuple[str, float]] = {}
    for terms in await distinctive_terms(db, papers, limit=15):
        for term in terms:
            word, weight = words.get(term.key, (term.word, 0.0))
            words[term.key] = (word, weight + term.weight)
    counts = await _tag_counts(db, [tag for paper in papers for tag in paper.tags])
    tags: defaultdict[str, float] = defaultdict(float)
    for paper in papers:
        for tag in paper.tags:
            tags[tag] += idf(size, counts.get(tag, 0))
    best_words = sorted(words.values(), key=lambda item: (-item[1], item[0]))[:PROFILE_TERMS]
    best_tags = sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:PROFILE_TAGS]
    return Profile(
        terms=tuple((word, round(weight, 4)) for word, weight in best_words),
        tags=tuple((tag, round(weight, 4)) for tag, weight in best_tags if weight > 0),
    )


@dataclass(frozen=True, slots=True)
class Candidates:
    """New papers as ``picks`` sees them: index tokens and tags, and tag frequencies."""

    tokens: Mapping[int, str]
    tags: Mapping[int, frozenset[str]]
    tag_idf: Mapping[str, float]


async def candidates(db: aiosqlite.Connection, paper_ids: Sequence[int]) -> Candidates:
    ids = sorted(set(paper_ids))
    tokens = await _tokens(db, ids)
    tags = {pid: frozenset(found) for pid, found in (await _tags_of(db, ids)).items()}
    size = await _corpus_size(db)
    counts = await _tag_counts(db, [tag for found in tags.values() for tag in found])
    return Candidates(tokens, tags, {tag: idf(size, count) for tag, count in counts.items()})


def picks(
    profile: Profile,
    new: Candidates,
    *,
    followed_tags: Iterable[str] = (),
    limit: int = 3,
    groups: dict[str, QueryGroup | None] | None = None,
) -> list[Pick]:
    """The ``limit`` new papers closest to a reading list and the tags a user follows.

    Score: the profile weights of the words and tags a paper has, plus the idf of each tag the
    user follows that it carries. Papers sharing nothing are never picked. ``groups`` caches
    the query analysis of words across users.
    """
    cache = groups if groups is not None else {}
    tag_weights = dict(profile.tags)
    followed = set(followed_tags)
    result: list[Pick] = []
    for paper_id, text in new.tokens.items():
        reasons: list[tuple[float, str]] = []
        score = 0.0
        carried = new.tags.get(paper_id, frozenset())
        for tag in carried:
            weight = tag_weights.get(tag, 0.0) * PICK_TAG_WEIGHT
            if tag in followed:
                weight += FOLLOWED_TAG_WEIGHT * new.tag_idf.get(tag, 1.0)
            if weight > 0:
                score += weight
                reasons.append((weight + 1e6, f"#{tag}"))  # tags are named first
        for word, weight in profile.terms:
            if word not in cache:
                cache[word] = word_group(word)
            group = cache[word]
            if group is not None and contains(group, text):
                score += weight
                reasons.append((weight, word))
        if score > 0:
            reasons.sort(key=lambda item: (-item[0], item[1]))
            shown = tuple(dict.fromkeys(label for _, label in reasons))[:REASONS]
            result.append(Pick(paper_id, round(score, 4), shown))
    result.sort(key=lambda pick: (-pick.score, -pick.paper_id))
    return result[:limit]
