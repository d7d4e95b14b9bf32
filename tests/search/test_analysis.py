"""Unit tests of the pure text analysis shared by indexing and querying."""

from __future__ import annotations

import pytest

from bot.search.analysis import (
    Alternative,
    QueryGroup,
    analyse_query,
    fold,
    index_text,
    stem,
    strip_particle,
    tokenize,
)


class TestFold:
    def test_case_and_accents(self) -> None:
        assert fold("Benoît Ramón ÉCOLE") == "benoit ramon ecole"

    def test_hangul_survives_accent_stripping(self) -> None:
        # NFD splits syllables into jamo; they must come back as the same syllables.
        assert fold("환각을 줄이는 방법") == "환각을 줄이는 방법"

    def test_nfkc_width_and_compatibility_forms(self) -> None:
        assert fold("ＧＰＴ－４ｏ") == "gpt-4o"
        assert fold("ｶﾀｶﾅ") == "カタカナ"

    def test_kana_voicing_marks_are_not_accents(self) -> None:
        assert fold("が") == "が"

    def test_typographic_apostrophes_and_dashes(self) -> None:
        assert fold("Gemini’s fine‐tuning – ok") == "gemini's fine-tuning - ok"

    def test_lone_surrogates_do_not_raise(self) -> None:
        assert isinstance(fold("abc\ud800def"), str)


class TestTokenize:
    def test_korean_runs_become_overlapping_bigrams(self) -> None:
        assert tokenize("환각을 줄이는") == ["환각", "각을", "줄이", "이는"]

    def test_lone_syllable_stays_a_unigram(self) -> None:
        assert tokenize("중 그") == ["중", "그"]

    def test_english_words_are_stemmed(self) -> None:
        assert tokenize("Hallucinations jailbreaking models") == ["hallucin", "jailbreak", "model"]

    def test_acronym_plural_is_singular(self) -> None:
        assert tokenize("LLMs GPUs LLM") == ["llm", "gpu", "llm"]

    def test_numbers_and_versions_kept(self) -> None:
        assert tokenize("Gemini 1.5 in 2024") == ["gemini", "1", "5", "in", "2024"]

    def test_hyphen_compound_adds_joined_word_after_main_tokens(self) -> None:
        assert tokenize("GPT-4o and fine-tuning") == [
            "gpt",
            "4o",
            "and",
            "fine",
            "tune",
            "gpt4o",
            "finetun",
        ]

    def test_mixed_script_word(self) -> None:
        assert tokenize("GPT-4o와") == ["gpt", "4o", "와", "gpt4o"]

    def test_punctuation_and_underscores_split(self) -> None:
        assert tokenize("(RLHF/DPO), a_b; it's") == ["rlhf", "dpo", "a", "b", "it"]

    def test_keep_words_appends_unstemmed_forms(self) -> None:
        assert tokenize("Zero-shot Tokenizer Transfer", keep_words=True) == [
            "zero",
            "shot",
            "token",
            "transfer",
            "zeroshot",
            "tokenizer",
        ]

    def test_nothing_to_index(self) -> None:
        assert tokenize("") == []
        assert tokenize("  !!! --- ...") == []

    def test_index_text_joins_columns_keeping_extras_last(self) -> None:
        assert index_text(["fine-tuning", None, "GPT-4o", ""]) == "fine tune gpt 4o finetun gpt4o"

    def test_cache_gives_same_answer_twice(self) -> None:
        text = "Chain-of-thought 추론을 위한 LLMs"
        assert tokenize(text) == tokenize(text)

    def test_stem_keeps_digit_words(self) -> None:
        assert stem("4o") == "4o"
        assert stem("2024's") == "2024"


class TestParticles:
    @pytest.mark.parametrize(
        ("word", "expected"),
        [
            ("환각을", "환각"),
            ("환각이", "환각"),
            ("추론에서", "추론"),
            ("그림으로", "그림"),
            ("모델의", "모델"),
            ("데이터와", "데이터"),
            ("환각", None),  # no particle
            ("평가", None),  # the stem would be one syllable
            ("LLM의", None),  # not all Hangul
        ],
    )
    def test_strip_particle(self, word: str, expected: str | None) -> None:
        assert strip_particle(word) == expected


class TestAnalyseQuery:
    def test_two_syllable_korean_is_one_bigram(self) -> None:
        assert analyse_query("환각") == [QueryGroup((Alternative(("환각",)),))]

    def test_particle_is_searched_by_its_stem(self) -> None:
        assert analyse_query("환각을") == [QueryGroup((Alternative(("환각",)),))]
        # the phrase, then its spaced spelling (강화 학습): see test_spacing
        assert analyse_query("강화학습에서") == [
            QueryGroup((Alternative(("강화", "화학", "학습")), Alternative(("강화", "학습"))))
        ]

    def test_lone_syllable_is_a_prefix(self) -> None:
        assert analyse_query("환") == [QueryGroup((Alternative(("환",), prefix=True),))]

    def test_particle_after_latin_word_is_dropped(self) -> None:
        groups = analyse_query("GPT의 성능")
        assert groups[0].alternatives[0] == Alternative(("gpt",))
        assert groups[1] == QueryGroup((Alternative(("성능",)),))

    def test_last_word_gets_a_completion(self) -> None:
        groups = analyse_query("zero-shot tokenizer tra")
        assert groups[0] == QueryGroup((Alternative(("zero", "shot")), Alternative(("zeroshot",))))
        assert groups[1] == QueryGroup((Alternative(("token",)),), word="tokenizer")
        assert groups[2] == QueryGroup(
            (Alternative(("tra",)),), completion=Alternative(("tra",), prefix=True)
        )
        assert groups[2].completed().alternatives == (
            Alternative(("tra",)),
            Alternative(("tra",), prefix=True),
        )
        assert groups[0].completed() == groups[0]

    def test_completion_uses_the_unstemmed_word(self) -> None:
        [group] = analyse_query("hallucinations")
        assert group.alternatives == (Alternative(("hallucin",)),)
        assert group.completion == Alternative(("hallucinations",), prefix=True)
        assert group.word == "hallucinations"

    def test_completion_length(self) -> None:
        assert analyse_query("gpt ab")[-1].completion is None
        assert analyse_query("gpt ab", prefix_min=1)[-1].completion is not None

    def test_hyphenated_query_matches_joined_form(self) -> None:
        assert analyse_query("fine-tuning") == [
            QueryGroup((Alternative(("fine", "tune")), Alternative(("finetun",))))
        ]

    def test_long_korean_word_is_a_phrase(self) -> None:
        [group] = analyse_query("강화학습")
        # the phrase, then its spaced spelling (강화 학습): see test_spacing
        assert group.alternatives == (
            Alternative(("강화", "화학", "학습")),
            Alternative(("강화", "학습")),
        )

    def test_duplicates_are_merged(self) -> None:
        assert len(analyse_query("model model model")) == 2  # the last one has a completion

    @pytest.mark.parametrize("text", ["", "   ", '"', "*", "!!!", "()", "---", "\x00"])
    def test_nothing_to_search(self, text: str) -> None:
        assert analyse_query(text) == []

    def test_operators_are_plain_words(self) -> None:
        words = [g.alternatives[0].tokens[0] for g in analyse_query("NEAR AND OR NOT")]
        assert words == ["near", "and", "or", "not"]

    def test_limits(self) -> None:
        groups = analyse_query(" ".join(f"word{i}" for i in range(1000)))
        assert len(groups) <= 24
        [group] = analyse_query("가" * 10_000)
        assert all(len(alt.tokens) <= 32 for alt in group.alternatives)
