"""The LLM behind LangChain's chat-model interface: any OpenAI-compatible endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from chat.llm_settings import LlmSettings


class LlmUnavailable(RuntimeError):
    """The endpoint failed, timed out or answered nothing usable; the message says which."""


class UnsupportedAnswer(LlmUnavailable):
    """The model answered, but no sentence of it is supported by its passages."""

    def __init__(self, message: str, verification):
        super().__init__(message)
        self.verification = verification  # what the check found, kept for the Answer's trace


class LlmClient:
    def __init__(self, settings: LlmSettings):
        from langchain_openai import ChatOpenAI  # imported only when an LLM is configured

        self.settings = settings
        self.model = ChatOpenAI(
            base_url=settings.base_url, api_key=settings.api_key.get_secret_value(), model=settings.model,
            temperature=settings.temperature, timeout=settings.timeout, max_tokens=settings.max_tokens,
            max_retries=0,  # a retry doubles the wait; the extractive answer is the better fallback
        )

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        """The reply's text as it is generated. Raises LlmUnavailable."""
        try:
            # Some servers (llama.cpp's among them) ignore max_completion_tokens, which is what
            # ChatOpenAI sends; counting streamed chunks (about one token each) enforces the cap anyway.
            for count, chunk in enumerate(self.model.stream(messages), start=1):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
                if count >= self.settings.max_tokens:
                    return
        except Exception as exc:  # openai/httpx errors differ by backend; all mean the same here
            raise LlmUnavailable(_reason(exc, self.settings)) from exc

    def complete(self, messages: list[tuple[str, str]]) -> str:
        return "".join(self.stream(messages))


def _reason(exc: Exception, settings: LlmSettings) -> str:
    name = type(exc).__name__
    if "Timeout" in name:
        return f"the LLM at {settings.base_url} did not answer within {settings.timeout:g} s"
    if "Connection" in name:
        return f"the LLM at {settings.base_url} cannot be reached"
    status = getattr(exc, "status_code", None)
    if status:
        return f"the LLM at {settings.base_url} answered HTTP {status}"
    return f"the LLM at {settings.base_url} failed ({name})"
