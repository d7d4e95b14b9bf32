"""The image and compose.yaml agree, the compose file is valid Compose, and the image runs the
way an operator following the README expects: their config.toml decides, the base image is
pinned, matplotlib has a writable cache, and the token file is theirs alone.

No Docker engine or compose client runs here: compose.yaml is validated against the Compose
Specification's JSON schema (as vendored by check-jsonschema), then the keys we rely on are
checked; the image's configuration is loaded by the real settings loader and run through the
real command line; the README's shell steps are run as a non-root user."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import BUNDLED_DIGESTS, Settings, load_settings

from .helpers import clean_env, paperbot

ROOT = Path(__file__).parents[2]
OPERATOR_UID = 65534  # a non-root host user to run the README's steps as, when tests run as root
OTHER_UID = 65533  # another host user, who must not read the token


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def _dockerfile_stages() -> list[str]:
    """Each stage's text, from its FROM line on (the header comments dropped)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    return ["FROM " + stage for stage in re.split(r"^FROM ", text, flags=re.MULTILINE)[1:]]


def _env_of(stage: str) -> dict[str, str]:
    """Every ENV instruction of a stage, unquoted as Docker reads it."""
    env: dict[str, str] = {}
    for block in re.finditer(r"^ENV (.+?)(?<!\\)$", stage, re.MULTILINE | re.DOTALL):
        pairs = re.findall(r"(\w+)=('[^']*'|\"[^\"]*\"|\S+)", block.group(1).replace("\\\n", " "))
        env.update({name: value.strip("'\"") for name, value in pairs})
    return env


def _dockerfile_env() -> dict[str, str]:
    """The runtime stage's environment (the last stage)."""
    return _env_of(_dockerfile_stages()[-1])


def _image_config() -> Path:
    """The file the runtime stage copies to where PAPERBOT_CONFIG points."""
    target = _dockerfile_env()["PAPERBOT_CONFIG"]
    copies: list[tuple[str, str]] = re.findall(
        r"^COPY (\S+) (\S+)$", _dockerfile_stages()[-1], re.MULTILINE
    )
    (source,) = [src for src, dest in copies if dest == target]
    return ROOT / source


def _readme_docker() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Docker\n")
    return text[start : text.index("\n## ", start + 1)]


def _readme_setup_steps() -> str:
    """The first shell block of the README's Docker section, up to the first docker command."""
    block = re.search(r"```sh\n(.*?)```", _readme_docker(), re.DOTALL)
    assert block is not None
    steps = []
    for line in block.group(1).splitlines():
        if line.startswith("docker "):
            break
        steps.append(line)
    return "\n".join(steps)


def test_compose_file_follows_the_compose_specification() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_runs_the_bot_the_way_the_readme_says(monkeypatch: pytest.MonkeyPatch) -> None:
    compose = _compose()
    bot = compose["services"]["bot"]
    env = _dockerfile_env()
    assert bot["init"] is True
    assert bot["restart"] == "unless-stopped"
    assert bot["read_only"] is True
    assert "/tmp" in bot["tmpfs"]
    # the token: a secret file, named by DISCORD_TOKEN_FILE; never in the environment itself
    assert bot["secrets"] == ["discord_token"]
    assert bot["environment"]["DISCORD_TOKEN_FILE"] == "/run/secrets/discord_token"
    assert "DISCORD_TOKEN" not in bot["environment"]
    assert compose["secrets"]["discord_token"]["file"] == "./secrets/discord_token"
    # the operator's ./config.toml mounted over the file the image reads, and no setting in
    # compose's environment to override it
    (config,) = bot["configs"]
    assert config["target"] == env["PAPERBOT_CONFIG"] == "/etc/paperbot/config.toml"
    assert compose["configs"][config["source"]]["file"] == "./config.toml"
    assert not [name for name in bot["environment"] if name.upper().startswith("PAPERBOT_")]
    assert f":{env['PAPERBOT_CONFIG']}:ro" in _readme_docker()  # the same without compose
    # the store on the named volume, the digests mounted read-only where the image looks
    settings = _load(monkeypatch, _image_config())
    volumes = bot["volumes"]
    assert f"data:{settings.store.path.parent}" in volumes
    assert "data" in compose["volumes"]
    (digests,) = settings.digests.paths
    assert f"./digests:{digests}:ro" in volumes
    # `up` rebuilds the image it names, never pulls it
    assert bot["pull_policy"] == "build"


def test_the_image_is_installed_from_the_lock_without_pip() -> None:
    build, runtime = _dockerfile_stages()
    assert "requirements.lock" in build
    assert "sh .ci/install.sh /opt/paperbot image" in build
    assert "pip uninstall" in runtime  # the base image's own pip and setuptools
    assert "COPY --from=build /opt/paperbot /opt/paperbot" in runtime
    assert "DISCORD_TOKEN" not in _dockerfile_env()
    install = (ROOT / ".ci" / "install.sh").read_text(encoding="utf-8")
    assert "--require-hashes" in install
    assert "uninstall --quiet --yes setuptools pip" in install


def test_the_image_overrides_no_setting_of_the_mounted_config() -> None:
    """A PAPERBOT_<SECTION>__<KEY> in the image's environment wins over the operator's
    config.toml without a word; the image may only say where the file is."""
    for stage in _dockerfile_stages():
        names = {name for name in _env_of(stage) if name.upper().startswith("PAPERBOT_")}
        assert names <= {"PAPERBOT_CONFIG"}, stage.splitlines()[0]
        assert not re.search(r"^ARG PAPERBOT_", stage, re.MULTILINE | re.IGNORECASE)
    assert _dockerfile_env()["PAPERBOT_CONFIG"] == "/etc/paperbot/config.toml"


def _load(monkeypatch: pytest.MonkeyPatch, config: Path) -> Settings:
    """``bot.settings.load_settings`` with PAPERBOT_CONFIG naming ``config``, as in the image:
    no other PAPERBOT_* variable, no token."""
    for name in list(os.environ):
        if name.upper().startswith(("PAPERBOT_", "DISCORD_TOKEN")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PAPERBOT_CONFIG", str(config))
    return load_settings()


def test_the_image_config_puts_the_store_on_the_volume_and_reads_digests_from_the_mount(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _image_config()
    assert config.relative_to(ROOT).parts[0] == "docker"
    settings = _load(monkeypatch, config)
    assert settings.store.path == Path("/data/paperbot.db")
    assert settings.digests.paths == [Path("/digests")]
    # it is in the build context (the operator's own config.toml, secrets and digests are not)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"config.toml", "secrets", "digests"} <= set(ignored)
    assert not [p for p in ignored if p.strip("/*") in {"docker", "docker/config.toml"}]


def test_the_image_config_is_the_example_with_the_two_container_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Derived from config.example.toml: the same keys and values, documented, except where
    the store and the digests are; the same settings through the loader."""
    example, image = ROOT / "config.example.toml", _image_config()
    with example.open("rb") as file:
        want = tomllib.load(file)
    with image.open("rb") as file:
        got = tomllib.load(file)
    want["store"]["path"] = "/data/paperbot.db"
    want["digests"]["paths"] = ["/digests"]
    assert got == want
    leave_out = {"store": {"path"}, "digests": {"paths"}}
    assert _load(monkeypatch, image).model_dump(exclude=leave_out) == _load(
        monkeypatch, example
    ).model_dump(exclude=leave_out)


def _image_root(tmp_path: Path, config_text: str) -> tuple[Path, dict[str, str]]:
    """The image's file system under tmp_path/image: its config (absolute paths moved under
    it), /data, /digests; and the Dockerfile's PAPERBOT_* environment, moved the same way."""
    root = tmp_path / "image"
    for line in ('path = "/data/paperbot.db"\n', 'paths = ["/digests"]\n'):
        assert config_text.count(line) == 1, line
    moved = config_text.replace('"/data/', f'"{root}/data/').replace(
        '"/digests"', f'"{root}/digests"'
    )
    env = {
        name: f"{root}{value}"
        for name, value in _dockerfile_env().items()
        if name.startswith("PAPERBOT_")
    }
    config = Path(env["PAPERBOT_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text(moved, encoding="utf-8")
    (root / "digests").mkdir()
    (root / "data").mkdir()
    return root, env


def test_the_image_settings_load_no_sample_digests(tmp_path: Path) -> None:
    """The image's config and environment through the real CLI: the config is valid, and a
    fresh store gets only what /digests holds (nothing), never the bundled samples."""
    root, env = _image_root(tmp_path, _image_config().read_text(encoding="utf-8"))
    done = paperbot("stats", "--json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["papers"] == 0
    assert (root / "data" / "paperbot.db").is_file()


def test_an_edit_to_the_mounted_config_is_what_the_bot_does(tmp_path: Path) -> None:
    """The operator's complaint: they list another digest folder in their config.toml and get
    an empty bot. With the image's environment, the edit must take effect."""
    more = tmp_path / "more-digests"
    more.mkdir()
    shutil.copy(BUNDLED_DIGESTS / "daily-2024-02-06.txt", more)
    root, env = _image_root(tmp_path, _image_config().read_text(encoding="utf-8"))
    config = Path(env["PAPERBOT_CONFIG"])
    edited = config.read_text(encoding="utf-8").replace(
        f'paths = ["{root}/digests"]', f'paths = ["{root}/digests", "{more}"]'
    )
    config.write_text(edited, encoding="utf-8")
    done = paperbot("stats", "--json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["papers"] > 0


def test_every_base_image_is_pinned_by_digest() -> None:
    """Every Python package is locked by hash; the base image by the digest of its index."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    stages = _dockerfile_stages()
    refs = [stage.split()[1] for stage in stages]
    assert len(refs) == 2
    for ref in refs:
        assert re.fullmatch(r"python:3\.11-slim@sha256:[0-9a-f]{64}", ref), ref
    assert len(set(refs)) == 1  # build and runtime on the same base
    # where the digest came from, and how to refresh it
    assert "docker buildx imagetools inspect python:3.11-slim" in " ".join(
        line.lstrip("# ") for line in text.splitlines() if line.startswith("#")
    )


def test_matplotlib_gets_a_writable_cache_on_a_read_only_root(tmp_path: Path) -> None:
    """MPLCONFIGDIR is on the tmpfs that compose.yaml (and the README's `docker run`) mounts:
    matplotlib creates its cache there without the two warnings it logs when it must fall
    back to a temporary directory."""
    cache = Path(_dockerfile_env()["MPLCONFIGDIR"])
    tmpfs = [Path(mount.split(":")[0]) for mount in _compose()["services"]["bot"]["tmpfs"]]
    (mount,) = [m for m in tmpfs if cache.is_relative_to(m)]
    assert f"--tmpfs {mount}" in _readme_docker()
    # the same, with the tmpfs at tmp_path/tmp and $HOME not writable
    home = tmp_path / "home"
    home.mkdir(mode=0o555)
    moved = tmp_path / cache.relative_to("/")
    (tmp_path / mount.relative_to("/")).mkdir()
    done = subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=clean_env(MPLCONFIGDIR=str(moved), HOME=str(home)),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert list(moved.glob("fontlist-*.json"))


def _as_user(uid: int) -> list[str]:
    """The command prefix that runs as ``uid`` (and its own group, no others)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("tests run as root and setpriv is missing: no other user to be")
    return [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


def _as_operator(script: str, cwd: Path, umask: str) -> subprocess.CompletedProcess[str]:
    """Run `script` with sh as a non-root user: this one, or OPERATOR_UID when tests run as
    root (the steps must not need root, and root would hide a missing permission)."""
    argv = ["sh", "-eu", "-c", f"umask {umask}\n{script}"]
    if os.geteuid() == 0:
        for path in [cwd, *cwd.rglob("*")]:
            os.chown(path, OPERATOR_UID, OPERATOR_UID)
        argv = [*_as_user(OPERATOR_UID), *argv]
    return subprocess.run(
        argv,
        cwd=cwd,
        env=clean_env(TOKEN="not-a-real-token", HOME=str(cwd)),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def clone(tmp_path: Path) -> Iterator[Path]:
    """An empty folder for the operator's clone, which they can reach: under tmp_path, or
    when tests run as root (whose pytest folders are closed to others), a fresh one in /tmp."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="paperbot-clone-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize("umask", ["022", "077"])
def test_the_readme_steps_leave_the_token_to_the_operator_and_the_container(
    clone: Path, umask: str
) -> None:
    """The README's steps, as a non-root operator in a fresh clone: they succeed; no other
    host user can reach the token; the container's user (uid 10001, an *other* to the file
    compose bind-mounts with its host owner and mode) can read it through its mode bits."""
    for name in ("docker", "config.example.toml"):  # what the steps may copy from
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, clone / name)
        elif (ROOT / name).is_file():
            shutil.copy(ROOT / name, clone)
    done = _as_operator(_readme_setup_steps(), clone, umask)
    assert done.returncode == 0, done.stdout + done.stderr

    operator = os.geteuid() if os.geteuid() != 0 else OPERATOR_UID
    secrets, token = clone / "secrets", clone / "secrets" / "discord_token"
    assert token.read_text(encoding="utf-8") == "not-a-real-token"
    assert secrets.stat().st_uid == token.stat().st_uid == operator
    assert stat.S_IMODE(secrets.stat().st_mode) & 0o077 == 0  # nobody else may enter secrets/
    mode = stat.S_IMODE(token.stat().st_mode)
    assert mode & stat.S_IROTH  # ... and uid 10001 reads the mounted file as an "other"
    assert mode & 0o022 == 0  # nobody but the operator may change it
    if os.geteuid() == 0:  # really another user, then: the path is closed to them
        peek = subprocess.run(
            [*_as_user(OTHER_UID), "cat", str(token)],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        assert peek.returncode != 0
        assert "not-a-real-token" not in peek.stdout

    # the configuration the operator edits is the image's, and what compose mounts
    config = clone / "config.toml"
    assert config.read_bytes() == _image_config().read_bytes()
    assert (clone / "digests").is_dir()
    if umask == "022":  # the container reads them as an "other" too
        assert stat.S_IMODE(config.stat().st_mode) & stat.S_IROTH
        assert stat.S_IMODE((clone / "digests").stat().st_mode) & 0o005 == 0o005


def test_the_readme_rebuilds_the_image_on_update() -> None:
    """`docker compose up -d` alone, after `git pull`, would keep the old image (without
    pull_policy: build, on older compose): the README says --build."""
    section = _readme_docker()
    assert "docker compose up -d --build" in section
    assert "sudo" not in section
