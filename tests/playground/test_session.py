"""The playground: the real bot on the emulator, driven by typed lines."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from bot.i18n import t
from bot.playground import BANNER, run_playground
from bot.settings import BUNDLED_DIGESTS, load_settings
from tests.e2e.conftest import restored_endpoints


async def test_playground_answers_search_and_buttons(tmp_path: Path) -> None:
    lines: list[str] = []
    stdin = io.StringIO(
        "help\n/search 환각\npick 1\n/search model\npress 2\nlang ko\n"
        "/paper random tag:rlhf\n/nonsense\npress 9\nquit\n"
    )
    settings = load_settings(
        store={"path": tmp_path / "db.sqlite"}, digests={"paths": [BUNDLED_DIGESTS]}
    )
    with restored_endpoints():
        await run_playground(settings, stdin=stdin, out=lines.append)
    text = "\n".join(lines)
    assert lines[0] == BANNER  # first thing shown: this is the playground, and how to leave it
    assert lines[0].startswith("paperbot playground")
    assert "DISCORD_TOKEN" in lines[0]
    assert "== Search: 환각 ==" in text
    assert "Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?" in text
    assert "(only you can see this)" in text  # the detail view picked from the menu
    assert "page 2/" in text  # pressed Next
    assert "-- 태그:" in text  # Korean client after `lang ko`
    assert "#rlhf" in text
    assert "unknown command" in text
    assert "no such button" in text


async def test_playground_announces_once_and_sends_the_follower_a_dm(tmp_path: Path) -> None:
    lines: list[str] = []
    stdin = io.StringIO(
        "/alerts follow rlhf\n/settings channel channel:papers\nnew issue\n"
        "wait\nwait\n/status\nquit\n"
    )
    settings = load_settings(
        store={"path": tmp_path / "db.sqlite"}, digests={"paths": [BUNDLED_DIGESTS]}
    )
    with restored_endpoints():
        await run_playground(settings, stdin=stdin, out=lines.append)
    text = "\n".join(lines)
    dm = text.index("DM from paperbot")
    assert "Reducing Reward Hacking in RLHF #1" in text[dm:]
    first_wait, second_wait = (i for i, line in enumerate(lines) if line == "> wait")
    posted = "\n".join(lines[first_wait:second_wait])
    # the overview, once (its footer; the recovery marker is hidden from readers)
    assert posted.count(t("announce.thread_hint", "ko")) == 1
    assert "paperbot:issue" not in text
    assert "paperbot:alert" not in text
    assert "2 messages" in posted  # the thread with both papers
    assert "nothing was due" in "\n".join(lines[second_wait:])
    assert "sent 1" in text  # /status counts the one alert


async def test_the_playground_never_touches_the_configured_store(tmp_path: Path) -> None:
    from bot.ingest.files import ingest_paths
    from bot.store import Store

    configured = tmp_path / "data" / "paperbot.db"
    async with await Store.open(configured) as store:
        await ingest_paths(store, [BUNDLED_DIGESTS])
    before = configured.read_bytes()
    siblings = sorted(p.name for p in configured.parent.iterdir())
    settings = load_settings(store={"path": configured}, digests={"paths": [BUNDLED_DIGESTS]})
    lines: list[str] = []
    stdin = io.StringIO(
        "/alerts follow rlhf\n/settings channel channel:papers\nnew issue\nwait\n"
        "/digest latest\nquit\n"
    )
    with restored_endpoints():
        await run_playground(settings, stdin=stdin, out=lines.append)
    assert "playground demo #1" in "\n".join(lines)  # the made-up issue was stored somewhere
    assert configured.read_bytes() == before
    assert sorted(p.name for p in configured.parent.iterdir()) == siblings


async def test_the_playground_creates_no_configured_store(tmp_path: Path) -> None:
    configured = tmp_path / "data" / "paperbot.db"
    settings = load_settings(store={"path": configured}, digests={"paths": [BUNDLED_DIGESTS]})
    with restored_endpoints():
        await run_playground(settings, stdin=io.StringIO("/search 환각\nquit\n"), out=print)
    assert not configured.parent.exists()


async def test_playground_refuses_what_discord_would_not_send(tmp_path: Path) -> None:
    lines: list[str] = []
    stdin = io.StringIO(
        "/search llm tga:rlhf\n"
        "/settings timezone tz:America/New_York\n"
        "/settings channel channel:papers\n"
        "/settings schedule weekday:someday time:09:00\n"
        "/settings schedule weekday:월요일 time:10:30\n"
        "/settings schedule weekday:fri time:08:00\n"
        "lang fr\nlang ko\n/검색 환각\n/논문 랜덤 태그:rlhf\nquit\n"
    )
    settings = load_settings(
        store={"path": tmp_path / "db.sqlite"}, digests={"paths": [BUNDLED_DIGESTS]}
    )
    with restored_endpoints():
        await run_playground(settings, stdin=stdin, out=lines.append)
    text = "\n".join(lines)
    assert "/search has no option tga:; did you mean tag?" in text
    assert "== Search: llm tga:rlhf ==" not in text  # never searched as query text
    assert "/settings timezone has no option tz:" in text
    assert "weekday: 'someday' is not one of Monday" in text
    assert "Traceback" not in text
    assert "#papers" in text  # the channel as Discord shows it
    assert "<#" not in text
    assert "Monday 10:30" in text  # 월요일 picked Monday
    assert "Friday 08:00" in text  # a unique prefix picks its day
    assert "lang takes one of: ko, en (not 'fr')" in text
    assert "now answering as a ko client" in text
    assert "== 검색: 환각 ==" in text
    assert "unknown command" not in text
    assert "#rlhf" in text


async def test_playground_trends_saves_the_chart_and_prints_its_path(tmp_path: Path) -> None:
    lines: list[str] = []
    stdin = io.StringIO("/trends weeks:16\nlang ko\n/trends\nquit\n")
    settings = load_settings(
        store={"path": tmp_path / "db.sqlite"}, digests={"paths": [BUNDLED_DIGESTS]}
    )
    with restored_endpoints():
        await run_playground(settings, stdin=stdin, out=lines.append)
    text = "\n".join(lines)
    assert "Rising: `diffusion`" in text
    assert "떠오르는 태그: 비교할 기록이 부족합니다" in text
    saved = [Path(line.rsplit(": ", 1)[1]) for line in lines if "[file]" in line]
    assert [path.name for path in saved] == [
        "trends-2024-05-13-16w-en.png",
        "trends-2024-05-13-12w-ko.png",
    ]
    try:
        for path in saved:
            assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    finally:
        shutil.rmtree(saved[0].parent)


async def test_playground_related_save_and_library(tmp_path: Path) -> None:
    lines: list[str] = []
    stdin = io.StringIO(
        "save\n/paper show Chameleon\npress 1\nsave\n/search 환각\npick 1\nsave\n"
        "/paper related RLHF Workflow\nlang ko\n/library list\n/library export\nquit\n"
    )
    settings = load_settings(
        store={"path": tmp_path / "db.sqlite"}, digests={"paths": [BUNDLED_DIGESTS]}
    )
    with restored_endpoints():
        await run_playground(settings, stdin=stdin, out=lines.append)
    text = "\n".join(lines)
    assert "the last reply shows no paper to save" in text
    assert "[1] Related   [2] Save" in text  # /paper show's buttons
    assert "== Related to: Chameleon" in text  # press 1
    assert "shares: " in text
    assert text.count("Saved «") == 2  # Chameleon, and the paper picked from the search
    assert "== Related to: RLHF Workflow" in text
    listing = text[text.index("== 내 서재 ==") :]
    assert "**1.** [Does Fine-Tuning LLMs" in listing  # newest first
    assert "**2.** [Chameleon" in listing
    assert "(attached: paperbot-library.md" in text
