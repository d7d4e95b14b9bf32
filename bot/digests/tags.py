"""Tags: one spelling per topic, and topics derived from what a paper is about.

Digests tag papers by hand (``#rlhf``, ``#instance_segmentation``), weekly issues do not tag at
all, and users follow tags. For an alert to reach everyone who cares, a weekly paper about RLHF
and a daily note tagged ``#rlhf`` must both carry ``rlhf``. So:

- :func:`normalise_tag` gives every spelling one form (``#Instance_Segmentation`` →
  ``instance-segmentation``);
- :meth:`TagVocabulary.canonical` maps aliases to their canonical tag (``강화학습``,
  ``reinforcement learning`` → ``rl``) and keeps unknown tags as they are;
- :meth:`TagVocabulary.derive` finds canonical tags from keywords in titles, summaries and
  abstracts.

The vocabulary is data (``tags.toml``, documented at its top) so that a community can extend it
without touching code. Matching is linear in the text: English keywords are looked up as n-grams
of ASCII word tokens in a dict, Korean keywords with ``str.__contains__``; the text is capped at
:data:`MAX_DERIVE_CHARS` per field, which is far beyond any real abstract.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.digests._toml import load_toml
from bot.digests.errors import VocabularyError

MAX_DERIVE_CHARS = 20_000

_TAG_PREFIX = re.compile(r"^\s*tag\s*:\s*", re.IGNORECASE)  # "tag:rl", as search boxes write it
_DASHES = re.compile(r"[\s_\-‐‑‒–—―]+")
_TOKEN = re.compile(r"[a-z0-9]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise_tag(raw: str) -> str:
    """``"#Reinforcement_Learning "`` → ``"reinforcement-learning"``.

    NFKC first (full-width ``＃ＬＬＭ`` is ``#llm``), then lower case; underscores, spaces and
    dash variants become one ``-``; leading ``#`` and stray dashes at the ends go.
    """
    text = unicodedata.normalize("NFKC", raw).strip().lstrip("#").strip().lower()
    return _DASHES.sub("-", text).strip("-")


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for keyword matching (``Benoît`` → ``benoit``)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    # Decompose, drop combining accents, recompose (which also rebuilds Hangul syllables).
    stripped = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped)


@functools.lru_cache(maxsize=65_536)  # words repeat endlessly: a million calls per 400 files
def singular(word: str) -> str:
    """A crude English singular, applied to text and keywords alike so that it only must agree
    with itself: ``agents`` → ``agent``, ``hallucinations`` → ``hallucination``,
    ``studies`` → ``study``. ``loss``, ``bias`` and ``corpus`` stay as they are."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ias")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class TagInfo:
    """One canonical tag as the vocabulary file describes it."""

    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(slots=True)
class TagVocabulary:
    """Canonical tags, their aliases and the keywords that derive them."""

    tags: dict[str, TagInfo] = field(default_factory=dict)
    _aliases: dict[str, str] = field(default_factory=dict, repr=False)
    _folded: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _exact: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _korean: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _max_words: int = field(default=1, repr=False)
    # First words of multi-word keywords: only there can a phrase start, so only there is the
    # (slower) phrase lookup tried.
    _starts: set[str] = field(default_factory=set, repr=False)
    # Every leading run of words of a keyword (``reinforcement``, ``reinforcement learning``):
    # a phrase that is none of these cannot grow into a keyword, so the lookup stops there.
    _folded_prefixes: set[str] = field(default_factory=set, repr=False)
    _exact_prefixes: set[str] = field(default_factory=set, repr=False)
    # Names and aliases without their dashes (``강화학습``, ``statespacemodel``) -> canonical
    # name: what users type, spaced or not. Ambiguous spellings are left out.
    _typed: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> TagVocabulary:
        """Build from the parsed TOML (``{"tags": {name: {description, aliases, keywords}}}``)."""
        table = data.get("tags", {})
        if not isinstance(table, Mapping):
            raise VocabularyError("'tags' must be a table of tag tables")
        vocabulary = cls()
        for raw_name, entry in table.items():
            if not isinstance(entry, Mapping):
                raise VocabularyError(f"tag {raw_name!r} must be a table")
            name = normalise_tag(str(raw_name))
            if not name:
                raise VocabularyError(f"tag name {raw_name!r} is empty once normalised")
            description = entry.get("description", "")
            if not isinstance(description, str):
                raise VocabularyError(f"tag {name!r}: description must be a string")
            info = TagInfo(
                name=name,
                description=description,
                aliases=tuple(_strings(entry.get("aliases", []), name, "aliases")),
                keywords=tuple(_strings(entry.get("keywords", []), name, "keywords")),
            )
            vocabulary._add(info)
        vocabulary._check_aliases()
        vocabulary._index_typed()
        return vocabulary

    @property
    def names(self) -> list[str]:
        """Canonical tag names, sorted."""
        return sorted(self.tags)

    def canonical(self, tag: str) -> str:
        """The canonical form of an explicit tag; unknown tags come back normalised."""
        normal = normalise_tag(tag)
        return self._aliases.get(normal, normal)

    def resolve(self, text: str) -> str | None:
        """The canonical tag a user means by ``text``, or None if the vocabulary has no such tag.

        ``#Reinforcement_Learning``, ``tag:강화학습``, ``reinforcement learning`` and
        ``강화 학습`` all resolve to ``rl``; ``state-space-model`` to ``ssm``. Never raises.
        """
        normal = normalise_tag(_TAG_PREFIX.sub("", text.encode("utf-8", "replace").decode()))
        if not normal:
            return None
        if normal in self.tags:
            return normal
        if normal in self._aliases:
            return self._aliases[normal]
        return self._typed.get(normal.replace("-", "")) or None

    def nearest(self, text: str, limit: int = 3) -> list[str]:
        """Canonical tags whose name or an alias is closest to ``text`` (a mistyped tag)."""
        normal = normalise_tag(_TAG_PREFIX.sub("", text.encode("utf-8", "replace").decode()))
        if not normal or limit <= 0:
            return []
        names = list(self._typed)
        found: dict[str, None] = {}
        for match, _score, _ in process.extract(
            normal.replace("-", ""), names, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=60
        ):
            found.setdefault(self._typed[match])
            if len(found) >= limit:
                break
        return list(found)

    def tags_by_alias_prefix(self, text: str) -> set[str]:
        """Canonical tags with an alias starting with ``text`` (normalised): autocomplete."""
        normal = normalise_tag(text)
        if not normal:
            return set()
        key = normal.replace("-", "")
        return {
            name
            for alias, name in self._aliases.items()
            if alias.startswith(normal) or alias.replace("-", "").startswith(key)
        }

    def canonical_all(self, tags: Iterable[str]) -> set[str]:
        return {name for name in (self.canonical(tag) for tag in tags) if name}

    def derive(self, *texts: str | None) -> set[str]:
        """Canonical tags whose keywords occur in any of ``texts`` (``None`` is skipped)."""
        return set(self.explain(*texts))

    def explain(self, *texts: str | None) -> dict[str, set[str]]:
        """Derived tags with the keywords that produced them — why a paper got a tag."""
        found: dict[str, set[str]] = {}
        for text in texts:
            if not text:
                continue
            folded = fold(text[:MAX_DERIVE_CHARS])
            self._match_english(folded, found)
            if _HANGUL.search(folded):
                for keyword, names in self._korean.items():
                    if _contains_korean(folded, keyword):
                        for name in names:
                            found.setdefault(name, set()).add(keyword)
        return found

    def _add(self, info: TagInfo) -> None:
        if info.name in self.tags:
            raise VocabularyError(f"tag {info.name!r} is defined twice")
        self.tags[info.name] = info
        for keyword in info.keywords:
            self._add_keyword(keyword, info.name)

    def _add_keyword(self, keyword: str, name: str) -> None:
        exact = keyword.startswith("=")
        text = fold(keyword.removeprefix("=")).strip()
        if not text:
            return
        if _HANGUL.search(text):
            spaced = " ".join(text.split())
            for variant in {spaced, spaced.replace(" ", "")}:
                self._korean.setdefault(variant, set()).add(name)
            return
        tokens = _TOKEN.findall(text)
        if not tokens:
            return
        self._max_words = max(self._max_words, len(tokens))
        if exact:
            self._exact.setdefault(" ".join(tokens), set()).add(name)
            self._starts.add(tokens[0])
            self._exact_prefixes.update(" ".join(tokens[:n]) for n in range(1, len(tokens) + 1))
        else:
            singles = [singular(token) for token in tokens]
            self._folded.setdefault(" ".join(singles), set()).add(name)
            self._starts.add(singles[0])
            self._folded_prefixes.update(" ".join(singles[:n]) for n in range(1, len(singles) + 1))

    def _index_typed(self) -> None:
        spellings: dict[str, set[str]] = {}
        for normal, name in [(n, n) for n in self.tags] + list(self._aliases.items()):
            spellings.setdefault(normal.replace("-", ""), set()).add(name)
        self._typed = {
            key: next(iter(names)) for key, names in spellings.items() if len(names) == 1
        }

    def _check_aliases(self) -> None:
        for info in self.tags.values():
            for alias in info.aliases:
                normal = normalise_tag(alias)
                if not normal or normal == info.name:
                    continue
                if normal in self.tags:
                    raise VocabularyError(
                        f"alias {alias!r} of {info.name!r} is itself a canonical tag"
                    )
                owner = self._aliases.setdefault(normal, info.name)
                if owner != info.name:
                    raise VocabularyError(
                        f"alias {alias!r} belongs to both {owner!r} and {info.name!r}"
                    )

    def _match_english(self, folded: str, found: dict[str, set[str]]) -> None:
        tokens = _TOKEN.findall(folded)
        singles = [singular(token) for token in tokens]
        count = len(tokens)
        for start in range(count):
            if singles[start] not in self._starts and tokens[start] not in self._starts:
                continue
            for end in range(start + 1, min(start + self._max_words, count) + 1):
                grows = False
                phrase = " ".join(singles[start:end])
                if phrase in self._folded_prefixes:
                    grows = True
                    for name in self._folded.get(phrase, ()):
                        found.setdefault(name, set()).add(phrase)
                if self._exact:
                    exact = " ".join(tokens[start:end])
                    if exact in self._exact_prefixes:
                        grows = True
                        for name in self._exact.get(exact, ()):
                            found.setdefault(name, set()).add(exact)
                if not grows:
                    break


def _contains_korean(text: str, keyword: str) -> bool:
    """Substring match, but a keyword of one or two syllables must start a word.

    Particles attach at the end of Korean words, so the end is free; short keywords hide inside
    longer words at their start: "코딩" (coding) in "인코딩" (encoding) and "디코딩" (decoding).
    """
    index = text.find(keyword)
    if index == -1 or len(_HANGUL.findall(keyword)) > 2:
        return index != -1
    while index != -1:
        if index == 0 or not _HANGUL.match(text, index - 1):
            return True
        index = text.find(keyword, index + 1)
    return False


def _strings(value: object, name: str, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise VocabularyError(f"tag {name!r}: {what} must be a list of strings")
    return [str(item) for item in value]


@functools.cache
def bundled_vocabulary() -> TagVocabulary:
    """The bundled ``tags.toml``, loaded once (treat it as read-only)."""
    return load_vocabulary(None)


def load_vocabulary(path: Path | None = None) -> TagVocabulary:
    """The vocabulary in ``path``, or the bundled ``tags.toml`` when ``path`` is ``None``."""
    return TagVocabulary.from_mapping(load_toml(path, "tags.toml"))
