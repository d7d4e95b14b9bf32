"""Related papers, the reading list and reading-list picks through the emulator, in Korean and
English: every command and every button, on the real bot and a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.render.limits import TOTAL, embed_length
from bot.render.markers import markers_in
from bot.settings import BUNDLED_DIGESTS
from bot.store.community.library import MAX_SAVED
from fakediscord import Message, MessageFlag, User
from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.conftest import Env, running_bot, started_bot
from tests.e2e.digests import write_weekly


async def paper_id(env: Env, title: str) -> int:
    page = await env.store.search(title, limit=1)
    assert page.hits, title
    return page.hits[0].paper.id


def custom_ids(message: Message) -> list[str]:
    return [str(c.get("custom_id")) for c in message.iter_components() if c.get("custom_id")]


def fits(message: Message) -> None:
    assert len(message.content) <= 2000
    assert sum(embed_length(embed) for embed in message.embeds) <= TOTAL
    assert not message.pings


async def test_paper_show_has_related_and_save_buttons_in_korean(env: Env) -> None:
    pid = await paper_id(env, "BRAIn Bayesian Reward-conditioned")
    ix = await env.fake.slash(env.alice, env.channel, "paper show", {"title": str(pid)})
    shown = await ix.original_message()
    assert [b["label"] for b in shown.buttons] == ["관련 논문", "저장"]
    assert custom_ids(shown) == [f"paper:related:{pid}", f"paper:save:{pid}"]

    click = await env.fake.click(shown, f"paper:related:{pid}", user=env.alice, locale="ko")
    related = await click.original_message()
    assert related.ephemeral
    fits(related)
    embed = related.embeds[0]
    assert embed["title"].startswith("관련 논문: BRAIn")
    description = embed["description"]
    assert "**1.**" in description
    assert "**6.**" not in description
    assert "공통점: #" in description
    assert "BRAIn" not in description  # never the paper itself
    assert "RLHF" in description or "Realignment" in description

    click = await env.fake.click(shown, f"paper:save:{pid}", user=env.alice, locale="ko")
    saved = await click.original_message()
    assert saved.ephemeral
    assert "내 서재에 저장했습니다 (1/" in saved.text
    again = await env.fake.click(shown, f"paper:save:{pid}", user=env.alice, locale="ko")
    assert "이미 내 서재에 있습니다" in (await again.original_message()).text
    # someone else's press saves to their own list
    other = await env.fake.click(shown, f"paper:save:{pid}", user=env.bob, locale="en-US")
    assert "Saved «BRAIn" in (await other.original_message()).text
    assert [s.paper_id for s in await env.store.library.saved(env.alice.id)] == [pid]
    assert [s.paper_id for s in await env.store.library.saved(env.bob.id)] == [pid]


async def test_paper_related_command_in_english(env: Env) -> None:
    ix = await env.fake.slash(
        env.bob, env.channel, "paper related", {"title": "Decoding-time Realignment"}
    )
    reply = await ix.original_message()
    fits(reply)
    embed = reply.embeds[0]
    assert embed["title"] == "Related to: Decoding-time Realignment of Language Models"
    lines = [line for line in embed["description"].splitlines() if line.startswith("**")]
    assert 1 <= len(lines) <= 5
    assert "shares: #rlhf" in embed["description"]
    assert "closest first" in embed["footer"]["text"]
    assert "Decoding-time Realignment" not in embed["description"]

    ix = await env.fake.slash(
        env.alice, env.channel, "paper related", {"title": "Decoding-time Realignment"}
    )
    korean = await ix.original_message()
    fits(korean)
    assert korean.embeds[0]["title"].startswith("관련 논문: Decoding-time Realignment")
    assert "공통점: #rlhf" in korean.embeds[0]["description"]
    assert "가까운 순" in korean.embeds[0]["footer"]["text"]

    ix = await env.fake.slash(env.bob, env.channel, "paper related", {"title": "qqqzzzxx"})
    missing = await ix.original_message()
    assert missing.flags & MessageFlag.EPHEMERAL
    assert "No paper matches" in missing.content


async def test_random_paper_and_search_details_can_be_saved(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "paper random", {"tag": "rlhf"})
    shown = await ix.original_message()
    assert [b["label"] for b in shown.buttons] == ["Related", "Save"]

    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "chameleon"})
    results = await ix.original_message()
    menu = next(c for c in results.iter_components() if c.get("type") == 3)
    pick = await env.fake.select(
        results, "search:details", [menu["options"][0]["value"]], user=env.bob
    )
    detail = await pick.original_message()
    assert detail.ephemeral
    assert detail.embeds[0]["title"].startswith("Chameleon")
    save_id = next(i for i in custom_ids(detail) if i.startswith("paper:save:"))
    click = await env.fake.click(detail, save_id, user=env.bob)
    assert "Saved «Chameleon" in (await click.original_message()).text


async def save_all(env: Env, user: User, count: int) -> list[int]:
    rows = await env.store.db.fetch("SELECT id FROM papers ORDER BY id LIMIT ?", (count,))
    ids = [int(row[0]) for row in rows]
    for pid in ids:
        assert await env.store.library.save(user.id, pid) == "saved"
        env.clock.advance(seconds=1)
    return ids


async def test_library_list_pages_newest_first_in_both_languages(env: Env) -> None:
    ids = await save_all(env, env.alice, 12)
    newest = await env.store.get_paper(ids[-1])
    assert newest is not None
    ix = await env.fake.slash(env.alice, env.channel, "library list", {}, locale="ko")
    first = await ix.original_message()
    assert first.ephemeral
    fits(first)
    embed = first.embeds[0]
    assert embed["title"] == "내 서재"
    # the newest saved paper first, as a link when it has one
    first_line = embed["description"].split("\n")[0]
    assert first_line.startswith((f"**1.** [{newest.title[:20]}", f"**1.** **{newest.title[:20]}"))
    assert "**10.**" in embed["description"]
    assert "**11.**" not in embed["description"]
    assert f"12편 저장 (최대 {MAX_SAVED}편) · 1/2 페이지" in embed["footer"]["text"]
    assert [b["label"] for b in first.buttons] == ["이전", "다음"]

    click = await env.fake.click(first, "page:next", user=env.alice)
    await click.response()
    second = env.fake.world.find_message(first.id)
    assert second is not None
    assert "**11.**" in second.embeds[0]["description"]
    assert "2/2" in second.embeds[0]["footer"]["text"]

    ix = await env.fake.slash(env.bob, env.channel, "library list", {})
    empty = await ix.original_message()
    assert empty.ephemeral
    assert "Your library is empty" in empty.text


async def test_library_remove_with_autocomplete_and_export_in_a_dm(env: Env) -> None:
    ids = await save_all(env, env.bob, 4)
    papers = await env.store.get_papers(ids)
    target = papers[0]
    choices = await (
        await env.fake.autocomplete(
            env.bob, None, "library remove", {"title": target.title[:6]}, focused="title"
        )
    ).choices()
    assert str(target.id) in [c["value"] for c in choices]
    ix = await env.fake.slash(env.bob, None, "library remove", {"title": str(target.id)})
    removed = await ix.original_message()
    assert "Removed «" in removed.text
    ix = await env.fake.slash(env.bob, None, "library remove", {"title": str(target.id)})
    assert "is not in your library" in (await ix.original_message()).text
    await env.store.library.save(env.alice.id, target.id)
    ix = await env.fake.slash(
        env.alice, env.channel, "library remove", {"title": target.title[:8]}, locale="ko"
    )
    korean = await ix.original_message()
    assert korean.ephemeral
    assert "내 서재에서 뺐습니다" in korean.text

    ix = await env.fake.slash(env.bob, None, "library export", {})
    exported = await ix.original_message()
    assert exported.ephemeral
    assert "3 papers" in exported.text
    (attachment,) = exported.attachments
    assert attachment.filename == "paperbot-library.md"
    markdown = attachment.data.decode("utf-8")
    assert markdown.startswith("# My paperbot library")
    kept = papers[1:]
    for paper in kept:
        assert paper.title.replace("[", "(").replace("]", ")") in markdown
    for paper in kept:
        if paper.arxiv_id:
            assert f"eprint = {{{paper.arxiv_id}}}" in markdown
    assert target.title not in markdown

    ix = await env.fake.slash(env.alice, None, "library export", {}, locale="ko")
    nothing = await ix.original_message()
    assert "내 서재가 비어 있습니다" in nothing.text


async def test_library_is_user_installable_and_usable_in_dms(env: Env) -> None:
    commands = {c.name: c.payload() for c in env.fake.commands.all()}
    library = commands["library"]
    assert set(library["integration_types"]) == {0, 1}
    assert set(library["contexts"]) == {0, 1, 2}
    assert library["name_localizations"]["ko"] == "서재"
    assert {o["name"] for o in library["options"]} == {"list", "remove", "export"}


@pytest.fixture
def incoming(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


MOE_PAPER = (
    "Routing Tokens in Sparse Mixture-of-Experts",
    "전문가 혼합 라우팅을 개선하는 방법입니다.",
    "We improve token routing in sparse mixture-of-experts language models with load"
    " balancing for experts.",
)
OTHER_PAPERS = [
    (
        "Protein Folding with Graph Diffusion",
        "단백질 구조 예측입니다.",
        "A graph diffusion model for protein structure prediction.",
    ),
    (
        "Faster Speech Codecs",
        "음성 코덱입니다.",
        "Neural speech codecs with lower latency for streaming audio.",
    ),
]


async def test_picks_come_in_the_same_single_alert_dm(tmp_path: Path, incoming: Path) -> None:
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        moe = await paper_id(env, "From Sparse to Soft Mixtures of Experts")
        assert await env.store.library.save(env.alice.id, moe) == "saved"
        ix = await env.fake.slash(env.alice, env.channel, "alerts follow", {"tag": "llm"})
        await ix.original_message()
        ix = await env.fake.slash(
            env.alice, env.channel, "alerts recommend", {"mode": "on"}, locale="ko"
        )
        assert "최대 3편" in (await ix.original_message()).text
        ix = await env.fake.slash(env.bob, None, "alerts recommend", {"mode": "on"})
        text = (await ix.original_message()).text
        assert "three papers" in text
        assert "Your library is empty" in text  # bob saved nothing: no picks for him

        write_weekly(incoming, env.clock().date(), [*OTHER_PAPERS, MOE_PAPER])
        await env.bot.jobs.poll("local")
        await env.bot.jobs.drain_alerts()
        await env.bot.jobs.poll("local")
        await env.bot.jobs.drain_alerts()

        (dm,) = env.fake.dms(env.alice)
        fits(dm)
        fields = {f["name"]: f["value"] for f in dm.embeds[0]["fields"]}
        picks = fields["내 서재를 바탕으로 고른 논문"]
        assert picks.startswith("• [Routing Tokens in Sparse Mixture-of-Experts]")
        assert "공통점:" in picks
        assert "Protein" not in picks.split("\n")[0]
        assert env.fake.dms(env.bob) == []
        assert custom_ids(dm) == ["papers:save", "papers:related"]

        moe_new = await paper_id(env, "Routing Tokens in Sparse Mixture-of-Experts")
        pick = await env.fake.select(dm, "papers:save", [str(moe_new)], user=env.alice)
        assert "내 서재에 저장했습니다 (2/" in (await pick.original_message()).text
        pick = await env.fake.select(dm, "papers:related", [str(moe_new)], user=env.alice)
        related = await pick.original_message()
        assert "From Sparse to Soft Mixtures of Experts" in related.embeds[0]["description"]

        ix = await env.fake.slash(env.alice, env.channel, "alerts recommend", {"mode": "off"})
        assert "더 이상" in (await ix.original_message()).text
        assert not await env.store.library.recommend(env.alice.id)


async def test_picks_alone_make_one_dm_with_the_alert_marker(
    tmp_path: Path, incoming: Path
) -> None:
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        moe = await paper_id(env, "From Sparse to Soft Mixtures of Experts")
        await env.store.library.save(env.bob.id, moe)
        ix = await env.fake.slash(env.bob, None, "alerts recommend", {"mode": "on"})
        await ix.original_message()
        write_weekly(incoming, env.clock().date(), [*OTHER_PAPERS, MOE_PAPER])
        await env.bot.jobs.poll("local")
        await env.bot.jobs.drain_alerts()
        (dm,) = env.fake.dms(env.bob)
        embed = dm.embeds[0]
        assert embed["title"] in ("1 paper picked for you", "2 papers picked for you")
        # the marker that makes the DM exactly-once is there, where nobody reads it
        (marker,) = markers_in(dm.embeds)
        assert marker.startswith("paperbot:alert:")
        assert "paperbot" not in dm.text
        assert "Routing Tokens" in dm.text


async def test_announcement_thread_buttons_work_after_a_restart(env: Env) -> None:
    env.fake.limiter.config = RateLimitConfig(enabled=False)
    admin = env.fake.world.add_user("admin", locale="en-US")
    env.guild.add_member(admin, admin=True)
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    await ix.original_message()
    (thread,) = env.guild.threads()
    posts = env.fake.messages(thread)
    assert posts
    first = posts[0]
    related_id, save_id = custom_ids(first)
    assert related_id.startswith("paper:related:")
    assert save_id.startswith("paper:save:")
    assert [b["label"] for b in first.buttons] == ["관련 논문", "저장"]  # the server's language

    await env.bot.close()  # a new process: nothing of the old one is left in memory
    async with started_bot(env.fake, env.store, env.settings, env.clock):
        click = await env.fake.click(first, save_id, user=env.bob, locale="en-US")
        saved = await click.original_message()
        assert saved.ephemeral
        assert "Saved «" in saved.text
        click = await env.fake.click(first, related_id, user=env.alice, locale="ko")
        related = await click.original_message()
        assert related.ephemeral
        assert related.embeds[0]["title"].startswith("관련 논문: ")
