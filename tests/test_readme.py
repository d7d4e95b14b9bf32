"""The README's command-line claims, checked against the real command line.

The examples are read from the README's own code blocks, so this test follows the README: a
synopsis (a block with ``[options]``) must name every option of every command and nothing
else; every other ``paperbot`` line is run as written, on a fresh clone's layout (the bundled
samples at ``bot/sample_digests``, no ``config.toml``), and must exit with status 0 or the
``# exit N`` its comment gives; every ``error:`` line shown as an example is produced."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.settings import BUNDLED_DIGESTS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """``(language, lines)`` of every fenced code block."""
    return [
        (match.group(1), match.group(2).splitlines())
        for match in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)
    ]


def _paperbot_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("paperbot ")]


SH_BLOCKS = [_paperbot_lines(lines) for language, lines in _blocks(README) if language == "sh"]
SYNOPSES = [b for b in SH_BLOCKS if b and any("[" in line or "..." in line for line in b)]
EXAMPLES = [line for b in SH_BLOCKS if b and b not in SYNOPSES for line in b]
ERROR_LINES = [
    line
    for language, lines in _blocks(README)
    if not language
    for line in lines
    if line.startswith("error: ")
]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option not in ("--help", "--log-level")
    }


def test_the_readme_has_a_synopsis_and_examples() -> None:
    assert len(SYNOPSES) == 1
    assert len(EXAMPLES) >= 5
    assert len(ERROR_LINES) >= 3


def test_the_synopsis_names_every_command_and_option_and_no_other() -> None:
    (synopsis,) = SYNOPSES
    commands = _subcommands()
    shown = {line.split()[1]: line.split("#", 1)[0] for line in synopsis}
    assert set(shown) == set(commands)
    for name, line in shown.items():
        assert set(re.findall(r"--[a-z][a-z-]*", line)) == _options(commands[name]), name
    kind = next(a for a in commands["search"]._actions if "--kind" in a.option_strings)
    assert f"--kind {'|'.join(kind.choices or [])}" in shown["search"]


def _expected_status(line: str) -> int:
    _, _, comment = line.partition("  #")
    found = re.search(r"\bexit (\d)", comment)
    return int(found.group(1)) if found else 0


@pytest.fixture
def fresh_clone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh clone's layout: the samples where the README says, no configuration."""
    shutil.copytree(BUNDLED_DIGESTS, tmp_path / "bot" / "sample_digests")
    monkeypatch.chdir(tmp_path)
    for name in ("PAPERBOT_CONFIG", "DISCORD_TOKEN", "DISCORD_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.upper().startswith("PAPERBOT_")]:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_examples_run_as_written(fresh_clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for line in EXAMPLES:  # in order: the first one makes the store the others read
        argv = shlex.split(line, comments=True)[1:]
        status = main(argv)
        captured = capsys.readouterr()
        assert status == _expected_status(line), (line, captured.out, captured.err)
        if status == 0:
            assert captured.out.strip(), line  # each says something
            assert "error" not in captured.err, (line, captured.err)


def test_parse_output_is_not_wrapped_when_piped(
    fresh_clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = "bot/sample_digests/weekly-2024-05-13.txt"
    assert main(["parse", sample]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(len(line) > 100 for line in lines)  # long titles stay whole
    assert all(line.startswith(("  - ", sample)) for line in lines)  # one line per item


# --- the example error lines are what paperbot prints ---------------------------------------


def _config_fault(root: Path) -> list[str]:
    (root / "config.toml").write_text('[scheduler]\nalert_interval = "fast"\n', encoding="utf-8")
    return ["stats"]


def _unknown_variable(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("PAPERBOT_STOR__PATH", "x.db")
    return ["stats"]


def _cut_short(root: Path) -> list[str]:
    store = root / "data" / "paperbot.db"
    assert main(["ingest", "bot/sample_digests", "--db", str(store.relative_to(root))]) == 0
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    store.write_bytes(store.read_bytes()[:50000])
    return ["stats"]


@pytest.mark.parametrize("example", ERROR_LINES)
def test_each_example_error_line_is_what_paperbot_prints(
    example: str,
    fresh_clone: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if example.startswith("error: config.toml:"):
        argv = _config_fault(fresh_clone)
    elif example.startswith("error: PAPERBOT_STOR__PATH"):
        argv = _unknown_variable(fresh_clone, monkeypatch)
    elif "is cut short" in example:
        argv = _cut_short(fresh_clone)
    else:
        pytest.fail(f"no scenario for the README's example {example!r}: add one here")
    capsys.readouterr()
    status = main(argv)
    printed = capsys.readouterr().err.strip()
    assert status in (1, 2)
    pattern = re.escape(example).replace(r"\ ", " ")
    pattern = re.sub(r"\d+", r"\\d+", pattern)  # sizes differ from store to store
    assert re.fullmatch(pattern, printed), (example, printed)
