"""Settings for the Discord bot, from the environment and `.env` (pydantic-settings).

The token is a `SecretStr`: it prints as '**********' in logs, errors and reprs, and nothing
here ever formats its value into a message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.advisor import DEFAULT_KNOWLEDGE_DIR

# A bot token is three dot-separated base64url parts: the bot's id, a timestamp, an HMAC.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")

TOKEN_HELP = (
    "set DISCORD_TOKEN in the environment or in .env "
    "(the console chat, `python -m bot chat`, works without one)"
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr = SecretStr("")
    guild_id: int | None = Field(
        default=None, description="also sync commands to this server, instantly (development)"
    )
    mod_role: str = Field(
        default="Moderator",
        description="name or id of the role that may use /kb; server administrators always may",
    )
    advisor_db: str = Field(
        default="./advisor.db",
        description="a SQLite file (or sqlite:///path), or a postgresql:// URL",
    )
    advisor_hash_key: SecretStr = Field(
        default=SecretStr(""),
        description="key of the member hash; empty: a key file beside the database",
    )
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    kb_watch: bool = Field(default=False, description="reload knowledge when its files change")
    allowed_guilds: Annotated[list[int], NoDecode] = Field(
        default_factory=list,
        description="server ids the bot serves (comma-separated); it leaves any other server. "
        "Empty: every server it is invited to",
    )
    shard_count: int | Literal["auto"] | None = Field(
        default=None,
        description="unset: one connection; 'auto': as many shards as Discord recommends, all "
        "in this process; N: N shards in all (this process runs SHARD_IDS, or all N)",
    )
    shard_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list,
        description="the shards this process runs (comma-separated, each 0..SHARD_COUNT-1)",
    )

    @field_validator("discord_token", mode="before")
    @classmethod
    def _strip_token(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return value.strip() if isinstance(value, str) else value

    @field_validator("guild_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("allowed_guilds", "shard_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """ "1, 2" (the environment) or [1, 2] (code) -> a list; blank -> empty."""
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",")]
            if not all(part.isdigit() for part in parts if part):
                raise ValueError("must be whole numbers separated by commas, e.g. 0,1")
            return [int(part) for part in parts if part]
        return value

    @field_validator("allowed_guilds")
    @classmethod
    def _dev_server_allowed(cls, value: list[int], info: ValidationInfo) -> list[int]:
        guild_id = info.data.get("guild_id")
        if value and guild_id and guild_id not in value:
            raise ValueError(f"does not list GUILD_ID {guild_id}, so the bot would leave it")
        return value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            if not value:
                return None
            if value != "auto" and not value.isdigit():
                raise ValueError("must be a whole number of shards, or auto")
            return value if value == "auto" else int(value)
        return value

    @field_validator("shard_count")
    @classmethod
    def _at_least_one(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("must be at least 1")
        return value

    @field_validator("shard_ids")
    @classmethod
    def _ids_in_range(cls, value: list[int], info: ValidationInfo) -> list[int]:
        if not value:
            return value
        count = info.data.get("shard_count")
        if "shard_count" not in info.data:
            return value  # SHARD_COUNT itself is wrong, and reported
        if not isinstance(count, int):
            raise ValueError("needs SHARD_COUNT set to the total number of shards (a number)")
        wrong = sorted({i for i in value if not 0 <= i < count})
        if wrong:
            raise ValueError(
                f"shard ids go from 0 to {count - 1} (SHARD_COUNT={count}); "
                f"not {', '.join(map(str, wrong))}"
            )
        if len(set(value)) != len(value):
            raise ValueError("lists a shard twice")
        return value

    @field_validator("mod_role", mode="before")
    @classmethod
    def _strip_role(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


def token_problem(token: SecretStr) -> str | None:
    """Why the token can't be right, without ever showing it; None when it looks like a token."""
    value = token.get_secret_value().strip()
    if not value:
        return "DISCORD_TOKEN is not set"
    if value.lower().startswith("bot "):
        return "DISCORD_TOKEN must be the token alone, without the 'Bot ' prefix"
    if not _TOKEN.match(value):
        return "DISCORD_TOKEN does not look like a bot token (three dot-separated parts)"
    return None
