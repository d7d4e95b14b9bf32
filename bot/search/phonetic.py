"""A phonetic bridge from Hangul loanwords (라마, 트랜스포머) to the English terms of the index.

Both scripts are reduced to a *key*: consonant classes (upper case) and vowel classes (lower
case) approximating what a Korean writer hears, so ``트랜스포머`` and ``transformer`` both give
``TLaNSPoMe``.

- Consonants: ``P`` (p b f v), ``T`` (t d), ``K`` (k c g q), ``S`` (s th sh), ``J`` (j z ch,
  soft g), ``L`` (l r), ``M``, ``N`` (n ng), ``H``, ``W``: aspirated, plain and tense stops
  merge (ㅂㅍㅃ, ㄷㅌㄸ, ㄱㅋㄲ), as do the letters Korean spelling does not tell apart.
- Vowels: ``a e i o u``; a run of vowels is one (에이 is a, 아이 is i); glides lose their y.

Hangul (:func:`hangul_key`): syllables split arithmetically (U+AC00), then the conventions of
loanword spelling undone: the 으 inserted into consonant clusters (스, 트, 프, 클) is no vowel,
a final ㅅ is a t (로봇, 데이터셋), ㄹㄹ is one l, 쥐 is 지. English (:func:`latin_keys`):
spelling to sound (ph, ck, soft c and g, x, -tion, silent e, doubled letters, an r closing a
syllable is silent and -er is 어); a spelling that sounds two ways (ch, th, s between vowels)
and a plural's singular give up to four keys.

:class:`PhoneticBridge` indexes the keys of the index's English terms by first symbol and
length and proposes the terms whose key is at most about one edit in four from the Hangul
word's (a vowel difference costs half), exact keys first, scored by closeness and by how
usual the term is. Pure code: no I/O. Measured in ``bench/search_eval/phonetic.py``.

Why one module past 500 lines: the Hangul rules and the English rules are two halves of one
key alphabet and must change together (a rule on one side without its mirror breaks
matching); the bridge is their only user.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = [
    "MAX_KEY",
    "MIN_SCORE",
    "Candidate",
    "PhoneticBridge",
    "hangul_key",
    "is_loanword_shaped",
    "latin_key",
    "latin_keys",
    "skeleton",
]

MIN_SCORE = 0.68  # below this a proposal is not worth making: bench/search_eval/phonetic.py
MAX_KEY = 40  # a longer key is a pasted sentence, not a word

_VOWELS = "aeiou"

# --- Hangul ---------------------------------------------------------------------------------

_SYLLABLE_BASE = 0xAC00
_SYLLABLE_LAST = 0xD7A3
# Leads ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ (ㅇ silent)
_LEADS = (
    "K", "K", "N", "T", "T", "L", "M", "P", "P", "S", "S", "", "J", "J", "J", "K", "T", "P",
    "H",
)  # fmt: skip
# Medials ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ (ㅡ decided by context)
_MEDIALS = (
    "a", "a", "a", "a", "e", "e", "e", "e", "o", "Wa", "We", "We", "o", "u", "We", "We", "Wi",
    "u", "", "i", "i",
)  # fmt: skip
_EU = 18  # ㅡ
_WI = 16  # ㅟ
# Tails: none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
_TAILS = (
    "", "K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "L", "L", "L", "P", "L", "M", "P",
    "P", "T", "T", "N", "T", "T", "K", "T", "P", "",
)  # fmt: skip
_TAIL_L = 8
_TAIL_S = 19
# Loanword orthography writes only ㄱ ㄴ ㄹ ㅁ ㅂ ㅅ ㅇ as finals (외래어 표기법 제1장 제3항).
_LOANWORD_TAILS = frozenset({0, 1, 4, 8, 16, 17, 19, 21})
_SIBILANT_LEADS = frozenset({9, 10, 12, 13, 14})  # ㅅ ㅆ ㅈ ㅉ ㅊ: 쥐 is 지, 쉬 is 시
_JAMO_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"

# Vowel runs that spell one English vowel: 에이 is the name of a (data 데이터), 아이 of i
# (python 파이썬), 오우/아우 are o/ou; other runs keep their first vowel.
_DIPHTHONGS = {"ei": "a", "ai": "i", "ou": "o", "au": "o"}


def _syllables(word: str) -> Iterable[tuple[int, int, int]]:
    """(lead, medial, tail) indices of each Hangul syllable; other characters are skipped."""
    for char in unicodedata.normalize("NFC", word):
        code = ord(char)
        if _SYLLABLE_BASE <= code <= _SYLLABLE_LAST:
            index = code - _SYLLABLE_BASE
            yield index // 588, (index % 588) // 28, index % 28
        elif char in _JAMO_LEADS:  # a lone consonant (ㅋㅋ, ㄹㅇ): a lead without a vowel
            yield _JAMO_LEADS.index(char), _EU, 0


def _medial(lead: int, medial: int, tail: int) -> str:
    if medial == _EU:
        # 으 without a final, or before ㄹ (클립, 샘플), is the vowel Korean inserts between
        # consonants; before other finals it stands for a schwa (토큰 token, 히든 hidden).
        if lead == 11 and tail == 0:
            return "e"
        return "" if tail in (0, _TAIL_L) else "e"
    if medial == _WI and lead in _SIBILANT_LEADS:
        return "i"
    return _MEDIALS[medial]


def hangul_key(word: str) -> str:
    """The phonetic key of the Hangul in ``word`` (other characters are ignored).

    >>> hangul_key("트랜스포머"), hangul_key("라마"), hangul_key("클립")
    ('TLaNSPoMe', 'LaMa', 'KLiP')
    """
    syllables = list(_syllables(word))
    sounds: list[str] = []
    for i, (lead, medial, tail) in enumerate(syllables):
        sounds.append(_LEADS[lead])
        sounds.append(_medial(lead, medial, tail))
        following = syllables[i + 1][0] if i + 1 < len(syllables) else None
        if not (tail == _TAIL_S and following in _SIBILANT_LEADS):  # 엣지 edge, 브릿지 bridge
            sounds.append(_TAILS[tail])
    return _squeeze("".join(sounds))


def is_loanword_shaped(word: str) -> bool:
    """Whether every syllable of ``word`` could be loanword spelling (finals ㄱㄴㄹㅁㅂㅅㅇ only).

    Native and Sino-Korean words often use other finals (있다, 같은, 밖); loanwords never do.
    """
    syllables = list(_syllables(word))
    return bool(syllables) and all(tail in _LOANWORD_TAILS for _, _, tail in syllables)


def _squeeze(sounds: str) -> str:
    """Merge repeated consonants (ㄹㄹ, 셋트) and turn each vowel run into one vowel."""
    out: list[str] = []
    i = 0
    while i < len(sounds):
        char = sounds[i]
        if char in _VOWELS:
            j = i
            while j < len(sounds) and sounds[j] in _VOWELS:
                j += 1
            run = sounds[i:j]
            out.append(_DIPHTHONGS.get(run[:2], run[0]) if len(run) > 1 else run)
            i = j
            continue
        if not out or out[-1] != char:
            out.append(char)
        i += 1
    return "".join(out)


# --- Latin -----------------------------------------------------------------------------------

# English vowel spellings, longest first, each to the vowel Korean writes for it: ai/ay/ei are
# 에이 (train 트레이닝), ee/ie 이, oo/ew/eu/iew 우 (neural 뉴럴, review 리뷰), ou/ow/au/oi 오.
_LATIN_VOWELS: tuple[tuple[str, str], ...] = (
    ("iew", "u"), ("ai", "a"), ("ay", "a"), ("ei", "a"), ("ey", "a"), ("ee", "i"), ("ea", "e"),
    ("ie", "i"), ("oo", "u"), ("ew", "u"), ("eu", "u"), ("ue", "u"), ("ou", "o"), ("ow", "o"),
    ("au", "o"), ("aw", "o"), ("oi", "o"), ("oy", "o"), ("oa", "o"),
    ("a", "a"), ("e", "e"), ("i", "i"), ("o", "o"), ("u", "u"), ("y", "i"),
)  # fmt: skip
# Consonant spellings, longest first, each to its sounds in the key alphabet: the first is the
# usual one, the others are kept as alternative keys where spelling does not tell (ch is 치 in
# batch, 크 in anchor; th is ㅅ in python, ㄷ in pythia).
_LATIN_CONSONANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nction", ("NSeN",)), ("ssion", ("SeN",)), ("tion", ("SeN",)), ("cian", ("SeN",)),
    ("tial", ("SeL",)), ("cial", ("SeL",)), ("ture", ("Je",)), ("sure", ("Je",)),
    ("tch", ("J",)), ("sch", ("SK",)), ("ph", ("P",)), ("th", ("S", "T")), ("sh", ("S",)),
    ("ch", ("J", "K")), ("ck", ("K",)), ("qu", ("KW",)), ("wh", ("W",)), ("x", ("KS",)),
    ("q", ("K",)), ("j", ("J",)), ("z", ("J",)), ("b", ("P",)), ("p", ("P",)), ("f", ("P",)),
    ("v", ("P",)), ("t", ("T",)), ("d", ("T",)), ("k", ("K",)), ("s", ("S",)), ("l", ("L",)),
    ("m", ("M",)), ("n", ("N",)), ("h", ("H",)), ("w", ("W",)), ("r", ("L",)), ("c", ("K",)),
    ("g", ("K",)),
)  # fmt: skip
# One regular expression per table: the first spelling that matches, in the tables' order.
_VOWEL_SPELLING = re.compile("|".join(spelling for spelling, _ in _LATIN_VOWELS))
_VOWEL_SOUNDS = dict(_LATIN_VOWELS)
_CONSONANT_SPELLING = re.compile("|".join(spelling for spelling, _ in _LATIN_CONSONANTS))
_CONSONANT_SOUNDS = dict(_LATIN_CONSONANTS)
_SIBILANTS = frozenset({"tch", "ch", "sh"})  # 배치 batch, 플래시 flash: 이 after them
_LATIN_WORD = re.compile(r"[a-z]+")
MAX_KEYS = 4  # alternative keys kept per English term
_RANK_COST = 0.03  # an alternative key's match weighs this much less per rank
Sounds = tuple[str, ...]  # the ways one spelling may sound, the usual first


def _is_vowel(word: str, i: int) -> bool:
    """Whether ``word[i]`` spells a vowel (y does after a consonant: python, entropy)."""
    if i >= len(word):
        return False
    char = word[i]
    return char in "aeiou" or (char == "y" and i > 0 and word[i - 1] not in "aeiou")


def _vowel_at(word: str, i: int) -> tuple[Sounds, int]:
    found = _VOWEL_SPELLING.match(word, i)
    if found is None:
        return ("",), 1
    spelling = found.group()
    end = found.end()
    if len(spelling) > 1 and _glide(word, end):
        spelling, end = word[i], i + 1
    sound = _VOWEL_SOUNDS[spelling]
    if word[end:] == "re":  # 스코어 score, 코어 core: the vowel, then 어
        return (sound,), len(spelling) + 2
    if word.startswith("r", end) and not _is_vowel(word, end + 1):
        coloured = _r_coloured(word, spelling, sound, end)
        return (coloured, coloured + "L"), len(spelling) + 1  # 마르코프 markov
    if spelling == "e" and _magic_e(word, i):
        return ("e", ""), 1
    return (sound,), len(spelling)


def _glide(word: str, end: int) -> bool:
    """Whether a digraph ending in w or y is rather a vowel and a glide (framework, layer)."""
    return word[end - 1] in ("w", "y") and _is_vowel(word, end)


def _magic_e(word: str, i: int) -> bool:
    """Whether the e at ``i`` may be the silent e of a compound's first part (baseline,
    pipeline, framework): a, i, o or u, one consonant, e, a consonant. Not after e: that is a
    prefix (detection, decoder)."""
    return (
        1 < i < len(word) - 2
        and word[i - 2] in ("a", "i", "o", "u")
        and not _is_vowel(word, i - 1)
        and not _is_vowel(word, i + 1)
        and word[i + 1] not in ("r", "s", "d")
    )


def _r_coloured(word: str, spelling: str, sound: str, r: int) -> str:
    """A vowel before an r that closes its syllable: the r is silent. -er, -ir, -ur, -air,
    wor- and a final -or are 어 (transformer 트랜스포머, vector 벡터, pair 페어, network
    네트워크), a final -ear is 이어 (linear 리니어); ar/or keep their vowel (target 타깃)."""
    rest = word[r + 1 :]
    if spelling == "ea" and rest in ("", "s"):
        return "i"
    if sound in "eiu" or spelling == "ai":
        return "e"
    if sound == "o" and (rest in ("", "s") or word[r - 2 : r - 1] == "w"):
        return "e"
    return sound


def _context_consonant(word: str, i: int) -> tuple[Sounds, int] | None:
    """Consonants whose sound depends on their neighbours, or None."""
    rest = word[i:]
    before = word[i - 1] if i else ""
    if rest in ("ism", "sm", "thm"):  # 알고리즘, 프리즘: a vowel before the final m
        return ("iJeM",) if rest == "ism" else ("SeM", "JeM"), len(rest)
    if rest.startswith("sion"):  # voiced after a vowel or r: 비전 vision, 버전 version
        return (("JeN",) if before in ("a", "e", "i", "o", "u", "r") else ("SeN",)), 4
    if rest.startswith("ng"):  # 러닝 learning; 싱글 single; 챌린지 challenge (soft g)
        if rest[2:3] in ("e", "i", "y"):
            return ("N",), 1
        return (("NK",) if _is_vowel(word, i + 2) or rest[2:3] in ("l", "r") else ("N",)), 2
    if rest in ("ge", "dge"):  # 이미지 image, 에지 edge
        return ("Ji",), len(rest)
    if rest in ("ce", "que"):  # 시퀀스 sequence, 테크닉 technique
        return ("S",) if rest == "ce" else ("K",), len(rest)
    if rest in ("se", "ze"):  # 노이즈 noise, 베이스 base, 덴스 dense
        voiced = rest == "ze" or (i > 0 and _is_vowel(word, i - 1))
        return ("S", "J") if voiced else ("S",), 2
    if rest.startswith("gh"):  # ghost; silent in light, weight
        return ("K",) if i == 0 else ("",), 2
    if i == 0 and rest.startswith(("kn", "gn", "ps", "pn")):  # knowledge, gnome, psycho
        return ("",), 1
    if rest in ("gn", "mb"):  # sign, design; comb
        return ("M",) if rest == "mb" else ("N",), 2
    nxt = rest[1:2]
    if rest[0] in ("c", "g") and nxt in ("e", "i", "y"):  # soft c and g: 시퀀스, 제미나이
        return ("S",) if rest[0] == "c" else ("J", "K"), 1
    if rest[0] == "s" and i and _is_vowel(word, i - 1) and _is_vowel(word, i + 1):
        return ("S", "J"), 1  # voiced between vowels: 포지션 position, 베이지안 bayesian
    return None


def _consonant_at(word: str, i: int) -> tuple[Sounds, int]:
    found = _context_consonant(word, i)
    if found is not None:
        return found
    match = _CONSONANT_SPELLING.match(word, i)
    if match is None:
        return ("",), 1
    spelling, end = match.group(), match.end()
    sounds = _CONSONANT_SOUNDS[spelling]
    if spelling in _SIBILANTS and not _is_vowel(word, end) and word[end:] != "e":
        sounds = tuple(sound + "i" if sound in ("S", "J") else sound for sound in sounds)
    return sounds, len(spelling)


def _latin_sounds(word: str) -> list[Sounds]:
    """The sounds of one lowercase word, one tuple of alternatives per spelling."""
    sounds: list[Sounds] = []
    i = 0
    while i < len(word):
        if _is_vowel(word, i):
            found, length = _vowel_at(word, i)
        elif word[i] == "y":  # a glide: yolo 욜로
            found, length = ("",), 1
        else:
            found, length = _consonant_at(word, i)
        sounds.append(found)
        i += length
    return sounds


def _silent_e(word: str) -> str:
    """Drop a final silent e (stable, code, pipeline) when the word has another vowel; keep it
    where it softens c or g, voices s, or follows r (sequence, image, noise, score)."""
    ends_silent = len(word) > 3 and word.endswith("e") and word[-2] not in "aeiouycgszr"
    if ends_silent and any(c in "aeiouy" for c in word[:-2]):
        return word[:-1]
    return word


def _singular(word: str) -> str | None:
    """The word without a plural -s (Korean never marks one: 뉴런 neurons), or None."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-2] if word.endswith(("ches", "shes", "xes")) else word[:-1]
    return None


def _keys(sounds: list[Sounds]) -> list[str]:
    """The usual key, then keys with one ambiguous spelling read the other way."""
    usual = [options[0] for options in sounds]
    keys = [_squeeze("".join(usual))]
    for position, options in enumerate(sounds):
        for option in options[1:]:
            if len(keys) >= MAX_KEYS:
                return keys
            variant = _squeeze("".join([*usual[:position], option, *usual[position + 1 :]]))
            if variant not in keys:
                keys.append(variant)
    return keys


def latin_keys(term: str) -> list[str]:
    """Every key an English term may have (at most :data:`MAX_KEYS`), the usual one first,
    then spellings that sound two ways (ch, th, soft g, s between vowels), then a plural's
    singular; a later key weighs a little less (:class:`PhoneticBridge`)."""
    words = _LATIN_WORD.findall(term.lower())
    keys = _keys([sound for word in words for sound in _latin_sounds(_silent_e(word))])
    singular = _singular(words[0]) if len(words) == 1 else None
    if singular is None:
        return keys[:MAX_KEYS]
    keys = keys[: MAX_KEYS - 1]
    key = _keys(_latin_sounds(_silent_e(singular)))[0]
    return keys if key in keys else [*keys, key]


def latin_key(term: str) -> str:
    """The phonetic key of an English term: its letters only, spelling turned into sound.

    >>> latin_key("Transformer"), latin_key("llama"), latin_key("CLIP")
    ('TLaNSPoMe', 'LaMa', 'KLiP')
    """
    return latin_keys(term)[0]


def skeleton(key: str) -> str:
    """The key with every vowel class merged into ``v``: what must match closely."""
    return "".join("v" if c in _VOWELS else c for c in key)


# --- the bridge ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """An English index term proposed for a Hangul word; ``score`` in 0..1, higher is better."""

    term: str
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    bone: str  # skeleton(key)
    terms: tuple[tuple[str, float], ...]  # (term, weight 0..1: prior and key rank), best first


def _allowed_edits(length: int) -> float:
    """How far a key of ``length`` skeleton symbols may be from a term's: a vowel class for
    the shortest keys (디노, 박스), one edit up to 8 symbols, two beyond (farther matches never
    score above :data:`MIN_SCORE`)."""
    if length <= 3:
        return 0.5
    if length <= 8:
        return 1.0
    return 2.0


class PhoneticBridge:
    """English index terms found by the sound of a Hangul word.

    Built once from ``{term: document frequency}``. A lookup compares, in C (rapidfuzz), only
    the keys that share half of the query's skeleton (:meth:`_near`).
    """

    def __init__(self, frequencies: Mapping[str, int], documents: int | None = None) -> None:
        total = max(documents or 0, max(frequencies.values(), default=1), 1)
        grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for term, frequency in frequencies.items():
            for rank, key in enumerate(latin_keys(term)):
                if len(key) >= 2:
                    prior = _prior(frequency, total, len(skeleton(key)))
                    grouped[key].append((term, (0.7 + 0.3 * prior) * (1 - _RANK_COST * rank)))
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        self._halves: dict[_Half, tuple[list[str], list[_Entry]]] = {}
        for key, terms in grouped.items():
            bone = skeleton(key)
            ranked = tuple(sorted(terms, key=lambda t: (-t[1], t[0])))
            entry = _Entry(key, bone, ranked)
            self._exact[bone].append(entry)
            for half in _halves_of(bone):
                bones, entries = self._halves.setdefault(half, ([], []))
                bones.append(bone)
                entries.append(entry)

    def candidates(self, hangul_word: str, limit: int = 3) -> list[Candidate]:
        """English terms that ``hangul_word`` may transcribe, best first: the closest keys
        first (an exact key before any other), then the higher score. Nothing for a word no
        loanword could be (:func:`is_loanword_shaped`); the caller drops what scores below
        :data:`MIN_SCORE`."""
        if limit <= 0 or not is_loanword_shaped(hangul_word):
            return []
        key = hangul_key(hangul_word)
        bone = skeleton(key)
        if not 2 <= len(bone) <= MAX_KEY:
            return []
        allowed = _allowed_edits(len(bone))
        found: dict[str, tuple[float, float]] = {}
        for distance, entries in self._by_distance(key, bone, allowed):
            for entry in entries:
                closeness = 1.0 - distance / max(len(bone), len(entry.bone))
                for term, weight in entry.terms[:limit]:
                    score = _score(closeness, weight, len(bone))
                    known = found.get(term)
                    if known is None or (known[0] == distance and known[1] < score):
                        found[term] = (distance, score)
            if len(found) >= limit:  # farther keys would rank after these
                break
        ranked = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
        return [Candidate(term, round(score, 4)) for term, (_, score) in ranked[:limit]]

    def _by_distance(
        self, key: str, bone: str, allowed: float
    ) -> Iterator[tuple[float, list[_Entry]]]:
        """Entries within ``allowed`` of ``key``, grouped by distance, nearest first.

        Skeletons differ by one edit at most (beyond that, long keys allow vowel classes
        only). Distances under 1 come from the same skeleton alone, so the one-edit search
        runs only when the caller asks for more than those.
        """
        same = [(entry, 0) for entry in self._exact.get(bone, [])]
        levels = _levels(key, same, allowed)
        while levels and levels[0][0] < 1:
            yield levels.pop(0)
        if allowed >= 1:
            seen = {entry.key for entry, _ in same}
            near = [item for item in self._near(bone) if item[0].key not in seen]
            merged = dict(levels)
            for distance, entries in _levels(key, near, allowed):
                merged.setdefault(distance, []).extend(entries)
            levels = sorted(merged.items())
        yield from levels

    def _near(self, bone: str) -> list[tuple[_Entry, int]]:
        """Entries whose skeleton is one edit (or none) from ``bone``, with that distance.

        One edit leaves either the first half of ``bone`` or the rest intact, so a match is
        among the keys that start with that first half or end with that rest (and are one
        symbol longer, shorter or as long): a few small buckets, scanned in C.
        """
        near: dict[str, tuple[_Entry, int]] = {}
        for half in _halves_wanted(bone):
            bucket = self._halves.get(half)
            if bucket is None:
                continue
            bones, entries = bucket
            matches = process.extract(
                bone, bones, scorer=Levenshtein.distance, score_cutoff=1, limit=None
            )
            for _, distance, index in matches:
                near[entries[index].key] = (entries[index], int(distance))
        return list(near.values())


def _levels(
    key: str, near: list[tuple[_Entry, int]], allowed: float
) -> list[tuple[float, list[_Entry]]]:
    """``near`` (entries with their skeleton distance) grouped by their distance to ``key``
    (a vowel-class difference costs half an edit), nearest first; beyond ``allowed`` dropped."""
    if not near:
        return []
    levels: dict[float, list[_Entry]] = defaultdict(list)
    keys = [entry.key for entry, _ in near]
    for _, full, index in process.extract(key, keys, scorer=Levenshtein.distance, limit=None):
        entry, consonants = near[index]
        distance = consonants + 0.5 * (full - consonants)
        if distance <= allowed:
            levels[distance].append(entry)
    return sorted(levels.items())


_Half = tuple[str, int, bool]  # (prefix or suffix of a skeleton, skeleton length, is prefix)


def _split(length: int) -> tuple[int, int]:
    """How a skeleton of ``length`` symbols is cut in two: prefix and suffix lengths."""
    return length // 2, length - length // 2


def _halves_wanted(bone: str) -> Iterable[_Half]:
    """The buckets holding every skeleton one edit from ``bone``."""
    prefix, suffix = _split(len(bone))
    for length in (len(bone) - 1, len(bone), len(bone) + 1):
        yield bone[:prefix], length, True
        yield bone[-suffix:], length, False


def _halves_of(bone: str) -> set[_Half]:
    """The buckets ``bone`` is filed in: those a query one symbol longer, shorter or as long
    would look in."""
    length = len(bone)
    halves: set[_Half] = set()
    for query in (length - 1, length, length + 1):
        if query < 2:
            continue
        prefix, suffix = _split(query)
        if prefix <= length:
            halves.add((bone[:prefix], length, True))
        if suffix <= length:
            halves.add((bone[length - suffix :], length, False))
    return halves


def _prior(frequency: int, documents: int, length: int) -> float:
    """How likely a term is to be what was transcribed, before comparing sounds (0..1).

    The log of its document frequency: the loanwords of ML commentary are the field's common
    terms (모델, 토큰, 프롬프트), while a term in one or two documents is mostly a name. On the
    bench's pairs this ranks best (recall@1 0.92, against 0.81 for a flat prior and 0.75 for
    idf, rarer first). A function word (in over a quarter of the documents) is worth nothing
    for a short key: 페어 is pair, not for.
    """
    frequency = min(max(frequency, 1), documents)
    usual = math.log(1 + frequency) / math.log(1 + documents)
    common = min(1.0, frequency / documents / 0.25) * max(0.0, (5 - length) / 3)
    return usual * (1.0 - common)


def _score(closeness: float, weight: float, length: int) -> float:
    """Closeness of the keys, weighed by the term (prior, key rank) and the query key's length:
    short keys match more words by chance."""
    return closeness * weight * (0.8 + 0.2 * min(1.0, length / 6))
