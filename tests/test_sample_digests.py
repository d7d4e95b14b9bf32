"""The bundled sample digests reach a store only where asked for: the playground's sandbox
and ``[digests] samples = true``. A store given explicit paths or a configured folder never
receives them, whichever entry point opens it."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.app import open_app
from bot.cli import main
from bot.playground import run_playground
from bot.settings import BUNDLED_DIGESTS, load_settings
from tests.e2e.conftest import restored_endpoints

SAMPLE_KEYS = 9  # documents in bot/sample_digests
NOTE = BUNDLED_DIGESTS / "notes" / "230808 Shepherd.md"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no config.toml, the default store under tmp_path/data
    for name in (
        "PAPERBOT_CONFIG",
        "PAPERBOT_STORE__PATH",
        "PAPERBOT_DIGESTS__PATHS",
        "PAPERBOT_DIGESTS__SAMPLES",
        "DISCORD_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)


def _documents(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT source FROM documents ORDER BY source").fetchall()
    conn.close()
    return [str(row[0]) for row in rows]


def _mine(tmp_path: Path) -> Path:
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(NOTE, mine / "my note.md")
    return mine


def test_cli_ingest_of_my_files_into_a_new_store_adds_no_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    assert main(["ingest", str(_mine(tmp_path)), "--db", str(db)]) == 0
    assert "new: 1" in capsys.readouterr().out
    assert _documents(db) == [str(tmp_path / "mine" / "my note.md")]
    assert main(["search", "환각", "--db", str(db)]) == 0  # the samples' papers are not there
    assert "No papers match" in capsys.readouterr().out


def test_cli_ingest_with_a_configured_folder_adds_no_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", json.dumps([str(_mine(tmp_path))]))
    db = tmp_path / "new.db"
    assert main(["ingest", "--db", str(db)]) == 0
    assert _documents(db) == [str(tmp_path / "mine" / "my note.md")]


@pytest.mark.parametrize("command", [["stats"], ["search", "환각"], ["random"]])
def test_cli_reads_of_a_new_store_add_no_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    db = tmp_path / "new.db"
    assert main([*command, "--db", str(db)]) == 0
    assert _documents(db) == []
    assert "empty, no [digests] paths are configured" in capsys.readouterr().err


def test_cli_samples_when_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__SAMPLES", "true")
    db = tmp_path / "new.db"
    assert main(["stats", "--db", str(db)]) == 0
    assert len(_documents(db)) == SAMPLE_KEYS


async def test_the_bots_app_opens_no_samples_unless_asked(tmp_path: Path) -> None:
    mine = _mine(tmp_path)
    for digests, expected in (
        ({}, 0),
        ({"paths": [mine]}, 1),
        ({"paths": [mine], "samples": True}, 1 + SAMPLE_KEYS),
    ):
        db = tmp_path / f"bot-{expected}.db"
        settings = load_settings(store={"path": db}, digests=digests)
        async with open_app(settings) as app:
            assert (await app.store.stats()).papers >= 0
        assert len(_documents(db)) == expected, digests


async def test_the_playground_uses_the_samples_in_its_sandbox_only(tmp_path: Path) -> None:
    configured = tmp_path / "data" / "paperbot.db"
    settings = load_settings(store={"path": configured})  # nothing configured: the default
    lines: list[str] = []
    with restored_endpoints():
        await run_playground(settings, stdin=io.StringIO("/search 환각\nquit\n"), out=lines.append)
    assert "Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?" in "\n".join(lines)
    assert not configured.exists()  # the real store is never opened
