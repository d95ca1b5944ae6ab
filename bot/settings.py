"""Settings for the Discord bot, from the environment and `.env` (pydantic-settings).

The token is a `SecretStr`: it prints as '**********' in logs, errors and reprs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.advisor import DEFAULT_KNOWLEDGE_DIR

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr = SecretStr("")
    guild_id: int | None = Field(default=None, description="sync commands to this server instantly")
    mod_role: str = "Moderator"
    advisor_db: Path = Path("advisor.db")
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    kb_watch: bool = False

    @field_validator("guild_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


def token_problem(token: SecretStr) -> str | None:
    """Why the token can't be right, without ever showing it; None when it looks like a token."""
    value = token.get_secret_value().strip()
    if not value:
        return "DISCORD_TOKEN is not set"
    if not _TOKEN.match(value):
        return "DISCORD_TOKEN does not look like a bot token (three dot-separated parts)"
    return None
