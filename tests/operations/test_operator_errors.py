"""Every operator mistake ends in one line on stderr through the real command line: what is
wrong, the file or variable at fault, what to do; status 2 for the configuration, 1 at run
time; a traceback only at --log-level DEBUG; never the token."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import BUNDLED_DIGESTS
from fakediscord import FakeDiscord

from .helpers import clean_env, one_line, paperbot

SECRET = "operator-token-never-shown"


# --- configuration: status 2 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[store\npath = "x.db"\n', ["config.toml", "not valid TOML", "line 1"]),
        ('[store]\npth = "typo.db"\n', ["config.toml", "unknown setting [store] pth"]),
        ('[stor]\npath = "x.db"\n', ["config.toml", "unknown section [stor]"]),
        ('[scheduler]\nalert_interval = "fast"\n', ["config.toml", "[scheduler] alert_interval"]),
        (f'DISCORD_TOKEN = "{SECRET}"\n', ["config.toml", "DISCORD_TOKEN", "environment"]),
        (f'discord_token = "{SECRET}"\n', ["config.toml", "discord_token", "environment"]),
        (f'[discord]\ntoken = "{SECRET}"\n', ["config.toml", "discord.token", "environment"]),
    ],
)
def test_a_bad_config_file_is_one_line_naming_it(
    tmp_path: Path, toml: str, expected: list[str]
) -> None:
    (tmp_path / "config.toml").write_text(toml, encoding="utf-8")
    line = one_line(paperbot("stats", cwd=tmp_path), 2)
    for part in expected:
        assert part in line
    assert SECRET not in line


def test_the_config_file_named_by_paperbot_config_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "etc" / "paperbot.toml"
    bad.parent.mkdir()
    bad.write_text("[log]\nlevel = 'LOUD'\n", encoding="utf-8")
    line = one_line(paperbot("stats", cwd=tmp_path, env={"PAPERBOT_CONFIG": str(bad)}), 2)
    assert str(bad) in line
    assert "[log] level" in line


def test_a_missing_paperbot_config_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    line = one_line(paperbot("stats", cwd=tmp_path, env={"PAPERBOT_CONFIG": str(missing)}), 2)
    assert "PAPERBOT_CONFIG" in line
    assert str(missing) in line


def test_a_wrong_type_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[scheduler]\nalert_interval = 5\n", encoding="utf-8")
    env = {"PAPERBOT_SCHEDULER__ALERT_INTERVAL": "fast"}
    line = one_line(paperbot("stats", cwd=tmp_path, env=env), 2)
    assert line.startswith("error: PAPERBOT_SCHEDULER__ALERT_INTERVAL: ")


@pytest.mark.parametrize("name", ["PAPERBOT_STOR__PATH", "PAPERBOT_LOG_LEVEL", "paperbot_x"])
def test_an_unknown_paperbot_variable_is_an_error(tmp_path: Path, name: str) -> None:
    line = one_line(paperbot("stats", cwd=tmp_path, env={name: "x"}), 2)
    assert name.upper() in line
    assert "PAPERBOT_STORE__PATH" in line  # what a right name looks like


@pytest.mark.parametrize(("content", "detail"), [(None, "does not exist"), ("\n", "is empty")])
def test_a_token_file_that_gives_no_token(tmp_path: Path, content: str | None, detail: str) -> None:
    token_file = tmp_path / "secrets" / "token"
    if content is not None:
        token_file.parent.mkdir()
        token_file.write_text(content, encoding="utf-8")
    env = {"DISCORD_TOKEN_FILE": str(token_file)}
    line = one_line(paperbot("run", cwd=tmp_path, env=env), 2)
    assert "DISCORD_TOKEN_FILE" in line
    assert str(token_file) in line
    assert detail in line


async def test_a_token_discord_rejects_is_one_line(tmp_path: Path) -> None:
    async with FakeDiscord(token="the-right-token") as fake:
        env = clean_env(
            DISCORD_TOKEN=SECRET,
            PAPERBOT_DISCORD__REST_URL=fake.rest_url,
            PAPERBOT_DISCORD__GATEWAY_URL=fake.gateway_url,
            PAPERBOT_STORE__PATH=str(tmp_path / "bot.db"),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--log-level",
            "WARNING",  # INFO would add the start-up lines before it
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert fake.requests.count("GET", "/users/@me") == 1  # the login, answered 401
    done = subprocess.CompletedProcess([], process.returncode or 0, out.decode(), err.decode())
    line = one_line(done, 2)
    assert "DISCORD_TOKEN" in line
    assert "401" in line
    assert SECRET not in out.decode() + err.decode()


# --- the store: status 1 ---------------------------------------------------------------------


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "good.db"
    done = paperbot("stats", "--db", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return path


def test_a_store_that_is_garbage(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(os.urandom(4096))
    line = one_line(paperbot("search", "x", "--db", str(path), cwd=tmp_path), 1)
    assert str(path) in line
    assert "not a paperbot store" in line


def test_a_truncated_store(tmp_path: Path) -> None:
    good = _store(tmp_path)
    cut = tmp_path / "cut.db"
    cut.write_bytes(good.read_bytes()[:50_000])
    line = one_line(paperbot("search", "x", "--db", str(cut), cwd=tmp_path), 1)
    assert str(cut) in line
    assert "cut short" in line
    assert "backup" in line


def test_a_store_from_a_newer_paperbot(tmp_path: Path) -> None:
    path = _store(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    line = one_line(paperbot("stats", "--db", str(path), cwd=tmp_path), 1)
    assert str(path) in line
    assert "newer paperbot" in line


@pytest.mark.parametrize("where", ["a-folder", "a-file/store.db"])
def test_a_store_path_that_cannot_be_opened(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    path = tmp_path / where
    line = one_line(paperbot("search", "x", "--db", str(path), cwd=tmp_path), 1)
    assert f"cannot open the store {path}" in line


def test_the_traceback_only_at_debug(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"not a database" * 100)
    done = paperbot("search", "x", "--db", str(path), "--log-level", "DEBUG", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" in done.stderr
    assert done.stderr.splitlines()[-1].startswith(f"error: {path} is not a paperbot store")


# --- a read-only store is still searched ---------------------------------------------------


def _read_only(folder: Path, command: list[str]) -> list[str]:
    """``command`` run with ``folder`` read-only: as root (who may write anything) through a
    read-only bind mount in a mount namespace of its own; otherwise by taking the write bits."""
    if os.geteuid() != 0:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        return command
    assert shutil.which("unshare"), "util-linux's unshare is needed to test as root"
    script = f'mount --bind -o ro "{folder}" "{folder}" && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", *command]


def test_a_read_only_store_can_still_be_searched(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    digests = tmp_path / "digests"
    shutil.copytree(BUNDLED_DIGESTS, digests)
    db = folder / "paperbot.db"
    ingest = paperbot("ingest", str(digests), "--db", str(db), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr

    def run(command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _read_only(folder, command),
            cwd=tmp_path,
            env=clean_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    try:
        writing = run([sys.executable, "-c", f"open({str(db)!r}, 'ab')"])
        assert writing.returncode != 0, "the store should not be writable here"
        search = run([sys.executable, "-m", "bot", "search", "hallucination", "--db", str(db)])
        stats = run([sys.executable, "-m", "bot", "stats", "--db", str(db)])
    finally:
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
    assert search.returncode == 0, search.stderr
    assert search.stderr == ""
    assert "Hallucination" in search.stdout
    assert stats.returncode == 0, stats.stderr
    assert "papers: 26" in stats.stdout


# --- a store is recognised before it is touched ----------------------------------------------


def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contacts (name TEXT)")
    db.close()
    before = path.read_bytes()
    for command in (["stats"], ["ingest", str(BUNDLED_DIGESTS)], ["search", "x"]):
        line = one_line(paperbot(*command, "--db", str(path), cwd=tmp_path), 1)
        assert f"{path} is an SQLite database of another program (tables contacts)" in line
        assert "left unchanged" in line
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]


def _read_only_file(path: Path, command: list[str]) -> list[str]:
    """``command`` run with the file ``path`` read-only but its folder writable."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return command
    script = f'mount --bind -o ro "{path}" "{path}" && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", *command]


def test_a_read_only_store_file_is_read_without_leaving_files_and_not_written(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store" / "paperbot.db"
    ingest = paperbot("ingest", str(BUNDLED_DIGESTS), "--db", str(db), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == ["paperbot.db"]
    note = tmp_path / "more" / "note.md"
    note.parent.mkdir()
    note.write_text(
        "https://arxiv.org/abs/2401.00001\nA New Paper (Someone)\n\n설명.\n\n#llm\n",
        encoding="utf-8",
    )

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = _read_only_file(db, [sys.executable, "-m", "bot", *argv])
        return subprocess.run(
            command, cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=120
        )

    try:
        search = run("search", "hallucination", "--db", str(db))
        health = run("health", "--db", str(db))
        ingest = run("ingest", str(note.parent), "--db", str(db))
    finally:
        db.chmod(0o644)
    assert search.returncode == 0, search.stderr
    assert "Hallucination" in search.stdout
    assert health.returncode == 1
    assert health.stdout.startswith("unhealthy")
    line = one_line(ingest, 1)
    assert f"the store {db} cannot be written: it is read-only for this user" in line
    # Nothing beside the store: the owner's next write does not trip on another user's files.
    assert sorted(p.name for p in db.parent.iterdir()) == ["paperbot.db"]
    again = paperbot("ingest", str(note.parent), "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "new: 1" in again.stdout


# --- health: a read that writes nothing and exits 0 or 1 -------------------------------------


def test_health_exits_1_not_2_on_a_configuration_fault(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[store\n", encoding="utf-8")
    done = paperbot("health", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "not valid TOML" in done.stderr
    done = paperbot("health", "--max-age", "soon", cwd=tmp_path)
    assert done.returncode == 1


def test_health_creates_no_file(tmp_path: Path) -> None:
    db = tmp_path / "paperbot.db"
    assert paperbot("ingest", str(BUNDLED_DIGESTS), "--db", str(db), cwd=tmp_path).returncode == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    done = paperbot("health", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- no network at start: one clear line, the traceback only at DEBUG -----------------------


@pytest.mark.parametrize(
    ("rest_url", "expected"),
    [
        ("http://paperbot-test.invalid/api/v10", "its name does not resolve"),
        ("http://127.0.0.1:1/api/v10", "the connection was refused"),
    ],
)
def test_no_network_at_start_is_one_clear_line(
    tmp_path: Path, rest_url: str, expected: str
) -> None:
    env = {
        "DISCORD_TOKEN": SECRET,
        "PAPERBOT_DISCORD__REST_URL": rest_url,
        "PAPERBOT_STORE__PATH": str(tmp_path / "bot.db"),
    }
    done = paperbot("run", "--log-level", "WARNING", cwd=tmp_path, env=env)
    line = one_line(done, 1)
    host = rest_url.split("/")[2]
    assert f"cannot reach {host}" in line
    assert expected in line
    assert "unexpected" not in line
    assert "check the network connection" in line
    debug = paperbot("run", "--log-level", "DEBUG", cwd=tmp_path, env=env)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr  # DEBUG shows it
    last = debug.stderr.splitlines()[-1]
    assert last.startswith(f"error: cannot reach {host}")
    assert "--log-level DEBUG" not in last  # no advice to do what was just done
    assert SECRET not in done.stderr + debug.stderr


def test_paperbot_config_naming_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    line = one_line(paperbot("stats", cwd=tmp_path, env={"PAPERBOT_CONFIG": "conf"}), 2)
    assert "PAPERBOT_CONFIG names conf, which is a folder" in line
    assert "does not exist" not in line


def test_a_missing_digests_folder_is_a_configuration_fault(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[digests]\npaths = ["nowhere"]\n', encoding="utf-8")
    line = one_line(paperbot("stats", "--db", "new.db", cwd=tmp_path), 2)
    assert "config.toml: [digests] paths: no such file or folder: nowhere" in line
    assert not (tmp_path / "new.db").exists()  # found before a store is created
