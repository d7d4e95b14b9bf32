"""Weekly issues: the real sample, paper by paper, and hand-made variants of the format."""

from __future__ import annotations

from datetime import date

import pytest

from bot.digests import weekly
from bot.digests.errors import DigestFormatError
from bot.digests.models import DigestKind, Document
from bot.digests.parse import parse_text
from bot.digests.tags import TagVocabulary

from .conftest import FIXTURES, SAMPLES
from .helpers import links, present

ALL_TEXT = {"summary_ko", "summary_en", "abstract_ko", "abstract_en"}
SUMMARIES = {"summary_ko", "summary_en"}

# (line, title_ko, title_en, fields present, tags, links) for every paper of the sample, in order.
SAMPLE_PAPERS = [
    (
        14,
        None,
        "GPT-4o",
        SUMMARIES,
        ["audio", "llm", "multimodal", "reasoning"],
        [
            ("related", "https://openai.com/index/hello-gpt-4o/"),
            ("more", "https://x.com/OpenAI/status/1790072174117613963"),
        ],
    ),
    (
        31,
        "제미나이 1.5 플래시",
        "Gemini 1.5 Flash",
        ALL_TEXT,
        ["long-context", "multimodal"],
        [("more", "https://x.com/OriolVinyalsML/status/1791521517211107515")],
    ),
    (
        52,
        None,
        "Veo",
        SUMMARIES,
        ["diffusion", "video-generation"],
        [("more", "https://x.com/GoogleDeepMind/status/1790435824598716704")],
    ),
    (
        67,
        "카멜레온: 혼합-모달 초기 융합 파운데이션 모델",
        "Chameleon: Mixed-Modal Early-Fusion Foundation Models",
        ALL_TEXT,
        ["llm", "multimodal"],
        [("more", "https://x.com/AIatMeta/status/1791263344714014733")],
    ),
    (
        88,
        "새로운 지식에 대한 LLM을 미세 조정하는 것이 환각을 조장할까요?",
        "Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?",
        ALL_TEXT,
        ["fine-tuning", "hallucination", "llm"],
        [("more", "https://x.com/arankomatsuzaki/status/1788859706187882960")],
    ),
    (
        109,
        "제로샷 토큰나이저 전이",
        "Zero-Shot Tokenizer Transfer",
        ALL_TEXT,
        ["code", "llm", "multilingual", "tokenizer"],
        [("more", "https://x.com/bminixhofer/status/1790267652587258343")],
    ),
    (
        130,
        "WavCraft: 대규모 언어 모델을 사용한 오디오 편집 및 생성",
        "WavCraft: Audio Editing and Generation with Large Language Models",
        ALL_TEXT,
        ["audio", "llm"],
        [
            ("paper", "https://arxiv.org/abs/2403.09527v3"),
            # Recovered from the copied preview text "GitHub - JinhuaLiang/WavCraft: …".
            ("code", "https://github.com/JinhuaLiang/WavCraft"),
        ],
    ),
    (
        151,
        "RLHF 워크플로: 보상 모델링에서 온라인 RLHF까지",
        "RLHF Workflow: From Reward Modeling to Online RLHF",
        ALL_TEXT,
        ["rlhf"],
        [
            ("code", "https://github.com/RLHFlow/RLHF-Reward-Modeling"),
            ("code", "https://github.com/RLHFlow/Online-RLHF"),
            ("more", "https://x.com/CaimingXiong/status/1790379121719361776"),
        ],
    ),
    (
        174,
        "한 번만 캐시합니다: 언어 모델용 디코더-디코더 아키텍처",
        "You Only Cache Once: Decoder-Decoder Architectures for Language Models",
        ALL_TEXT,
        ["architecture", "efficiency", "llm"],
        [("more", "https://x.com/arankomatsuzaki/status/1788435838474355098")],
    ),
    (
        195,
        "CAT3D: 멀티뷰 확산 모델로 무엇이든 3D로 제작하기",
        "CAT3D: Create Anything in 3D with Multi-View Diffusion Models",
        ALL_TEXT,
        ["3d", "diffusion"],
        [
            ("related", "https://cat3d.github.io"),  # "Project page: …" inside the abstract
            ("more", "https://x.com/_akhaliq/status/1791294630614442009"),
        ],
    ),
]


@pytest.fixture(scope="module")
def sample(vocabulary: TagVocabulary) -> Document:
    path = SAMPLES / "weekly-2024-05-13.txt"
    return parse_text(path.read_text("utf-8"), str(path), vocabulary)


def test_sample_issue_metadata(sample: Document) -> None:
    assert sample.kind is DigestKind.WEEKLY
    assert sample.title == "[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"
    assert (sample.period_start, sample.period_end) == (date(2024, 5, 13), date(2024, 5, 19))
    assert sample.date == date(2024, 5, 13)
    assert sample.key == "weekly:2024-05-13"


def test_sample_intro_is_the_three_trend_bullets(sample: Document) -> None:
    assert sample.intro is not None
    bullets = sample.intro.split("\n")
    assert len(bullets) == 3
    assert all(bullet.startswith("• ") for bullet in bullets)
    assert bullets[0].startswith("• 이번 주에 제출된 논문들을 통해")
    assert "PyTorchKR" not in sample.intro
    assert "Top ML Papers" not in sample.intro  # the repeated title line is not intro


def test_sample_has_exactly_these_papers(sample: Document) -> None:
    actual = [
        (paper.line, paper.title_ko, paper.title_en, present(paper), paper.tags, links(paper))
        for paper in sample.papers
    ]
    assert actual == SAMPLE_PAPERS


def test_sample_paper_count_and_footer(sample: Document) -> None:
    titles = [paper.title for paper in sample.papers]
    assert len(titles) == 10
    assert "원문" not in titles
    assert all("좋아요" not in title for title in titles)
    assert all(not paper.authors for paper in sample.papers)  # weekly issues name no authors


def test_sample_text_goes_to_the_right_language_and_section(sample: Document) -> None:
    gpt4o, gemini, *_, wavcraft, rlhf, _, cat3d = sample.papers
    assert (gpt4o.summary_ko or "").startswith("오디오, 시각, 텍스트를")
    assert (gpt4o.summary_en or "").startswith("A new model with")
    assert (gemini.abstract_ko or "").startswith("이 보고서에서는")
    assert (gemini.abstract_en or "").startswith("In this report")
    assert wavcraft.summary_en is not None
    assert wavcraft.summary_en.endswith("without explicit commands")
    assert "Online Iterative" in (rlhf.abstract_en or "")
    assert (cat3d.abstract_en or "").startswith("Advances in 3D")
    assert all(paper.commentary is None for paper in sample.papers)


def test_sample_identity_uses_arxiv_when_there_is_a_paper_link(sample: Document) -> None:
    wavcraft = sample.papers[6]
    assert wavcraft.arxiv_id == "2403.09527"
    assert wavcraft.identity == "arxiv:2403.09527"
    assert sample.papers[0].identity == "title:gpt 4o"


# --- variants ---------------------------------------------------------------------------------


def parse_fixture(name: str, vocabulary: TagVocabulary) -> Document:
    path = FIXTURES / name
    return parse_text(path.read_text("utf-8"), str(path), vocabulary)


def test_2026_title_form_and_varied_sections(vocabulary: TagVocabulary) -> None:
    document = parse_fixture("weekly-2026-variants.txt", vocabulary)
    assert document.title == "[2026/06/08 ~ 14] 이번 주에 살펴볼 만한 AI/ML 논문 모음"
    assert (document.period_start, document.period_end) == (date(2026, 6, 8), date(2026, 6, 14))
    assert document.intro == (
        "이번 주에는 추론 모델과 에이전트에 관한 논문이 많았습니다.\n"
        "• 특히 강화학습으로 추론 능력을 끌어올리는 연구가 두드러졌습니다."
    )
    actual = [
        (paper.line, paper.title_ko, paper.title_en, present(paper), paper.tags, links(paper))
        for paper in document.papers
    ]
    assert actual == [
        # Bulleted headers ("• 논문 소개"), an English-only abstract.
        (
            8,
            "메타의 새로운 파운데이션 모델",
            "Llama 9: Open Foundation Models at Scale",
            {"summary_ko", "summary_en", "abstract_en"},
            ["llm"],  # "benchmarks" in passing does not make a benchmark paper
            [
                ("paper", "https://arxiv.org/abs/2606.01234"),
                ("more", "https://x.com/AIatMeta/status/1"),
            ],
        ),
        # English-only title, English header names, a key-messages section, a code section.
        (
            28,
            None,
            "Reasoning Gym: Procedural Environments for Reinforcement Learning",
            {"summary_en", "commentary"},
            ["reasoning", "rl"],
            [
                ("paper", "https://openreview.net/forum?id=abc123"),
                ("code", "https://github.com/open-thought/reasoning-gym"),
            ],
        ),
        # Korean-only title after a link section, an emoji line and "1개의 좋아요" in between,
        # the section renamed to "개요"; no abstract, no links.
        (
            48,
            "환각을 줄이는 검색 증강 생성 기법",
            None,
            {"summary_ko"},
            ["hallucination", "rag"],
            [],
        ),
        # "English / 한국어" order, "요약", an extra "실험 결과" section, a GitHub text preview.
        (
            56,
            "긴 컨텍스트를 만난 전문가 혼합",
            "Mixture of Experts Meets Long Context",
            {"summary_ko", "summary_en", "commentary"},
            ["long-context", "moe"],
            [
                ("code", "https://github.com/moe-lab/long-moe"),
                ("related", "https://moe-lab.github.io/long-moe/"),
            ],
        ),
        # No abstract and no links.
        (74, None, "A Tiny Paper Without Links", SUMMARIES, [], []),
        # Starts with an abstract right after a finished summary; header and link on one line.
        (
            82,
            None,
            "Sparse Autoencoders Find Interpretable Features in Vision Transformers",
            {"abstract_ko", "abstract_en", "commentary"},
            ["interpretability", "vision"],
            [("paper", "https://arxiv.org/pdf/2606.05678.pdf")],
        ),
    ]
    moe = document.papers[3]
    assert moe.commentary == "실험 결과\n100만 토큰에서도 성능 저하가 거의 없었습니다."


def test_markdown_form_crossing_a_year_end(vocabulary: TagVocabulary) -> None:
    document = parse_fixture("weekly-2024-12-30-markdown.md", vocabulary)
    assert document.title.startswith("[2024/12/30 ~ 01/05]")
    assert (document.period_start, document.period_end) == (date(2024, 12, 30), date(2025, 1, 5))
    assert document.intro == (
        "• 이번 주에는 테스트 시점 학습과 에이전트 관련 논문이 많았습니다.\n"
        "• 연말이라 발표된 논문 수는 적었습니다.\n"
        "그래도 흥미로운 논문이 있었습니다."
    )
    titans, agents, bench = document.papers
    assert len(document.papers) == 3

    assert (titans.title_ko, titans.title_en) == (
        "타이탄: 테스트 시점에 기억하는 법 배우기",
        "Titans: Learning to Memorize at Test Time",
    )
    assert present(titans) == ALL_TEXT
    # "<br>" splits a paragraph; quote markers go.
    assert titans.abstract_ko == (
        "어텐션은 문맥 길이에 대해 이차 비용이 듭니다.\n우리는 새로운 장기 기억 모듈을 제안합니다."
    )
    assert links(titans) == [
        ("paper", "https://arxiv.org/abs/2501.00663"),
        ("code", "https://github.com/lucidrains/titans-pytorch"),
        ("more", "https://x.com/behrouz_ali/status/1878859086227255347"),
    ]
    assert titans.tags == ["long-context"]

    # A heading that is itself a link: English-only title, the link is the paper.
    assert (agents.title_ko, agents.title_en) == (None, "Agents Are Not Enough")
    assert "; & discusses" in (agents.summary_en or "")
    assert (
        agents.commentary == "에이전트만으로는 부족하며 사용자 모델이 함께 필요하다는 주장입니다."
    )
    assert links(agents) == [
        ("paper", "https://arxiv.org/abs/2412.16241"),
        ("related", "https://example.org/agents-not-enough"),
    ]
    assert agents.tags == ["agent"]

    assert (bench.title_ko, bench.title_en) == ("코드 추론 벤치마크", "CodeReasonBench")
    assert bench.summary_ko == "코드 실행 결과를 예측하는 추론 벤치마크를 소개합니다."
    assert links(bench) == [("code", "https://github.com/code-reason/bench")]
    assert bench.tags == ["benchmark"]


def test_cut_off_after_the_next_title_keeps_it(vocabulary: TagVocabulary) -> None:
    text = (SAMPLES / "weekly-2024-05-13.txt").read_text("utf-8")
    cut = text[: text.index("Veo") + len("Veo")]
    document = weekly.parse(cut, "cut.txt")
    assert [paper.title for paper in document.papers] == ["GPT-4o", "Gemini 1.5 Flash", "Veo"]
    assert present(document.papers[-1]) == set()


def test_no_papers_is_an_error_at_the_first_body_line() -> None:
    text = "[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문\n\n소개 없이 본문만 있는 글입니다.\n"
    with pytest.raises(DigestFormatError) as caught:
        weekly.parse(text, "empty-week.txt")
    assert caught.value.line == 3


def test_without_a_title_the_file_name_dates_the_issue() -> None:
    text = "GPT-4o\n\n소개\n\n새로운 모델입니다.\n\n더 읽어보기\n\nhttps://x.com/a/status/1\n"
    document = weekly.parse(text, "digests/weekly-2024-05-13.md")
    assert document.date == date(2024, 5, 13)
    assert document.period_start is None
    assert document.title == "weekly-2024-05-13"
    assert [paper.title for paper in document.papers] == ["GPT-4o"]


# --- building blocks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["1개의 좋아요", "좋아요 3개", "12 likes", ":fire::kr:", "PyTorchKR🔥🇰🇷 🤔💬", "🔥🔥", "---"],
)
def test_noise_lines(line: str) -> None:
    assert weekly.is_noise(line)


def test_noise_keeps_real_lines() -> None:
    assert not weekly.is_noise("Veo")
    assert not weekly.is_noise("GPT-4o")


def test_missing_sections_emoji_headers_and_intro_slashes(vocabulary: TagVocabulary) -> None:
    document = parse_fixture("weekly-2025-03-03-missing-sections.txt", vocabulary)
    assert (document.period_start, document.period_end) == (date(2025, 3, 3), date(2025, 3, 9))
    # A bilingual-looking intro bullet does not start a paper: the first paper needs a header.
    assert document.intro == (
        "• 이번 주 요약 / This week in short\n• 멀티모달 모델과 양자화 논문이 눈에 띄었습니다."
    )
    actual = [
        (paper.line, paper.title_ko, paper.title_en, present(paper), paper.tags, links(paper))
        for paper in document.papers
    ]
    assert actual == [
        # Emoji section headers; the ":fire:" shortcode leaves the title.
        (
            6,
            "양자화된 모델의 탈옥",
            "Jailbreaking Quantized Models",
            SUMMARIES,
            ["alignment", "jailbreak", "quantization", "safety"],
            [
                ("paper", "https://arxiv.org/abs/2503.00001"),
                ("more", "https://x.com/someone/status/2"),
            ],
        ),
        # No section header before its text: a title in a link section followed by a paragraph.
        (
            22,
            None,
            "Speculative Decoding Without a Draft Model",
            SUMMARIES,
            ["decoding", "efficiency"],
            [("code", "https://github.com/example/no-draft")],
        ),
        # English-only title right after a link list; Korean summary only.
        (
            32,
            None,
            "Audio Flamingo 3",
            {"summary_ko"},
            ["audio"],
            [("paper", "https://arxiv.org/abs/2503.00003")],
        ),
        # The last paper, with no footer after it.
        (42, None, "Vision Mamba 2", {"summary_en"}, ["ssm"], []),
    ]


def test_forum_raw_markdown_without_the_topic_title(vocabulary: TagVocabulary) -> None:
    text = (SAMPLES / "weekly-2024-05-13.txt").read_text("utf-8").split("\n", 4)[4]
    document = parse_text(text, "https://discuss.pytorch.kr/raw/4242", vocabulary)
    assert document.kind is DigestKind.WEEKLY
    assert document.date is None
    assert document.title == "4242"
    assert [paper.title_en for paper in document.papers] == [row[2] for row in SAMPLE_PAPERS]


def test_an_empty_link_section_is_not_a_paper(vocabulary: TagVocabulary) -> None:
    # "코드 저장소", "💻 Code & Data", "GitHub Repo": link headers with nothing under them, right
    # before the next header. Taken for titles, they were phantom papers that took the links.
    document = parse_fixture("weekly-2024-07-01-empty-link-headers.txt", vocabulary)
    assert [paper.title_en for paper in document.papers] == ["Alpha Model", "Beta Model"]
    alpha, beta = document.papers
    assert links(alpha) == [
        ("paper", "https://arxiv.org/abs/2407.00001"),
        ("more", "https://x.com/alpha_lab/status/1808000000000000001"),
    ]
    assert links(beta) == [
        ("paper", "https://arxiv.org/abs/2407.00002"),
        ("related", "https://beta.example.org/project"),
    ]


def test_urls_survive_markup_byte_for_byte(vocabulary: TagVocabulary) -> None:
    document = parse_fixture("weekly-2024-07-08-url-markup.md", vocabulary)
    chameleon, gamma = document.papers
    assert (chameleon.title_ko, chameleon.title_en) == (None, "Chameleon")  # not "X / X"
    assert chameleon.summary_ko == "텍스트와 이미지를 한 번에 다루는 초기 융합 모델입니다."
    assert [url for _, url in links(chameleon)] == [
        "https://arxiv.org/abs/2405.09818",
        "https://en.wikipedia.org/wiki/Chameleon_(model)",
        "https://x.com/a__b/status/1",
        "https://x.com/c_d_/status/2",
        "https://example.org/~old~page",
        "https://example.org/snake__case_path/*star*",
        "https://example.org/q?a=1&copy=2",
    ]
    assert gamma.title_ko == "감마"
    # A crafted URL is kept as written; rendering escapes it (tests/render).
    assert links(gamma)[-1] == ("related", "https://example.org/evil)[click](https://evil.example")
