"""Settings of the web chat that are not the engine's: environment variables CHAT_WEB_*."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHAT_WEB_", extra="forbid")

    storage_secret: str = Field(
        "mexico-policy-qa conversations",
        description="Key the conversations kept in each browser's localStorage are encrypted with. Fixed, so "
                    "they survive a restart of the server; changing it makes browsers start afresh. Anyone with "
                    "the browser's storage and this key can read them: set your own when serving a network")
    storage_key: str = Field("mexico-policy-qa-conversations", description="localStorage entry of the conversations")
