"""The needles (papers with planted, distinctive content), the relevance queries with their
ground truth, and the plan: how many files of each kind, and where the needles go."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench.corpus_text import GenPaper
from bench.corpus_words import LAST_DAY, MIN_PAPERS, NOTE_SHARE, WEEKLY_ENTRY_SHARE, Kind

# --------------------------------------------------------------------------------------------
# Needles and the ground truth
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedleSpec:
    slug: str
    kind: Kind
    title_en: str
    ko: tuple[str, ...]  # planted Korean sentences (commentary / summaries / Korean abstract)
    en: tuple[str, ...] = ()  # planted English sentences (abstract / English summary)
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    title_ko: str | None = None  # weekly
    also_weekly: tuple[str, str] | None = None  # daily needle also in that week's issue:
    # (Korean title, Korean summary sentence)


NEEDLES: tuple[NeedleSpec, ...] = (
    NeedleSpec(
        "jailbreak-persona",
        "daily",
        "Jailbreaking Aligned Chat Models through Persona Modulation",
        ko=("탈옥을 시도하는 프롬프트가 환각이 잦은 모델에서 더 잘 먹힌다는 관찰이 흥미롭네요.",),
        en=(
            "We show that jailbreaking succeeds far more often on models that already "
            "hallucinate under pressure, and that persona prompts are the most reliable "
            "jailbreak vector.",
        ),
        tags=("safety", "llm"),
    ),
    NeedleSpec(
        "jailbreak-transfer",
        "daily",
        "Refusal Tokens Are Not Enough: Measuring Jailbreak Transfer across Model Families",
        ko=("탈옥의 전이 가능성을 모델 계열별로 측정한 작업입니다.",),
        en=("We measure how jailbreak prompts found on one model family transfer to others.",),
        authors=("Benoît Quéméneur",),
        tags=("safety", "benchmark"),
    ),
    NeedleSpec(
        "jailbreak-survey",
        "weekly",
        "Jailbreak Attacks on Large Language Models: A Survey",
        title_ko="대규모 언어 모델에 대한 탈옥 공격 조사",
        ko=(
            "탈옥이 어떤 조건에서 성공하는지 정리하고, 탈옥 이후 환각을 얼마나 자주 "
            "일으키는지도 분석합니다.",
        ),
        en=("Surveys jailbreaks and the defenses proposed against them.",),
    ),
    NeedleSpec(
        "jailbreak-defense",
        "note",
        "Defending Against Jailbreaks with Self-Reminder Prompts",
        ko=("탈옥에 대한 간단한 방어 방법인데 생각보다 잘 작동하네요.",),
        tags=("safety",),
    ),
    NeedleSpec(
        "persona-drift",
        "daily",
        "Persona Drift in Long Role-Play Conversations",
        ko=("결국 롤플레이가 길어지면 일종의 탈옥이 자연스럽게 일어난다는 이야기네요.",),
        tags=("llm", "dialogue"),
    ),
    NeedleSpec(
        "radioactive-watermarks",
        "daily",
        "Radioactive Watermarks for Diffusion Transformers",
        ko=("워터마크를 학습 데이터에 심어두면 파인튜닝 이후에도 검출할 수 있다는 결과입니다.",),
        en=("We show that watermarks planted in training images survive fine-tuning.",),
        tags=("safety", "diffusion"),
        also_weekly=(
            "확산 트랜스포머를 위한 방사성 워터마크",
            "학습 데이터에 심은 워터마크가 파인튜닝 이후에도 남는다는 것을 보여줍니다.",
        ),
    ),
    NeedleSpec(
        "watermark-speech",
        "daily",
        "Watermarking Speech Synthesis at Scale",
        ko=("음성 합성 결과물에 워터마크가 남도록 만드는 방법이네요.",),
        en=("We present a watermarking scheme for neural speech synthesis.",),
        authors=("Benoît Quéméneur",),
        tags=("speech", "tts"),
    ),
    NeedleSpec(
        "text-watermarks",
        "note",
        "Robust Text Watermarks under Paraphrasing",
        ko=(
            "워터마크의 강건성을 패러프레이징 상황에서 평가했습니다. "
            "검출 성능이 생각보다 잘 유지되네요.",
        ),
        authors=("Mathilde Lefèvre-Schönberg",),
        tags=("safety", "llm"),
    ),
    NeedleSpec(
        "watermark-removal",
        "weekly",
        "Removing Watermarks from Generated Images",
        title_ko="생성 이미지의 워터마크 제거 공격",
        ko=("생성된 이미지에서 워터마크를 제거하는 공격을 제안합니다.",),
        en=("Proposes a watermark removal attack against image generators.",),
    ),
    NeedleSpec(
        "sycophancy-preference",
        "daily",
        "Sycophancy Is Learned from Preference Data",
        ko=("아첨이 선호 데이터에서 학습된다는 분석입니다.",),
        en=("We trace sycophancy back to the preference data, where sycophantic answers win.",),
        authors=("Mathilde Lefèvre-Schönberg",),
        tags=("alignment", "rlhf"),
    ),
    NeedleSpec(
        "sycophantic-taming",
        "weekly",
        "Taming Sycophantic Language Models",
        title_ko="아첨하는 언어 모델 길들이기",
        ko=("아첨을 줄이기 위한 간단한 미세 조정 방법을 제안합니다.",),
        en=("Reduces sycophancy with a simple fine-tuning recipe on synthetic disagreements.",),
    ),
    NeedleSpec(
        "agreement-bias",
        "daily",
        "Agreement Bias in Vision-Language Assistants",
        ko=("사용자 의견에 맞춰주는 아첨의 경향이 환각과 함께 나타난다고 합니다.",),
        en=("We find that sycophancy in vision-language assistants grows with model size.",),
        tags=("multimodal", "alignment"),
    ),
    NeedleSpec(
        "selective-unlearning",
        "daily",
        "Selective Unlearning of Copyrighted Text in Language Models",
        ko=("특정 데이터에 대한 망각을 유도하는 방법인데 평가가 쉽지 않네요.",),
        en=("We study machine unlearning of copyrighted passages.",),
        authors=("Benoît Quéméneur",),
        tags=("llm", "privacy"),
    ),
    NeedleSpec(
        "forgetting-or-unlearning",
        "note",
        "Catastrophic Forgetting or Unlearning? A Closer Look",
        ko=("망각이 실제로 일어나는지 확인하는 실험을 꼼꼼하게 설계했네요.",),
        tags=("continual-learning",),
    ),
    NeedleSpec(
        "learned-tessellations",
        "daily",
        "Learned Tessellations for Mesh Generation",
        ko=("삼각형 분할을 직접 학습하는 방식의 3D 생성이네요.",),
        en=("Each tessellation is predicted autoregressively, face by face.",),
        tags=("3d",),
    ),
    # Issue 9: spacing, Korean query vs English-only paper, transliterations.
    NeedleSpec(
        "watermark-detector-joined",
        "daily",
        "Training Detectors for Audio Provenance Marks",
        ko=("워터마크검출기를 따로 학습해서 붙이는 구조입니다.",),  # joined: 워터마크 검출기
        tags=("audio",),
    ),
    NeedleSpec(
        "forgetting-prevention-spaced",
        "note",
        "Rehearsal-Free Continual Adaptation",
        ko=("망각 방지 기법을 간단하게 정리한 노트입니다.",),  # spaced: 망각방지
        tags=("continual-learning",),
    ),
    NeedleSpec(
        "unlearning-english-only",
        "daily",
        "Unlearning Benchmarks for Code Models",
        ko=(),
        en=("We benchmark machine unlearning methods on code models.",),
        tags=("code",),
    ),
    NeedleSpec(
        "sycophancy-english-only",
        "daily",
        "Reward Models Prefer Agreeable Answers",
        ko=(),
        en=("We find that reward models reward sycophancy over correct disagreement.",),
        tags=("alignment",),
    ),
)


@dataclass(frozen=True)
class QuerySpec:
    category: str
    query: str
    patterns: tuple[str, ...]  # all must match a needle's text (regex, case-insensitive)
    tag: str | None = None
    note: str = ""
    tag_means: str | None = None  # the canonical tag an alias in ``tag`` stands for

    @property
    def canonical_tag(self) -> str | None:
        return self.tag_means or self.tag


QUERIES: tuple[QuerySpec, ...] = (
    QuerySpec("ko_word", "탈옥", ("탈옥",), note="text has 탈옥을/탈옥의/탈옥이/탈옥에"),
    QuerySpec("ko_word", "워터마크", ("워터마크",), note="text has 워터마크를/가/의"),
    QuerySpec("ko_word", "아첨", ("아첨",), note="text has 아첨이/아첨을/아첨의/아첨하는"),
    QuerySpec("ko_word", "망각", ("망각",), note="text has 망각을/망각이"),
    QuerySpec("ko_particle", "탈옥을", ("탈옥",), note="the query carries a particle"),
    QuerySpec("ko_particle", "망각의", ("망각",), note="a particle no text uses"),
    QuerySpec("ko_particle", "아첨이", ("아첨",)),
    QuerySpec("ko_combo", "탈옥 환각", ("탈옥", "환각"), note="both words, in any form"),
    QuerySpec("ko_combo", "아첨 환각", ("아첨", "환각")),
    QuerySpec("ko_phrase", "워터마크를 검출하는", ("워터마크", "검출")),
    QuerySpec("ko_phrase", "탈옥 공격의", ("탈옥", "공격")),
    QuerySpec("ko_title", "워터마크 제거 공격", ("워터마크", "제거", "공격")),
    QuerySpec("en_word", "jailbreaks", (r"\bjailbreak",), note="text: jailbreak/-ing/-s"),
    QuerySpec("en_word", "jailbreaking", (r"\bjailbreak",)),
    QuerySpec("en_word", "watermark", (r"\bwatermark",), note="text: watermarks/watermarking"),
    QuerySpec("en_word", "sycophancy", (r"\bsycophan",)),
    QuerySpec("en_word", "unlearning", (r"\bunlearn",)),
    QuerySpec("en_word", "tessellation", (r"\btessellat",), note="title has Tessellations"),
    QuerySpec("en_combo", "jailbreak hallucinations", (r"\bjailbreak", r"\bhallucinat")),
    QuerySpec(
        "en_title",
        "radioactive watermark diffusion",
        (r"\bradioactive", r"\bwatermark", r"\bdiffusion"),
    ),
    QuerySpec("en_title", "learned tessellation mesh generation", (r"\btessellat", r"\bmesh")),
    QuerySpec("author", "Benoit Quemeneur", ("Quéméneur",), note="typed without accents"),
    QuerySpec("author", "Quéméneur", ("Quéméneur",)),
    QuerySpec("author", "Mathilde Lefevre-Schonberg", ("Lefèvre-Schönberg",)),
    QuerySpec("tag_filtered", "워터마크", ("워터마크",), tag="safety"),
    QuerySpec("tag_filtered", "탈옥", ("탈옥",), tag="benchmark"),
    QuerySpec("tag_filtered", "jailbreak", (r"\bjailbreak",), tag="llm"),
    QuerySpec("mixed", "탈옥 jailbreak", ("탈옥", r"\bjailbreak")),
    QuerySpec("mixed", "아첨 sycophancy", ("아첨", r"\bsycophan")),
    QuerySpec("typo", "sycophncy", (r"\bsycophan",), note="one letter missing"),
    QuerySpec("typo", "jailbrek", (r"\bjailbreak",), note="one letter missing"),
    QuerySpec("typo", "watermakr", (r"\bwatermark",), note="two letters swapped"),
    # Issue 9
    QuerySpec(
        "ko_spacing", "워터마크 검출기", ("워터마크 ?검출기",), note="query spaced, text joined"
    ),
    QuerySpec("ko_spacing", "망각방지", ("망각 ?방지",), note="query joined, text spaced"),
    QuerySpec("ko_to_en", "아첨", (r"아첨|\bsycophan",), note="one paper says it only in English"),
    QuerySpec("ko_to_en", "망각", (r"망각|\bunlearn",), note="one paper says it only in English"),
    QuerySpec("translit", "언러닝", (r"망각|\bunlearn",), note="transliteration of unlearning"),
    QuerySpec("translit", "워터마킹", (r"워터마크|\bwatermark",), note="texts say 워터마크"),
    QuerySpec(
        "tag_alias", "jailbreak", (r"\bjailbreak",), tag="#Large_Language_Models", tag_means="llm"
    ),
    QuerySpec("tag_alias", "워터마크", ("워터마크",), tag="tag:AI_Safety", tag_means="safety"),
)


@dataclass
class NeedleRecord:
    spec: NeedleSpec
    paper: GenPaper
    kinds: list[str] = field(default_factory=list)
    extra_text: list[str] = field(default_factory=list)  # text of further mentions

    def text(self) -> str:
        return "\n".join([self.paper.searchable_text(), *self.extra_text])


def ground_truth(needles: Sequence[NeedleRecord]) -> list[dict[str, Any]]:
    out = []
    for spec in QUERIES:
        patterns = [re.compile(p, re.IGNORECASE) for p in spec.patterns]
        relevant = [
            n
            for n in needles
            if all(p.search(n.text()) for p in patterns)
            and (spec.canonical_tag is None or spec.canonical_tag in n.paper.tags)
        ]
        if not 1 <= len(relevant) <= 5:
            raise AssertionError(f"query {spec.query!r} has {len(relevant)} relevant needles")
        out.append(
            {
                "category": spec.category,
                "query": spec.query,
                "tag": spec.tag,
                "note": spec.note,
                "patterns": list(spec.patterns),
                "relevant": [
                    {
                        "slug": n.spec.slug,
                        "arxiv_id": n.paper.arxiv_id,
                        "title_en": n.paper.title_en,
                        "kinds": n.kinds,
                    }
                    for n in relevant
                ],
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# The plan: how many files of each kind, and where the needles go
# --------------------------------------------------------------------------------------------


@dataclass
class Plan:
    notes: int
    weekly_mondays: list[date]
    weekly_unique: list[int]
    weekly_cross: list[int]
    daily_days: list[date]
    daily_sizes: list[int]
    daily_needles: dict[tuple[int, int], NeedleSpec]  # (file index, slot) -> needle
    weekly_needles: dict[tuple[int, int], NeedleSpec]
    note_needles: dict[int, NeedleSpec]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def make_plan(papers: int, rng: random.Random) -> Plan:
    if papers < MIN_PAPERS:
        raise ValueError(f"--papers must be at least {MIN_PAPERS}")
    by_kind: dict[Kind, list[NeedleSpec]] = {"daily": [], "weekly": [], "note": []}
    for spec in NEEDLES:
        by_kind[spec.kind].append(spec)

    notes = max(len(by_kind["note"]) + 1, round(papers * NOTE_SHARE))
    weeks = max(len(by_kind["weekly"]) + 2, round(papers * WEEKLY_ENTRY_SHARE / 10))
    last_monday = monday(LAST_DAY - timedelta(days=6))
    mondays = [last_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    entries = [rng.randint(8, 12) for _ in mondays]
    # Cross-mentions only where the daily files are likely to reach (an estimate; a week with
    # too few daily papers simply gets fewer entries, never fewer unique papers).
    daily_estimate = papers - notes - round(sum(entries) * 0.7)
    daily_weeks = max(0, daily_estimate // (20 * 7) - 1)
    cross = [rng.randint(2, 4) if i >= weeks - daily_weeks else 0 for i in range(len(mondays))]
    unique = [e - c for e, c in zip(entries, cross, strict=True)]

    daily_total = papers - notes - sum(unique)
    sizes: list[int] = []
    while sum(sizes) < daily_total:
        sizes.append(rng.randint(12, 28))
    sizes[-1] -= sum(sizes) - daily_total
    if sizes[-1] < 5 and len(sizes) > 1:
        last = sizes.pop()
        sizes[-1] += last
    days = [LAST_DAY - timedelta(days=len(sizes) - 1 - i) for i in range(len(sizes))]

    weekly_set = set(mondays)
    daily_needles: dict[tuple[int, int], NeedleSpec] = {}
    used_files: set[int] = set()
    for spec in by_kind["daily"]:
        candidates = [
            i
            for i in range(len(days))
            if i not in used_files and (spec.also_weekly is None or monday(days[i]) in weekly_set)
        ]
        index = rng.choice(candidates)
        used_files.add(index)
        daily_needles[(index, rng.randrange(sizes[index]))] = spec
    weekly_needles: dict[tuple[int, int], NeedleSpec] = {}
    for spec, index in zip(
        by_kind["weekly"], rng.sample(range(len(mondays)), len(by_kind["weekly"])), strict=True
    ):
        weekly_needles[(index, rng.randrange(unique[index]))] = spec
    note_needles = dict(
        zip(rng.sample(range(notes), len(by_kind["note"])), by_kind["note"], strict=True)
    )
    return Plan(
        notes, mondays, unique, cross, days, sizes, daily_needles, weekly_needles, note_needles
    )
