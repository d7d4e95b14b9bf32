"""Tags: normal form, aliases, derivation from text, and the vocabulary file itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.digests.errors import VocabularyError
from bot.digests.parse import parse_text
from bot.digests.tags import TagVocabulary, load_vocabulary, normalise_tag, singular

from .conftest import SAMPLES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#llm", "llm"),
        ("#LLM", "llm"),
        ("  #instance_segmentation ", "instance-segmentation"),
        ("reinforcement learning", "reinforcement-learning"),
        ("Reinforcement_Learning", "reinforcement-learning"),
        ("video--text", "video-text"),
        ("_a_ _b_", "a-b"),
        ("＃ＬＬＭ", "llm"),  # full-width, NFKC
        ("#강화학습", "강화학습"),
        ("##rlhf", "rlhf"),
        ("long – context", "long-context"),
        ("#", ""),
    ],
)
def test_normalise_tag(raw: str, expected: str) -> None:
    assert normalise_tag(raw) == expected


@pytest.mark.parametrize(
    "spelling",
    [
        "rl",
        "#RL",
        "reinforcement-learning",
        "reinforcement learning",
        "#reinforcement_learning",
        "강화학습",
        "#강화학습",
        "강화 학습",
    ],
)
def test_rl_aliases(vocabulary: TagVocabulary, spelling: str) -> None:
    assert vocabulary.canonical(spelling) == "rl"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("#RLHF", "rlhf"),
        ("#DPO", "rlhf"),
        ("#mixture_of_experts", "moe"),
        ("#video-text", "video"),
        ("#RoPE", "positional-encoding"),
        ("#환각", "hallucination"),
        ("#fine_tune", "fine-tuning"),
        ("#some_new_topic", "some-new-topic"),  # unknown tags stay, normalised
    ],
)
def test_canonical(vocabulary: TagVocabulary, spelling: str, canonical: str) -> None:
    assert vocabulary.canonical(spelling) == canonical


def test_bundled_vocabulary_size_and_shape(vocabulary: TagVocabulary) -> None:
    assert 40 <= len(vocabulary.names) <= 60
    for required in [
        "llm",
        "rl",
        "rlhf",
        "alignment",
        "multimodal",
        "hallucination",
        "diffusion",
        "video-generation",
        "moe",
        "efficiency",
        "benchmark",
        "agent",
        "reasoning",
        "math",
        "code",
        "rag",
        "long-context",
        "tokenizer",
        "distillation",
        "3d",
        "audio",
        "vision",
        "safety",
        "jailbreak",
        "quantization",
        "fine-tuning",
    ]:
        assert required in vocabulary.tags
    for info in vocabulary.tags.values():
        assert info.name == normalise_tag(info.name)
        assert info.description
        assert info.keywords
    # Every tag can be derived from Korean text as well as from English text.
    for info in vocabulary.tags.values():
        assert any(not keyword.isascii() for keyword in info.keywords), info.name
        assert any(keyword.isascii() for keyword in info.keywords), info.name


def test_no_generic_keywords(vocabulary: TagVocabulary) -> None:
    generic = {"model", "models", "learning", "data", "method", "모델", "학습", "language model"}
    for info in vocabulary.tags.values():
        assert not generic & {k.lower() for k in info.keywords}, info.name


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Reinforcement Learning from Human Feedback at scale", {"rl", "rlhf"}),
        ("Mitigating Hallucinations in LVLMs", {"hallucination", "multimodal"}),
        ("Jailbreaking Aligned Models", {"jailbreak"}),
        ("Agents that use tools", {"agent"}),
        ("Studies of Mixtures of Experts", {"moe"}),
        ("A Benoît-style étude of Diffusion models", {"diffusion"}),  # accents fold
        ("fine tuning and fine-tuned and finetuning", {"fine-tuning"}),
        ("LLM을 활용한 환각 연구", {"llm", "hallucination"}),  # particles attach
        ("강화학습으로 추론 능력을 키웁니다", {"rl", "reasoning"}),
        ("강화 학습 기반 방법", {"rl"}),
        ("인코더와 디코딩 구조", {"decoding"}),  # "코딩" inside "디코딩" is not coding
        ("코딩 능력 평가", {"code"}),
        ("A model of a model, learned by learning", set()),
        ("Cat3D and GPT-4o", set()),  # keywords match whole words: not "3d", not "gpt-4"
        ("CAT3D: Create Anything in 3D", {"3d"}),
    ],
)
def test_derive(vocabulary: TagVocabulary, text: str, tags: set[str]) -> None:
    assert vocabulary.derive(text) == tags


def test_derive_skips_none_and_explains(vocabulary: TagVocabulary) -> None:
    assert vocabulary.derive(None, "", None) == set()
    explained = vocabulary.explain("Scaling RLHF", "보상 모델")
    assert explained == {"rlhf": {"rlhf", "보상 모델"}}


def test_derive_is_fast_and_capped_on_huge_text(vocabulary: TagVocabulary) -> None:
    huge = "hallucination " + "word " * 1_000_000 + "jailbreak"
    assert vocabulary.derive(huge) == {"hallucination"}


def test_singular() -> None:
    assert [
        singular(w) for w in ["agents", "studies", "loss", "bias", "corpus", "moe", "llms"]
    ] == ["agent", "study", "loss", "bias", "corpus", "moe", "llm"]


def test_rlhf_across_formats(vocabulary: TagVocabulary) -> None:
    """A weekly paper about RLHF and a daily note tagged #rlhf both carry "rlhf"."""
    weekly = parse_text(
        (SAMPLES / "weekly-2024-05-13.txt").read_text("utf-8"), "weekly.txt", vocabulary
    )
    daily = parse_text(
        (SAMPLES / "daily-2024-02-06.txt").read_text("utf-8"), "daily.txt", vocabulary
    )
    weekly_rlhf = next(p for p in weekly.papers if p.title_en and p.title_en.startswith("RLHF"))
    daily_rlhf = next(p for p in daily.papers if p.title_en and p.title_en.startswith("Decoding"))
    assert "rlhf" in weekly_rlhf.tags
    assert "rlhf" in daily_rlhf.tags


def test_custom_vocabulary_file(tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    path.write_text(
        """
[tags.Speech_Tech]
description = "Speech"
aliases = ["asr", "음성-인식"]
keywords = ["speech recognition", "=bench", "음성 인식"]
""",
        "utf-8",
    )
    vocabulary = load_vocabulary(path)
    assert vocabulary.names == ["speech-tech"]
    assert vocabulary.canonical("#ASR") == "speech-tech"
    assert vocabulary.canonical("#음성_인식") == "speech-tech"
    assert vocabulary.derive("Speech Recognitions") == {"speech-tech"}
    assert vocabulary.derive("음성인식 연구") == {"speech-tech"}
    assert vocabulary.derive("a bench") == {"speech-tech"}
    assert vocabulary.derive("two benches") == set()  # "=" means this exact word


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[tags", "tags.toml"),
        ('tags = "x"', "'tags' must be a table"),
        ("[tags.a]\nkeywords = 'x'", "keywords must be a list"),
        ("[tags.a]\naliases = ['b']\n[tags.b]\n", "is itself a canonical tag"),
        ("[tags.a]\naliases = ['c']\n[tags.b]\naliases = ['C']\n", "belongs to both"),
        ("[tags.A]\n[tags.a]\n", "defined twice"),
        ("[tags.a]\ndescription = 3\n", "description must be a string"),
    ],
)
def test_bad_vocabulary_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "tags.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(VocabularyError, match=message):
        load_vocabulary(path)
