"""What a model call may cost and when not to try: the token budget and usage counts of an
engine view, the circuit breaker that stops calling a dead server, and the errors that send a
step to the embedded engine instead (each with a short ``reason`` the usage report counts).
"""

from __future__ import annotations

import threading
import time
from collections import Counter


class LLMError(Exception):
    """A model call that cannot be used; ``reason`` is a short category."""

    reason = "error"


class BudgetExceeded(LLMError):
    reason = "budget"


class ServerUnavailable(LLMError):
    reason = "unavailable"


class InvalidOutput(LLMError):
    reason = "invalid"


class Refused(LLMError):
    reason = "refused"


class Usage:
    """Token and fallback counts of one engine view (one ingest, or the long-lived engine)."""

    def __init__(self, budget_tokens: int = 0):
        self.budget = int(budget_tokens or 0)
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.calls = 0  # HTTP requests answered
        self.cached = 0  # answered from the cache
        self.llm_steps: Counter[str] = Counter()
        self.embedded_steps: Counter[str] = Counter()  # routed to embedded by configuration
        self.fallbacks: Counter[str] = Counter()  # step -> count
        self.reasons: Counter[str] = Counter()  # reason category -> count
        self.examples: list[str] = []
        self.budget_exceeded = False
        self._seen: set[tuple[str, str]] = set()
        self.lock = threading.Lock()

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def check_budget(self) -> None:
        if self.budget and self.tokens >= self.budget:
            self.budget_exceeded = True
            raise BudgetExceeded(f"token budget of {self.budget} spent ({self.tokens} used)")

    def add_tokens(self, prompt: int, completion: int) -> None:
        with self.lock:
            self.prompt_tokens += int(prompt)
            self.completion_tokens += int(completion)
            self.calls += 1

    def fallback(self, step: str, err: Exception) -> bool:
        """Count a fallback; True when it is the first of this step for this reason."""
        reason = getattr(err, "reason", type(err).__name__)
        with self.lock:
            first = (step, reason) not in self._seen
            self._seen.add((step, reason))
            self.fallbacks[step] += 1
            self.reasons[reason] += 1
            if len(self.examples) < 5:
                self.examples.append(f"{step}: {err}"[:200])
        return first

    def report(self) -> dict:
        with self.lock:
            return {
                "tokens": self.tokens,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "calls": self.calls,
                "cached": self.cached,
                "llm_steps": dict(self.llm_steps),
                "embedded_steps": dict(self.embedded_steps),
                "fallbacks": dict(self.fallbacks),
                "fallback_reasons": dict(self.reasons),
                "fallback_examples": list(self.examples),
                "budget_tokens": self.budget,
                "budget_exceeded": self.budget_exceeded,
            }

    def summary_line(self) -> str:
        return describe_usage(self.report())


def describe_usage(r: dict) -> str:
    """One line for a usage report (the CLI's ingest summary prints it)."""
    n_fb = sum(r.get("fallbacks", {}).values())
    line = (
        f"Model: {r.get('tokens', 0)} tokens ({r.get('calls', 0)} calls, "
        f"{r.get('cached', 0)} answered from the cache); "
        f"{sum(r.get('llm_steps', {}).values())} steps by the model"
    )
    if n_fb:
        why = ", ".join(f"{k} {v}" for k, v in sorted(r.get("fallback_reasons", {}).items()))
        line += f", {n_fb} fell back to the embedded engine ({why})"
    if r.get("budget_exceeded"):
        line += f"; token budget {r.get('budget_tokens')} reached: the rest ran offline"
    return line + "."


class Breaker:
    """Opens after N consecutive transport failures; while open, calls fail fast."""

    def __init__(self, failures: int, seconds: float):
        self.limit, self.seconds = max(1, failures), seconds
        self.count, self.until = 0, 0.0
        self.lock = threading.Lock()

    def check(self) -> None:
        if time.monotonic() < self.until:
            raise ServerUnavailable("model server unreachable recently (circuit open)")

    def ok(self) -> None:
        with self.lock:
            self.count = 0

    def failed(self) -> None:
        with self.lock:
            self.count += 1
            if self.count >= self.limit:
                self.until = time.monotonic() + self.seconds
