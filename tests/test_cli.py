"""The command line on the bundled samples: the JSON contract, exit codes, counts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import BUNDLED_DIGESTS


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # the default store goes to tmp_path/data
    for name in (
        "PAPERBOT_CONFIG",
        "PAPERBOT_STORE__PATH",
        "PAPERBOT_DIGESTS__PATHS",
        "DISCORD_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    # These tests search the bundled samples: a new store gets them only when asked.
    monkeypatch.setenv("PAPERBOT_DIGESTS__SAMPLES", "true")


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_parse_json_covers_every_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_json(capsys, "parse", str(BUNDLED_DIGESTS), "--json")
    assert code == 0
    assert out["errors"] == []
    kinds = sorted(doc["kind"] for doc in out["documents"])
    assert kinds == ["daily", "daily"] + ["note"] * 6 + ["weekly"]
    weekly = next(doc for doc in out["documents"] if doc["kind"] == "weekly")
    assert weekly["period_start"] == "2024-05-13"
    assert weekly["period_end"] == "2024-05-19"
    assert weekly["date"] == "2024-05-13"
    first = weekly["papers"][0]
    assert first["title_en"] == "GPT-4o"
    assert set(first) >= {"title_en", "title_ko", "authors", "tags", "links"}
    assert all(
        set(link) == {"kind", "url"} for paper in weekly["papers"] for link in paper["links"]
    )


def test_parse_reports_bad_file_with_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "garbage.txt"
    bad.write_bytes(b"\x00\x01\x02 not a digest \x00" * 10)
    good = BUNDLED_DIGESTS / "daily-2024-05-09.txt"
    code, out = run_json(capsys, "parse", str(bad), str(good), "--json")
    assert code == 1
    assert [doc["source"] for doc in out["documents"]] == [str(good)]
    assert out["errors"][0]["source"] == str(bad)
    assert out["errors"][0]["line"] >= 1
    assert out["errors"][0]["message"]


def test_ingest_counts_then_is_idempotent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERBOT_DIGESTS__SAMPLES", "false")  # no first fill: this ingest alone
    digests = tmp_path / "digests"
    shutil.copytree(BUNDLED_DIGESTS, digests)
    db = str(tmp_path / "store.db")
    assert main(["ingest", str(digests), "--db", db]) == 0
    assert "new: 9  updated: 0  unchanged: 0  failed: 0" in capsys.readouterr().out
    assert main(["ingest", str(digests), "--db", db]) == 0
    assert "new: 0  updated: 0  unchanged: 9  failed: 0" in capsys.readouterr().out

    daily = digests / "daily-2024-05-09.txt"
    daily.write_text(
        daily.read_text(encoding="utf-8").replace("#efficiency", "#efficiency #yoco"),
        encoding="utf-8",
    )
    (digests / "broken.txt").write_text("", encoding="utf-8")
    assert main(["ingest", str(digests), "--db", db]) == 1
    captured = capsys.readouterr()
    assert "new: 0  updated: 1  unchanged: 8  failed: 1" in captured.out
    assert "broken.txt" in captured.err


def test_search_json_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    code, out = run_json(capsys, "search", "환각", "--json", "--db", db)
    assert code == 0
    assert out["query"] == "환각"
    assert out["results"], "the bundled samples mention 환각"
    top = out["results"][0]
    assert set(top) == {"id", "title_en", "title_ko", "score", "tags", "mentions"}
    assert "Hallucination" in (top["title_en"] or "")
    assert all(set(m) == {"issue_title", "kind", "date"} for m in top["mentions"])
    scores = [r["score"] for r in out["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_filters_and_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    code, out = run_json(
        capsys, "search", "model", "--kind", "weekly", "--limit", "2", "--json", "--db", db
    )
    assert code == 0
    assert 0 < len(out["results"]) <= 2
    assert all(any(m["kind"] == "weekly" for m in r["mentions"]) for r in out["results"])
    code, out = run_json(capsys, "search", "model", "--tag", "rlhf", "--json", "--db", db)
    assert out["results"]
    assert all("rlhf" in r["tags"] for r in out["results"])


def test_random_and_stats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    code, paper = run_json(capsys, "random", "--tag", "rlhf", "--json", "--db", db)
    assert code == 0
    assert "rlhf" in paper["tags"]
    code, stats = run_json(capsys, "stats", "--json", "--db", db)
    assert stats["papers"] > 20
    assert stats["documents"] == {"weekly": 1, "daily": 2, "note": 6}


def test_hostile_search_input_never_crashes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "store.db")
    for query in ['"', "AND(", "*", "NEAR(a b)", "-", "!!!", "a" * 5000]:
        code, out = run_json(capsys, "search", query, "--json", "--db", db)
        assert code == 0
        assert isinstance(out["results"], list)


def test_console_command_runs_as_a_program(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "search", "hallucinations", "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Hallucination" in done.stdout
    assert "new store" in done.stderr


def _cli(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The real command, its output piped (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_search_takes_words_without_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["search", "large", "language", "model"])
    out = capsys.readouterr().out
    assert code == 0
    assert "match 'large language model'" in out
    assert "Decoding-time Realignment of Language Models" in out


def test_a_tag_as_people_type_it_or_the_nearest_tags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "audio", "--tag", "#Large_Language_Models"]) == 0
    out = capsys.readouterr().out
    assert "WavCraft: Audio Editing and Generation with Large Language Models" in out  # llm
    assert main(["search", "model", "--tag", "rlhff"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "error: no tag 'rlhff'; did you mean rlhf?"
    assert captured.out == ""
    assert main(["random", "--tag", "nosuch"]) == 2
    assert "no tag 'nosuch'" in capsys.readouterr().err


async def test_one_line_per_result_with_the_newest_mentions(tmp_path: Path) -> None:
    import datetime as dt

    from bot.store import Store
    from tests.store.builders import daily, paper

    db = tmp_path / "many.db"
    async with await Store.open(db) as store:
        days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(6)]
        await store.ingest(
            [daily(day, paper("Mixture of Mentions", arxiv_id="2401.00001")) for day in days]
        )
    done = _cli(tmp_path, "search", "mixture", "of", "mentions", "--db", str(db))
    assert done.returncode == 0
    (line,) = [row for row in done.stdout.splitlines() if "Mixture of Mentions" in row]
    assert line.endswith("(daily 2024-01-06, daily 2024-01-05, daily 2024-01-04 +3 more)")
    # first, not only: a paper with some of the words follows (issue 17, partial matches)
    assert line.startswith("  1. [")
    assert "papers match 'mixture of mentions':" in done.stdout


def test_piped_output_is_not_wrapped_and_a_closed_pipe_is_fine(tmp_path: Path) -> None:
    done = _cli(tmp_path, "search", "hallucination", "benchmark")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert any(len(line) > 100 for line in lines)  # long titles stay on their line
    assert lines[0].endswith("'hallucination benchmark':")
    assert all(re.match(r"^ *\d+\. \[\d+\] ", line) for line in lines[1:])  # one per result
    shown = _cli(tmp_path, "random", "--tag", "hallucination")
    tags_line = next(line for line in shown.stdout.splitlines() if line.startswith("#"))
    assert "#hallucination" in tags_line  # the tags line is never split mid-tag
    piped = subprocess.run(
        f"{sys.executable} -m bot search model | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert piped.returncode == 0
    assert "Traceback" not in piped.stderr
    assert "BrokenPipe" not in piped.stderr


def test_whole_file_errors_name_the_file_without_a_line_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["parse", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"error: {missing}: cannot read file" in err
    assert ":0:" not in err
