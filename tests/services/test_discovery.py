"""Discovery on a real store: related papers, the reading list, its export, and picks queued
with the alert of a new issue."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app import App
from bot.digests.parse import parse_text
from bot.digests.tags import load_vocabulary
from bot.services.discovery import Discovery
from bot.services.refusals import NotFoundError, UserFacingError
from bot.store import Store
from tests.delivery.fakes import FakeClock

ALICE = 101
BOB = 202


@pytest.fixture
def discovery(app: App) -> Discovery:
    return app.discovery


async def find(store: Store, title: str) -> int:
    page = await store.search(title, limit=1)
    assert page.hits, title
    return page.hits[0].paper.id


async def test_related_is_closest_first_never_itself_with_reasons(store: Store) -> None:
    pid = await find(store, "Decoding-time Realignment of Language Models")
    hits = await store.related(pid)
    assert 1 <= len(hits) <= 5
    assert pid not in [hit.paper_id for hit in hits]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    top = await store.get_paper(hits[0].paper_id)
    assert top is not None
    assert {"rlhf", "alignment"} & set(top.tags)
    assert hits[0].reasons
    assert hits[0].reasons[0].startswith("#")
    assert len(hits[0].reasons) <= 3


async def test_related_message_in_both_languages(store: Store, discovery: Discovery) -> None:
    english = await discovery.related("Chameleon", "en")
    korean = await discovery.related("Chameleon", "ko")
    assert english.embeds[0]["title"].startswith("Related to: Chameleon")
    assert korean.embeds[0]["title"].startswith("관련 논문: Chameleon")
    assert "shares: " in english.embeds[0]["description"]
    assert "공통점: " in korean.embeds[0]["description"]
    with pytest.raises(NotFoundError):
        await discovery.related("999999", "en")


async def test_paper_views_carry_related_and_save(store: Store, discovery: Discovery) -> None:
    pid = await find(store, "Chameleon")
    message = await discovery.paper(str(pid), "en")
    (row,) = message.components
    assert [b["custom_id"] for b in row["components"]] == [
        f"paper:related:{pid}",
        f"paper:save:{pid}",
    ]
    random = await discovery.random_paper("ko", tag="rlhf")
    assert [b["label"] for b in random.components[0]["components"]] == ["관련 논문", "저장"]


async def test_save_remove_list_newest_first(
    store: Store, discovery: Discovery, clock: FakeClock
) -> None:
    rows = await store.db.fetch("SELECT id FROM papers ORDER BY id LIMIT 12")
    ids = [int(row[0]) for row in rows]
    for pid in ids:
        text = await discovery.save(ALICE, pid, "en")
        assert "Saved «" in text
        clock.advance(minutes=1)
    assert "already" in await discovery.save(ALICE, ids[0], "en")
    saved = await store.library.saved(ALICE)
    assert [s.paper_id for s in saved] == ids[::-1]
    assert await store.library.saved(BOB) == []

    page = await discovery.library_page(ALICE, "en")
    assert page.pages == 2
    assert page.embed["description"].count("**") >= 20
    last = await discovery.library_page(ALICE, "ko", 5)  # past the end: the last page
    assert last.page_number == 1
    assert "12편 저장" in last.embed["footer"]["text"]

    first_title = saved[-1].title
    assert "Removed «" in await discovery.remove(ALICE, first_title[:10], "en")
    assert await store.library.count(ALICE) == 11
    with pytest.raises(UserFacingError) as error:
        await discovery.remove(ALICE, "no such paper at all", "en")
    assert error.value.message_key == "library.not_saved"
    choices = await discovery.removal_choices(ALICE, "")
    assert len(choices) == 11


async def test_removing_by_id_twice_never_removes_a_title_with_that_digit(
    store: Store, discovery: Discovery
) -> None:
    """The autocomplete sends ids: an id no longer saved is not read as words, so ``1`` never
    removes a saved paper whose title merely contains a 1 (``H100 Supply and Demand``)."""
    ids = [int(row[0]) for row in await store.db.fetch("SELECT id FROM papers")]
    rows = [(paper.id, paper.title) for paper in await store.get_papers(ids)]
    digits, wordy = next((i, j) for i, _ in rows for j, title in rows if j != i and str(i) in title)
    await discovery.save(ALICE, digits, "en")
    await discovery.save(ALICE, wordy, "en")
    assert "Removed «" in await discovery.remove(ALICE, str(digits), "en")
    with pytest.raises(UserFacingError) as error:
        await discovery.remove(ALICE, str(digits), "en")
    assert error.value.message_key == "library.not_saved"
    assert [s.paper_id for s in await store.library.saved(ALICE)] == [wordy]


async def test_cap_and_forget(
    store: Store, discovery: Discovery, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.community.library.MAX_SAVED", 3)
    rows = await store.db.fetch("SELECT id FROM papers ORDER BY id LIMIT 4")
    ids = [int(row[0]) for row in rows]
    for pid in ids[:3]:
        assert await store.library.save(ALICE, pid) == "saved"
    assert await store.library.save(ALICE, ids[3]) == "full"
    with pytest.raises(UserFacingError) as error:
        await discovery.save(ALICE, ids[3], "en")
    assert error.value.message_key == "library.full"
    assert await store.library.save(ALICE, ids[0]) == "already"
    assert await store.library.save(ALICE, 10_000_000) == "missing"
    assert await store.library.save(BOB, ids[3]) == "saved"  # the cap is per user

    await store.library.set_recommend(ALICE, True)
    assert await store.library.recommend(ALICE)
    assert await store.library.forget(ALICE) == 3
    assert await store.library.count(ALICE) == 0
    assert not await store.library.recommend(ALICE)
    profiles = await store.db.fetch(
        "SELECT count(*) FROM reading_profiles WHERE user_id = ?", (ALICE,)
    )
    assert profiles[0][0] == 0
    assert await store.library.count(BOB) == 1


async def test_a_deleted_paper_leaves_reading_lists(store: Store) -> None:
    rows = await store.db.fetch("SELECT id FROM papers ORDER BY id LIMIT 1")
    pid = int(rows[0][0])
    await store.library.save(ALICE, pid)
    async with store.db.transaction() as db:
        await db.execute("DELETE FROM mentions WHERE paper_id = ?", (pid,))
        await db.execute("DELETE FROM papers WHERE id = ?", (pid,))
    assert await store.library.count(ALICE) == 0


async def test_export_markdown_with_bibtex(store: Store, discovery: Discovery) -> None:
    with pytest.raises(UserFacingError):
        await discovery.export(BOB, "en")
    arxiv = await store.db.fetch("SELECT id FROM papers WHERE arxiv_id IS NOT NULL LIMIT 2")
    plain = await store.db.fetch("SELECT id FROM papers WHERE arxiv_id IS NULL LIMIT 1")
    for row in [*arxiv, *plain]:
        await store.library.save(BOB, int(row[0]))
    exported = await discovery.export(BOB, "ko")
    text = exported.data.decode("utf-8")
    assert exported.count == 3
    assert text.startswith("# 내 paperbot 서재")
    assert text.count("\n- ") == 3
    assert text.count("@misc{arxiv") == 2
    assert "archivePrefix = {arXiv}" in text
    assert "내 서재 3편" in exported.text


NEW_ISSUE = """[2024/05/20 ~ 05/26] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)

  • 이번 주 요약입니다.

전문가 라우팅 / Routing Tokens in Sparse Mixture-of-Experts

논문 소개

전문가 혼합 모델의 라우팅을 개선합니다.

We improve token routing in sparse mixture-of-experts models with expert load balancing.

논문 링크

https://arxiv.org/abs/2405.90001

단백질 / Protein Folding with Graph Diffusion

논문 소개

단백질 구조를 예측합니다.

A graph diffusion model for protein structure prediction.

논문 링크

https://arxiv.org/abs/2405.90002
"""


async def test_picks_are_queued_with_the_alert_in_one_outbox_row(
    store: Store, discovery: Discovery, clock: FakeClock
) -> None:
    moe = await find(store, "From Sparse to Soft Mixtures of Experts")
    await discovery.save(ALICE, moe, "en")
    await discovery.set_recommend(ALICE, True, "en")
    await store.alerts.follow(ALICE, "tag", "llm")
    await discovery.save(BOB, moe, "en")  # saved, but did not ask for picks
    await store.alerts.follow(BOB, "tag", "moe")

    document = parse_text(NEW_ISSUE, "weekly-2024-05-20.txt", load_vocabulary())
    await store.ingest([document])
    rows = await store.alerts.alert_rows(user_id=ALICE)
    assert len(rows) == 1
    claims = await store.alerts.claim_alerts(
        owner="t", now=clock() + dt.timedelta(minutes=1), lease=dt.timedelta(minutes=1), limit=10
    )
    alice = next(c for c in claims if c.user_id == ALICE)
    routing = await find(store, "Routing Tokens in Sparse Mixture-of-Experts")
    assert alice.picks
    assert alice.picks[0][0] == routing
    assert 1 <= len(alice.picks[0][1]) <= 3
    assert len(alice.picks) <= 3
    bob = next((c for c in claims if c.user_id == BOB), None)
    assert bob is None or bob.picks == ()
