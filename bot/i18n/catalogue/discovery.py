"""Text of the discovery features: related papers, reading lists and reading-list picks,
and their commands' Korean names."""

from __future__ import annotations

# message id -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    "button.related": ("Related", "관련 논문"),
    "button.save": ("Save", "저장"),
    "select.save_paper": ("Save a paper to your library…", "내 서재에 저장할 논문…"),
    "select.related_paper": ("Papers related to…", "관련 논문 보기…"),
    "related.title": ("Related to: {title}", "관련 논문: {title}"),
    "related.shares": ("shares: {reasons}", "공통점: {reasons}"),
    "related.none": (
        "I found no paper close to «{title}» yet.",
        "«{title}»와(과) 가까운 논문을 아직 찾지 못했습니다.",
    ),
    "related.footer": (
        "closest first · by shared tags and distinctive words",
        "가까운 순 · 공통 태그와 특징적인 단어 기준",
    ),
    "library.saved": (
        "Saved «{title}» to your library ({count}/{limit}). See `/library list`.",
        "«{title}»을(를) 내 서재에 저장했습니다 ({count}/{limit})."
        " `/서재 목록`으로 볼 수 있습니다.",
    ),
    "library.already": (
        "«{title}» is already in your library.",
        "«{title}»은(는) 이미 내 서재에 있습니다.",
    ),
    "library.full": (
        "Your library is full ({limit} papers): remove some with `/library remove` first.",
        "내 서재가 가득 찼습니다 (최대 {limit}편). 먼저 `/서재 빼기`로 정리해 주세요.",
    ),
    "library.removed": (
        "Removed «{title}» from your library.",
        "«{title}»을(를) 내 서재에서 뺐습니다.",
    ),
    "library.not_saved": (
        "{query!q} is not in your library; see `/library list`.",
        "{query!q}은(는) 내 서재에 없습니다. `/서재 목록`을 확인해 주세요.",
    ),
    "library.title": ("Your library", "내 서재"),
    "library.empty": (
        "Your library is empty: press Save under any paper to keep it here.",
        "내 서재가 비어 있습니다. 논문 아래의 저장 버튼을 누르면 여기에 모입니다.",
    ),
    "library.footer": (
        "{count} saved (at most {limit}) · page {page}/{pages} · newest first",
        "{count}편 저장 (최대 {limit}편) · {page}/{pages} 페이지 · 최근 저장순",
    ),
    "library.saved_on": ("saved {date}", "{date} 저장"),
    "library.export_ready": (
        "Your library, {count} papers, as Markdown (BibTeX for arXiv papers).",
        "내 서재 {count}편을 Markdown으로 내보냈습니다 (arXiv 논문은 BibTeX 포함).",
    ),
    "library.export_ready#one": (
        "Your library, 1 paper, as Markdown (BibTeX if it is on arXiv).",
        "내 서재 1편을 Markdown으로 내보냈습니다 (arXiv 논문은 BibTeX 포함).",
    ),
    "library.export_heading": ("My paperbot library", "내 paperbot 서재"),
    "library.export_bibtex": ("BibTeX", "BibTeX"),
    "recommend.on": (
        "From now on, your alert DM for each new issue also names up to three papers closest"
        " to your library and the tags you follow. Save papers to steer it.",
        "이제 새 이슈마다 알림 DM에 내 서재와 구독 태그에 가장 가까운 논문을 최대 3편"
        " 추천합니다. 논문을 저장할수록 추천이 정확해집니다.",
    ),
    "recommend.on_empty": (
        " Your library is empty for now: press Save under papers you like.",
        " 아직 내 서재가 비어 있습니다. 마음에 드는 논문 아래의 저장 버튼을 눌러 주세요.",
    ),
    "recommend.off": (
        "No more recommendations in your alert DMs.",
        "알림 DM에 더 이상 추천을 넣지 않습니다.",
    ),
    "recommend.title": ("Picked for you from your library", "내 서재를 바탕으로 고른 논문"),
    "recommend.title_only": (
        "{count} papers picked for you",
        "나를 위해 고른 논문 {count}편",
    ),
    "recommend.title_only_one": ("1 paper picked for you", "나를 위해 고른 논문 1편"),
    "recommend.title_only#one": ("1 paper picked for you", "나를 위해 고른 논문 1편"),
}

# Command names and descriptions: English (as declared in the cogs) -> Korean.
COMMANDS: dict[str, str] = {
    "related": "관련",
    "Papers close to one paper": "비슷한 논문 찾기",
    "library": "서재",
    "Your reading list (only you see it)": "내 읽기 목록 (나에게만 보임)",
    "Your saved papers, newest first": "저장한 논문 (최근순)",
    "remove": "빼기",
    "Remove a paper from your library": "내 서재에서 논문 빼기",
    "A paper in your library (start typing)": "내 서재의 논문 (입력하면 추천)",
    "export": "내보내기",
    "Your library as a Markdown file with BibTeX": "내 서재를 BibTeX가 담긴 Markdown 파일로",
    "recommend": "추천",
    "Papers picked from your library in your alert DMs": "알림 DM에 내 서재 기반 추천 받기",
    "mode": "설정",
    "on or off": "켜기 또는 끄기",
    "on": "켜기",
    "off": "끄기",
}
