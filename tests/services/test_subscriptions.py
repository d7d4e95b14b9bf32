"""Topic-alert subscriptions: follow, unfollow, list, pause and resume, on a real store."""

from __future__ import annotations

import pytest

from bot.services.refusals import NotFoundError, UserFacingError
from bot.services.subscriptions import Subscriptions
from bot.store import Store
from bot.store.community.alerts import MAX_SUBSCRIPTIONS
from tests.services.helpers import shown

ALICE = 1
BOB = 2


async def test_follow_a_tag_canonicalises_it(subscriptions: Subscriptions) -> None:
    assert await subscriptions.follow_tag(ALICE, "#LLM", "en") == (
        "You will get a DM when a new digest has papers tagged `llm`."
    )
    assert await subscriptions.follow_tag(BOB, "Hallucination", "ko") == (
        "`hallucination` 태그 논문이 새 다이제스트에 실리면 DM으로 알려 드립니다."
    )
    listing = await subscriptions.listing(ALICE, "en")
    assert listing["fields"] == [{"name": "Tags", "value": "`llm`"}]


async def test_following_twice_says_so(subscriptions: Subscriptions) -> None:
    await subscriptions.follow_tag(ALICE, "llm", "en")
    assert await subscriptions.follow_tag(ALICE, "LLM", "en") == "You already follow `llm`."
    assert (
        await subscriptions.follow_keyword(ALICE, "RoPE", "ko")
        == "`rope`이(가) 들어간 새 논문이 실리면 DM으로 알려 드립니다."
    )
    assert await subscriptions.follow_keyword(ALICE, " rope ", "ko") == (
        "이미 `rope`을(를) 구독 중입니다."
    )


async def test_unknown_tag_is_refused_with_the_nearest(
    subscriptions: Subscriptions, store: Store
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await subscriptions.follow_tag(ALICE, "reasonning", "en")
    assert caught.value.message_key == "error.unknown_tag"
    assert shown(caught.value, "en") == (
        "There is no tag `reasonning`. Did you mean `reasoning`, `pretraining`?"
    )
    assert await store.alerts.subscriptions(ALICE) == []


async def test_keywords_are_normalised(subscriptions: Subscriptions) -> None:
    reply = await subscriptions.follow_keyword(ALICE, "  Mixture \t of   EXPERTS ", "en")
    assert reply == "You will get a DM when a new paper mentions `mixture of experts`."
    listing = await subscriptions.listing(ALICE, "ko")
    assert listing["fields"] == [{"name": "키워드", "value": "`mixture of experts`"}]


@pytest.mark.parametrize("keyword", ["", "   ", "\n\t"])
async def test_empty_keyword_is_refused(subscriptions: Subscriptions, keyword: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        await subscriptions.follow_keyword(ALICE, keyword, "ko")
    assert caught.value.message_key == "alerts.empty_keyword"
    assert shown(caught.value, "ko") == "알림 받을 단어나 문구를 입력해 주세요."


async def test_at_most_max_subscriptions(subscriptions: Subscriptions, store: Store) -> None:
    for n in range(MAX_SUBSCRIPTIONS):
        await subscriptions.follow_keyword(ALICE, f"topic {n}", "en")
    with pytest.raises(UserFacingError) as caught:
        await subscriptions.follow_tag(ALICE, "llm", "en")
    assert caught.value.message_key == "alerts.too_many"
    assert caught.value.values == {"limit": 50}
    assert shown(caught.value, "ko") == (
        "구독이 너무 많습니다 (최대 50개). 먼저 일부를 해지해 주세요."
    )
    assert len(await store.alerts.subscriptions(ALICE)) == MAX_SUBSCRIPTIONS
    # Following one already followed is still fine at the cap; unfollowing makes room.
    assert await subscriptions.follow_keyword(ALICE, "Topic 0", "en") == (
        "You already follow `topic 0`."
    )
    await subscriptions.unfollow(ALICE, "keyword:topic 0", "en")
    assert "`llm`" in await subscriptions.follow_tag(ALICE, "llm", "en")


async def test_unfollow_by_autocomplete_value(subscriptions: Subscriptions) -> None:
    await subscriptions.follow_tag(ALICE, "llm", "en")
    await subscriptions.follow_keyword(ALICE, "Soft MoE", "en")
    assert await subscriptions.unfollow(ALICE, "tag:llm", "en") == "You no longer follow `llm`."
    assert await subscriptions.unfollow(ALICE, "keyword:Soft  MoE", "ko") == (
        "`soft moe` 구독을 해지했습니다."
    )
    assert (await subscriptions.listing(ALICE, "en"))["description"].startswith(
        "You follow nothing yet"
    )


async def test_unfollow_plain_text_tries_the_tag_first(
    subscriptions: Subscriptions, store: Store
) -> None:
    await subscriptions.follow_tag(ALICE, "llm", "en")
    await subscriptions.follow_keyword(ALICE, "LLM", "en")
    await subscriptions.follow_keyword(ALICE, "diffusion models", "en")
    assert await subscriptions.unfollow(ALICE, "#LLM", "en") == "You no longer follow `llm`."
    assert await subscriptions.unfollow(ALICE, "Diffusion Models", "en") == (
        "You no longer follow `diffusion models`."
    )
    remaining = [(sub.kind, sub.value) for sub in await store.alerts.subscriptions(ALICE)]
    assert remaining == [("keyword", "llm")]


@pytest.mark.parametrize("raw", ["llm", "tag:llm", "keyword:nothing", "x" * 150])
async def test_unfollow_what_is_not_followed(subscriptions: Subscriptions, raw: str) -> None:
    await subscriptions.follow_tag(BOB, "llm", "en")  # someone else's does not count
    with pytest.raises(UserFacingError) as caught:
        await subscriptions.unfollow(ALICE, raw, "en")
    assert caught.value.message_key == "alerts.not_following"
    assert caught.value.values == {"value": raw[:100]}
    assert shown(caught.value, "ko").startswith(f"`{raw[:100]}`을(를) 구독하고 있지 않습니다.")


async def test_subscription_choices_match_what_was_typed(subscriptions: Subscriptions) -> None:
    await subscriptions.follow_tag(ALICE, "diffusion", "en")
    await subscriptions.follow_keyword(ALICE, "Diffusion Models", "en")
    await subscriptions.follow_keyword(ALICE, "rope", "en")
    assert await subscriptions.subscription_choices(ALICE, " DIFF") == [
        ("#diffusion", "tag:diffusion"),
        ("“diffusion models”", "keyword:diffusion models"),
    ]
    assert len(await subscriptions.subscription_choices(ALICE, "")) == 3
    assert await subscriptions.subscription_choices(BOB, "") == []


async def test_listing_shows_tags_keywords_and_state(subscriptions: Subscriptions) -> None:
    await subscriptions.follow_tag(ALICE, "rl", "en")
    await subscriptions.follow_tag(ALICE, "agent", "en")
    await subscriptions.follow_keyword(ALICE, "rope", "en")
    assert await subscriptions.listing(ALICE, "en") == {
        "title": "Your topic alerts",
        "description": "Alerts are on.",
        "fields": [
            {"name": "Tags", "value": "`agent`, `rl`"},
            {"name": "Keywords", "value": "`rope`"},
        ],
    }
    ko = await subscriptions.listing(ALICE, "ko")
    assert (ko["title"], ko["description"]) == ("내 주제 알림", "알림이 켜져 있습니다.")


async def test_listing_when_following_nothing(subscriptions: Subscriptions) -> None:
    assert await subscriptions.listing(ALICE, "ko") == {
        "title": "내 주제 알림",
        "description": "아직 구독이 없습니다. `/알림 구독`으로 태그를, `/알림 키워드`로"
        " 키워드를 구독해 보세요.",
    }


async def test_pause_and_resume_show_in_the_listing(
    subscriptions: Subscriptions, store: Store
) -> None:
    await subscriptions.follow_tag(ALICE, "llm", "ko")
    assert await subscriptions.pause(ALICE, "en") == (
        "Alerts paused. Nothing is saved up meanwhile; `/alerts resume` turns them back on."
    )
    assert (await subscriptions.listing(ALICE, "en"))["description"] == (
        "Alerts are paused: `/alerts resume` turns them back on."
    )
    assert (await subscriptions.listing(ALICE, "ko"))["description"].startswith(
        "알림이 일시 중지되었습니다."
    )
    assert await subscriptions.resume(ALICE, "en") == "Alerts are on again."
    assert (await subscriptions.listing(ALICE, "en"))["description"] == "Alerts are on."
    user = await store.alerts.get_user(ALICE)
    assert user is not None
    assert (user.paused, user.locale) == (False, "en")  # resume remembers the language


async def test_resume_in_korean(subscriptions: Subscriptions) -> None:
    await subscriptions.pause(ALICE, "ko")
    assert await subscriptions.resume(ALICE, "ko") == "알림을 다시 켰습니다."


async def test_a_long_keyword_unfollows_from_its_suggestion(subscriptions: Subscriptions) -> None:
    keyword = "a" * 95
    await subscriptions.follow_keyword(1, keyword, "en")
    [(label, value)] = await subscriptions.subscription_choices(1, "")
    assert len(value) <= 100
    assert label.startswith("“aaa")
    text = await subscriptions.unfollow(1, value, "en")
    assert keyword in text
    assert await subscriptions.subscription_choices(1, "") == []
