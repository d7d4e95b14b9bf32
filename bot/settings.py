"""Configuration: `config.toml` (or the file named by PAPERBOT_CONFIG) plus the environment.

Precedence, highest first: environment variables (`PAPERBOT_<SECTION>__<KEY>`, and the
well-known `DISCORD_TOKEN` / `DISCORD_TOKEN_FILE`), the TOML file, then the defaults below.
There is no module-level instance: call `load_settings()` where the program starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

BUNDLED_DIGESTS = Path(__file__).parent / "sample_digests"
DEFAULT_CONFIG_FILE = Path("config.toml")


class _Section(BaseModel):
    # A misspelt key in config.toml is an error, not a silently ignored setting.
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    path: Path = Field(default=Path("data/paperbot.db"), description="SQLite database file")


class DigestSettings(_Section):
    paths: list[Path] = Field(
        default_factory=lambda: [BUNDLED_DIGESTS],
        description="local files or folders of digests; the bundled samples by default",
    )
    tag_vocabulary: Path | None = Field(
        default=None, description="a TOML tag vocabulary replacing the bundled one"
    )


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
    interval: float = Field(default=3 * 3600, gt=0, description="seconds between polls")


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
        toml_file = _config_file()
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    def token(self) -> str | None:
        """The Discord token from the environment or the secrets file, if any."""
        if self.discord_token is not None and self.discord_token.get_secret_value().strip():
            return self.discord_token.get_secret_value().strip()
        if self.discord_token_file is not None:
            text = self.discord_token_file.read_text(encoding="utf-8").strip()
            return text or None
        return None


def _config_file() -> Path | None:
    named = os.environ.get("PAPERBOT_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise FileNotFoundError(f"PAPERBOT_CONFIG names {path}, which does not exist")
        return path
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def load_settings(**overrides: object) -> Settings:
    """Read settings now (not at import time), with optional explicit overrides."""
    return Settings(**overrides)  # type: ignore[arg-type]
