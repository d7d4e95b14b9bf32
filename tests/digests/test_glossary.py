"""The bundled bilingual glossary loads, is big enough to matter, and bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.digests.errors import VocabularyError
from bot.digests.glossary import Glossary, bundled_glossary, load_glossary
from bot.digests.tags import load_vocabulary


def test_bundled_glossary() -> None:
    glossary = bundled_glossary()
    assert len(glossary.terms) >= 250
    forms = {form for term in glossary.terms for form in term.forms}
    assert {"양자화", "quantization", "어텐션", "검색 증강 생성", "speculative decoding"} <= forms
    names = set(load_vocabulary().tags)
    assert {term.tag for term in glossary.terms if term.tag} <= names  # tags that exist


def test_replacement_file(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('terms = [{ ko = ["왜가리"], en = ["heron"] }]\n', "utf-8")
    assert load_glossary(path).terms[0].forms == ("왜가리", "heron")


@pytest.mark.parametrize(
    "data",
    [
        {"terms": "x"},
        {"terms": ["x"]},
        {"terms": [{"ko": "왜가리", "en": ["heron"]}]},
        {"terms": [{"ko": ["왜가리"]}]},
        {"terms": [{"ko": ["왜가리"], "en": ["heron"], "colour": ["grey"]}]},
        {"terms": [{"ko": ["왜가리"], "tag": "#"}]},
    ],
)
def test_bad_glossaries_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(VocabularyError):
        Glossary.from_mapping(data)


def test_bad_toml(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text("terms = [", "utf-8")
    with pytest.raises(VocabularyError):
        load_glossary(path)
