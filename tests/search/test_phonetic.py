"""The Hangul/Latin phonetic bridge: keys, ranking, the native-word threshold, odd input."""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from bot.search.phonetic import (
    MIN_SCORE,
    PhoneticBridge,
    hangul_key,
    is_loanword_shaped,
    latin_key,
    latin_keys,
    skeleton,
)

SAMPLES = Path(__file__).parents[2] / "bot" / "sample_digests"


@pytest.mark.parametrize(
    ("hangul", "english", "key"),
    [
        ("라마", "llama", "LaMa"),
        ("로라", "lora", "LoLa"),  # r between vowels is ㄹ
        ("미스트랄", "mistral", "MiSTLaL"),  # 스, 트: no vowel
        ("제미나이", "gemini", "JeMiNi"),  # soft g is ㅈ; 아이 is the letter i
        ("클립", "clip", "KLiP"),  # 클립: ㄹㄹ is one l
        ("디노", "dino", "TiNo"),
        ("트랜스포머", "transformer", "TLaNSPoMe"),  # -or- before a consonant and -er: silent r
        ("디퓨전", "diffusion", "TiPuJeN"),  # ㅠ loses its y; -sion after a vowel is 전
        ("프롬프트", "prompt", "PLoMPT"),
        ("스테이블", "stable", "STaPL"),  # 에이 is the letter a; silent final e
        ("배치", "batch", "PaJi"),  # 치 for a final tch
        ("트레이닝", "training", "TLaNiN"),  # ai is 에이, ng is ㅇ
        ("네트워크", "network", "NeTWeK"),  # wor is 워
        ("샘플", "sample", "SaMPL"),  # 플: ㅡ before ㄹ is inserted too
    ],
)
def test_both_scripts_meet_in_one_key(hangul: str, english: str, key: str) -> None:
    assert hangul_key(hangul) == key
    assert latin_key(english) == key
    assert latin_key(english.upper()) == key


def test_final_s_batchim_is_a_t_and_eu_before_a_final_is_a_vowel() -> None:
    assert hangul_key("로봇") == "LoPoT" == latin_key("robot")
    assert hangul_key("데이터셋") == "TaTeSeT"  # 셋 is set
    assert hangul_key("토큰") == "ToKeN" == latin_key("token")  # 큰: a schwa, not inserted


def test_ambiguous_spellings_are_indexed_both_ways() -> None:
    assert latin_keys("anchor")[:2] == ["aNJe", "aNKe"]  # 앵커: ch as k
    assert hangul_key("앵커") in latin_keys("anchor")
    assert hangul_key("포지션") in latin_keys("position")  # s between vowels as ㅈ
    assert latin_keys("neurons")[-1] == "NuLoN"  # a plural's singular: Korean marks none
    assert hangul_key("베이스라인") in latin_keys("baseline")  # base|line: a compound's silent e
    assert latin_keys("detection") == ["TeTeKSeN"]  # but de- is a prefix, its e is heard
    assert len(latin_keys("churches")) <= 4


def test_nfd_and_nfc_hangul_give_one_key() -> None:
    word = "트랜스포머"
    assert hangul_key(unicodedata.normalize("NFD", word)) == hangul_key(word) == "TLaNSPoMe"


def _bridge(**frequencies: int) -> PhoneticBridge:
    return PhoneticBridge(frequencies, documents=1000)


def test_an_exact_key_comes_before_a_near_one_whatever_their_frequency() -> None:
    bridge = _bridge(model=10, modal=900, martel=1)
    ranked = [c.term for c in bridge.candidates("모델", 3)]
    assert ranked[0] == "model"
    assert set(ranked) == {"model", "modal", "martel"}


def test_a_distinctive_term_ranks_over_a_function_word_for_a_short_key() -> None:
    bridge = _bridge(pair=20, **{"for": 600})  # both are Pe; "for" is in 60% of documents
    ranked = bridge.candidates("페어", 3)
    assert [c.term for c in ranked] == ["pair", "for"]
    assert ranked[0].score >= MIN_SCORE > ranked[1].score


def test_a_function_word_alone_is_not_proposed_for_a_short_key() -> None:
    bridge = _bridge(**{"for": 600, "the": 990})
    assert all(c.score < MIN_SCORE for c in bridge.candidates("페어", 3))


def test_among_equally_close_terms_the_usual_one_wins() -> None:
    # 체인 is chain; chan is also JaN: a name in two documents loses to a term in forty
    bridge = _bridge(chain=40, chan=2)
    assert [c.term for c in bridge.candidates("체인", 2)] == ["chain", "chan"]


def test_limit_and_scores() -> None:
    bridge = _bridge(transformer=50, transformers=40, transform=5)
    found = bridge.candidates("트랜스포머", 2)
    assert len(found) == 2
    assert found[0].term == "transformer"
    assert 0 < found[1].score <= found[0].score <= 1
    assert bridge.candidates("트랜스포머", 0) == []


def _sample_vocabulary() -> tuple[Counter[str], int]:
    """Lowercase Latin words of the bundled sample digests, with document frequencies."""
    files = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".txt", ".md"))
    frequencies: Counter[str] = Counter()
    for path in files:
        frequencies.update(set(re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower())))
    return frequencies, len(files)


def test_on_the_samples_loanwords_are_found_and_native_words_propose_nothing() -> None:
    frequencies, documents = _sample_vocabulary()
    assert {"tokenizer", "transformer", "prompt"} <= frequencies.keys()
    bridge = PhoneticBridge(frequencies, documents=documents)
    for hangul, english in (("토크나이저", "tokenizer"), ("트랜스포머", "transformer")):
        best = bridge.candidates(hangul, 1)
        assert [c.term for c in best] == [english]
        assert best[0].score >= MIN_SCORE
    for native in ("학습", "생성", "방법", "데이터는", "연구", "결과", "성능", "추론"):
        proposed = [c for c in bridge.candidates(native, 3) if c.score >= MIN_SCORE]
        assert proposed == [], native


def test_words_no_loanword_could_be_propose_nothing() -> None:
    bridge = _bridge(it=100, eaten=3, ittnun=1)
    assert not is_loanword_shaped("있는")  # ㅆ as a final: never in loanword spelling
    assert bridge.candidates("있는", 3) == []
    assert is_loanword_shaped("트랜스포머를")


@pytest.mark.parametrize("text", ["", " ", "🦙", "🦙🦙🦙", "ㅋㅋㅋ", "ㅏㅑ", "123", "\x00"])
def test_odd_input_gives_nothing_and_raises_nothing(text: str) -> None:
    bridge = _bridge(llama=5, kick=3, a=900)
    assert bridge.candidates(text, 3) == []
    assert len(skeleton(hangul_key(text))) < 2


def test_mixed_script_and_emoji_keep_only_the_hangul() -> None:
    bridge = _bridge(llama=5)
    for text in ("LLaMA 라마", "🦙라마🦙", "라마2", "라마-3"):
        assert hangul_key(text) == "LaMa"
        assert [c.term for c in bridge.candidates(text, 1)] == ["llama"]


@pytest.mark.parametrize("term", ["", "🦙", "123", "GPT-4o", "naïve", "x" * 5000])
def test_latin_side_takes_any_text(term: str) -> None:
    keys = latin_keys(term)
    assert 1 <= len(keys) <= 4
    assert all(re.fullmatch(r"[PTKSJLMNHWaeiou]*", key) for key in keys)


def test_very_long_input_is_quick_and_proposes_nothing() -> None:
    bridge = _bridge(transformer=50)
    text = "트랜스포머" * 2000
    start = time.perf_counter()
    assert bridge.candidates(text, 3) == []
    assert len(hangul_key(text)) > 10_000
    assert time.perf_counter() - start < 1.0
