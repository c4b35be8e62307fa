"""Settings of the optional LLM: environment variables, over an optional TOML file."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

CONFIG_ENV = "CHAT_LLM_CONFIG"


class LlmConfigError(ValueError):
    """The LLM settings cannot be used; the message names the setting and what to do."""


class LlmSettings(BaseSettings):
    """An OpenAI-compatible chat endpoint (OpenAI, Azure, Ollama, vLLM, a llama.cpp server).

    No base_url and no model: no LLM, answers are extractive.
    """

    model_config = SettingsConfigDict(env_prefix="CHAT_LLM_", extra="forbid")

    base_url: str = Field("", description="Endpoint root, e.g. http://127.0.0.1:8080/v1")
    api_key: SecretStr = Field(SecretStr("not-needed"), description="Bearer key; local servers ignore it")
    model: str = Field("", description="Model name as the endpoint knows it")
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for the endpoint before falling back")
    max_tokens: int = Field(400, gt=0, description="Longest answer the model may write")
    passages: int = Field(5, ge=1, le=20, description="Numbered passages given to the model")
    unsupported: Literal["flag", "drop"] = Field(
        "flag", description="A sentence its cited passage does not support: flag it in the answer, or drop it")
    rewrite_followups: bool = Field(True, description="Rewrite a follow-up into a standalone question first")

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)


def load_llm_settings(config_file: Path | None = None) -> LlmSettings:
    """Settings from CHAT_LLM_* variables over the TOML file given (or named by CHAT_LLM_CONFIG)."""
    config_file = config_file or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    from_file: dict = {}
    if config_file:
        try:
            from_file = tomllib.loads(Path(config_file).read_text(encoding="utf-8")).get("llm", {})
        except FileNotFoundError:
            raise LlmConfigError(f"LLM config file {config_file} does not exist.") from None
        except tomllib.TOMLDecodeError as exc:
            raise LlmConfigError(f"LLM config file {config_file} is not valid TOML: {exc}") from None
    try:
        env = LlmSettings()  # environment variables only
        return LlmSettings.model_validate({**from_file, **env.model_dump(exclude_unset=True)})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'llm'}: {e['msg']}" for e in exc.errors())
        source = f" (file {config_file} or CHAT_LLM_* variables)" if config_file else " (CHAT_LLM_* variables)"
        raise LlmConfigError(f"Invalid LLM settings{source}: {problems}") from None
