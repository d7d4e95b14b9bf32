"""Lookup (search, papers, digests, tags) on the bundled samples in a real SQLite store."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.digests.models import DigestKind
from bot.services.lookup import MAX_QUERY, Lookup
from bot.services.refusals import BadQueryError, NotFoundError
from bot.store import Store
from tests.services.helpers import shown
from tests.store.builders import daily, paper

WEEKLY_TITLE = "[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"
AGENTBENCH = "AgentBench: Evaluating LLMs as Agents"

# -- search -------------------------------------------------------------------------------


async def test_search_renders_one_page_in_both_languages(lookup: Lookup) -> None:
    en = await lookup.search("hallucination", "en")
    ko = await lookup.search("hallucination", "ko")
    assert (en.page.total, en.page_number, en.pages) == (2, 0, 1)
    assert en.embed["title"] == "Search: hallucination"
    assert en.embed["footer"]["text"] == "found: 2 · page 1/1"
    assert en.embed["description"].startswith("**1.** **THRONE: An Object-based Hallucination")
    assert "· weekly 2024-05-13 ·" in en.embed["description"]
    assert "· 주간 2024-05-13 ·" in ko.embed["description"]
    assert ko.embed["title"] == "검색: hallucination"
    assert ko.embed["footer"]["text"] == "논문 2편 · 1/1 페이지"


async def test_search_collapses_spaces_and_finds_korean(lookup: Lookup) -> None:
    spaced = await lookup.search("  mixture   of\texperts ", "en")
    assert spaced.embed["title"] == "Search: mixture of experts"
    # first (issue 17: papers with some of the words follow the full matches)
    assert [hit.paper.title_en for hit in spaced.page.hits][:1] == [
        "From Sparse to Soft Mixtures of Experts"
    ]
    korean = await lookup.search("환각", "ko")
    titles = [hit.paper.title_en for hit in korean.page.hits]
    # The paper whose Korean text says 환각 first; the glossary adds one that says it only
    # in English ("Hallucination").
    assert titles[0] == "Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?"
    assert titles[1:] == [
        "THRONE: An Object-based Hallucination Benchmark for the Free-form Generations of"
        " Large Vision-Language Models"
    ]


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
async def test_empty_query_is_refused(lookup: Lookup, query: str) -> None:
    with pytest.raises(BadQueryError) as caught:
        await lookup.search(query, "en")
    assert caught.value.message_key == "error.query_empty"
    assert shown(caught.value, "ko").startswith("검색어를 입력해 주세요")


async def test_too_long_query_names_its_length_and_the_limit(lookup: Lookup) -> None:
    with pytest.raises(BadQueryError) as caught:
        await lookup.search("a" * (MAX_QUERY + 1), "en")
    assert caught.value.message_key == "error.query_too_long"
    assert caught.value.values == {"length": 201, "limit": 200}
    assert shown(caught.value, "en") == (
        "That query is too long (201 characters); keep it under 200."
    )
    assert shown(caught.value, "ko") == "검색어가 너무 깁니다 (201자). 200자 이내로 입력해 주세요."


async def test_search_filters_by_tag_and_kind(lookup: Lookup) -> None:
    everything = await lookup.search("llm", "en")
    tagged = await lookup.search("llm", "en", tag="#LLM")
    notes = await lookup.search("llm", "en", kind=DigestKind.NOTE)
    assert (everything.page.total, tagged.page.total) == (16, 11)
    assert all("llm" in hit.paper.tags for hit in tagged.page.hits)
    assert notes.page.hits
    assert all(
        any(m.kind is DigestKind.NOTE for m in hit.paper.mentions) for hit in notes.page.hits
    )
    assert notes.page.total < everything.page.total


async def test_unknown_tag_names_the_nearest_tag(lookup: Lookup) -> None:
    with pytest.raises(NotFoundError) as caught:
        await lookup.search("llm", "en", tag="hallucinaton")
    assert caught.value.message_key == "error.unknown_tag"
    assert shown(caught.value, "en") == (
        "There is no tag `hallucinaton`. Did you mean `hallucination`, `evaluation`?"
    )
    assert shown(caught.value, "ko") == (
        "`hallucinaton` 태그가 없습니다. 혹시 `hallucination`, `evaluation`?"
    )


async def test_a_vocabulary_tag_without_papers_is_no_unknown_tag(lookup: Lookup) -> None:
    """강화학습 is the vocabulary's ``rl``; no sample paper carries it yet: say that plainly."""
    with pytest.raises(NotFoundError) as caught:
        await lookup.search("agent", "en", tag="강화학습")
    assert caught.value.message_key == "paper.no_random"
    assert shown(caught.value, "en") == "No papers tagged `rl` yet."
    assert shown(caught.value, "ko") == "아직 `rl` 태그 논문이 없습니다."


async def test_unknown_tag_far_from_all_points_to_the_tag_list(lookup: Lookup) -> None:
    with pytest.raises(NotFoundError) as caught:
        await lookup.known_tag("zzzzzzzz")
    assert shown(caught.value, "en") == "There is no tag `zzzzzzzz`. See `/tags` for the list."
    assert await lookup.known_tag("＃LLM ") == "llm"


async def test_pages_rank_on_and_a_page_past_the_end_shows_the_last(lookup: Lookup) -> None:
    second = await lookup.search("llm", "en", page_number=1)
    assert (second.page_number, second.pages) == (1, 4)
    assert second.embed["description"].startswith("**6.** ")
    beyond = await lookup.search("llm", "ko", page_number=10)
    assert (beyond.page_number, beyond.pages, len(beyond.page.hits)) == (3, 4, 1)
    assert beyond.embed["description"].startswith("**16.** ")
    assert beyond.embed["footer"]["text"] == "논문 16편 · 4/4 페이지"


async def test_no_results_suggest_popular_tags(lookup: Lookup) -> None:
    with pytest.raises(NotFoundError) as caught:
        await lookup.search("qqxyzzyqq", "en")
    assert caught.value.message_key == "search.empty"
    text = shown(caught.value, "en")
    assert text.startswith("No papers match `qqxyzzyqq`. Try the other language too")
    assert text.endswith("Popular tags: `llm`, `multimodal`, `diffusion`, `rlhf`, `alignment`.")
    assert "많이 쓰인 태그: `llm`" in shown(caught.value, "ko")


async def test_no_results_in_an_empty_store_has_no_tag_hint(empty_store: Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        await Lookup(empty_store).search("transformer", "ko")
    text = shown(caught.value, "ko")
    assert text.startswith("`transformer`에 맞는 논문이 없습니다. 다른 언어로도")
    assert "태그:" not in text


# -- papers -------------------------------------------------------------------------------


async def test_random_paper_with_a_tag(lookup: Lookup) -> None:
    en = await lookup.random_paper("en", tag="MoE")
    ko = await lookup.random_paper("ko", tag="moe")
    assert en["title"] == ko["title"] == "From Sparse to Soft Mixtures of Experts"
    assert {"name": "Tags", "value": "`#moe`"} in en["fields"]
    assert {"name": "태그", "value": "`#moe`"} in ko["fields"]


async def test_random_paper_refuses_an_unknown_tag(lookup: Lookup) -> None:
    with pytest.raises(NotFoundError) as caught:
        await lookup.random_paper("en", tag="difusion")
    assert caught.value.message_key == "error.unknown_tag"
    assert "`diffusion`" in shown(caught.value, "en")


async def test_random_paper_in_an_empty_store(empty_store: Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        await Lookup(empty_store).random_paper("en")
    assert caught.value.message_key == "paper.no_random"
    assert shown(caught.value, "en") == "No papers yet."
    assert shown(caught.value, "ko") == "아직 논문이 없습니다."


async def test_paper_by_autocomplete_id_or_by_typed_title(lookup: Lookup) -> None:
    [(label, paper_id)] = await lookup.title_choices("AgentBen")
    assert label == AGENTBENCH
    by_id = await lookup.paper(paper_id, "en")
    by_title = await lookup.paper("AgentBench", "ko")
    assert by_id["title"] == by_title["title"] == AGENTBENCH
    # the store's row id is machinery: no "paper #12" anywhere people read
    assert "footer" not in by_id
    assert "footer" not in by_title
    assert (await lookup.paper_by_id(int(paper_id), "en"))["title"] == AGENTBENCH


@pytest.mark.parametrize(
    ("choice", "query"), [("99999", "99999"), ("", ""), ("q" * 150, "q" * 100)]
)
async def test_paper_not_found(lookup: Lookup, choice: str, query: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        await lookup.paper(choice, "en")
    assert caught.value.message_key == "error.paper_not_found"
    assert caught.value.values == {"query": query}


async def test_paper_by_unknown_id(lookup: Lookup) -> None:
    with pytest.raises(NotFoundError) as caught:
        await lookup.paper_by_id(99999, "ko")
    assert shown(caught.value, "ko").startswith("`99999`에 맞는 논문이 없습니다.")


async def test_long_titles_are_shortened_for_autocomplete(empty_store: Store) -> None:
    long_title = "Scaling " + "very " * 40 + "large models"
    await empty_store.ingest([daily(dt.date(2024, 6, 1), paper(long_title, arxiv_id="2406.00001"))])
    [(label, value)] = await Lookup(empty_store).title_choices("Scaling")
    assert len(label) == 100
    assert label == long_title[:99] + "…"
    assert value.isdigit()


async def test_tag_choices_normalise_what_was_typed(lookup: Lookup) -> None:
    assert await lookup.tag_choices("#Hallu") == ["hallucination"]
    assert (await lookup.tag_choices("ll"))[0] == "llm"
    assert await lookup.tag_choices("qqq") == []


# -- digests and tags ---------------------------------------------------------------------


async def test_latest_digests_newest_first(lookup: Lookup) -> None:
    en = await lookup.latest("en")
    ko = await lookup.latest("ko")
    assert en["title"] == "Latest digests"
    assert en["description"].startswith(
        f"**{WEEKLY_TITLE}**\nweekly · 2024-05-13 ~ 2024-05-19 · 10 papers\n**2024년 5월 9일**"
    )
    assert en["description"].count("**") == 2 * 5
    assert ko["title"] == "최신 다이제스트"
    assert "주간 · 2024-05-13 ~ 2024-05-19 · 논문 10편" in ko["description"]


async def test_latest_of_one_kind(lookup: Lookup) -> None:
    dailies = await lookup.latest("en", kind=DigestKind.DAILY)
    assert dailies["description"] == (
        "**2024년 5월 9일**\ndaily · 2024-05-09 · 5 papers\n"
        "**2024년 2월 6일**\ndaily · 2024-02-06 · 6 papers"
    )


async def test_latest_in_an_empty_store(empty_store: Store) -> None:
    lookup = Lookup(empty_store)
    assert (await lookup.latest("en"))["description"] == "No digests yet."
    assert (await lookup.latest("ko"))["description"] == "아직 다이제스트가 없습니다."


async def test_issue_pages_are_clamped_to_the_list(store: Store, lookup: Lookup) -> None:
    await store.ingest([daily(dt.date(2024, 6, d), paper(f"Extra {d}")) for d in (1, 2)])
    first, pages = await lookup.issue_page("en", 0)
    assert pages == 2  # 11 digests, 10 a page
    assert first["title"] == "Digests"
    assert first["footer"]["text"] == "1/2"
    assert first["description"].startswith("**2024년 6월 2일**")
    last, _ = await lookup.issue_page("ko", 7)
    assert last["title"] == "다이제스트 목록"
    assert last["footer"]["text"] == "2/2"
    assert last["description"].startswith("**BlendMask**\n노트")  # the oldest, alone
    assert last["description"].count("**") == 2
    before, _ = await lookup.issue_page("en", -3)
    assert before["footer"]["text"] == "1/2"


async def test_tags_most_used_first(lookup: Lookup) -> None:
    en = await lookup.tags("en")
    ko = await lookup.tags("ko")
    assert en["title"] == "Tags"
    assert en["description"].startswith("`#llm` 11 · `#multimodal` 5 · ")
    assert en["footer"]["text"] == "31 tags · use them with /search and /paper random"
    assert (ko["title"], ko["footer"]["text"]) == (
        "태그",
        "태그 31개 · /검색, /논문 랜덤에서 쓸 수 있습니다",
    )


async def test_tags_in_an_empty_store(empty_store: Store) -> None:
    assert (await Lookup(empty_store).tags("ko"))["description"] == "아직 태그가 없습니다."
