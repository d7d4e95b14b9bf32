"""The bilingual ML glossary: one concept in Korean, Korean transliteration and English.

Data (``glossary.toml``, documented at its top), replaceable like the tag vocabulary
(setting ``digests.glossary``). Search uses it to expand queries across languages; the
store builds the expansion (``bot.search.expand``), this module only loads and checks.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.digests._toml import load_toml
from bot.digests.errors import VocabularyError
from bot.digests.tags import normalise_tag

__all__ = ["Glossary", "GlossaryTerm", "bundled_glossary", "load_glossary"]


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """One concept: every form means the same thing."""

    ko: tuple[str, ...] = ()
    translit: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    tag: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        return (*self.ko, *self.translit, *self.en)


@dataclass(frozen=True, slots=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Glossary:
        """Build from the parsed TOML (``{"terms": [{ko, translit, en, tag}, ...]}``)."""
        raw = data.get("terms", [])
        if not isinstance(raw, list):
            raise VocabularyError("glossary: 'terms' must be an array of tables")
        terms: list[GlossaryTerm] = []
        for number, entry in enumerate(raw, start=1):
            if not isinstance(entry, Mapping):
                raise VocabularyError(f"glossary term {number} must be a table")
            unknown = set(entry) - {"ko", "translit", "en", "tag"}
            if unknown:
                raise VocabularyError(f"glossary term {number}: unknown keys {sorted(unknown)}")
            lists = {
                key: _strings(entry.get(key, []), number, key) for key in ("ko", "translit", "en")
            }
            tag = entry.get("tag")
            if tag is not None and (not isinstance(tag, str) or not normalise_tag(tag)):
                raise VocabularyError(f"glossary term {number}: tag must be a tag name")
            term = GlossaryTerm(
                ko=lists["ko"],
                translit=lists["translit"],
                en=lists["en"],
                tag=normalise_tag(tag) if tag else None,
            )
            if len(term.forms) + (term.tag is not None) < 2:
                raise VocabularyError(f"glossary term {number}: needs two forms to be useful")
            terms.append(term)
        return cls(tuple(terms))


def _strings(value: object, number: int, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise VocabularyError(f"glossary term {number}: {key} must be a list of strings")
    return tuple(item.strip() for item in value if item.strip())


def load_glossary(path: Path | None = None) -> Glossary:
    """The glossary in ``path``, or the bundled ``glossary.toml`` when ``path`` is ``None``."""
    return Glossary.from_mapping(load_toml(path, "glossary.toml"))


@functools.cache
def bundled_glossary() -> Glossary:
    """The bundled glossary, loaded once."""
    return load_glossary(None)
