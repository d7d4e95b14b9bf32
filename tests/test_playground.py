"""The playground: the real bot on the emulator, driven by typed lines."""

from __future__ import annotations

import io
from pathlib import Path

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
