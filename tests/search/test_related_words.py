"""Distinctive words of related papers (``bot.search.related``): what counts as a word and how
much."""

from __future__ import annotations

from types import SimpleNamespace

from bot.search.related import word_counts, word_weight


def _note(commentary: str) -> SimpleNamespace:
    fields = ("title_en", "title_ko", "summary_en", "summary_ko", "abstract_en", "abstract_ko")
    return SimpleNamespace(**dict.fromkeys(fields), commentary=commentary)


def test_urls_are_not_words() -> None:
    found = word_counts(_note("Diffusion samplers (https://arxiv.org/abs/2106.00132) www.foo.org"))
    words = {form for _, forms, _ in found.values() for form in forms}
    assert "diffusion" in words
    assert not words & {"https", "arxiv", "org", "abs", "www", "foo"}


def test_hangul_words_weigh_less_than_latin_ones() -> None:
    assert word_weight("사례", 5.0, 1.0) < word_weight("whisper", 5.0, 1.0)
    assert word_weight("whisper", 5.0, 1.0) == 5.0
