"""Pure parts of issue 17's search: compound segmentation by bigram statistics, typo
correction against surface forms, glossary forms as NEAR alternatives, coverage matching."""

from __future__ import annotations

from bot.digests.glossary import Glossary
from bot.digests.tags import TagVocabulary
from bot.search.analysis import Alternative, analyse_query
from bot.search.expand import Expander
from bot.search.korean import segment
from bot.search.plan import (
    added_count,
    choose_correction,
    correction_candidates,
    covers,
    match_expression,
)

# bigram document frequencies of a store that spaces its words: straddling bigrams are rare
DOCS = {"비전": 20, "전언": 0, "언어": 300, "어모": 1, "모델": 900, "델평": 0, "평가": 45}


def test_segment_splits_where_the_straddling_bigram_is_rare() -> None:
    def frequency(gram: str) -> int:
        return DOCS.get(gram, 0)

    assert segment("비전언어모델평가", frequency, 1600) == ["비전", "언어", "모델", "평가"]


def test_segment_considers_every_split_point_of_any_length() -> None:
    common = {"대규": 50, "규모": 60, "언어": 300, "모델": 900, "추론": 200, "최적": 40, "적화": 40}

    def frequency(gram: str) -> int:
        return common.get(gram, 0)

    run = "대규모언어모델추론최적화"  # 12 syllables: the old spacing variants stopped at 8
    assert segment(run, frequency, 1600) == ["대규모", "언어", "모델", "추론", "최적화"]


def test_segment_drops_a_closing_particle() -> None:
    def frequency(gram: str) -> int:
        return {"객체": 40, "검출": 40, "트랜": 30, "랜스": 30, "스포": 30, "포머": 30}.get(gram, 0)

    assert segment("객체검출트랜스포머를", frequency, 1600) == ["객체", "검출", "트랜스포머"]


def test_typo_prefers_the_longer_word_over_a_shorter_frequent_one() -> None:
    choices = correction_candidates("lage", "lage")
    assert choose_correction("lage", choices, {"larg": 2, "lag": 30}) == "larg"
    assert choices["larg"][1] == "large"
    # a deletion typo still finds the one-letter-shorter word
    choices = correction_candidates("modells", "modell")
    assert choose_correction("modells", choices, {"model": 10}) == "model"


def test_glossary_forms_are_near_in_any_order_and_mixed_script() -> None:
    glossary = Glossary.from_mapping(
        {
            "terms": [
                {"ko": ["모델 병합"], "en": ["model merging"]},
                {"ko": ["KV 캐시"], "en": ["KV cache", "key-value cache"]},
            ]
        }
    )
    expander = Expander(glossary, TagVocabulary(tags={}))
    wide = expander.expand(analyse_query("merging models", prefix_min=99))
    assert wide is not None
    expression = match_expression(wide)
    assert 'NEAR("model" "merg", 3)' in expression
    mixed = expander.expand(analyse_query("key-value 캐시", prefix_min=99))
    assert mixed is not None
    assert Alternative(("kv", "캐시"), near=(("kv",), ("캐시",))) in mixed[0].alternatives


def test_covers_matches_as_fts5_would() -> None:
    (group,) = analyse_query("환각", prefix_min=99)
    assert covers(group, " 환각 각을 ")
    assert not covers(group, " 환경 ")


def test_added_count_of_one_widened_group_skips_the_typed_words() -> None:
    glossary = Glossary.from_mapping({"terms": [{"ko": ["환각"], "en": ["hallucination"]}]})
    expander = Expander(glossary, TagVocabulary(tags={}))
    groups = analyse_query("reducing hallucination", prefix_min=99)
    wide = expander.expand(groups)
    assert wide is not None
    expression, exact = added_count(wide, groups, ["kdaily"])
    # the other group and an added form, never a typed one of the widened group
    assert exact
    assert expression == '(("reduc" AND "환각") AND "kdaily") NOT ("hallucin")'
    # a concept spanning two typed groups: counted whole, the caller subtracts
    merged = Expander(
        Glossary.from_mapping({"terms": [{"ko": ["모델 병합"], "en": ["model merging"]}]}),
        TagVocabulary(tags={}),
    )
    spanned = analyse_query("model merging", prefix_min=99)
    widened = merged.expand(spanned)
    assert widened is not None
    assert added_count(widened, spanned, [])[1] is False
