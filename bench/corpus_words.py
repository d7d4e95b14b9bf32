"""The corpus's parameters, the vocabularies its text is built from, the words reserved
for needles, and Korean particles that follow the final consonant (모델을, 데이터를)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

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
