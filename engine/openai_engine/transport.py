"""The model server: one structured call at a time through cache, budget and circuit breaker.

A ``Transport`` is shared by an engine and its per-ingest views: the ``openai`` client, the
breaker (a dead server is not waited on for every step), the concurrency limit, the response
cache per store file, and what the server was found to support (``json_schema`` structured
output, else a plain JSON object). The budget and token count are the caller's (``Usage``).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable

from pydantic import BaseModel, ValidationError

from teachback.engine.cache import LLMCache, cache_key
from teachback.engine.llm_budget import (
    Breaker,
    InvalidOutput,
    LLMError,
    Refused,
    ServerUnavailable,
    Usage,
)
from teachback.engine.llm_config import LLMConfig

# One structured call, what the steps are given: (step, messages, schema, max tokens) -> a
# validated response (``OpenAIEngine.complete``).
Complete = Callable[[str, list[dict], type[BaseModel], int], BaseModel]


class Transport:
    def __init__(self, config: LLMConfig):
        self.config = config
        self._client = None
        self._client_lock = threading.Lock()
        self.breaker = Breaker(config.breaker_failures, config.breaker_seconds)
        self.sem = threading.BoundedSemaphore(config.max_concurrency)
        self.structured = config.structured  # "auto" until the server has answered once
        self._caches: dict[str, LLMCache] = {}

    @property
    def client(self):
        with self._client_lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    base_url=self.config.base_url or None,
                    api_key=self.config.api_key or "sk-no-key-required",
                    timeout=self.config.timeout,
                    max_retries=self.config.retries,
                )
            return self._client

    def cache(self, path: str | None) -> LLMCache | None:
        if not path:
            return None
        if path not in self._caches:
            self._caches[path] = LLMCache(path)
        return self._caches[path]

    def complete(
        self,
        step: str,
        msgs: list[dict],
        schema: type[BaseModel],
        max_tokens: int,
        usage: Usage,
        cache: LLMCache | None,
    ) -> BaseModel:
        """One structured call: cache, budget, breaker, request, validation."""
        model = self.config.model_for(step)
        if not model:
            raise ServerUnavailable("no model configured (TEACHBACK_MODEL or [llm] model)")
        key = cache_key(model, msgs, schema.model_json_schema())
        hit = _cached(cache, key, schema)
        if hit is not None:
            with usage.lock:
                usage.cached += 1
            return hit
        usage.check_budget()
        self.breaker.check()
        max_tokens = min(max_tokens, self.config.max_tokens)
        with self.sem:
            content, ptok, ctok = self._request(model, msgs, schema, max_tokens, usage)
        usage.add_tokens(ptok, ctok)
        try:
            out = schema.model_validate_json(_strip_fences(content))
        except ValidationError as err:
            raise InvalidOutput(
                f"response does not match the schema: {_first_error(err)}"
            ) from None
        if cache is not None:
            cache.put(key, model, out.model_dump_json(), ptok + ctok)
        return out

    def stream(self, step: str, msgs: list[dict], max_tokens: int):
        """Free text, piece by piece (no cache, no schema); the caller counts the tokens."""
        self.breaker.check()
        stream = self.client.chat.completions.create(
            model=self.config.model_for(step),
            messages=msgs,
            max_tokens=max_tokens,
            temperature=0,
            stream=True,
        )
        for chunk in stream:
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if delta:
                yield delta

    # --- one request ---------------------------------------------------------------------

    def _request(self, model, msgs, schema, max_tokens, usage: Usage) -> tuple[str, int, int]:
        """``(content, prompt tokens, completion tokens)``. A server that refuses structured
        output (``auto`` mode, first attempt) is asked again for a plain JSON object, and
        remembered as such."""
        import openai

        for attempt in range(2):
            structured = self.structured
            try:
                resp = self._send(model, msgs, schema, max_tokens, structured, usage)
            except openai.APIStatusError as err:
                self.breaker.ok()
                if _falls_back_to_json_object(err, structured, attempt):
                    self.structured = "json_object"  # e.g. llama-cpp-python's server
                    continue
                e = LLMError(f"HTTP {err.status_code}: {str(err)[:160]}")
                e.reason = f"http_{err.status_code}"
                raise e from None
            self.breaker.ok()
            content, ptok, ctok = _content(resp, msgs)
            if structured == "auto":
                self.structured = "json_schema"
            return content, ptok, ctok
        raise InvalidOutput("structured output not supported by the server")

    def _send(self, model, msgs, schema, max_tokens, structured: str, usage: Usage):
        """The response of one request; transport failures as our errors (the breaker told),
        HTTP errors left to the caller."""
        import openai

        try:
            if structured in ("auto", "json_schema"):
                # Raw response first, so the tokens of an output that then fails to parse
                # still count against the budget.
                raw = self.client.chat.completions.with_raw_response.parse(
                    model=model,
                    messages=msgs,
                    response_format=schema,
                    max_tokens=max_tokens,
                    temperature=0,
                )
                try:
                    return raw.parse()
                except Exception:
                    _count_raw(raw, usage)
                    raise
            return self.client.chat.completions.create(
                model=model,
                messages=msgs,
                response_format={"type": "json_object", "schema": schema.model_json_schema()},
                max_tokens=max_tokens,
                temperature=0,
            )
        except openai.LengthFinishReasonError:
            self.breaker.ok()
            raise InvalidOutput("output cut off at max_tokens") from None
        except (openai.APITimeoutError, openai.APIConnectionError) as err:
            self.breaker.failed()
            kind = "timed out" if isinstance(err, openai.APITimeoutError) else "unreachable"
            e = ServerUnavailable(f"model server {kind}: {err}")
            e.reason = "timeout" if kind == "timed out" else "unavailable"
            raise e from None
        except openai.APIStatusError:
            raise
        except (ValidationError, json.JSONDecodeError, ValueError) as err:
            self.breaker.ok()
            raise InvalidOutput(f"unparseable output: {str(err)[:160]}") from None


def _cached(cache: LLMCache | None, key: str, schema: type[BaseModel]) -> BaseModel | None:
    """A cached response that still validates (one that does not is dropped)."""
    if cache is None:
        return None
    hit = cache.get(key)
    if hit is None:
        return None
    try:
        return schema.model_validate_json(hit[0])
    except ValidationError:
        cache.delete(key)
        return None


def _falls_back_to_json_object(err, structured: str, attempt: int) -> bool:
    """Whether an HTTP error says the server does not take ``response_format`` schemas."""
    return (
        structured == "auto"
        and attempt == 0
        and err.status_code in (400, 422, 500)  # llama-cpp-python says 500
        and "response_format" in str(err).lower() + str(err.body).lower()
    )


def _content(resp, msgs: list[dict]) -> tuple[str, int, int]:
    """The text of a response and its tokens (estimated when the server does not say)."""
    choice = resp.choices[0] if resp.choices else None
    if choice is None:
        raise InvalidOutput("empty response")
    msg = choice.message
    if getattr(msg, "refusal", None):
        raise Refused(f"the model refused: {msg.refusal[:120]}")
    if choice.finish_reason == "length":
        raise InvalidOutput("output cut off at max_tokens")
    content = msg.content or ""
    usage = resp.usage
    ptok = (usage.prompt_tokens if usage else 0) or sum(len(m["content"]) // 4 for m in msgs)
    ctok = (usage.completion_tokens if usage else 0) or len(content) // 4
    return content, ptok, ctok


def _count_raw(raw, usage: Usage) -> None:
    """Count the tokens of a response that could not be parsed (when it says them)."""
    try:
        data = raw.http_response.json().get("usage") or {}
    except Exception:  # noqa: BLE001 - not JSON at all: nothing to count
        return
    if data:
        usage.add_tokens(data.get("prompt_tokens", 0), data.get("completion_tokens", 0))


def _strip_fences(content: str) -> str:
    content = (content or "").strip()
    m = re.match(r"^```(?:json)?\s*(.*?)\s*```$", content, re.S)
    return m.group(1) if m else content


def _first_error(err: ValidationError) -> str:
    e = err.errors()[0] if err.errors() else {}
    return f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', str(err))}"[:160]
