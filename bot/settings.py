"""Settings for the Discord bot, from the environment and `.env` (pydantic-settings).

The token is a `SecretStr`: it prints as '**********' in logs, errors and reprs, and nothing
here ever formats its value into a message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
