"""Search plans: FTS5 MATCH expressions from analysed queries, ranking budgets, typo candidates.

Pure code: the store (``bot.store.papers.search``) executes the plans against SQLite.

Safety: a MATCH expression is assembled only from tokens produced by
``analysis.analyse_query`` (letters and digits), each inside double quotes, joined by our own
``AND``/``OR``/parentheses. No character the user typed reaches FTS5 syntax, so ``"``,
``AND(``, ``*``, ``NEAR``, ``-`` or an empty query cannot raise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.search.analysis import Alternative, Conjunction, QueryGroup, query_stem

__all__ = [
    "COLUMN_WEIGHTS",
    "HEADS",
    "RANK_BUDGET",
    "Expressions",
    "added_count",
    "choose_correction",
    "clean_text",
    "correction_candidates",
    "covers",
    "expressions",
    "found_in",
    "group_frequency",
    "group_tokens",
    "match_expression",
    "needles",
    "one_edit",
    "ranked_max",
]


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _alternative(alternative: Alternative | Conjunction) -> str:
    if isinstance(alternative, Conjunction):
        return "(" + " AND ".join(_group(group) for group in alternative.groups) + ")"
    if alternative.near:
        parts = " ".join(quote(" ".join(part)) for part in alternative.near)
        return f"NEAR({parts}, {NEAR_DISTANCE})"
    phrase = quote(" ".join(alternative.tokens))
    return phrase + "*" if alternative.prefix else phrase


NEAR_DISTANCE = 3  # tokens between the words of a glossary form (``key-value 캐시를``)


def _group(group: QueryGroup) -> str:
    parts = [_alternative(alt) for alt in group.alternatives]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def match_expression(groups: Sequence[QueryGroup], operator: str = "AND") -> str:
    """FTS5 MATCH text for ``groups``: every token quoted, groups joined by ``operator``."""
    if operator not in ("AND", "OR"):
        raise ValueError(operator)
    return f" {operator} ".join(_group(group) for group in groups)


def one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits.update(left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1)
    edits.update(left + c + right[1:] for left, right in splits if right for c in _ALPHABET)
    edits.update(left + c + right for left, right in splits for c in _ALPHABET)
    edits.discard(word)
    edits.discard("")
    return edits


def clean_text(text: str) -> str:
    """Replace lone surrogates (they cannot be encoded for SQLite or pydantic)."""
    return text.encode("utf-8", "replace").decode("utf-8")


RANK_BUDGET = 6_000
"""Ranking work allowed per query, in microseconds (roughly; see ``ranked_max``)."""


HEADS = "{title authors tags summaries}"


def ranked_max(groups: Sequence[QueryGroup], filters: int = 0) -> int:
    """How many matches one query may rank with bm25 within ``RANK_BUDGET``.

    Measured at 100,000 papers: about 1 us per row plus 0.8 us per single-token alternative;
    a phrase (a Korean word of 3+ syllables, a hyphenated compound) costs about four times
    as much per token, since its positions must be matched in every row; so does a filter.
    """
    # a filter key is a phrase too, with a doclist as long as its tag's
    units = _units(groups) + 4 * filters
    return max(RANK_MIN, int(RANK_BUDGET / (1 + 0.8 * units)))


RANK_MIN = 200


def _units(groups: Sequence[QueryGroup]) -> int:
    units = 0
    for group in groups:
        for alternative in group.alternatives:
            if isinstance(alternative, Conjunction):
                units += _units(alternative.groups)
            else:
                units += 1 if len(alternative.tokens) == 1 else 4 * len(alternative.tokens)
    return units


@dataclass(frozen=True, slots=True)
class Expressions:
    """MATCH texts for one query: all matches, and those matching in the weighty columns."""

    full: str
    heads: str


def expressions(
    groups: Sequence[QueryGroup],
    operator: str,
    keys: Sequence[str],
    exclude: Sequence[QueryGroup] = (),
) -> Expressions:
    """The user's terms ANDed with the filter keys (and without matches of ``exclude``).

    Neither is limited to columns: a column filter makes FTS5 decode every row's positions
    (``model`` counts 40% slower). Key tokens (``kdaily``, ``t`` + hex) are not words anyone
    types, and one that was typed would only act as the filter it is.
    """
    core = match_expression(groups, operator)
    suffix = "".join(f" AND {quote(key)}" for key in keys)
    full, heads = f"({core}){suffix}", f"{HEADS} : ({core}){suffix}"
    if exclude:
        unwanted = match_expression(exclude)
        full, heads = f"({full}) NOT ({unwanted})", f"({heads}) NOT ({unwanted})"
    return Expressions(full, heads)


def added_count(
    wide: Sequence[QueryGroup], groups: Sequence[QueryGroup], keys: Sequence[str]
) -> tuple[str, bool]:
    """A MATCH text counting the papers the expansion ``wide`` adds to ``groups`` (with the
    filter ``keys``), and whether that count is exact (else it counts all of ``wide``, and
    the caller subtracts what ``groups`` count).

    When one group only was widened (the common case: one concept named), the papers it adds
    are those matching the other groups and one of its added alternatives, but not its typed
    ones: ``(others AND added) NOT typed``, which walks neither ``wide``'s typed
    alternatives nor, under the NOT, the other groups' doclists again.
    """
    every = f"({match_expression(wide)})" + "".join(f" AND {quote(key)}" for key in keys)
    if len(wide) != len(groups):
        return every, False
    changed = [i for i, (w, g) in enumerate(zip(wide, groups, strict=True)) if w != g]
    if len(changed) != 1:
        return every, False
    index = changed[0]
    typed, widened = groups[index].alternatives, wide[index].alternatives
    if widened[: len(typed)] != typed or len(widened) == len(typed):
        return every, False
    added = QueryGroup(widened[len(typed) :])
    rest = [*groups[:index], added, *groups[index + 1 :]]
    core = f"({match_expression(rest)})" + "".join(f" AND {quote(key)}" for key in keys)
    return f"({core}) NOT ({match_expression([groups[index]])})", True


def correction_candidates(word: str, term: str) -> dict[str, tuple[int, str]]:
    """Possible corrections of a word missing from the index: ``term -> (tier, shown as)``.

    Tier 0, one edit away from what was *typed*: every one-edit variant of the surface word,
    looked up as typed (titles index unstemmed words) and stemmed (``lage`` -> ``large`` ->
    ``larg``), and every one-edit variant of its stem (``halucin`` -> ``hallucin``). Stemming
    first and correcting the stem turned ``lage`` into a surname (``lag``). Tier 1, a typo in
    a suffix the stemmer then could not strip: the stem's longest indexed prefix, at most
    5 letters shorter (``hallucinatiin`` -> ``hallucin``). ``choose_correction`` picks.
    """
    found: dict[str, tuple[int, str]] = {}
    for variant in sorted(one_edit(word)):  # looked up stemmed (every column holds stems)
        found.setdefault(query_stem(variant), (0, variant))
    # shown with the typed word's own ending: halucination -> hallucin + ation
    ending = word[len(term) :] if word.startswith(term) else ""
    for variant in sorted(one_edit(term)):
        found.setdefault(variant, (0, variant + ending))
    for length in range(len(term) - 1, max(3, len(term) - 6), -1):
        found.setdefault(term[:length], (1, term[:length]))
    found.pop(term, None)
    found.pop(word, None)
    return found


def choose_correction(
    word: str, choices: dict[str, tuple[int, str]], frequency: dict[str, int]
) -> str | None:
    """The best indexed candidate: lower tier, then one not shorter than what was typed (a
    shorter word is mostly a different word: ``lage`` is ``large``, not ``lag``), then the
    term in more papers, then the longer."""
    found = [
        (tier, len(shown) < len(word), -frequency[term], -len(shown), term)
        for term, (tier, shown) in choices.items()
        if frequency.get(term, 0) > 0
    ]
    return min(found)[4] if found else None


COLUMN_WEIGHTS = (1.0, 0.8, 0.8, 0.6, 0.4)
"""How much a query term found in each column counts towards a paper's coverage of the query:
title, authors, tags, summaries, abstracts and commentary (the columns of ``paper_search``)."""


def covers(group: QueryGroup, text: str) -> bool:
    """Whether ``text`` (one column's index tokens, space-padded) matches ``group`` as its
    MATCH expression would (NEAR as all its phrases in the column)."""
    return any(_covers(alternative, text) for alternative in group.alternatives)


Needles = tuple[tuple[str, ...], ...]


def needles(group: QueryGroup) -> Needles:
    """``group`` as substrings to look for: it matches a padded column if every string of
    one of the tuples is in it (what ``covers`` decides, precomputed once per query)."""
    found: list[tuple[str, ...]] = []
    for alternative in group.alternatives:
        if isinstance(alternative, Conjunction):
            parts = [needles(inner) for inner in alternative.groups]
            if all(len(part) == 1 for part in parts):  # else too many combinations: skip
                found.append(tuple(s for part in parts for s in part[0]))
        elif alternative.near:
            found.append(tuple(f" {' '.join(part)} " for part in alternative.near))
        elif alternative.prefix:
            found.append((f" {' '.join(alternative.tokens)}",))
        else:
            found.append((f" {' '.join(alternative.tokens)} ",))
    return tuple(dict.fromkeys(found))


def found_in(wanted: Needles, text: str) -> bool:
    # loops rather than any(all(...)): called for every (paper, term, column) of the partial
    # matches, where generator overhead cost more than the substring searches
    for strings in wanted:
        for string in strings:
            if string not in text:
                break
        else:
            return True
    return False


def _covers(alternative: Alternative | Conjunction, text: str) -> bool:
    if isinstance(alternative, Conjunction):
        return all(covers(group, text) for group in alternative.groups)
    if alternative.near:
        return all(f" {' '.join(part)} " in text for part in alternative.near)
    phrase = " ".join(alternative.tokens)
    return f" {phrase}" in text if alternative.prefix else f" {phrase} " in text


def group_tokens(group: QueryGroup) -> set[str]:
    """Every token of the group's alternatives (what its document frequency is read from)."""
    found: set[str] = set()
    for alternative in group.alternatives:
        if isinstance(alternative, Conjunction):
            for inner in alternative.groups:
                found |= group_tokens(inner)
        elif not alternative.prefix:
            found.update(alternative.tokens)
    return found


def group_frequency(group: QueryGroup, docs: dict[str, int]) -> int:
    """Estimated papers matching the group: its likeliest alternative's rarest token (a
    prefix alternative counts as found)."""
    best = 0
    for alternative in group.alternatives:
        if isinstance(alternative, Conjunction):
            value = min((group_frequency(inner, docs) for inner in alternative.groups), default=0)
        elif alternative.prefix:
            value = 1
        else:
            value = min((docs.get(token, 0) for token in alternative.tokens), default=0)
        best = max(best, value)
    return best
