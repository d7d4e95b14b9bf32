"""Settings: defaults, config.toml, environment precedence, and the token kept secret."""

from pathlib import Path

import pytest

from bot.settings import BUNDLED_DIGESTS, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DISCORD_TOKEN", "DISCORD_TOKEN_FILE", "PAPERBOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray config.toml from the checkout


def test_defaults_are_a_local_store_and_no_digests() -> None:
    settings = load_settings()
    assert settings.store.path == Path("data/paperbot.db")
    assert settings.digests.paths == []  # the bundled samples only when asked for
    assert settings.digests.samples is False
    assert settings.token() is None


def test_samples_are_an_explicit_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (BUNDLED_DIGESTS / "weekly-2024-05-13.txt").is_file()
    assert load_settings(digests={"samples": True}).digests.paths == [BUNDLED_DIGESTS]
    monkeypatch.setenv("PAPERBOT_DIGESTS__SAMPLES", "true")
    monkeypatch.setenv("PAPERBOT_DIGESTS__PATHS", '["mine"]')
    assert load_settings().digests.paths == [Path("mine"), BUNDLED_DIGESTS]


def test_config_toml_then_environment_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[store]\npath = "from-file.db"\n[log]\nlevel = "DEBUG"\n', encoding="utf-8"
    )
    assert load_settings().store.path == Path("from-file.db")
    assert load_settings().log.level == "DEBUG"
    monkeypatch.setenv("PAPERBOT_STORE__PATH", "from-env.db")
    assert load_settings().store.path == Path("from-env.db")


def test_paperbot_config_names_another_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('[discord]\nrest_url = "http://127.0.0.1:9/api/v10"\n', encoding="utf-8")
    monkeypatch.setenv("PAPERBOT_CONFIG", str(other))
    assert load_settings().discord.rest_url == "http://127.0.0.1:9/api/v10"
    monkeypatch.setenv("PAPERBOT_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(FileNotFoundError, match=r"missing\.toml"):
        load_settings()


def test_token_from_environment_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "super-secret-token")
    settings = load_settings()
    assert settings.token() == "super-secret-token"
    assert "super-secret-token" not in repr(settings)
    assert "super-secret-token" not in str(settings.model_dump())


def test_token_from_secrets_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("file-token\n", encoding="utf-8")
    monkeypatch.setenv("DISCORD_TOKEN_FILE", str(secret))
    assert load_settings().token() == "file-token"


def test_unknown_setting_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[store]\npth = "typo.db"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="pth"):
        load_settings()


def test_announcement_recovery_defaults_keep_the_one_minute_promise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scheduler = load_settings().scheduler
    # The claim frees and the recovery run finds it within 25 s: over half a minute is left
    # for posting an issue under Discord's 5-messages-per-5-s channel limit.
    assert scheduler.recovery_bound() <= 25
    assert scheduler.lease_renew_every * 2 <= scheduler.lease
    monkeypatch.setenv("PAPERBOT_SCHEDULER__LEASE", "2")
    monkeypatch.setenv("PAPERBOT_SCHEDULER__LEASE_RENEW_EVERY", "0.5")
    assert load_settings().scheduler.lease == 2
    monkeypatch.setenv("PAPERBOT_SCHEDULER__LEASE_RENEW_EVERY", "1.5")
    with pytest.raises(ValueError, match="half of lease"):
        load_settings()
