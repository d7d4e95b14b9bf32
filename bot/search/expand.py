"""Query expansion across languages: glossary concepts and tag aliases.

A query word or phrase that names a concept of the glossary (``양자화``, ``speculative
decoding``, ``어텐션``) or an alias of a tag (``강화학습``) also matches the concept's other
forms, in both directions, and papers carrying the concept's tag. A form of several words with
a Latin one matches as its words near each other in any order (``merging models`` = ``model
merging``), and mixed-script spellings are formed from one form's head and another's last
word (``key-value 캐시``); a concept is recognised whatever the order of its words. Matching is on
normalised words (English stems, Korean without particles or spaces), so ``양자화를``,
``quantized`` or ``검색증강생성`` find their concept too.

The expanded query is only ever a superset of the typed one: search ranks the papers the
typed words find first and the papers found only through the expansion after them
(``_search.search``), so exact-language matches stay on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.digests.glossary import Glossary
from bot.digests.tags import TagVocabulary
from bot.search.analysis import Alternative, Conjunction, QueryGroup, analyse_query
from bot.search.mentions import tag_key

__all__ = ["Expander"]

_NO_PREFIX = 1_000_000  # analyse forms without prefix completions
MAX_EXPANSIONS = 16  # alternatives added per concept: each is a phrase FTS5 must match


@dataclass(frozen=True, slots=True)
class _Concept:
    alternatives: tuple[Alternative, ...]
    tag: str | None


def _is_hangul(word: str) -> bool:
    return bool(word) and all("\uac00" <= char <= "\ud7a3" for char in word)


def _content(form: str) -> list[QueryGroup]:
    groups = analyse_query(form, prefix_min=_NO_PREFIX)
    return [group for group in groups if not group.stop] or groups


def _parts(groups: Sequence[QueryGroup]) -> tuple[tuple[str, ...], ...] | None:
    """Each group's main phrase, or None if one is no plain phrase."""
    firsts = [group.alternatives[0] for group in groups]
    if not all(isinstance(alt, Alternative) and not alt.prefix for alt in firsts):
        return None
    return tuple(alt.tokens for alt in firsts if isinstance(alt, Alternative))


def _near(parts: Sequence[tuple[str, ...]]) -> Alternative:
    """The words near each other in any order if one is a Latin word (``model merging`` =
    ``merging of models``); Korean words stay one phrase, in order (their bigrams make NEAR
    too loose: ``언어의 특성과 모델`` is no 언어 모델), spaced as written (``korean``
    handles the joined spelling)."""
    tokens = tuple(t for part in parts for t in part)
    if all(_is_hangul(token) for token in tokens):
        return Alternative(tokens)
    return Alternative(tokens, near=tuple(parts))


def _form(form: str) -> tuple[list[tuple[str, ...]], list[Alternative]]:
    """The keys a form is recognised by in a query, and the alternatives it is searched as.

    A form of several words is searched as its words near each other in any order
    (``model merging`` finds ``merging models``), not as one exact phrase.
    """
    groups = _content(form)
    if not groups:
        return [], []
    words = tuple(word for group in groups for word in group.key)
    keys = [words]
    if len(words) > 1 and all(_is_hangul(word) for word in words):
        keys.append(("".join(words),))  # 검색 증강 생성 is also typed 검색증강생성
    if len(groups) == 1:
        # The main phrase only: the typed word has its own spacing variants already, and
        # every alternative is a phrase FTS5 must match.
        phrases = [alt for alt in groups[0].alternatives[:1] if isinstance(alt, Alternative)]
        return keys, phrases
    parts = _parts(groups)
    if parts is None:
        return keys, []
    phrases = [_near(parts)]
    if len(keys) == 2:  # the joined Korean spelling, indexed as one bigram run
        phrases.extend(_form(keys[1][0])[1][:1])
    return keys, phrases


def _mixed(forms: Iterable[str]) -> list[tuple[tuple[str, ...], Alternative]]:
    """Mixed-script spellings of a concept: the head words of one form with the last word of
    another (``key-value 캐시``, ``KV 캐시``, ``모델 merging``), as (key, alternative)."""
    split: list[
        tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...], tuple[str, ...]]
    ] = []
    for form in forms:
        groups = _content(form)
        parts = _parts(groups) if len(groups) >= 2 else None
        if parts is None:
            continue
        head_key = tuple(w for group in groups[:-1] for w in group.key)
        split.append((head_key, parts[:-1], groups[-1].key, parts[-1]))
    found: list[tuple[tuple[str, ...], Alternative]] = []
    for head_key, head, _, _ in split:
        for _, _, last_key, last in split:
            found.append(((*head_key, *last_key), _near((*head, last))))
    return found


class Expander:
    """Recognises concepts in analysed queries and adds their other forms."""

    def __init__(self, glossary: Glossary, vocabulary: TagVocabulary) -> None:
        self._concepts: list[_Concept] = []
        self._index: dict[tuple[str, ...], list[int]] = {}
        # the same keys with their words sorted: ``merging models`` names ``model merging``
        self._unordered: dict[tuple[str, ...], list[int]] = {}
        for term in glossary.terms:
            self._add(term.forms, term.tag)
        for name, info in vocabulary.tags.items():
            # Tag aliases join the expansion: 강화학습 -> rl's other aliases and the tag itself.
            self._add([name, *(alias.replace("-", " ") for alias in info.aliases)], name)
        self._longest = max((len(key) for key in self._index), default=0)

    def _add(self, forms: Iterable[str], tag: str | None) -> None:
        forms = list(forms)
        concept_id = len(self._concepts)
        phrases: dict[Alternative, None] = {}
        keyed: list[tuple[str, ...]] = []
        for form in forms:
            keys, alternatives = _form(form)
            phrases.update(dict.fromkeys(alternatives))
            keyed.extend(keys)
        mixed = _mixed(forms)
        for key, alternative in mixed:
            keyed.append(key)
            phrases.setdefault(alternative, None)
        for key in keyed:
            for index, lookup in ((self._index, key), (self._unordered, tuple(sorted(key)))):
                ids = index.setdefault(lookup, [])
                if concept_id not in ids:
                    ids.append(concept_id)
        self._concepts.append(_Concept(tuple(phrases), tag))

    def expand(self, groups: Sequence[QueryGroup]) -> list[QueryGroup] | None:
        """``groups`` with recognised concepts widened, or None if there is none.

        A concept named twice (``hallucination 환각``) is not widened: the user already wrote
        it in both languages and means papers that say both.
        """
        spans: list[tuple[int, int, list[int]]] = []
        start = 0
        while start < len(groups):
            found = self._match(groups, start)
            if found is None:
                start += 1
                continue
            spans.append((start, found[0], found[1]))
            start = found[0]
        seen: dict[int, int] = {}
        for _, _, ids in spans:
            for concept_id in ids:
                seen[concept_id] = seen.get(concept_id, 0) + 1
        spans = [span for span in spans if all(seen[i] == 1 for i in span[2])]
        if not spans:
            return None
        out = list(groups)
        for start, end, ids in reversed(spans):
            out[start:end] = [self._widen(groups[start:end], ids)]
        return out

    @staticmethod
    def added(wide: Sequence[QueryGroup], groups: Sequence[QueryGroup]) -> set[str]:
        """Tokens of the alternatives the expansion added to ``groups``."""
        typed = {alt for group in groups for alt in group.alternatives}
        return {
            token
            for group in wide
            for alt in group.alternatives
            if isinstance(alt, Alternative) and alt not in typed
            for token in alt.tokens
        }

    @staticmethod
    def prune(
        wide: Sequence[QueryGroup], groups: Sequence[QueryGroup], frequent: set[str]
    ) -> list[QueryGroup] | None:
        """``wide`` without added alternatives made only of ``frequent`` tokens, or None if
        nothing is left to add. A form most papers contain (``llm``, the tag key of ``llm``,
        ``language model``) finds nothing the typed words would miss that is worth its cost:
        FTS5 reads its whole doclist (tens of ms at 100,000 papers)."""
        typed = {alt for group in groups for alt in group.alternatives}
        out: list[QueryGroup] = []
        for group in wide:
            kept = tuple(
                alt
                for alt in group.alternatives
                if alt in typed
                or not isinstance(alt, Alternative)
                or not (
                    all(token in frequent for token in alt.tokens)
                    # a NEAR must read every token's positions: one common word is enough
                    or (alt.near and any(token in frequent for token in alt.tokens))
                )
            )
            out.append(
                group
                if len(kept) == len(group.alternatives)
                else QueryGroup(kept, group.word, group.completion, group.relaxed, group.key)
            )
        if [g.alternatives for g in out] == [g.alternatives for g in groups]:
            return None
        return out

    def _match(self, groups: Sequence[QueryGroup], start: int) -> tuple[int, list[int]] | None:
        """The longest run of groups from ``start`` that names concepts: (end, concept ids)."""
        words: list[str] = []
        spans: list[tuple[int, tuple[str, ...]]] = []
        for end in range(start, len(groups)):
            if not groups[end].key:
                break
            words.extend(groups[end].key)
            if len(words) > self._longest + 1:
                break
            spans.append((end + 1, tuple(words)))
        for end, key in reversed(spans):
            keys = [key]
            if len(key) > 1 and all(_is_hangul(word) for word in key):
                keys.append(("".join(key),))  # typed spaced, listed joined
            ids = [i for candidate in keys for i in self._index.get(candidate, [])]
            if not ids and len(key) > 1:
                ids = list(self._unordered.get(tuple(sorted(key)), []))
            if ids:
                return end, list(dict.fromkeys(ids))
        return None

    def _widen(self, span: Sequence[QueryGroup], concept_ids: list[int]) -> QueryGroup:
        first = span[0]
        typed: tuple[Alternative | Conjunction, ...] = (
            first.alternatives if len(span) == 1 else (Conjunction(tuple(span)),)
        )
        extra: dict[Alternative | Conjunction, None] = {}
        for concept_id in concept_ids:
            concept = self._concepts[concept_id]
            extra.update(dict.fromkeys(concept.alternatives[:MAX_EXPANSIONS]))
            if concept.tag is not None:
                extra[Alternative((tag_key(concept.tag),))] = None
        alternatives = tuple(dict.fromkeys((*typed, *extra)))
        if len(span) == 1:
            return QueryGroup(alternatives, first.word, first.completion, first.relaxed, first.key)
        return QueryGroup(alternatives, key=tuple(w for group in span for w in group.key))
