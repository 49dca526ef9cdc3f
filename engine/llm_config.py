"""Configuration of the opt-in OpenAI-compatible engine.

Where settings come from, strongest first:

1. keyword arguments to ``LLMConfig.load(...)`` (tests, benchmarks);
2. environment: ``OPENAI_BASE_URL``, ``OPENAI_API_KEY`` (the ``openai`` client's own names),
   ``TEACHBACK_MODEL`` (the model for every role), ``TEACHBACK_MODEL_INGEST``,
   ``TEACHBACK_MODEL_GRADING``, ``TEACHBACK_MODEL_TUTOR``, ``TEACHBACK_LLM_TIMEOUT``,
   ``TEACHBACK_LLM_RETRIES``, ``TEACHBACK_LLM_CONCURRENCY``, ``TEACHBACK_LLM_BUDGET`` (tokens
   per ingest, 0 = none), ``TEACHBACK_LLM_STRUCTURED`` (``auto``/``json_schema``/
   ``json_object``), ``TEACHBACK_LLM_ROUTE`` (``"grade=llm,extract_concepts=embedded"``),
   ``TEACHBACK_LLM_CACHE`` (``0`` turns the response cache off);
3. a TOML file: ``$TEACHBACK_CONFIG``, else ``./teachback.toml``, else
   ``~/.config/teachback/teachback.toml`` — its ``[llm]`` table (see docs/llm.md);
4. defaults.

The engine is used only when asked for: ``TEACHBACK_ENGINE=openai``, or ``TEACHBACK_MODEL``
set, or ``enabled = true`` in the file's ``[llm]`` table. An ``OPENAI_API_KEY`` alone never
turns it on (teachback stays offline unless told otherwise).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from teachback.config import config_table
from teachback.errors import TeachbackError

STEPS = (
    "extract_concepts",
    "link_prerequisites",
    "write_lesson",
    "make_exercises",
    "self_check",
    "grade",
    "answer_question",
    "hint",
    "explain",
)
ROLE_OF_STEP = {
    "extract_concepts": "ingest",
    "link_prerequisites": "ingest",
    "write_lesson": "ingest",
    "make_exercises": "ingest",
    "self_check": "ingest",
    "grade": "grading",
    "answer_question": "tutor",
    "hint": "tutor",
    "explain": "tutor",
}

# Model names ``teachback serve-model`` gives the bundled local models (its ``--model_alias``).
LOCAL_ALIASES = ("local-0.5b", "local-1.5b")

# Per-step defaults for the bundled local models: a step uses the model only where it measured
# better than the embedded engine on the same inputs (the side-by-side figures are in
# docs/bench-llm.md). None did, so every step stays embedded until you route it:
# TEACHBACK_LLM_ROUTE="write_lesson=llm". Other models are not measured here; for them every
# step uses the model (that is why a user configures one) unless ``[llm.route]`` says otherwise.
LOCAL_ROUTE = dict.fromkeys(STEPS, "embedded")
DEFAULT_ROUTE = dict.fromkeys(STEPS, "llm")


def _truthy(value: str | None) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def parse_route(text: str) -> dict[str, str]:
    """``"grade=llm, extract_concepts=embedded"`` -> {step: target}; bad items raise."""
    out: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        step, _, target = item.partition("=")
        step, target = step.strip(), target.strip().lower()
        if step not in STEPS or target not in ("llm", "embedded"):
            raise TeachbackError(
                f"bad route item {item!r}: use <step>=llm|embedded with a step among "
                + ", ".join(STEPS)
            )
        out[step] = target
    return out


@dataclass(frozen=True)
class LLMConfig:
    base_url: str | None = None  # None: the openai client's default (api.openai.com)
    api_key: str | None = None
    model: str = ""
    models: dict[str, str] = field(default_factory=dict)  # role -> model
    timeout: float = 60.0  # seconds per request
    retries: int = 1  # transport retries (the openai client's max_retries)
    max_concurrency: int = 2
    budget_tokens: int = 0  # per ingest; 0 = unlimited
    structured: str = "auto"  # auto | json_schema | json_object
    route: dict[str, str] = field(default_factory=dict)  # explicit per-step overrides
    cache: bool = True
    cache_db: str | None = None  # where responses are cached outside an ingest
    max_tokens: int = 512  # cap on any one completion
    breaker_failures: int = 2  # consecutive transport failures that open the circuit
    breaker_seconds: float = 60.0  # how long an open circuit skips the server
    enabled: bool = False

    @classmethod
    def load(cls, path: Path | None = None, **overrides) -> LLMConfig:
        """The ``[llm]`` table of teachback.toml, then the environment over it, then
        ``overrides``; checked."""
        cfg = cls._from_table(config_table("llm", path))
        cfg = replace(cfg, **_env_changes(cfg, os.environ))
        if overrides:
            cfg = replace(cfg, **overrides)
        cfg.check()
        return cfg

    @classmethod
    def _from_table(cls, table: dict) -> LLMConfig:
        models = {str(k): str(v) for k, v in (table.get("models") or {}).items()}
        route = {}
        if table.get("route"):
            route.update(parse_route(",".join(f"{k}={v}" for k, v in dict(table["route"]).items())))
        return cls(
            base_url=table.get("base_url"),
            api_key=table.get("api_key")
            or (os.environ.get(table["api_key_env"]) if table.get("api_key_env") else None),
            model=str(table.get("model", "")),
            models=models,
            timeout=float(table.get("timeout", 60.0)),
            retries=int(table.get("retries", 1)),
            max_concurrency=int(table.get("max_concurrency", 2)),
            budget_tokens=int(table.get("budget_tokens", 0)),
            structured=str(table.get("structured", "auto")),
            route=route,
            cache=bool(table.get("cache", True)),
            cache_db=table.get("cache_db"),
            max_tokens=int(table.get("max_tokens", 512)),
            enabled=bool(table.get("enabled", False)),
        )

    def check(self) -> None:
        if self.structured not in ("auto", "json_schema", "json_object"):
            raise TeachbackError(
                f"structured={self.structured!r}: use auto, json_schema or json_object"
            )
        if self.timeout <= 0 or self.max_concurrency < 1 or self.retries < 0:
            raise TeachbackError("timeout must be > 0, max_concurrency >= 1, retries >= 0")

    def model_for(self, step: str) -> str:
        role = ROLE_OF_STEP.get(step, "ingest")
        return self.models.get(role) or self.model

    def is_local(self) -> bool:
        return all(self.model_for(s) in LOCAL_ALIASES for s in STEPS)

    def target(self, step: str) -> str:
        """``"llm"`` or ``"embedded"`` for ``step``: explicit route, else the default table."""
        if step in self.route:
            return self.route[step]
        base = LOCAL_ROUTE if self.model_for(step) in LOCAL_ALIASES else DEFAULT_ROUTE
        return base.get(step, "llm")

    def describe(self) -> str:
        models = {s: self.model_for(s) for s in STEPS}
        return (
            f"base_url={self.base_url or '(openai default)'} models="
            + ",".join(sorted(set(models.values())) or ["(none)"])
            + " route="
            + ",".join(f"{s}={self.target(s)}" for s in STEPS)
        )


def llm_enabled() -> bool:
    """Whether configuration asks for the LLM engine (used by ``get_engine()``)."""
    if os.environ.get("TEACHBACK_MODEL"):
        return True
    try:
        return bool(config_table("llm").get("enabled", False))
    except TeachbackError:
        return False


# Environment variables holding one setting each: (variable, field, conversion).
_ENV_SETTINGS = (
    ("TEACHBACK_LLM_TIMEOUT", "timeout", float),
    ("TEACHBACK_LLM_RETRIES", "retries", int),
    ("TEACHBACK_LLM_CONCURRENCY", "max_concurrency", int),
    ("TEACHBACK_LLM_BUDGET", "budget_tokens", int),
    ("TEACHBACK_LLM_STRUCTURED", "structured", str),
    ("TEACHBACK_LLM_CACHE_DB", "cache_db", str),
)


def _server_env(cfg: LLMConfig, env) -> dict:
    """The server, key and models the environment names (a model set there enables it)."""
    upd: dict = {}
    if env.get("OPENAI_BASE_URL"):
        upd["base_url"] = env["OPENAI_BASE_URL"]
    if env.get("OPENAI_API_KEY"):
        upd["api_key"] = env["OPENAI_API_KEY"]
    if env.get("TEACHBACK_MODEL"):
        upd["model"] = env["TEACHBACK_MODEL"]
        upd["enabled"] = True
    for role in ("ingest", "grading", "tutor"):
        value = env.get(f"TEACHBACK_MODEL_{role.upper()}")
        if value:
            upd.setdefault("models", dict(cfg.models))[role] = value
    return upd


def _env_changes(cfg: LLMConfig, env) -> dict:
    """The fields of ``cfg`` the environment sets (a model set there also enables it)."""
    upd = _server_env(cfg, env)
    for name, key, conv in _ENV_SETTINGS:
        if env.get(name):
            try:
                upd[key] = conv(env[name])
            except ValueError:
                raise TeachbackError(f"${name}={env[name]!r} is not a valid {key}") from None
    if env.get("TEACHBACK_LLM_CACHE"):
        upd["cache"] = _truthy(env["TEACHBACK_LLM_CACHE"])
    if env.get("TEACHBACK_LLM_ROUTE"):
        upd["route"] = {**cfg.route, **parse_route(env["TEACHBACK_LLM_ROUTE"])}
    return upd


__all__ = ["LLMConfig", "LOCAL_ALIASES", "LOCAL_ROUTE", "STEPS", "llm_enabled", "parse_route"]
