"""Forum-shaped and GitHub-shaped test data, built from the real samples where there are any.

:func:`weekly_markdown` turns the real weekly sample — the text a reader copies from the page —
into the markdown the forum's ``/raw`` view returns: no topic title, ``##`` paper titles,
``###`` section headers, ``*`` bullets, and the links the text copy lost (its link previews
become bare URLs again, and each paper's ``논문 링크`` gets its ``[arXiv](…)`` link).
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.digests._sections import Section, section_of

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "bot" / "sample_digests"
WEEKLY_SAMPLE = SAMPLES / "weekly-2024-05-13.txt"
NOTES = SAMPLES / "notes"

WEEKLY_TITLE = "[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"
WEEKLY_2026_TITLE = "[2026/06/08 ~ 14] 이번 주에 살펴볼 만한 AI/ML 논문 모음"
HTML_ONLY_TITLE = "[2025/03/03 ~ 03/09] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"

# The arXiv pages the forum post links and its text copy does not show.
ARXIV = {
    "제미나이 1.5 플래시 / Gemini 1.5 Flash": "https://arxiv.org/abs/2403.05530",
    "카멜레온: 혼합-모달 초기 융합 파운데이션 모델 / Chameleon: Mixed-Modal Early-Fusion "
    "Foundation Models": "https://arxiv.org/abs/2405.09818",
    "새로운 지식에 대한 LLM을 미세 조정하는 것이 환각을 조장할까요? / Does Fine-Tuning LLMs on "
    "New Knowledge Encourage Hallucinations?": "https://arxiv.org/abs/2405.05904",
    "제로샷 토큰나이저 전이 / Zero-Shot Tokenizer Transfer": "https://arxiv.org/abs/2405.07883",
    "RLHF 워크플로: 보상 모델링에서 온라인 RLHF까지 / RLHF Workflow: From Reward Modeling to "
    "Online RLHF": "https://arxiv.org/abs/2405.07863",
    "한 번만 캐시합니다: 언어 모델용 디코더-디코더 아키텍처 / You Only Cache Once: "
    "Decoder-Decoder Architectures for Language Models": "https://arxiv.org/abs/2405.05254",
    "CAT3D: 멀티뷰 확산 모델로 무엇이든 3D로 제작하기 / CAT3D: Create Anything in 3D with "
    "Multi-View Diffusion Models": "https://arxiv.org/abs/2405.10314",
}
_PREVIEW = re.compile(r"GitHub - ([\w.-]+)/([\w.-]+):")


def weekly_markdown() -> str:
    """The real weekly sample as the forum's raw markdown of its first post."""
    lines = WEEKLY_SAMPLE.read_text("utf-8").split("\n")[4:]  # /raw has no topic title
    meaningful = [index for index, line in enumerate(lines) if line.strip()]
    out: list[str] = []
    title = ""
    for position, index in enumerate(meaningful):
        text = lines[index].strip()
        following = (
            lines[meaningful[position + 1]].strip() if position + 1 < len(meaningful) else ""
        )
        section = section_of(text)
        if text.endswith("좋아요"):
            continue  # page chrome, not part of the markdown
        if text.startswith("•"):
            out.append("* " + text.lstrip("• "))
        elif section is None and section_of(following) is Section.SUMMARY:
            title = text
            out.append(f"## {text}")
        elif section is Section.END:
            out.append(f"## {text}")
        elif section is not None:
            out.append(f"### {text}")
            if section is Section.PAPER_LINKS and title in ARXIV:
                out += ["", f"[arXiv]({ARXIV[title]})"]
        elif text.startswith("GitHub - "):  # link previews: the author wrote bare URLs
            for owner, repo in _PREVIEW.findall(text):
                out += [f"https://github.com/{owner}/{repo}", ""]
            continue
        elif text.startswith("https://arxiv.org/"):
            out.append(f"[arXiv]({text})")
        else:
            out.append(text)
        out.append("")
    return "\n".join(out)


WEEKLY_2026_MARKDOWN = """\
PyTorchKR🔥🇰🇷 🤔💬

* 이번 주에는 추론 모델에 관한 논문이 많았습니다.

## 추론 체육관 / Reasoning Gym: Procedural Environments for Reinforcement Learning

### 논문 소개

강화학습을 위한 절차적 추론 환경을 제공합니다.

Provides procedurally generated reasoning environments for reinforcement learning.

### 논문 링크

[arXiv](https://arxiv.org/abs/2505.24760)

## 원문

[Top ML Papers of the Week](https://github.com/dair-ai/ML-Papers-of-the-Week)
"""

HTML_ONLY_COOKED = """\
<p>PyTorchKR<img src="https://example.invalid/fire.png" class="emoji" alt=":fire:"></p>
<ul>
<li>이번 주에는 비전 모델 <strong>압축</strong>에 관한 논문이 많았습니다.</li>
</ul>
<h2><a name="p-1-h-1" class="anchor" href="#p-1-h-1"></a>비전 트랜스포머 압축 / Compressing \
Vision Transformers</h2>
<h3>논문 소개</h3>
<p>비전 트랜스포머를 압축하는 방법을 제안합니다.</p>
<p>Proposes a method to compress vision transformers &amp; keep their accuracy.</p>
<h3>논문 링크</h3>
<p><a href="https://arxiv.org/abs/2503.01234">arXiv</a></p>
<aside class="onebox githubrepo" data-onebox-src="https://github.com/example/vit-compress">
  <header class="source"><a href="https://github.com/example/vit-compress">github.com</a></header>
  <article class="onebox-body">
    <h3><a href="https://github.com/example/vit-compress">GitHub - example/vit-compress</a></h3>
    <p>Compress vision transformers with almost no loss in accuracy on any benchmark.</p>
  </article>
</aside>
<h3>더 읽어보기</h3>
<p><a href="https://x.com/someone/status/1">https://x.com/someone/status/1</a></p>
<div class="lightbox-wrapper"><a class="lightbox" href="/uploads/default/original/1.png">\
<img src="/uploads/1.png"><div class="meta"><span class="filename">image</span>\
<span class="informations">690×388 45 KB</span></div></a></div>
<h2>원문</h2>
<p>이 글은 GPT 모델로 정리한 것으로, 잘못된 부분이 있을 수 있습니다.</p>
"""


def topic(
    topic_id: int, title: str, *, slug: str | None = None, posted: str = ""
) -> dict[str, object]:
    """One entry of a Discourse ``topic_list.topics``."""
    return {
        "id": topic_id,
        "title": title,
        "fancy_title": title,
        "slug": slug or f"topic-{topic_id}",
        "created_at": "2024-05-20T01:00:00.000Z",
        "last_posted_at": posted or "2024-05-20T01:00:00.000Z",
        "tags": [],
        "excerpt": "…",
    }


def topic_list(topics: list[dict[str, object]], more: str | None = None) -> dict[str, object]:
    listing: dict[str, object] = {"can_create_topic": False, "per_page": 30, "topics": topics}
    if more is not None:
        listing["more_topics_url"] = more
    return {"users": [], "primary_groups": [], "topic_list": listing}


def topic_view(topic_id: int, title: str, post: dict[str, object]) -> dict[str, object]:
    """A ``/t/{id}.json`` answer whose first post is ``post``."""
    first = {"id": topic_id * 10, "post_number": 1, "created_at": "2025-03-10T00:00:00Z", **post}
    reply = {"id": topic_id * 10 + 1, "post_number": 2, "cooked": "<p>감사합니다!</p>"}
    return {"id": topic_id, "title": title, "post_stream": {"posts": [first, reply]}}
