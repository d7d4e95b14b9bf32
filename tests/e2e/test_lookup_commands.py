"""Every lookup command, autocomplete and button through the emulator, in Korean and English."""

from __future__ import annotations

import pytest

from fakediscord import CallbackType, MessageFlag
from tests.e2e.conftest import Env


async def test_commands_are_synced_with_korean_names(env: Env) -> None:
    commands = {c.name: c.payload() for c in env.fake.commands.all()}
    assert {"search", "paper", "digest", "tags"} <= set(commands)
    assert commands["search"]["name_localizations"]["ko"] == "검색"
    assert commands["search"]["description_localizations"]["ko"] == "한국어나 영어로 논문 검색"
    paper_subs = {o["name"] for o in commands["paper"]["options"]}
    assert paper_subs == {"random", "show", "related"}


async def test_search_korean_two_syllables_answers_in_korean(env: Env) -> None:
    ix = await env.fake.slash(env.alice, env.channel, "search", {"query": "환각"}, locale="ko")
    reply = await ix.original_message()
    embed = reply.embeds[0]
    assert embed["title"] == "검색: 환각"
    assert "Hallucination" in embed["description"]
    assert "페이지" in embed["footer"]["text"]
    assert not reply.pings
    assert reply.allowed_mentions == {"parse": []}


async def test_search_english_and_pagination_buttons(env: Env) -> None:
    ix = await env.fake.slash(
        env.bob, env.channel, "search", {"query": "language models"}, locale="en-US"
    )
    first = await ix.original_message()
    assert first.embeds[0]["title"] == "Search: language models"
    labels = [b["label"] for b in first.buttons]
    assert labels == ["Previous", "Next"]
    assert first.buttons[0].get("disabled") is True
    assert "page 1/" in first.embeds[0]["footer"]["text"]

    page_one = first.embeds[0]["description"]
    click = await env.fake.click(first, "page:next", user=env.bob)
    response = await click.response()
    assert response.type == CallbackType.UPDATE_MESSAGE
    second = env.fake.world.find_message(first.id)
    assert second is not None
    assert "page 2/" in second.embeds[0]["footer"]["text"]
    assert second.embeds[0]["description"] != page_one
    assert "**6.**" in second.embeds[0]["description"]


async def test_only_the_searcher_can_page(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "model"})
    message = await ix.original_message()
    other = await env.fake.click(message, "page:next", user=env.alice, locale="ko")
    warning = await other.original_message()
    assert warning.flags & MessageFlag.EPHEMERAL
    assert "명령을 실행한 사람만" in warning.content
    assert "page 1/" in env.fake.world.find_message(message.id).embeds[0]["footer"]["text"]


async def test_detail_menu_shows_the_paper(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "chameleon"})
    message = await ix.original_message()
    menu = next(c for c in message.iter_components() if c.get("type") == 3)
    assert menu["options"][0]["label"].startswith("1. Chameleon")
    pick = await env.fake.select(
        message, "search:details", [menu["options"][0]["value"]], user=env.bob
    )
    detail = await pick.original_message()
    assert detail.flags & MessageFlag.EPHEMERAL
    embed = detail.embeds[0]
    assert embed["title"].startswith("Chameleon")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "weekly 2024-05-13" in fields["Appeared in"]


async def test_search_with_tag_and_kind_filters(env: Env) -> None:
    ix = await env.fake.slash(
        env.bob, env.channel, "search", {"query": "model", "tag": "rlhf", "kind": "daily"}
    )
    reply = await ix.original_message()
    description = reply.embeds[0]["description"]
    assert "#rlhf" in description
    assert "weekly" not in description


async def test_empty_result_suggests_something(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "zzzqqxx wwvvyy"})
    reply = await ix.original_message()
    assert reply.flags & MessageFlag.EPHEMERAL
    assert "No papers match" in reply.content
    assert "환각" in reply.content  # the other-language hint
    assert "Popular tags" in reply.content


async def test_unknown_tag_names_the_nearest(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "model", "tag": "rlfh"})
    reply = await ix.original_message()
    assert "There is no tag `rlfh`" in reply.content
    assert "`rlhf`" in reply.content


async def test_tag_autocomplete(env: Env) -> None:
    ix = await env.fake.autocomplete(
        env.bob, env.channel, "search", {"query": "x", "tag": "rl"}, focused="tag"
    )
    choices = await ix.choices()
    assert choices
    assert all(c["value"].startswith("rl") for c in choices)
    assert "rlhf" in [c["value"] for c in choices]


async def test_paper_show_with_title_autocomplete(env: Env) -> None:
    ix = await env.fake.autocomplete(
        env.alice, env.channel, "paper show", {"title": "You On"}, focused="title"
    )
    choices = await ix.choices()
    assert choices[0]["name"].startswith("You Only Cache Once")
    show = await env.fake.slash(
        env.alice, env.channel, "paper show", {"title": choices[0]["value"]}, locale="ko"
    )
    reply = await show.original_message()
    embed = reply.embeds[0]
    assert embed["title"].startswith("You Only Cache Once")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert {"저자", "태그", "수록"} <= set(fields)
    assert "주간 2024-05-13" in fields["수록"]
    assert "일간 2024-05-09" in fields["수록"]


async def test_paper_show_by_typed_title_and_missing_paper(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "paper show", {"title": "RLHF Workflow"})
    assert (await ix.original_message()).embeds[0]["title"].startswith("RLHF Workflow")
    ix = await env.fake.slash(env.bob, env.channel, "paper show", {"title": "qqqzzz"})
    reply = await ix.original_message()
    assert reply.flags & MessageFlag.EPHEMERAL
    assert "No paper matches" in reply.content


async def test_digit_like_titles_get_an_answer_not_an_error(env: Env) -> None:
    for title in ("²", "٣", "１２", "-1", "9" * 30, " 0 "):
        for command in ("paper show", "paper related"):
            ix = await env.fake.slash(env.bob, env.channel, command, {"title": title})
            reply = await ix.original_message()
            assert "Something went wrong" not in reply.text, (command, title, reply.text)


async def test_paper_random_with_tag(env: Env) -> None:
    for _ in range(3):
        ix = await env.fake.slash(env.bob, env.channel, "paper random", {"tag": "rlhf"})
        embed = (await ix.original_message()).embeds[0]
        tags = {f["name"]: f["value"] for f in embed["fields"]}["Tags"]
        assert "#rlhf" in tags


async def test_digest_latest_list_and_tags(env: Env) -> None:
    ix = await env.fake.slash(
        env.alice, env.channel, "digest latest", {"kind": "weekly"}, locale="ko"
    )
    latest = (await ix.original_message()).embeds[0]
    assert latest["title"] == "최신 다이제스트"
    assert "이번 주의 주요 ML 논문" in latest["description"]
    assert "일간" not in latest["description"]

    ix = await env.fake.slash(env.bob, env.channel, "digest list")
    listing = await ix.original_message()
    assert listing.embeds[0]["title"] == "Digests"
    assert listing.embeds[0]["footer"]["text"] == "1/1"
    assert all(b.get("disabled") for b in listing.buttons)

    ix = await env.fake.slash(env.bob, env.channel, "tags")
    tags = (await ix.original_message()).embeds[0]
    assert tags["title"] == "Tags"
    assert "`#llm`" in tags["description"]


async def test_buttons_retire_when_the_view_expires(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.discord.views.VIEW_TIMEOUT", 0.3)
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "model"})
    message = await ix.original_message()
    assert not message.buttons[1].get("disabled")

    def retired() -> bool:
        current = env.fake.world.find_message(message.id)
        return current is not None and all(b.get("disabled") for b in current.buttons)

    await env.fake.wait_until(retired, within=5.0)
    current = env.fake.world.find_message(message.id)
    assert current is not None
    menu = next(c for c in current.iter_components() if c.get("type") == 3)
    assert menu.get("disabled") is True
