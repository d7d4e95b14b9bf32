"""The image and compose.yaml agree, the compose file is valid Compose, and the image's
settings give a production store without the bundled samples.

No Docker engine or compose client runs here: compose.yaml is validated against the Compose
Specification's JSON schema (as vendored by check-jsonschema), then the keys we rely on are
checked, and the Dockerfile's environment is run through the real command line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .helpers import paperbot

ROOT = Path(__file__).parents[2]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def _dockerfile_env() -> dict[str, str]:
    """The runtime stage's ENV (the last stage), unquoted as Docker reads it."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    runtime = text[text.rindex("\nFROM ") :]
    block = re.search(r"^ENV (.+?)(?<!\\)$", runtime, re.MULTILINE | re.DOTALL)
    assert block is not None
    pairs = re.findall(r"(\w+)=('[^']*'|\"[^\"]*\"|\S+)", block.group(1).replace("\\\n", " "))
    return {name: value.strip("'\"") for name, value in pairs}


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


def test_compose_runs_the_bot_the_way_the_readme_says() -> None:
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
    # the configuration where the image reads it
    (config,) = bot["configs"]
    assert config["target"] == env["PAPERBOT_CONFIG"] == "/etc/paperbot/config.toml"
    # the store on the named volume, the digests mounted read-only where the image looks
    volumes = bot["volumes"]
    assert f"data:{Path(env['PAPERBOT_STORE__PATH']).parent}" in volumes
    assert "data" in compose["volumes"]
    (digests,) = json.loads(env["PAPERBOT_DIGESTS__PATHS"])
    assert f"./digests:{digests}:ro" in volumes


def test_the_image_is_installed_from_the_lock_without_pip() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    build, runtime = text.split("\nFROM ", 2)[1:]
    assert "requirements.lock" in build
    assert "sh .ci/install.sh /opt/paperbot image" in build
    assert "pip uninstall" in runtime  # the base image's own pip and setuptools
    assert "COPY --from=build /opt/paperbot /opt/paperbot" in runtime
    assert "DISCORD_TOKEN" not in _dockerfile_env()
    install = (ROOT / ".ci" / "install.sh").read_text(encoding="utf-8")
    assert "--require-hashes" in install
    assert "uninstall --quiet --yes setuptools pip" in install


def test_the_image_settings_load_no_sample_digests(tmp_path: Path) -> None:
    """The Dockerfile's environment, its absolute paths moved under tmp_path, through the real
    CLI: the bundled config is valid, and a fresh store gets only what /digests holds."""
    env = _dockerfile_env()
    root = tmp_path / "image"
    moved = {
        name: value.replace('"/', f'"{root}/') if value.startswith("[") else f"{root}{value}"
        for name, value in env.items()
        if name.startswith("PAPERBOT_")
    }
    config = Path(moved["PAPERBOT_CONFIG"])
    config.parent.mkdir(parents=True)
    shutil.copy(ROOT / "config.example.toml", config)
    (root / "digests").mkdir()
    (root / "data").mkdir()
    done = paperbot("stats", "--json", cwd=tmp_path, env=moved)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["papers"] == 0
    assert Path(moved["PAPERBOT_STORE__PATH"]).is_file()
