"""Configuration: `config.toml` (or the file named by PAPERBOT_CONFIG) plus the environment.

Precedence, highest first: environment variables (`PAPERBOT_<SECTION>__<KEY>`, and the
well-known `DISCORD_TOKEN` / `DISCORD_TOKEN_FILE`), the TOML file, then the defaults below.
There is no module-level instance: call `load_settings()` where the program starts.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

BUNDLED_DIGESTS = Path(__file__).parent / "sample_digests"
DEFAULT_CONFIG_FILE = Path("config.toml")
ENV_PREFIX = "PAPERBOT_"
CONFIG_ENV = "PAPERBOT_CONFIG"
TOKEN_ENV = "DISCORD_TOKEN"
TOKEN_FILE_ENV = "DISCORD_TOKEN_FILE"
# Keys that would put the token into config.toml (compared in lower case).
_TOKEN_KEYS = frozenset({"discord_token", "discord_token_file", "paperbot_discord_token", "token"})


# --- what can be wrong with the configuration (bot.runtime.operator_errors: one line each) ---


class ConfigError(Exception):
    """The configuration cannot be used; the subclasses say what and where."""


class ConfigFileMissingError(ConfigError, FileNotFoundError):
    def __init__(self, path: Path) -> None:
        self.is_folder = path.is_dir()
        what = "is a folder, not a file" if self.is_folder else "does not exist"
        super().__init__(f"{CONFIG_ENV} names {path}, which {what}")
        self.path = path


class DigestPathsMissingError(ConfigError):
    """``[digests] paths`` names files or folders that do not exist."""

    def __init__(self, paths: list[Path], source: str) -> None:
        super().__init__(f"[digests] paths: no such file or folder: {', '.join(map(str, paths))}")
        self.paths = paths
        self.source = source  # the file or variable that configured them


class ConfigFileUnreadableError(ConfigError):
    """Not valid TOML, or the file cannot be read."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class TokenInConfigFileError(ConfigError):
    def __init__(self, path: Path, key: str) -> None:
        super().__init__(f"{path}: {key} does not belong in the configuration file")
        self.path = path
        self.key = key


class UnknownEnvironmentError(ConfigError):
    """``PAPERBOT_*`` variables that name no setting (a typo would otherwise be ignored)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"unknown settings in the environment: {', '.join(names)}")
        self.names = names


class InvalidSettingsError(ConfigError, ValueError):
    """Values of the wrong type or unknown keys; ``config_file`` is the file that was read."""

    def __init__(self, error: ValidationError, config_file: Path | None) -> None:
        super().__init__(str(error))
        self.errors = error.errors(include_url=False, include_input=False)
        self.config_file = config_file


class TokenFileError(ConfigError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{TOKEN_FILE_ENV} names {path}, which {detail}")
        self.path = path
        self.detail = detail


class _Section(BaseModel):
    # A misspelt key in config.toml is an error, not a silently ignored setting.
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    path: Path = Field(default=Path("data/paperbot.db"), description="SQLite database file")
    retention_days: int = Field(
        default=90,
        ge=1,
        description="days finished announcement and alert records are kept before a daily purge",
    )


class DigestSettings(_Section):
    paths: list[Path] = Field(
        default_factory=list,
        description="local files or folders of digests; none by default",
    )
    samples: bool = Field(
        default=False,
        description="add the sample digests bundled with paperbot to paths (for trying it out)",
    )
    tag_vocabulary: Path | None = Field(
        default=None, description="a TOML tag vocabulary replacing the bundled one"
    )
    glossary: Path | None = Field(
        default=None, description="a TOML bilingual search glossary replacing the bundled one"
    )

    @model_validator(mode="after")
    def _samples_only_when_asked(self) -> DigestSettings:
        """The samples reach a store only by this opt-in (and in the playground's sandbox):
        every reader of ``paths`` then gets them, and no store gets them otherwise."""
        if self.samples and BUNDLED_DIGESTS not in self.paths:
            self.paths = [*self.paths, BUNDLED_DIGESTS]
        return self

    def missing(self) -> list[Path]:
        """Configured paths that do not exist."""
        return [path for path in self.paths if not path.exists()]


class DiscordSettings(_Section):
    rest_url: str = Field(
        default="https://discord.com/api/v10",
        description="Discord REST base; point it at a REST proxy (or the emulator)",
    )
    gateway_url: str = Field(
        default="wss://gateway.discord.gg/",
        description="Discord gateway; point it at a gateway proxy (or the emulator)",
    )
    dev_guild_id: int | None = Field(
        default=None, description="sync commands to this guild only (instant, for development)"
    )
    owner_guild_id: int | None = Field(
        default=None,
        description="the owner's server: /paperbot-admin is registered there only (none: nowhere)",
    )
    # Sharding: Discord refuses a bot in more than 2,500 servers without it. None: ask Discord
    # (GET /gateway/bot) and run every shard in this process.
    shard_count: int | None = Field(default=None, ge=1, description="total shards of the bot")
    shard_ids: list[int] | None = Field(
        default=None, description="the shards this process runs (needs shard_count); None: all"
    )
    # Discord allows 50 requests/s per bot (interaction replies excluded). Deliveries
    # (announcements, alert DMs) pace themselves to this; split it between processes.
    requests_per_second: float = Field(
        default=48, gt=0, description="REST requests/s this process's deliveries may use"
    )
    pace_channels: bool = Field(
        default=True,
        description="keep to 5 posts per 5 s per channel before spending the global budget",
    )

    @model_validator(mode="after")
    def _shards(self) -> DiscordSettings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("[discord] shard_ids needs shard_count")
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad or not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError(
                    f"[discord] shard_ids must be distinct ids in 0..{self.shard_count - 1}"
                )
        return self


class ForumSourceSettings(_Section):
    enabled: bool = Field(default=False, description="poll the forum's weekly series")
    base_url: str = Field(default="https://discuss.pytorch.kr", description="Discourse site")
    interval: float = Field(default=3600, gt=0, description="seconds between polls")


class NotesSourceSettings(_Section):
    enabled: bool = Field(default=False, description="poll a GitHub repository of paper notes")
    repo: str = Field(default="rosinality/ml-papers", description="owner/name of the repository")
    branch: str = Field(default="main", description="the branch to read")
    interval: float = Field(default=6 * 3600, gt=0, description="seconds between polls")


class SourcesSettings(_Section):
    forum: ForumSourceSettings = Field(default_factory=ForumSourceSettings)
    notes: NotesSourceSettings = Field(default_factory=NotesSourceSettings)
    local_interval: float = Field(
        default=600, ge=0, description="seconds between re-scans of [digests] paths (0: never)"
    )


class SchedulerSettings(_Section):
    enabled: bool = Field(default=True, description="run announcement, alert and source jobs")
    alert_interval: float = Field(
        default=5, gt=0, description="seconds between drains of the alert DM outbox"
    )
    # A DM costs one request once the user's DM channel is known, two the first time (open the
    # channel, send); [discord] requests_per_second paces the requests, so first DMs go out at
    # about half this rate.
    dm_per_second: float = Field(default=48, gt=0, description="alert DMs sent per second")
    drain_outbox: bool = Field(
        default=True,
        description="send alert DMs from this process; true in exactly one process per bot",
    )
    # An interrupted announcement finishes by itself within 60 s of the bot (or Discord) being
    # able to post again. A killed worker's claim is free after `lease` (<= 20 s) and found by
    # the next recovery run (<= 5 s); a transient failure waits at most `retry_cap` (15 s)
    # plus a recovery run; both leave more than half a minute for the posting itself.
    lease: float = Field(
        default=20, gt=0, description="seconds an announcement claim lives without renewal"
    )
    lease_renew_every: float = Field(
        default=5, gt=0, description="seconds between renewals of a live worker's claim"
    )
    recovery_interval: float = Field(
        default=5, gt=0, description="seconds between runs that resume interrupted announcements"
    )
    retry_base: float = Field(
        default=2, gt=0, description="first retry delay of a failed announcement, in seconds"
    )
    retry_cap: float = Field(
        default=15, gt=0, description="longest retry delay of a failed announcement, in seconds"
    )

    @model_validator(mode="after")
    def _renewed_before_expiry(self) -> SchedulerSettings:
        if self.lease_renew_every * 2 > self.lease:
            raise ValueError("lease_renew_every must be at most half of lease")
        if self.retry_base > self.retry_cap:
            raise ValueError("retry_base must not exceed retry_cap")
        return self

    def recovery_bound(self) -> float:
        """Seconds from "able to post again" to a resumed attempt, at worst (posting excluded)."""
        return max(self.lease, self.retry_cap) + self.recovery_interval


class MetricsSettings(_Section):
    enabled: bool = Field(default=False, description="serve /metrics and /healthz over HTTP")
    host: str = Field(default="127.0.0.1", description="address to listen on")
    port: int = Field(default=9108, ge=0, le=65535, description="port (0: any free port)")


class LogSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PAPERBOT_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    store: StoreSettings = Field(default_factory=StoreSettings)
    digests: DigestSettings = Field(default_factory=DigestSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    discord_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "PAPERBOT_DISCORD_TOKEN"),
        description="the bot token; never put it in config.toml",
    )
    discord_token_file: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_TOKEN_FILE", "PAPERBOT_DISCORD_TOKEN_FILE"),
        description="a file holding the token (Docker/Kubernetes secrets)",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_file = config_file()
        if toml_file is not None:
            sources.append(InitSettingsSource(settings_cls, _read_config(toml_file)))
        return tuple(sources)

    def token(self) -> str | None:
        """The Discord token from the environment or the secrets file, if any.

        A secrets file that is named but missing, unreadable or empty is an error: the operator
        meant to give a token."""
        if self.discord_token is not None and self.discord_token.get_secret_value().strip():
            return self.discord_token.get_secret_value().strip()
        if self.discord_token_file is None:
            return None
        path = self.discord_token_file
        try:
            text = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise TokenFileError(path, "does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TokenFileError(path, f"cannot be read ({_reason(exc)})") from None
        if not text:
            raise TokenFileError(path, "is empty")
        return text


def config_file() -> Path | None:
    """The configuration file to read: ``PAPERBOT_CONFIG``, else ./config.toml if present."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigFileMissingError(path)
        return path
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileUnreadableError(path, f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileUnreadableError(path, f"cannot be read ({_reason(exc)})") from None
    discord = data.get("discord")
    keys = list(data) + ([f"discord.{key}" for key in discord] if isinstance(discord, dict) else [])
    for key in keys:
        if key.lower().removeprefix("discord.") in _TOKEN_KEYS:
            raise TokenInConfigFileError(path, key)
    return data


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def section_names() -> list[str]:
    """The configuration sections: ``[store]``, ``[digests]``... (``PAPERBOT_<SECTION>__``)."""
    return [name for name in Settings.model_fields if not name.startswith("discord_token")]


def _check_environment() -> None:
    known = {CONFIG_ENV, "PAPERBOT_DISCORD_TOKEN", "PAPERBOT_DISCORD_TOKEN_FILE"}
    sections = [ENV_PREFIX + name.upper() for name in section_names()]
    unknown = sorted(
        name
        for name in (key.upper() for key in os.environ)
        if name.startswith(ENV_PREFIX)
        and name not in known
        and not any(name == s or name.startswith(s + "__") for s in sections)
    )
    if unknown:
        raise UnknownEnvironmentError(unknown)


def require_digest_paths(settings: Settings) -> None:
    """Raise ``DigestPathsMissingError`` when a configured digest path does not exist: a
    store filled from a folder that is not there would silently stay empty."""
    missing = settings.digests.missing()
    if not missing:
        return
    variable = f"{ENV_PREFIX}DIGESTS__PATHS"
    if variable in {name.upper() for name in os.environ}:
        source = variable
    else:
        try:
            toml_file = config_file()
        except ConfigError:
            toml_file = None
        source = str(toml_file) if toml_file is not None else "the settings"
    raise DigestPathsMissingError(missing, source)


def load_settings(**overrides: object) -> Settings:
    """Read settings now (not at import time), with optional explicit overrides.

    Raises a ``ConfigError`` naming the file or variable at fault."""
    _check_environment()
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise InvalidSettingsError(exc, config_file()) from exc
