"""Search: Korean particles and bigrams, English stems, accents, typos, weights, filters,
and input that must never raise."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.digests.models import DigestKind
from bot.store import PaperRecord, SearchPage, Store
from bot.store.papers import search as _search

from .builders import daily, note, paper, weekly

MAY_13 = dt.date(2024, 5, 13)
MAY_14 = dt.date(2024, 5, 14)

HALLUCINATION = paper(
    "Fine-tuning and Hallucinations",
    arxiv_id="2405.05904",
    title_ko="미세 조정과 환각",
    summary_ko="새로운 지식을 학습하면 환각이 늘어납니다.",
    summary_en="Fine-tuning on new knowledge encourages hallucination.",
    tags=["hallucination", "llm"],
)
JAILBREAK = paper(
    "Jailbreak Attacks on Aligned Models",
    arxiv_id="2405.00101",
    authors=["Benoît Quéméneur", "Jane Doe"],
    abstract_en="We study jailbreak prompts that bypass safety training of LLMs.",
    commentary="탈옥을 막는 방법에 대한 분석. 환각을 다루지는 않습니다.",
    tags=["safety"],
)
TOKENIZER = paper(
    "Zero-shot Tokenizer Transfer",
    arxiv_id="2405.07883",
    authors=["Benjamin Minixhofer", "Ivan Vulić"],
    abstract_en="Language models are bound to the tokenizer they were trained with.",
    tags=["tokenizer"],
)
RLHF = paper(
    "RLHF Workflow: From Reward Modeling to Online RLHF",
    arxiv_id="2405.07863",
    summary_en="A recipe for online iterative reinforcement learning from human feedback.",
    tags=["rlhf", "alignment"],
)
GPT4O = paper(
    "GPT-4o",
    summary_ko="오디오, 시각, 텍스트를 실시간으로 지원하는 멀티모달 추론 모델",
    summary_en="A new model with multimodal reasoning across audio, vision, and text.",
    tags=["multimodal", "llm"],
)


@pytest.fixture
async def corpus(store: Store) -> Store:
    await store.ingest(
        [
            weekly(MAY_13, HALLUCINATION, RLHF, GPT4O),
            daily(MAY_14, JAILBREAK, TOKENIZER),
        ]
    )
    return store


def titles(page: SearchPage) -> list[str]:
    return [hit.paper.title for hit in page.hits]


async def top(store: Store, query: str, **filters: object) -> PaperRecord:
    page = await store.search(query, **filters)  # type: ignore[arg-type]
    assert page.hits, f"nothing found for {query!r}"
    return page.hits[0].paper


# -- Korean ----------------------------------------------------------------------------------


async def test_two_syllable_korean_finds_words_with_particles(corpus: Store) -> None:
    # 환각 appears only as 환각 (title), 환각이 (summary) and 환각을 (commentary)
    page = await corpus.search("환각")
    assert set(titles(page)) == {HALLUCINATION.title, JAILBREAK.title}
    assert page.strategy == "all"


async def test_korean_word_with_particle_matches_its_stem(corpus: Store) -> None:
    page = await corpus.search("환각을")
    assert set(titles(page)) == {HALLUCINATION.title, JAILBREAK.title}
    assert titles(await corpus.search("탈옥이")) == [JAILBREAK.title]  # text has 탈옥을
    assert titles(await corpus.search("탈옥에서")) == [JAILBREAK.title]


async def test_lone_syllable_is_a_prefix(corpus: Store) -> None:
    assert JAILBREAK.title in titles(await corpus.search("탈"))


async def test_long_korean_words_and_phrases(corpus: Store) -> None:
    assert titles(await corpus.search("멀티모달")) == [GPT4O.title]
    assert titles(await corpus.search("실시간으로 지원하는")) == [GPT4O.title]
    assert titles(await corpus.search("미세 조정")) == [HALLUCINATION.title]


async def test_particle_glued_to_latin_word(corpus: Store) -> None:
    assert (await top(corpus, "GPT의")).title == GPT4O.title


# -- English -----------------------------------------------------------------------------------


async def test_plurals_and_stems(corpus: Store) -> None:
    assert (await top(corpus, "hallucination")).title == HALLUCINATION.title
    assert (await top(corpus, "hallucinations")).title == HALLUCINATION.title
    assert (await top(corpus, "jailbreaking")).title == JAILBREAK.title
    assert (await top(corpus, "jailbreaks")).title == JAILBREAK.title
    assert (await top(corpus, "tokenizers")).title == TOKENIZER.title


async def test_accents_fold_both_ways(corpus: Store) -> None:
    assert (await top(corpus, "Benoit Quemeneur")).title == JAILBREAK.title
    assert (await top(corpus, "BENOÎT")).title == JAILBREAK.title
    assert (await top(corpus, "vulic")).title == TOKENIZER.title


async def test_author(corpus: Store) -> None:
    assert titles(await corpus.search("Minixhofer")) == [TOKENIZER.title]


async def test_partial_title_last_word_is_a_prefix(corpus: Store) -> None:
    # first, not only (issue 17: papers with some of the words follow the full matches)
    assert titles(await corpus.search("zero-shot tokenizer tra"))[:1] == [TOKENIZER.title]
    assert titles(await corpus.search("Tokeniz")) == [TOKENIZER.title]
    assert titles(await corpus.search("jailbre")) == [JAILBREAK.title]


async def test_acronyms(corpus: Store) -> None:
    assert (await top(corpus, "RLHF")).title == RLHF.title
    assert (await top(corpus, "rlhf workflow")).title == RLHF.title
    assert JAILBREAK.title in titles(await corpus.search("LLM"))  # the text says LLMs


async def test_hyphenated_and_joined_spellings(corpus: Store) -> None:
    assert (await top(corpus, "gpt4o")).title == GPT4O.title
    assert (await top(corpus, "GPT-4o")).title == GPT4O.title
    assert (await top(corpus, "finetuning")).title == HALLUCINATION.title
    assert (await top(corpus, "fine tuning")).title == HALLUCINATION.title


async def test_mixed_languages(corpus: Store) -> None:
    page = await corpus.search("hallucination 환각")
    assert titles(page)[0] == HALLUCINATION.title
    assert page.hits[0].score >= 0 > page.hits[-1].score  # both words, then one of them


# -- fallbacks -------------------------------------------------------------------------------


async def test_one_typo_is_corrected(corpus: Store) -> None:
    page = await corpus.search("halucination")
    assert titles(page)[0] == HALLUCINATION.title
    assert page.strategy == "corrected"
    assert page.corrections == {"halucination": "hallucination"}
    assert (await top(corpus, "jailbraek attacks")).title == JAILBREAK.title
    assert (await top(corpus, "Minixhofre")).title == TOKENIZER.title


async def test_typo_in_a_suffix_is_corrected(corpus: Store) -> None:
    for query in ["hallucinatoins", "hallucinatiin", "tokenizres"]:
        page = await corpus.search(query)
        assert page.strategy == "corrected", query
        assert page.hits, query
    assert (await top(corpus, "hallucinatoins")).title == HALLUCINATION.title


async def test_a_word_no_paper_has_does_not_empty_the_answer(corpus: Store) -> None:
    # Issue 17 replaces issue 9's floor (one unknown word meant no match): papers with the
    # query's other meaningful terms are found, ranked by how much of the query they cover.
    page = await corpus.search("hallucination qqqqqqq")
    assert (page.strategy, titles(page)[0]) == ("any", HALLUCINATION.title)


async def test_nothing_found(corpus: Store) -> None:
    page = await corpus.search("qqqqqqq zzzzzzz")
    assert (page.total, page.hits) == (0, [])


# -- ranking ---------------------------------------------------------------------------------


async def test_field_weights_order(store: Store) -> None:
    filler = "lorem ipsum dolor"
    await store.ingest(
        [
            daily(
                MAY_14,
                paper(f"Body {filler}", abstract_en=f"the sparrow {filler}"),
                paper(f"Summary {filler}", summary_en=f"the sparrow {filler}"),
                paper(f"Tags {filler}", tags=["sparrow"]),
                paper(f"Authors {filler}", authors=["Sparrow Kim"]),
                paper(f"Title sparrow {filler}"),
            )
        ]
    )
    page = await store.search("sparrow")
    assert [t.split()[0] for t in titles(page)] == ["Title", "Authors", "Tags", "Summary", "Body"]
    scores = [hit.score for hit in page.hits]
    assert scores == sorted(scores, reverse=True)


# -- filters and paging ----------------------------------------------------------------------


async def test_tag_filter(corpus: Store) -> None:
    page = await corpus.search("model", tag="llm")
    assert set(titles(page)) <= {HALLUCINATION.title, GPT4O.title}
    assert titles(await corpus.search("jailbreak", tag="llm")) == []
    assert titles(await corpus.search("jailbreak", tag="#Safety")) == [JAILBREAK.title]


async def test_kind_filter(corpus: Store) -> None:
    assert titles(await corpus.search("환각", kind=DigestKind.DAILY)) == [JAILBREAK.title]
    assert titles(await corpus.search("환각", kind=DigestKind.WEEKLY)) == [HALLUCINATION.title]
    assert (await corpus.search("환각", kind=DigestKind.NOTE)).total == 0


async def test_filters_combine(corpus: Store) -> None:
    await corpus.ingest([note(paper("Extra hallucination note", tags=["llm"]))])
    page = await corpus.search("hallucination", tag="llm", kind=DigestKind.NOTE)
    assert titles(page) == ["Extra hallucination note"]


async def test_paging(store: Store) -> None:
    papers = [paper(f"Walrus study {i}", arxiv_id=f"2401.{i:05d}") for i in range(25)]
    await store.ingest([daily(MAY_14, *papers)])
    first = await store.search("walrus", limit=10)
    second = await store.search("walrus", limit=10, offset=10)
    last = await store.search("walrus", limit=10, offset=20)
    beyond = await store.search("walrus", limit=10, offset=40)
    assert (first.total, second.total, last.total, beyond.total) == (25, 25, 25, 25)
    assert (len(first.hits), len(second.hits), len(last.hits), len(beyond.hits)) == (10, 10, 5, 0)
    ids = [h.paper.id for page in (first, second, last) for h in page.hits]
    assert len(set(ids)) == 25
    count_only = await store.search("walrus", limit=0)
    assert (count_only.total, count_only.hits) == (25, [])


async def test_hits_carry_full_records(corpus: Store) -> None:
    hit = (await corpus.search("Minixhofer")).hits[0]
    assert hit.paper.authors == ["Benjamin Minixhofer", "Ivan Vulić"]
    assert hit.paper.url == "https://arxiv.org/abs/2405.07883"
    assert [m.kind for m in hit.paper.mentions] == [DigestKind.DAILY]
    assert hit.score > 0


# -- hostile input ---------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    '"',
    '""',
    '"unterminated',
    "AND(",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b, 2)",
    "a NEAR/2 b",
    "*",
    "**",
    "a*",
    "-",
    "--",
    "-model",
    "^",
    "^title",
    "title:",
    "title : hallucination",
    "{title authors}: x",
    "(",
    ")",
    "())(",
    "+",
    ":",
    "'",
    "''",
    "\\",
    "%",
    "_",
    "?!.,;",
    "\x00",
    "a\x00b",
    "\ud800",
    "환각\udfff",
    "😀🤖",
    "\u200b\u200d",
    "\ufeff",
    "ｈａｌｌｕｃｉｎａｔｉｏｎ",
    "𫠠𫠡",
    "・",
    "'; DROP TABLE papers; --",
    "SELECT * FROM papers",
    "x" * 10_000,
    "환" * 10_000,
    "hallucination " * 2_000,
    " ".join(str(i) for i in range(3_000)),
    "a " * 5_000,
    '"' * 10_000,
    "(" * 1_000 + ")" * 1_000,
]


@pytest.mark.parametrize("query", NASTY, ids=range(len(NASTY)))
async def test_hostile_queries_never_raise(corpus: Store, query: str) -> None:
    page = await corpus.search(query)
    assert page.total >= len(page.hits) >= 0
    await corpus.search(query, tag=query, kind=DigestKind.DAILY)
    await corpus.suggest_titles(query)
    await corpus.suggest_tags(query)
    await corpus.random_paper(tag=query)


async def test_odd_limits(corpus: Store) -> None:
    assert len((await corpus.search("model", limit=-5)).hits) == 0
    assert len((await corpus.search("model", limit=10_000)).hits) <= 100
    assert (await corpus.search("model", offset=-3)).offset == 0


async def test_empty_store(store: Store) -> None:
    page = await store.search("anything")
    assert (page.total, page.hits) == (0, [])
    assert (await store.search("")).strategy == "none"


# -- bounded ranking of broad queries --------------------------------------------------------


@pytest.fixture
def small_rank_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(_search, "ranked_max", lambda groups, filters=0: 3)
    return 3


async def _ids_over_pages(store: Store, query: str, size: int) -> list[int]:
    ids: list[int] = []
    for offset in range(0, 40, size):
        page = await store.search(query, limit=size, offset=offset)
        ids.extend(hit.paper.id for hit in page.hits)
    return ids


async def test_broad_query_ranks_weighty_matches_first(store: Store, small_rank_cap: int) -> None:
    body_only = [paper(f"Body {i}", abstract_en="a heron by the lake") for i in range(8)]
    titled = [paper("Heron flight"), paper("Great heron")]
    report = await store.ingest(
        [daily(MAY_14, titled[0], *body_only[:4], titled[1], *body_only[4:])]
    )
    page = await store.search("heron", limit=4)
    assert page.total == 10
    assert {hit.paper.title for hit in page.hits[:2]} == {"Heron flight", "Great heron"}
    assert all(hit.score > 0 for hit in page.hits[:3])
    assert page.hits[2].paper.id == max(report.new_paper_ids)  # the newest other match
    assert page.hits[3].score == 0.0  # then the rest, newest first
    ids = await _ids_over_pages(store, "heron", 4)
    assert sorted(ids) == sorted(report.new_paper_ids)
    assert ids[3:] == sorted(ids[3:], reverse=True)


async def test_few_weighty_matches_are_topped_up_with_newest(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_search, "ranked_max", lambda groups, filters=0: 4)
    body_only = [paper(f"Body {i}", abstract_en="a heron by the lake") for i in range(8)]
    report = await store.ingest([daily(MAY_14, paper("Heron flight"), *body_only)])
    titled_id, *body_ids = report.new_paper_ids
    page = await store.search("heron", limit=5)
    assert page.hits[0].paper.id == titled_id
    assert {hit.paper.id for hit in page.hits[1:4]} == set(body_ids[-3:])  # newest others
    assert all(hit.score > 0 for hit in page.hits[:4])
    assert page.hits[4].score == 0.0
    assert page.hits[4].paper.id == body_ids[-4]
    ids = await _ids_over_pages(store, "heron", 3)
    assert sorted(ids) == sorted(report.new_paper_ids)


async def test_broad_query_with_many_weighty_matches(store: Store, small_rank_cap: int) -> None:
    titled = [paper(f"Heron {i}", arxiv_id=f"2405.{i:05d}") for i in range(5)]
    body_only = [paper(f"Body {i}", abstract_en="heron") for i in range(3)]
    report = await store.ingest([daily(MAY_14, *titled, *body_only)])
    page = await store.search("heron", limit=3)
    assert page.total == 8
    newest_titled = {"Heron 2", "Heron 3", "Heron 4"}
    assert {hit.paper.title for hit in page.hits} == newest_titled
    for size in (1, 2, 3, 5):
        ids = await _ids_over_pages(store, "heron", size)
        assert sorted(ids) == sorted(report.new_paper_ids), size


async def test_papers_with_some_terms_rank_after_all_terms(
    store: Store, small_rank_cap: int
) -> None:
    # Issue 17: partial matches are claimed again (issue 9 returned nothing), ranked below
    # every paper with all the terms.
    common = [paper(f"Heron {i}") for i in range(6)]
    rare = paper("Lake notes", abstract_en="a zebra at the lake")
    both = paper("Heron and zebra", abstract_en="a heron next to a zebra")
    await store.ingest([daily(MAY_14, rare, *common)])
    page = await store.search("heron zebra")
    assert (page.strategy, page.total) == ("any", 7)
    await store.ingest([daily(MAY_13, both)])
    page = await store.search("heron zebra")
    assert (page.strategy, page.total, page.hits[0].paper.title) == ("all", 8, "Heron and zebra")


async def test_filters_with_broad_query(store: Store, small_rank_cap: int) -> None:
    await store.ingest(
        [
            daily(MAY_14, *(paper(f"Heron {i}", tags=["birds"]) for i in range(5))),
            weekly(MAY_13, *(paper(f"Heron w{i}", tags=["lakes"]) for i in range(5))),
        ]
    )
    assert (await store.search("heron", tag="birds")).total == 5
    assert (await store.search("heron", kind=DigestKind.WEEKLY)).total == 5
    assert (await store.search("heron", tag="birds", kind=DigestKind.WEEKLY)).total == 0
    page = await store.search("heron", tag="lakes", limit=10)
    assert {hit.paper.title for hit in page.hits} == {f"Heron w{i}" for i in range(5)}
