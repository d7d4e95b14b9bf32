"""A deterministic synthetic digest corpus, written as digest files in the real formats.

    python -m bench.generate --papers 100000 --out bench/out/corpus

What it writes under ``--out``:

- ``daily-YYYY-MM-DD.txt``: one file per day, ~20 entries each (English title, ``(authors)``,
  an optional arXiv URL line, an English abstract of 150-250 words, 2-4 sentences of Korean
  commentary, a ``#tags`` line), like ``bot/sample_digests/daily-*.txt``;
- ``weekly-YYYY-MM-DD.txt``: one file per week, ~10 bilingual entries each
  (``한국어 제목 / English Title``, 논문 소개 and 논문 초록(Abstract) in Korean and English,
  논문 링크 with the arXiv URL), like ``bot/sample_digests/weekly-*.txt``; about a third of a
  week's entries are papers that the same week's daily files also carry (one paper, two mentions);
- ``notes/YYMMDD Title.md``: per-paper notes, like ``bot/sample_digests/notes``;
- ``ground_truth.json``: the relevance queries and, for each, the planted "needle" papers that
  are relevant to it;
- ``latency_queries.json``: a seeded mix of queries drawn from the corpus vocabulary;
- ``manifest.json``: what was generated (written last: its presence means a complete corpus).

The text is built from the real samples: Korean and English sentences are recombined by a
word-level Markov chain trained on them (so Korean words keep their real particles, 환각을,
추론의), mixed with templated sentences over ML term lists whose Korean particles follow the
final consonant (모델을, 데이터를, 추론으로, 디코더로). The same seed and paper count always
give byte-identical files.

Needles: a few dozen papers carry distinctive planted content (탈옥을/탈옥이 with or without
환각이, 워터마크를, 아첨이, 망각을, jailbreaking/jailbreaks, watermarks, sycophancy, an author
named Benoît Quéméneur, a title with a plural). Those rare words are kept out of every other
paper, so the relevant set of each ground-truth query is known exactly: it is computed from the
needles' text by the patterns listed with the query.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal

FORMAT_VERSION = 3  # 3: issue 9's needles and queries
DEFAULT_SEED = 20261122
DEFAULT_PAPERS = 100_000
MIN_PAPERS = 500
LAST_DAY = date(2026, 11, 21)

NOTE_SHARE = 0.02  # of the papers, one note file each
WEEKLY_ENTRY_SHARE = 0.08  # of the papers: weekly entries (cross-mentions included)
DAILY_ARXIV_SHARE = 0.6  # daily entries with an arXiv URL line
COMMENTARY_REFERENCE_SHARE = 0.03  # commentary that cites another paper's arXiv URL

Kind = Literal["daily", "weekly", "note"]

# Words that only needles may contain (matched case-insensitively as substrings).
RESERVED = (
    "탈옥",
    "워터마크",
    "아첨",
    "망각",
    "jailbreak",
    "watermark",
    "sycophan",
    "unlearn",
    "radioactive",
    "tessellat",
    "quéméneur",
    "quemeneur",
    "lefèvre-schönberg",
    "lefevre-schonberg",
)
RESERVED_RE = re.compile("|".join(re.escape(w) for w in RESERVED), re.IGNORECASE)
# Common words that the needle queries combine with the rare ones: kept out of the needles'
# filler text so that which needle has which combination is decided by the plan alone.
NEEDLE_AVOID_RE = re.compile(r"환각|검출|공격|제거|hallucinat|mesh", re.IGNORECASE)

HANGUL_RE = re.compile(r"[가-힣]")
LETTER_RE = re.compile(r"[^\W\d_]")


# --------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------

EN_METHODS = (
    "speculative decoding", "low-rank adaptation", "mixture of experts", "state space models",
    "retrieval-augmented generation", "instruction tuning", "direct preference optimization",
    "reward modeling", "knowledge distillation", "quantization", "structured pruning",
    "sparse attention", "linear attention", "rotary position embeddings",
    "contrastive learning", "masked autoencoders", "diffusion transformers", "flow matching",
    "consistency models", "chain-of-thought prompting", "self-consistency",
    "process supervision", "tree search", "Monte Carlo tree search", "model merging",
    "test-time training", "in-context learning", "curriculum learning", "data pruning",
    "synthetic data generation", "self-play", "policy gradients",
    "offline reinforcement learning", "world models", "graph neural networks",
    "neural radiance fields", "Gaussian splatting", "vector quantization",
    "tokenizer transfer", "KV cache compression", "early exit", "layer skipping",
    "activation steering", "sparse autoencoders", "probing classifiers", "weight decay",
    "learning rate warmup", "second-order optimizers", "federated averaging",
    "differential privacy", "adversarial training", "label smoothing", "recurrent memory",
    "external memory", "tool calling", "function calling", "program synthesis",
    "symbolic regression", "energy-based models", "variational autoencoders",
    "normalizing flows", "autoregressive image models", "vision-language pretraining",
    "audio tokenization", "speech codecs", "multi-token prediction",
    "long-context extrapolation", "position interpolation", "rejection sampling",
    "best-of-n sampling", "reward shaping", "inverse reinforcement learning",
    "imitation learning", "behavior cloning", "optimal transport", "Bayesian inference",
    "uncertainty quantification", "conformal prediction", "active learning", "meta-learning",
    "neural architecture search", "hypernetworks", "prompt compression", "query rewriting",
    "dense retrieval", "late interaction", "reranking", "embedding models",
)  # fmt: skip
EN_TASKS = (
    "language modeling", "mathematical reasoning", "code generation", "machine translation",
    "text summarization", "question answering", "open-domain dialogue", "image generation",
    "video generation", "text-to-speech", "speech recognition", "image segmentation",
    "object detection", "depth estimation", "3D reconstruction", "novel view synthesis",
    "robot manipulation", "autonomous driving", "protein structure prediction",
    "molecule generation", "weather forecasting", "time series forecasting",
    "recommendation", "tabular prediction", "document understanding", "chart understanding",
    "visual question answering", "image captioning", "long-context retrieval",
    "multi-hop reasoning", "theorem proving", "planning", "web navigation",
    "software engineering", "instruction following", "preference alignment",
    "fact verification", "entity linking", "semantic parsing", "information extraction",
    "sentiment analysis", "music generation", "audio captioning", "motion generation",
    "scene understanding", "medical imaging", "legal reasoning", "scientific discovery",
)  # fmt: skip
EN_MODELS = (
    "Llama 3 8B", "Llama 2 70B", "Mistral-7B", "Mixtral 8x7B", "Qwen2-7B", "Gemma-2B",
    "GPT-4", "GPT-3.5", "Claude 3", "Gemini 1.5 Pro", "Phi-3", "DeepSeek-V2", "OLMo",
    "Pythia", "T5", "BERT", "ViT-L/14", "CLIP", "SAM", "Stable Diffusion XL", "DiT-XL/2",
    "Whisper", "wav2vec 2.0",
)  # fmt: skip
EN_MODEL_GROUPS = (
    "Language Models", "Vision Transformers", "Diffusion Models", "Reward Models",
    "LLM Agents", "Multimodal LLMs", "Small Language Models", "Code Models", "Speech Models",
)  # fmt: skip
EN_DATASETS = (
    "MMLU", "GSM8K", "HumanEval", "ImageNet", "COCO", "LibriSpeech", "MATH",
    "ARC-Challenge", "BIG-Bench Hard", "TruthfulQA", "MT-Bench", "AlpacaEval", "SWE-bench",
    "Kinetics-400", "nuScenes", "WMT22", "HellaSwag", "MBPP", "ScienceQA", "DocVQA",
)  # fmt: skip
EN_METRICS = (
    "accuracy", "perplexity", "FID", "BLEU", "win rate", "pass@1", "latency", "throughput",
    "word error rate", "mAP", "F1", "exact match",
)  # fmt: skip
EN_ADJECTIVES = (
    "efficient", "scalable", "robust", "simple", "unified", "lightweight", "adaptive",
    "hierarchical", "sparse", "causal", "multilingual", "generalist", "data-efficient",
    "training-free", "memory-efficient", "modular", "differentiable", "self-supervised",
)  # fmt: skip
EN_LIMITATIONS = (
    "computationally expensive", "brittle under distribution shift", "difficult to scale",
    "sensitive to hyperparameters", "largely limited to English", "poorly calibrated",
    "hard to evaluate reliably", "dependent on large amounts of labeled data",
)  # fmt: skip
EN_REQUIREMENTS = (
    "labeled data", "a separate reward model", "retraining", "access to model weights",
    "human annotations", "external tools", "task-specific architectures",
)  # fmt: skip
EN_CONDITIONS = (
    "the context exceeds 32K tokens", "the inputs are multilingual",
    "the reward signal is sparse", "the test data is out of distribution",
    "only a few examples are available", "the task requires several steps",
)  # fmt: skip
EN_PROPERTIES = (
    "Robustness", "Limits", "Scaling Behavior", "Emergence", "Geometry", "Sample Efficiency",
    "Failure Modes", "Calibration", "Stability", "Expressivity",
)  # fmt: skip
EN_GERUNDS = (
    "Teaching", "Aligning", "Compressing", "Scaling", "Grounding", "Evaluating", "Distilling",
    "Steering", "Accelerating", "Unifying", "Revisiting", "Benchmarking",
)  # fmt: skip
ACRONYM_PARTS = (
    "Ze", "Vi", "Lo", "Ra", "Mo", "Ka", "Flux", "Neo", "Hy", "Pe", "Gra", "Sy", "Tri", "Qu",
    "Ori", "Lu", "Me", "Dy", "Xe", "Ax", "Bri", "Cor", "Del", "Eph", "Fal", "Gen", "Hel",
    "Ion", "Jor", "Kit", "Lum", "Nex", "Oct", "Pix", "Rho", "Sol", "Tor", "Umb", "Val", "Wis",
    "Yar", "Zen", "Aur", "Bo", "Ci", "Da", "Fi", "Go", "Ju", "Ny",
)  # fmt: skip
ACRONYM_SUFFIXES = (
    "", "", "", "-2", "-XL", "3", "++", "-R1", "Net", "GPT", "Bench", "Former", "LM", "Diff",
    "RL", "-V", "Mix", "-Lite",
)  # fmt: skip

KO_TERMS = (
    "언어 모델", "확산 모델", "보상 모델", "비전 트랜스포머", "추론", "정렬", "증류", "양자화",
    "가지치기", "강화학습", "미세 조정", "사전 학습", "토크나이저", "임베딩", "어텐션", "디코더",
    "인코더", "벤치마크", "데이터셋", "에이전트", "검색", "생성", "평가", "프롬프트", "컨텍스트",
    "캐시", "라우팅", "전문가 혼합", "스케일링", "합성 데이터", "멀티모달", "비디오 생성",
    "이미지 생성", "음성 인식", "코드 생성", "수학 문제", "계획", "도구 사용", "자기 일관성",
    "검증기", "샘플링", "디코딩", "학습률", "정규화", "옵티마이저", "손실 함수", "표현 학습",
    "대조 학습", "지식", "일반화", "효율성", "메모리", "지연 시간", "처리량", "로봇", "월드 모델",
    "그래프", "시계열", "번역", "요약", "질의응답", "대화", "안전성", "해석 가능성", "희소성",
    "압축", "선호 데이터", "인간 피드백", "지시 튜닝", "긴 컨텍스트", "위치 임베딩", "키-값 캐시",
    "병렬화", "분산 학습", "파인튜닝", "오픈 소스 모델", "장면 이해", "깊이 추정", "3D 재구성",
    "객체 인식", "분할", "노이즈", "음성 합성", "음악 생성", "단백질 구조", "분자 생성",
    "날씨 예측", "추천 시스템", "문서 이해", "차트 이해", "수학적 추론", "정리 증명", "웹 탐색",
    "소프트웨어 공학", "지시 따르기", "사실 검증", "정보 추출", "상식 추론", "환각", "편향",
    "일관성", "정확도", "보상", "정책", "가치 함수", "탐색", "검증", "피드백", "데이터 품질",
)  # fmt: skip

KO_CASUAL_TEMPLATES = (
    "{A:을} {B:에} 적용한 방법이네요.",
    "{A:이} {B:보다} 효과적이라는 결과입니다.",
    "{A:의} {B:에} 대한 분석이군요.",
    "{A:와} {B:을} 결합해서 성능을 끌어올렸습니다.",
    "흥미로운 점은 {A:이} {B:에서도} 잘 작동한다는 것입니다.",
    "{A:을} 사용하지 않고도 {B:을} 개선할 수 있다는 주장이네요.",
    "이전에도 {A:에} 대한 시도들이 있었는데 여기서는 {B:으로} 접근했습니다.",
    "{A:에서} {B:의} 역할을 다시 생각해보게 하는군요.",
    "결국 {A:이} 핵심인 것 같네요.",
    "{A:을} 늘릴수록 {B:이} 좋아진다는 결과는 예상할 수 있는 부분이긴 합니다.",
    "{A:은} 여전히 어려운 문제인데 {B:을} 통해 접근한 것이 재미있네요.",
    "{A:에} {B:을} 추가하는 것만으로도 꽤 큰 차이가 나는군요.",
    "{A:과} {B:의} 트레이드오프를 잘 정리한 작업입니다.",
    "{A:을} 위한 데이터 구축 작업이 상당히 공들인 것 같습니다.",
    "{A:으로} {B:을} 대체할 수 있을지 궁금하네요.",
    "{A:도} 결국 {B:의} 문제로 귀결되는 것 같습니다.",
)
KO_FORMAL_TEMPLATES = (
    "{A:을} {B:에} 적용하는 새로운 방법을 제안합니다.",
    "{A:이} {B:보다} 우수한 성능을 보인다는 것을 입증합니다.",
    "{A:와} {B:을} 결합한 프레임워크를 소개합니다.",
    "다양한 벤치마크에서 {A:이} 기존 방법보다 뛰어난 성능을 달성했습니다.",
    "{A:의} 한계를 분석하고 {B:을} 통해 이를 개선합니다.",
    "실험 결과, {A:이} {B:에서도} 일관되게 효과적인 것으로 나타났습니다.",
    "이 연구에서는 {A:에} 대한 {B:의} 영향을 체계적으로 연구합니다.",
    "{A:을} 확장하여 {B:으로} 일반화할 수 있음을 보여줍니다.",
    "또한 {A:이} {B:의} 효율성을 크게 높인다는 사실도 발견했습니다.",
    "{A:에} 대한 광범위한 실험을 통해 {B:의} 중요성을 확인합니다.",
)
KO_TITLE_TEMPLATES = (
    "{A:을} 위한 {B}",
    "{A:으로} {B} 개선하기",
    "{A:과} {B:의} 결합",
    "{A:에서} {B:까지}",
    "{A} 기반의 {B}",
    "효율적인 {A:을} 위한 {B}",
)
KO_SUMMARY_TEMPLATES = (
    "{A:을} {B:에} 적용하는 방법을 제안하고, {C:에서} 기존 방법보다 뛰어난 성능을 보고합니다.",
    "{A:와} {B:을} 결합한 모델을 소개하며, {C:의} 효율성을 크게 개선합니다.",
    "{A:의} 영향을 연구하고, {B:이} {C:에} 미치는 영향을 분석합니다.",
    "{A:을} 입력으로 받아 {B:을} 예측하는 모델을 훈련하고, {C:에} 대한 일반화를 시연합니다.",
)
EN_SUMMARY_CLAUSES = (
    "proposes {acr}, a {adj} approach to {task}",
    "shows that {method} improves {metric} on {dataset}",
    "reports state-of-the-art results on {dataset} and {dataset2}",
    "introduces a new benchmark for {task}",
    "combines {method} with {method2} to reduce the cost of {task}",
    "demonstrates generalization to {task2} without extra training",
    "finds that {method} matters more than model size for {task}",
)
EN_TEMPLATES = (
    "In this paper, we introduce {acr}, a {adj} approach to {task} based on {method}.",
    "Recent advances in {method} have enabled rapid progress in {task}, "
    "but existing approaches remain {limitation}.",
    "We propose {acr}, which combines {method} with {method2} to address this challenge.",
    "Experiments on {dataset} and {dataset2} show that {acr} improves {metric} by {num}% "
    "over strong baselines.",
    "Our analysis reveals that {method} is the key factor behind the gains in {task}.",
    "{acr} achieves state-of-the-art {metric} on {dataset} while using {k}x fewer parameters.",
    "We further show that the approach transfers to {task2} without additional training.",
    "We release a new benchmark for {task} with {n} human-annotated examples.",
    "Unlike prior work on {method}, our method does not require {requirement}.",
    "To address this, we study {task} from the perspective of {method}.",
    "Scaling {method} to {model} yields consistent improvements across {k} tasks.",
    "Ablation studies confirm that each component of {acr} contributes to the final {metric}.",
    "We find that {model} struggles with {task}, especially when {condition}.",
    "Theoretical analysis shows that {method} converges under mild assumptions.",
    "Our results suggest that {method} is a promising direction for {task}.",
    "Code and models are available at https://github.com/{user}/{repo}.",
)

FIRST_NAMES = (
    "Wei", "Yang", "Jun", "Hao", "Xiang", "Yutao", "Li", "Zhihong", "Peiyi", "Jonas", "Albert",
    "Edgar", "Artsiom", "Lisa", "Evan", "Tianle", "Joseph", "Matthew", "Shailja", "Siddharth",
    "Gaurav", "Tahira", "Mayank", "Ramón", "Benoît", "José", "François", "Zoë", "Chloé", "Ana",
    "João", "Søren", "Björn", "Jürgen", "Małgorzata", "Łukasz", "Çağlar", "Núria", "Hélène",
    "Andrés", "Sebastián", "Maryam", "Asli", "Olga", "Ping", "Sean", "Jane", "Luke", "Minjoon",
    "Jiwoo", "Seungwoo", "Hyunwoo", "Jaehoon", "Sujin", "Yeonjae", "Dong-Hyun", "Kyunghyun",
    "Taeho", "Haruto", "Yuki", "Sakura", "Kenji", "Arjun", "Priya", "Ananya", "Rahul",
    "Vikram", "Fatima", "Omar", "Yusuf", "Elena", "Dmitri", "Irina", "Giulia", "Matteo",
    "Lorenzo", "Sofia", "Lucas", "Emma", "Noah", "Olivia", "Liam", "Mia", "Ethan", "Ava",
    "Daniel", "Sarah", "Michael", "Laura", "David", "Anna", "Thomas", "Julia", "Felix",
    "Hannah", "Pierre", "Camille", "Mathieu", "Quentin", "Leonardo", "Daniele", "Felipe",
    "Jessica", "Michal", "Valentina", "Nikolai", "Aditya", "Karthik", "Meng", "Xinyu", "Ruoxi",
    "Zhiyuan", "Qihao", "Runxin", "Mingchuan", "Daya", "Chengru", "Yadong", "Kun", "Mathilde",
)  # fmt: skip
LAST_NAMES = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Song", "Kim", "Lee", "Park", "Choi", "Jung",
    "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin", "Seo", "Kwon", "Tanaka", "Suzuki",
    "Sato", "Takahashi", "Watanabe", "Sharma", "Gupta", "Singh", "Patel", "Kumar", "Reddy",
    "Iyer", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Schönfeld", "Köhler", "Groß",
    "Meyer", "Wagner", "Becker", "Hoffmann", "Dubois", "Lefebvre", "Moreau", "Laurent",
    "Girard", "Bonnet", "Rousseau", "Blondel", "Berthet", "García", "Martínez", "López",
    "González", "Rodríguez", "Pérez", "Sánchez", "Núñez", "Fernández", "Astudillo", "Rossi",
    "Russo", "Ferrari", "Esposito", "Bianco", "Romano", "Calandriello", "Silva", "Santos",
    "Oliveira", "Pereira", "Costa", "Nowak", "Kowalski", "Wiśniewski", "Dvořák", "Novák",
    "Svensson", "Johansson", "Andersson", "Nielsen", "Jensen", "Hansen", "Smith", "Johnson",
    "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas",
    "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall",
    "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
    "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "O'Brien",
    "Dwivedi-Yu", "Fazel-Zarandi", "Celikyilmaz", "Yılmaz", "Öztürk", "Şahin", "Ivanov",
    "Petrov", "Smirnov", "Volkov", "Kuznetsov", "Hosseini", "Ahmadi", "Rezaei", "Valko",
    "Llinares", "Vajda", "Pumarola",
)  # fmt: skip
ORGANISATIONS = ("OpenAI", "Google DeepMind", "Anthropic", "Meta AI", "LMSYS", "Mistral AI")

# (tag, weight): the sample tags plus a longer tail.
TAG_WEIGHTS = (
    ("llm", 12), ("alignment", 4), ("rlhf", 4), ("multimodal", 5), ("efficiency", 5),
    ("diffusion", 4), ("benchmark", 4), ("hallucination", 2), ("math", 2), ("decoding", 2),
    ("search", 1), ("distillation", 2), ("video-generation", 2), ("video-text", 1), ("moe", 2),
    ("instance_segmentation", 1), ("object_detection", 1), ("reasoning", 4), ("agent", 3),
    ("code", 3), ("retrieval", 3), ("long-context", 2), ("quantization", 2), ("pruning", 1),
    ("tokenizer", 1), ("pretraining", 3), ("instruction-tuning", 2), ("safety", 2),
    ("interpretability", 2), ("3d", 2), ("robotics", 2), ("speech", 2), ("tts", 1), ("asr", 1),
    ("vision", 4), ("image-generation", 3), ("rl", 3), ("optimization", 2), ("scaling", 2),
    ("dataset", 2), ("evaluation", 2), ("synthetic-data", 2), ("continual-learning", 1),
    ("privacy", 1), ("graph", 1), ("time-series", 1), ("recommendation", 1),
    ("contrastive-learning", 1), ("self-supervised", 1), ("state-space-model", 1),
    ("attention", 2), ("positional-encoding", 1), ("dialogue", 1),
)  # fmt: skip

WEEKLY_FOOTER = (
    "원문\n\n\n"
    "이 글은 GPT 모델로 정리한 것으로, 잘못된 부분이 있을 수 있으니 글 아래쪽의 원문도 함께 "
    "참고해주세요! 읽으시면서 어색하거나 잘못된 내용을 발견하시면 덧글로 알려주시기를 "
    "부탁드립니다. :hugs:\n\n"
    ":fire:파이토치 한국 사용자 모임:kr:이 정리한 이 글이 유용하셨나요? 회원으로 가입하시면 "
    "주요 글들을 이메일:love_letter:로 보내드립니다! (기본은 Weekly지만 Daily로 변경도 "
    "가능합니다.)\n\n"
    ":gift: 아래:arrow_lower_right:쪽에 좋아요:heart:를 눌러주시면 뉴스 발행에 힘이 됩니다~ "
    ":hugs:\n\n"
)

SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
     "to", "via", "vs", "with", "without")
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Korean particles
# --------------------------------------------------------------------------------------------

_PARTICLE_PAIRS = {
    "을": ("을", "를"),
    "를": ("을", "를"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "은": ("은", "는"),
    "는": ("은", "는"),
    "과": ("과", "와"),
    "와": ("과", "와"),
}


def attach(word: str, particle: str) -> str:
    """``word`` followed by ``particle`` in the form its last syllable calls for."""
    if not particle:
        return word
    code = ord(word[-1]) - 0xAC00
    final = code % 28 if 0 <= code < 11172 else 0
    if particle in ("으로", "로"):
        return word + ("로" if final in (0, 8) else "으로")
    if particle in _PARTICLE_PAIRS:
        with_final, without = _PARTICLE_PAIRS[particle]
        return word + (with_final if final else without)
    return word + particle


_SLOT_RE = re.compile(r"\{([A-C])(?::([^}]*))?\}")


def fill_korean(template: str, terms: Sequence[str]) -> str:
    def repl(match: re.Match[str]) -> str:
        term = terms["ABC".index(match.group(1))]
        return attach(term, match.group(2) or "")

    return _SLOT_RE.sub(repl, template)


# --------------------------------------------------------------------------------------------
# Text learnt from the real samples
# --------------------------------------------------------------------------------------------

_END = "\x00"


class Markov:
    """A first-order word Markov chain over whole sentences."""

    def __init__(self, sentences: Iterable[str]) -> None:
        self.starts: list[str] = []
        self.following: dict[str, list[str]] = {}
        for sentence in sentences:
            words = sentence.split()
            if len(words) < 4:
                continue
            self.starts.append(words[0])
            for current, nxt in zip(words, [*words[1:], _END], strict=True):
                self.following.setdefault(current, []).append(nxt)

    def sentence(self, rng: random.Random, min_words: int, max_words: int) -> str | None:
        if not self.starts:
            return None
        for _ in range(6):
            word = rng.choice(self.starts)
            out = [word]
            while len(out) <= max_words:
                word = rng.choice(self.following[word])
                if word == _END:
                    break
                out.append(word)
            if min_words <= len(out) <= max_words:
                return " ".join(out)
        return None


@dataclass
class SampleText:
    korean_formal: list[str] = field(default_factory=list)  # weekly: ~합니다
    korean_casual: list[str] = field(default_factory=list)  # daily commentary and notes
    english: list[str] = field(default_factory=list)
    korean_words: Counter[str] = field(default_factory=Counter)

    @classmethod
    def load(cls) -> SampleText:
        text = cls()
        root = resources.files("bot").joinpath("sample_digests")
        sources: list[tuple[str, str]] = []
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith(".txt"):
                sources.append((entry.name, entry.read_text(encoding="utf-8")))
        notes = root.joinpath("notes")
        for entry in sorted(notes.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".md"):
                sources.append(("note", entry.read_text(encoding="utf-8")))
        for name, body in sources:
            formal = name.startswith("weekly")
            for raw in body.splitlines():
                if raw.strip() == "원문":  # the forum footer follows: not paper text
                    break
                text._add_line(raw, formal=formal)
        return text

    def _add_line(self, raw: str, *, formal: bool) -> None:
        line = raw.strip().lstrip("•").strip()
        if len(line) < 30 or line.startswith(("#", "[", "(", "http", "PyTorchKR", ":")):
            return
        letters = len(LETTER_RE.findall(line))
        hangul = len(HANGUL_RE.findall(line))
        if not letters:
            return
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            words = [w for w in sentence.split() if _clean_word(w)]
            if len(words) < 4 or not words[0][0].isalnum():
                continue
            cleaned = " ".join(words)
            if RESERVED_RE.search(cleaned):
                continue
            if hangul / letters > 0.3:
                (self.korean_formal if formal else self.korean_casual).append(cleaned)
                self.korean_words.update(w.strip(".,;:()\"'") for w in words if HANGUL_RE.search(w))
            elif hangul == 0 and len(line) > 150:
                self.english.append(cleaned)


def _clean_word(word: str) -> bool:
    return "http" not in word and "::" not in word and not word.startswith(":")


# --------------------------------------------------------------------------------------------
# Generated papers
# --------------------------------------------------------------------------------------------


@dataclass
class GenPaper:
    title_en: str
    authors: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    url: str | None = None
    abstract_en: str | None = None
    commentary: str | None = None
    tags: list[str] = field(default_factory=list)
    # weekly only
    title_ko: str | None = None
    summary_ko: str | None = None
    summary_en: str | None = None
    abstract_ko: str | None = None

    def searchable_text(self) -> str:
        parts = [
            self.title_en,
            self.title_ko,
            ", ".join(self.authors),
            self.abstract_en,
            self.commentary,
            self.summary_ko,
            self.summary_en,
            self.abstract_ko,
            " ".join(self.tags),
        ]
        return "\n".join(p for p in parts if p)


def normalise_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title (kept local, so the corpus
    does not change when the bot's own normalisation does)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", folded.lower()) or "lab"


def titlecase(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in SMALL_WORDS:
            out.append(word)
        elif word[:1].islower():
            out.append(word[0].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


@dataclass
class Topic:
    """What one paper is about: its templated sentences keep coming back to these terms."""

    methods: list[str]
    tasks: list[str]
    ko_terms: list[str]
    datasets: list[str]
    model: str


class TextGen:
    """Sentences, titles and names; every choice comes from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random, samples: SampleText, topics: int = 0) -> None:
        self.rng = rng
        self.formal = Markov(samples.korean_formal)
        self.casual = Markov(samples.korean_casual)
        self.english = Markov(samples.english)
        self.tags = [tag for tag, weight in TAG_WEIGHTS for _ in range(weight)]
        # With ``topics`` > 0 every paper draws its topic from a fixed pool of that many
        # (papers of one topic are "related" in bench.related); 0: a fresh topic per paper.
        pool_rng = random.Random(rng.random()) if topics else None
        self.pool = [self.new_topic(pool_rng) for _ in range(topics)]
        self.topic_index = -1
        self.topic = self.new_topic()

    def new_topic(self, rng: random.Random | None = None) -> Topic:
        rng = rng or self.rng
        return Topic(
            methods=rng.sample(EN_METHODS, 2),
            tasks=rng.sample(EN_TASKS, 2),
            ko_terms=rng.sample(KO_TERMS, 4),
            datasets=rng.sample(EN_DATASETS, 2),
            model=rng.choice(EN_MODELS),
        )

    def begin_paper(self, topic_index: int | None = None) -> None:
        if not self.pool:
            self.topic = self.new_topic()
            return
        if topic_index is None:
            topic_index = self.rng.randrange(len(self.pool))
        self.topic_index = topic_index
        self.topic = self.pool[topic_index]

    # -- pieces --------------------------------------------------------------------------

    def acronym(self) -> str:
        rng = self.rng
        word = rng.choice(ACRONYM_PARTS) + rng.choice(ACRONYM_PARTS).lower()
        if rng.random() < 0.35:
            word = word.upper()
        return word + rng.choice(ACRONYM_SUFFIXES)

    def _en_slots(self, acr: str | None = None) -> dict[str, str]:
        rng = self.rng
        topic = self.topic
        if rng.random() < 0.85:
            method, method2 = rng.sample(topic.methods, 2)
            task, task2 = rng.sample(topic.tasks, 2)
            dataset, dataset2 = rng.sample(topic.datasets, 2)
            model = topic.model
        else:
            method, method2 = rng.sample(EN_METHODS, 2)
            task, task2 = rng.sample(EN_TASKS, 2)
            dataset, dataset2 = rng.sample(EN_DATASETS, 2)
            model = rng.choice(EN_MODELS)
        return {
            "acr": acr or self.acronym(),
            "adj": rng.choice(EN_ADJECTIVES),
            "method": method,
            "method2": method2,
            "task": task,
            "task2": task2,
            "dataset": dataset,
            "dataset2": dataset2,
            "metric": rng.choice(EN_METRICS),
            "num": f"{rng.uniform(1.5, 40.0):.1f}",
            "k": str(rng.randint(2, 12)),
            "n": f"{rng.randint(5, 120) * 100:,}",
            "model": model,
            "limitation": rng.choice(EN_LIMITATIONS),
            "requirement": rng.choice(EN_REQUIREMENTS),
            "condition": rng.choice(EN_CONDITIONS),
            "user": _ascii(rng.choice(LAST_NAMES)),
            "repo": _ascii(acr or self.acronym()),
        }

    def en_sentence(self, acr: str) -> str:
        if self.rng.random() < 0.12:
            sentence = self.english.sentence(self.rng, 8, 40)
            if sentence:
                return sentence
        return self.rng.choice(EN_TEMPLATES).format(**self._en_slots(acr))

    def ko_terms(self, count: int) -> list[str]:
        if self.rng.random() < 0.7:
            return self.rng.sample([*self.topic.ko_terms, *self.rng.sample(KO_TERMS, 2)], count)
        return self.rng.sample(KO_TERMS, count)

    def ko_sentence(self, *, formal: bool) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            sentence = (self.formal if formal else self.casual).sentence(rng, 5, 30)
            if sentence:
                return sentence
        templates = KO_FORMAL_TEMPLATES if formal else KO_CASUAL_TEMPLATES
        return fill_korean(rng.choice(templates), self.ko_terms(3))

    def authors(self) -> list[str]:
        rng = self.rng
        if rng.random() < 0.01:
            return [rng.choice(ORGANISATIONS)]
        count = min(rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10, 12)), 14)
        names = []
        for _ in range(count):
            first = rng.choice(FIRST_NAMES)
            if rng.random() < 0.04:
                first = f"{first[0]}. {rng.choice('ABCDEFGHJKLMNPRSTWY')}."
            names.append(f"{first} {rng.choice(LAST_NAMES)}")
        return names

    def tag_list(self) -> list[str]:
        chosen: list[str] = []
        for _ in range(self.rng.choice((1, 1, 2, 2, 2, 3))):
            tag = self.rng.choice(self.tags)
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    # -- whole fields --------------------------------------------------------------------

    def title_en(self) -> tuple[str, str]:
        """A title and the acronym it uses (the abstract refers to it)."""
        rng = self.rng
        s = self._en_slots()
        acr = s["acr"]
        method, method2 = titlecase(s["method"]), titlecase(s["method2"])
        task, task2 = titlecase(s["task"]), titlecase(s["task2"])
        adj = titlecase(s["adj"])
        pattern = rng.randrange(12)
        if pattern == 0:
            title = f"{acr}: {adj} {method} for {task}"
        elif pattern == 1:
            title = f"{method} for {task} with {method2}"
        elif pattern == 2:
            title = f"Towards {adj} {task} with {method}"
        elif pattern == 3:
            title = f"On the {rng.choice(EN_PROPERTIES)} of {method} in {task}"
        elif pattern == 4:
            title = f"Do {rng.choice(EN_MODEL_GROUPS)} Really Need {method} for {task}?"
        elif pattern == 5:
            title = f"{acr}: Scaling {method} for {task}"
        elif pattern == 6:
            title = f"{acr}: {rng.choice(EN_GERUNDS)} {task} via {method}"
        elif pattern == 7:
            title = f"When {method} Meets {method2}: {adj} {task}"
        elif pattern == 8:
            title = f"{adj} {method} Improves {task} and {task2}"
        elif pattern == 9:
            title = f"Understanding {method} through the Lens of {method2}"
        elif pattern == 10:
            title = f"{acr}: A Benchmark for {task} in {rng.choice(EN_MODEL_GROUPS)}"
        else:
            title = f"Rethinking {method} for {adj} {task}"
        return title, acr

    def abstract_en(self, acr: str) -> str:
        target = self.rng.randint(150, 250)
        sentences: list[str] = []
        words = 0
        while words < target:
            sentence = self.en_sentence(acr)
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        return " ".join(sentences)

    def commentary(self, reference: str | None = None) -> str:
        """2-4 casual Korean sentences on 1-3 lines."""
        rng = self.rng
        sentences = [self.ko_sentence(formal=False) for _ in range(rng.randint(2, 4))]
        if reference:
            i = rng.randrange(len(sentences))
            sentences[i] = sentences[i].rstrip(".") + f" (https://arxiv.org/abs/{reference})."
        lines = rng.randint(1, min(3, len(sentences)))
        cut = sorted(rng.sample(range(1, len(sentences)), lines - 1)) if lines > 1 else []
        out, start = [], 0
        for end in [*cut, len(sentences)]:
            out.append(" ".join(sentences[start:end]))
            start = end
        return "\n".join(out)

    def korean_paragraph(self, sentences: int) -> str:
        return " ".join(self.ko_sentence(formal=True) for _ in range(sentences))

    def title_ko(self, title_en: str) -> str:
        head = title_en.split(":", 1)[0]
        head = f"{head}: " if ":" in title_en and " " not in head else ""
        return head + fill_korean(self.rng.choice(KO_TITLE_TEMPLATES), self.ko_terms(3))

    def summary_ko(self) -> str:
        return fill_korean(self.rng.choice(KO_SUMMARY_TEMPLATES), self.ko_terms(3))

    def summary_en(self, acr: str) -> str:
        clauses = self.rng.sample(EN_SUMMARY_CLAUSES, self.rng.randint(2, 4))
        slots = self._en_slots(acr)
        text = "; ".join(c.format(**slots) for c in clauses)
        return text[0].upper() + text[1:] + "."


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


# --------------------------------------------------------------------------------------------
# Writing the corpus
# --------------------------------------------------------------------------------------------


@dataclass
class Stats:
    papers: int = 0
    mentions: int = 0
    files: Counter[str] = field(default_factory=Counter)
    bytes: int = 0


class CorpusWriter:
    def __init__(
        self,
        out: Path,
        papers: int,
        seed: int,
        *,
        log: Callable[[str], None],
        topics: int = 0,
    ) -> None:
        self.out = out
        self.papers = papers
        self.seed = seed
        self.log = log
        self.rng = random.Random(seed)
        self.samples = SampleText.load()
        self.topics = topics
        self.gen = TextGen(self.rng, self.samples, topics)
        self.paper_topics: dict[str, int] = {}  # title -> topic (with a topic pool)
        self.plan = make_plan(papers, self.rng)
        self.stats = Stats()
        self.titles: set[str] = {normalise_title(n.title_en) for n in NEEDLES}
        self.arxiv_counters: dict[str, int] = {}
        self.recent_ids: list[str] = []
        self.needles: list[NeedleRecord] = []

    # -- identities ----------------------------------------------------------------------

    def new_arxiv_id(self, day: date) -> str:
        month = f"{day.year % 100:02d}{day.month:02d}"
        number = self.arxiv_counters.get(month, self.rng.randint(100, 900)) + self.rng.randint(1, 7)
        self.arxiv_counters[month] = number
        arxiv_id = f"{month}.{number:05d}"
        self.recent_ids.append(arxiv_id)
        if len(self.recent_ids) > 200:
            del self.recent_ids[:100]
        return arxiv_id

    def unique_title(self) -> tuple[str, str]:
        while True:
            title, acr = self.gen.title_en()
            key = normalise_title(title)
            if key not in self.titles and not RESERVED_RE.search(title):
                self.titles.add(key)
                return title, acr

    # -- papers --------------------------------------------------------------------------

    def daily_paper(self, day: date, *, avoid: re.Pattern[str] | None = None) -> GenPaper:
        gen, rng = self.gen, self.rng
        while True:
            gen.begin_paper()
            title, acr = self.unique_title()
            paper = GenPaper(title_en=title)
            roll = rng.random()
            if roll < 0.02:  # like "Qwen 1.5": a link, no authors, no abstract
                paper.url = f"https://github.com/{_ascii(acr)}/{_ascii(acr)}"
            else:
                paper.authors = gen.authors()
                if rng.random() < DAILY_ARXIV_SHARE:
                    paper.arxiv_id = self.new_arxiv_id(day)
                if rng.random() < 0.95:
                    paper.abstract_en = gen.abstract_en(acr)
            reference = None
            if self.recent_ids and rng.random() < COMMENTARY_REFERENCE_SHARE:
                reference = rng.choice(self.recent_ids)
            paper.commentary = gen.commentary(reference)
            if rng.random() < 0.97:
                paper.tags = gen.tag_list()
            text = paper.searchable_text()
            if RESERVED_RE.search(text) or (avoid is not None and avoid.search(text)):
                self.titles.discard(normalise_title(title))
                continue
            self.paper_topics[title] = gen.topic_index
            return paper

    def weekly_paper(self, day: date, base: GenPaper | None = None) -> GenPaper:
        gen, rng = self.gen, self.rng
        while True:
            gen.begin_paper(self.paper_topics.get(base.title_en) if base is not None else None)
            if base is not None:
                title, acr = base.title_en, base.title_en.split(":")[0].split(" ")[0]
                paper = GenPaper(
                    title_en=title, arxiv_id=base.arxiv_id, abstract_en=base.abstract_en
                )
            else:
                title, acr = self.unique_title()
                paper = GenPaper(title_en=title)
                if rng.random() < 0.05:  # like "GPT-4o": no Korean title, a blog link
                    paper.url = f"https://{_ascii(acr)}.github.io/"
                else:
                    paper.arxiv_id = self.new_arxiv_id(day)
                    paper.abstract_en = gen.abstract_en(acr)
            if paper.arxiv_id is not None:
                paper.title_ko = gen.title_ko(title)
                paper.abstract_ko = gen.korean_paragraph(rng.randint(5, 8))
            paper.summary_ko = gen.summary_ko()
            paper.summary_en = gen.summary_en(acr)
            if RESERVED_RE.search(paper.searchable_text()):
                if base is None:
                    self.titles.discard(normalise_title(title))
                continue
            self.paper_topics.setdefault(title, gen.topic_index)
            return paper

    def note_paper(self, day: date, *, avoid: re.Pattern[str] | None = None) -> GenPaper:
        gen, rng = self.gen, self.rng
        while True:
            gen.begin_paper()
            title, acr = self.unique_title()
            paper = GenPaper(title_en=title, authors=gen.authors())
            if rng.random() < 0.9:
                paper.arxiv_id = self.new_arxiv_id(day)
            else:
                slug = _ascii(acr)
                paper.url = f"https://github.com/{slug}-lab/{slug}-{day:%y%m%d}"
            paper.commentary = gen.commentary()
            paper.tags = gen.tag_list()
            text = paper.searchable_text()
            if RESERVED_RE.search(text) or (avoid is not None and avoid.search(text)):
                self.titles.discard(normalise_title(title))
                continue
            self.paper_topics[title] = gen.topic_index
            return paper

    def needle_paper(self, spec: NeedleSpec, day: date) -> GenPaper:
        """Filler from the usual generator (without the words the queries combine), then
        the planted sentences, authors and tags."""
        gen, rng = self.gen, self.rng
        avoid = NEEDLE_AVOID_RE
        if spec.kind == "note":
            paper = self.note_paper(day, avoid=avoid)
        elif spec.kind == "daily":
            paper = self.daily_paper(day, avoid=avoid)
            while not paper.authors:
                paper = self.daily_paper(day, avoid=avoid)
            if paper.abstract_en is None:
                paper.abstract_en = self._clean(lambda: gen.abstract_en(gen.acronym()))
        else:
            paper = GenPaper(title_en="")
            paper.abstract_en = self._clean(lambda: gen.abstract_en(gen.acronym()))
            paper.abstract_ko = self._clean(lambda: gen.korean_paragraph(rng.randint(5, 8)))
            paper.summary_ko = self._clean(gen.summary_ko)
            paper.summary_en = self._clean(lambda: gen.summary_en(gen.acronym()))
        self.titles.discard(normalise_title(paper.title_en))
        self.paper_topics[spec.title_en] = self.paper_topics.pop(paper.title_en, gen.topic_index)
        paper.title_en = spec.title_en
        paper.title_ko = spec.title_ko
        if paper.arxiv_id is None:
            paper.arxiv_id = self.new_arxiv_id(day)
            paper.url = None
        if spec.kind != "weekly":
            others = [a for a in paper.authors if a not in spec.authors]
            for author in spec.authors:
                others.insert(rng.randrange(len(others) + 1), author)
            paper.authors = others
            paper.tags = list(spec.tags)
        if spec.kind == "weekly":
            paper.summary_ko = _plant(paper.summary_ko, spec.ko[:1], rng)
            paper.abstract_ko = _plant(paper.abstract_ko, spec.ko, rng)
            paper.summary_en = _plant(paper.summary_en, spec.en, rng)
            paper.abstract_en = _plant(paper.abstract_en, spec.en, rng)
        else:
            paper.commentary = _plant(paper.commentary, spec.ko, rng)
            if spec.kind == "daily":
                paper.abstract_en = _plant(paper.abstract_en, spec.en, rng)
        self.needles.append(NeedleRecord(spec, paper, kinds=[spec.kind]))
        return paper

    def _clean(self, make: Callable[[], str]) -> str:
        while True:
            text = make()
            if not RESERVED_RE.search(text) and not NEEDLE_AVOID_RE.search(text):
                return text

    # -- files ---------------------------------------------------------------------------

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.stats.files[relative.split("-")[0].split("/")[0]] += 1
        self.stats.bytes += len(data)

    def run(self) -> dict[str, Any]:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "notes").mkdir(exist_ok=True)
        plan = self.plan
        daily_by_day = {day: i for i, day in enumerate(plan.daily_days)}
        weekly_by_monday = {m: i for i, m in enumerate(plan.weekly_mondays)}
        first = min(monday(plan.daily_days[0]), plan.weekly_mondays[0])
        week = first
        started = time.monotonic()
        while week <= LAST_DAY:
            week_papers: list[GenPaper] = []
            for offset in range(7):
                day = week + timedelta(days=offset)
                if day in daily_by_day:
                    week_papers.extend(self.write_daily(daily_by_day[day], day))
            if week in weekly_by_monday:
                self.write_weekly(weekly_by_monday[week], week, week_papers)
            week += timedelta(weeks=1)
            if week.month == 1 and week.day <= 7:
                self.log(
                    f"  {week.year - 1}: {self.stats.papers:,} papers so far "
                    f"({time.monotonic() - started:.0f} s)"
                )
        self.write_notes()
        if self.stats.papers != self.papers:
            raise AssertionError(f"generated {self.stats.papers} papers, not {self.papers}")
        return self.finish()

    def write_daily(self, index: int, day: date) -> list[GenPaper]:
        plan = self.plan
        papers = []
        for slot in range(plan.daily_sizes[index]):
            spec = plan.daily_needles.get((index, slot))
            paper = self.needle_paper(spec, day) if spec else self.daily_paper(day)
            papers.append(paper)
        lines = [f"{day.year}년 {day.month}월 {day.day}일"]
        for paper in papers:
            lines.append(paper.title_en)
            if paper.authors:
                lines.append(f"({', '.join(paper.authors)})")
            if paper.arxiv_id:
                lines.append(f"https://arxiv.org/abs/{paper.arxiv_id}")
            elif paper.url:
                lines.append(paper.url)
            if paper.abstract_en:
                lines.append(paper.abstract_en)
            if paper.commentary:
                lines.append(paper.commentary)
            if paper.tags:
                lines.append(" ".join(f"#{t}" for t in paper.tags))
        self.write(f"daily-{day.isoformat()}.txt", "\n".join(lines))
        self.stats.papers += len(papers)
        self.stats.mentions += len(papers)
        return papers

    def write_weekly(self, index: int, week: date, week_papers: list[GenPaper]) -> None:
        plan, rng, gen = self.plan, self.rng, self.gen
        entries: list[GenPaper] = []
        for slot in range(plan.weekly_unique[index]):
            spec = plan.weekly_needles.get((index, slot))
            entries.append(self.needle_paper(spec, week) if spec else self.weekly_paper(week))
        new_papers = len(entries)
        # Cross-mentions: papers of this week's daily files, planted needles first.
        needle_titles = {n.spec.title_en: n for n in self.needles if n.spec.also_weekly}
        planted = [p for p in week_papers if p.title_en in needle_titles]
        # never another needle: weekly_paper would retry forever on its reserved words
        every_needle = {n.spec.title_en for n in self.needles}
        others = [p for p in week_papers if p.arxiv_id and p.title_en not in every_needle]
        picks = rng.sample(others, min(plan.weekly_cross[index], len(others)))
        for base in planted:
            record = needle_titles[base.title_en]
            title_ko, sentence = record.spec.also_weekly or ("", "")
            paper = GenPaper(
                title_en=base.title_en,
                arxiv_id=base.arxiv_id,
                abstract_en=base.abstract_en,
                title_ko=title_ko,
                summary_ko=self._clean(gen.summary_ko) + " " + sentence,
                summary_en=self._clean(lambda: gen.summary_en(gen.acronym())),
                abstract_ko=self._clean(lambda: gen.korean_paragraph(5)),
            )
            record.kinds.append("weekly")
            record.extra_text.append(paper.searchable_text())
            entries.insert(rng.randrange(len(entries) + 1), paper)
        for base in picks:
            entries.insert(rng.randrange(len(entries) + 1), self.weekly_paper(week, base))
        self.stats.papers += new_papers
        self.stats.mentions += len(entries)
        self.write(f"weekly-{week.isoformat()}.txt", self.weekly_text(week, entries))

    def weekly_text(self, week: date, entries: Sequence[GenPaper]) -> str:
        gen, rng = self.gen, self.rng
        end = week + timedelta(days=6)
        if week.year >= 2026:
            tail = f"{end.day:02d}" if end.month == week.month else f"{end:%m/%d}"
            title = f"[{week:%Y/%m/%d} ~ {tail}] 이번 주에 살펴볼 만한 AI/ML 논문 모음"
        else:
            title = (
                f"[{week:%Y/%m/%d} ~ {end:%m/%d}] 이번 주의 주요 ML 논문 "
                "(Top ML Papers of the Week)"
            )
        quoted = ", ".join(f'"{p.title_en}"' for p in entries[:3])
        intro = [
            f"이번 주에 제출된 논문들 중 {quoted} 같은 논문들이 눈에 띕니다. "
            + gen.korean_paragraph(2),
            gen.korean_paragraph(rng.randint(2, 3)),
            gen.korean_paragraph(rng.randint(1, 2)),
        ]
        parts = [title, "", title, "", "PyTorchKR:fire::kr: :thinking::speech_balloon:", ""]
        for paragraph in intro:
            parts += [f"  • {paragraph}", ""]
        parts.append("")
        for paper in entries:
            if paper.title_ko:
                parts += [f"{paper.title_ko} / {paper.title_en}", "", "논문 소개", ""]
            else:
                parts += [paper.title_en, "", "소개", ""]
            parts += [paper.summary_ko or "", "", paper.summary_en or "", ""]
            if paper.abstract_ko and paper.abstract_en:
                heading = "논문 초록(Abstract)" if rng.random() < 0.8 else "논문 초록 (Abstract)"
                parts += [heading, "", paper.abstract_ko, "", paper.abstract_en, ""]
            if paper.arxiv_id:
                parts += ["논문 링크", "", f"https://arxiv.org/abs/{paper.arxiv_id}", ""]
            else:
                parts += ["관련 링크", "", paper.url or "", ""]
            handle = rng.choice(("_akhaliq", "arankomatsuzaki", "omarsar0", "AIatMeta"))
            status = rng.randrange(10**18, 2 * 10**18)
            parts += ["더 읽어보기", "", f"https://x.com/{handle}/status/{status}", "", ""]
        parts.append(WEEKLY_FOOTER + f"{rng.randint(1, 9)}개의 좋아요")
        return "\n".join(parts)

    def write_notes(self) -> None:
        plan, rng = self.plan, self.rng
        start, span = date(2020, 1, 1), (date(2023, 12, 31) - date(2020, 1, 1)).days
        names: set[str] = set()
        for index in range(plan.notes):
            day = start + timedelta(days=rng.randrange(span))
            spec = plan.note_needles.get(index)
            paper = self.needle_paper(spec, day) if spec else self.note_paper(day)
            url = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else paper.url
            tags = " ".join(f"#{t}" for t in paper.tags) + " "
            if rng.random() < 0.2:  # the older layout: title and URL on the first line
                body = f"{paper.title_en} {url}\n{paper.commentary}\n\n{tags}"
            else:
                authors = ", ".join(paper.authors)
                body = f"{url}\n\n{paper.title_en} ({authors})\n\n{paper.commentary}\n\n{tags}"
            name = f"{day:%y%m%d} {_file_safe(paper.title_en)}"
            while name in names:
                name += "_"
            names.add(name)
            self.write(f"notes/{name}.md", body)
            self.stats.papers += 1
            self.stats.mentions += 1

    def finish(self) -> dict[str, Any]:
        truth = ground_truth(self.needles)
        latency = latency_queries(self.samples, random.Random(self.seed + 1))
        (self.out / "ground_truth.json").write_text(
            json.dumps(
                {
                    "seed": self.seed,
                    "papers": self.papers,
                    "needles": [
                        {
                            "slug": n.spec.slug,
                            "arxiv_id": n.paper.arxiv_id,
                            "title_en": n.paper.title_en,
                            "title_ko": n.paper.title_ko,
                            "kinds": n.kinds,
                            "authors": n.paper.authors,
                            "tags": n.paper.tags,
                        }
                        for n in self.needles
                    ],
                    "queries": truth,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        (self.out / "latency_queries.json").write_text(
            json.dumps(latency, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        manifest = {
            "format_version": FORMAT_VERSION,
            "seed": self.seed,
            "papers": self.stats.papers,
            "mentions": self.stats.mentions,
            "files": dict(sorted(self.stats.files.items())),
            "bytes": self.stats.bytes,
            "needles": len(self.needles),
            "relevance_queries": len(truth),
            "latency_queries": len(latency),
        }
        if self.topics:
            manifest["topics"] = self.topics
            (self.out / "topics.json").write_text(
                json.dumps(self.paper_topics, ensure_ascii=False), encoding="utf-8"
            )
        (self.out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        return manifest


def _plant(text: str | None, sentences: Sequence[str], rng: random.Random) -> str | None:
    if not sentences:
        return text
    if not text:
        return " ".join(sentences)
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    parts = re.split(r"(?<=[.!?])\s+", lines[i])
    for sentence in sentences:
        parts.insert(rng.randrange(len(parts) + 1), sentence)
    lines[i] = " ".join(parts)
    return "\n".join(lines)


def _file_safe(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', " ", title).strip()[:120]


# --------------------------------------------------------------------------------------------
# Latency queries: a seeded mix drawn from the corpus vocabulary
# --------------------------------------------------------------------------------------------

_PARTICLE_ENDINGS = ("을", "를", "이", "가", "의", "은", "는", "에", "도", "와", "과", "로")
# Function words and verb forms nobody searches for; kept out of the latency queries.
_KO_STOPWORDS = frozenset(
    ("같은", "이를", "다음", "통해", "따라", "대한", "있는", "여러", "하는", "대해", "위해",
     "위한", "이런", "있다", "것을", "것이", "하고", "되는", "없는", "또한", "이번", "모든",
     "가장", "다른", "하여", "했다", "한다", "이다", "그리고", "있습니다", "있을", "없이",
     "할", "수", "있음을", "것으로", "이러한", "있었는지", "듯", "것", "등", "및", "더", "좀")
)  # fmt: skip


def latency_queries(samples: SampleText, rng: random.Random) -> list[dict[str, Any]]:
    # Korean two-syllable content words: the term list plus stems of particle-marked sample words.
    two: Counter[str] = Counter()
    for term in KO_TERMS:
        for word in term.split():
            if len(word) == 2 and HANGUL_RE.fullmatch(word[0]) and HANGUL_RE.fullmatch(word[1]):
                two[word] += 5
    for word, count in samples.korean_words.items():
        if len(word) == 3 and word.endswith(_PARTICLE_ENDINGS) and HANGUL_RE.fullmatch(word[:2]):
            two[word[:2]] += count
        elif len(word) == 2 and HANGUL_RE.fullmatch(word[0]) and HANGUL_RE.fullmatch(word[1]):
            two[word] += count
    ranked = sorted(two.items(), key=lambda kv: (-kv[1], kv[0]))
    two_syllable = [w for w, _ in ranked if w not in _KO_STOPWORDS][:80]

    phrases: list[str] = []
    casual = Markov(samples.korean_casual + samples.korean_formal)
    while len(phrases) < 50:
        if rng.random() < 0.5:
            sentence = casual.sentence(rng, 5, 30)
            if not sentence:
                continue
            words = [w.strip(".,()\"'") for w in sentence.split()]
            words = [
                w for w in words if HANGUL_RE.search(w) and len(w) > 1 and w not in _KO_STOPWORDS
            ]
            if len(words) < 3:
                continue
            start = rng.randrange(len(words) - 1)
            phrase = " ".join(words[start : start + rng.randint(2, 3)])
        else:
            a, b = rng.sample(KO_TERMS, 2)
            phrase = f"{attach(a, rng.choice(('을', '의', '이', '에서')))} {b}"
        if not RESERVED_RE.search(phrase) and phrase not in phrases:
            phrases.append(phrase)

    english: list[str] = []
    while len(english) < 50:
        roll = rng.random()
        if roll < 0.4:
            phrase = rng.choice(EN_METHODS)
        elif roll < 0.7:
            phrase = f"{rng.choice(EN_ADJECTIVES)} {rng.choice(EN_TASKS)}"
        else:
            phrase = f"{rng.choice(EN_METHODS).split()[0]} {rng.choice(EN_TASKS)}"
        if len(phrase.split()) >= 2 and phrase not in english:
            english.append(phrase)

    authors = []
    for _ in range(30):
        last = rng.choice(LAST_NAMES)
        authors.append(last if rng.random() < 0.4 else f"{rng.choice(FIRST_NAMES)} {last}")

    tags = [tag for tag, weight in TAG_WEIGHTS for _ in range(weight)]
    queries: list[dict[str, Any]] = []
    queries += [{"category": "ko_2syllable", "query": w, "tag": None} for w in rng.sample(
        two_syllable, min(50, len(two_syllable)))]  # fmt: skip
    queries += [{"category": "ko_phrase", "query": p, "tag": None} for p in phrases]
    queries += [{"category": "en_multiword", "query": p, "tag": None} for p in english]
    queries += [{"category": "author", "query": a, "tag": None} for a in authors]
    for _ in range(30):
        word = rng.choice(two_syllable) if rng.random() < 0.5 else rng.choice(EN_TASKS)
        queries.append({"category": "tag_filtered", "query": word, "tag": rng.choice(tags)})
    return queries


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def generate(
    papers: int,
    out: Path,
    seed: int = DEFAULT_SEED,
    *,
    log: Callable[[str], None] = print,
    topics: int = 0,
) -> dict[str, Any]:
    """Write a fresh corpus into ``out`` (emptied of earlier digest files first)."""
    if out.exists():
        for pattern in ("daily-*.txt", "weekly-*.txt", "notes/*.md", "*.json"):
            for old in out.glob(pattern):
                old.unlink()
    started = time.monotonic()
    manifest = CorpusWriter(out, papers, seed, log=log, topics=topics).run()
    manifest["seconds"] = round(time.monotonic() - started, 1)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description="Write a synthetic digest corpus."
    )
    parser.add_argument("--papers", type=int, default=DEFAULT_PAPERS)
    parser.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--topics",
        type=int,
        default=0,
        help="draw each paper's topic from a pool of this many (writes topics.json); 0: none",
    )
    args = parser.parse_args(argv)
    manifest = generate(
        args.papers,
        args.out,
        args.seed,
        log=lambda m: print(m, file=sys.stderr),
        topics=args.topics,
    )
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
