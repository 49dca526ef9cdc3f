"""Run untrusted Python (a source's notebook cells, its examples) in a confined process.

``run_programs(programs)`` runs each program — a list of cells, as a notebook has them — in a
fresh namespace, in one separate worker process, and returns what each cell shows: its printed
text plus the ``repr`` of a final bare expression, as a notebook records it.

The worker runs under bubblewrap (Debian ``bubblewrap``, installed by
``scripts/install-system-deps.sh``): no network, no other processes visible, no capabilities, the
file system read-only except a scratch folder that is deleted afterwards (only the Python
installation and system libraries are visible, not the rest of the machine), with limits on
memory, CPU time, file size and wall time per cell. ``available()`` says whether it works here
(user namespaces may be disabled in a container); when it does not, ``run_programs`` raises
``SandboxUnavailable`` and callers fall back to the outputs the source recorded. There is no
weaker mode: plain resource limits without isolation would let source code reach the network
and the learners' data.

Not handled: IPython magics and shell escapes (``%timeit``, ``!pip``) — a cell holding one is
reported as not run (``error="magic"``); rich outputs (figures, HTML) are not captured.

This module imports nothing from the rest of teachback.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache

CELL_SECONDS = 5.0
MEMORY_MB = 1024
MAX_OUTPUT = 20_000  # characters kept per cell


class SandboxUnavailable(RuntimeError):
    """No isolation is possible on this machine: nothing may be run."""


@dataclass
class CellResult:
    output: str = ""  # printed text, then the repr of a final expression (as a notebook shows)
    error: str = ""  # "" | "magic" | "timeout" | "<ExceptionType>: message"


@dataclass
class ProgramResult:
    cells: list[CellResult] = field(default_factory=list)
    error: str = ""  # the worker itself failed (killed, out of memory, crashed)

    @property
    def last(self) -> CellResult:
        return self.cells[-1] if self.cells else CellResult(error=self.error or "not run")


# The worker: reads {"programs": [[cell, ...], ...], "seconds": s} on stdin, writes one JSON
# list on its private copy of stdout (the programs' own prints are captured, never mixed in).
WORKER = r"""
import ast, contextlib, io, json, os, resource, signal, sys

def limit(kind, value):
    try:
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        pass

cfg = json.loads(sys.stdin.read())
out = os.fdopen(os.dup(1), "w")
null = os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 1)
os.dup2(null, 2)
limit(resource.RLIMIT_AS, cfg["memory"] * 1024 * 1024)
limit(resource.RLIMIT_FSIZE, 10 * 1024 * 1024)
limit(resource.RLIMIT_CPU, int(cfg["cpu"]) + 1)

class Timeout(BaseException):
    pass

def alarm(*_):
    raise Timeout()

signal.signal(signal.SIGALRM, alarm)

def magic(cell):
    return any(l.lstrip().startswith(("%", "!")) for l in cell.splitlines())

def run_cell(cell, ns):
    if magic(cell):
        return {"output": "", "error": "magic"}
    buf = io.StringIO()
    err = ""
    try:
        tree = ast.parse(cell)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        signal.setitimer(signal.ITIMER_REAL, cfg["seconds"])
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(tree, "<cell>", "exec"), ns)
            if last is not None:
                value = eval(compile(last, "<cell>", "eval"), ns)
                if value is not None:
                    print(repr(value))
    except Timeout:
        err = "timeout"
    except BaseException as e:
        err = f"{type(e).__name__}: {e}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return {"output": buf.getvalue()[: cfg["max_output"]], "error": err}

results = []
for program in cfg["programs"]:
    ns = {"__name__": "__main__"}
    cells = []
    for cell in program:
        r = run_cell(cell, ns)
        cells.append(r)
        if r["error"]:
            break
    results.append(cells)
out.write(json.dumps(results))
out.flush()
"""


def _binds() -> list[str]:
    """Read-only binds: system folders and the Python installation, nothing else."""
    paths = ["/usr", "/etc", "/lib", "/lib64", "/bin", "/sbin"]
    paths += [sys.base_prefix, sys.prefix]
    paths += [p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p]
    args: list[str] = []
    seen: set[str] = set()
    for p in paths:
        if not os.path.exists(p) or p in seen:
            continue
        seen.add(p)
        if os.path.islink(p):  # /lib -> usr/lib on a merged-/usr system
            args += ["--symlink", os.readlink(p), p]
        else:
            args += ["--ro-bind", p, p]
    return args


# A seccomp filter (classic BPF, assembled below) that refuses new processes: fork, vfork and
# clone without CLONE_THREAD fail with EAGAIN; clone3 says "not implemented" so the C library
# falls back to clone, where threads are still allowed. A fork bomb therefore stops at its
# first fork. (RLIMIT_NPROC cannot do this: it is not enforced for root, which a container
# often is.) Any other system-call ABI (32-bit calls on a 64-bit kernel) is refused outright.
_ARCH = {"x86_64": (0xC000003E, {"clone": 56, "fork": 57, "vfork": 58, "clone3": 435}),
         "aarch64": (0xC00000B7, {"clone": 220, "clone3": 435})}  # fmt: skip
_CLONE_THREAD = 0x00010000
_ALLOW, _KILL, _ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
_EAGAIN, _ENOSYS = 11, 38


def _no_process_filter(machine: str) -> bytes | None:
    """The filter for this machine's architecture, or None when it has no table here."""
    if machine not in _ARCH:
        return None
    arch, nr = _ARCH[machine]
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    # (op, k, jump-if-true label, jump-if-false label); labels resolve to relative offsets
    prog: list[tuple] = [
        (ld, 4, None, None),  # seccomp_data.arch
        (jeq, arch, "nr", "kill"),
        ("nr", ld, 0, None, None),  # seccomp_data.nr
        (jge, 0x40000000, "kill", None),  # x32 calls on x86_64
    ]
    for name in ("fork", "vfork"):
        if name in nr:
            prog.append((jeq, nr[name], "again", None))
    prog += [
        (jeq, nr["clone3"], "nosys", None),
        (jeq, nr["clone"], "clone", "allow"),
        ("clone", ld, 16, None, None),  # low half of the first argument: the flags
        (jset, _CLONE_THREAD, "allow", "again"),
        ("allow", ret, _ALLOW, None, None),
        ("again", ret, _ERRNO | _EAGAIN, None, None),
        ("nosys", ret, _ERRNO | _ENOSYS, None, None),
        ("kill", ret, _KILL, None, None),
    ]
    labels = {}
    rows = []
    for i, row in enumerate(prog):
        if isinstance(row[0], str):
            labels[row[0]] = i
            row = row[1:]
        rows.append(row)
    out = b""
    for i, (op, k, jt, jf) in enumerate(rows):
        t = labels[jt] - i - 1 if jt else 0
        f = labels[jf] - i - 1 if jf else 0
        out += struct.pack("<HBBI", op, t, f, k)
    return out


def _command(scratch: str, seccomp_fd: int | None = None) -> list[str]:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    return [
        bwrap,
        # /tmp first: a mount made after the binds would hide any of them that live under /tmp
        # (a clone and its venv in /tmp/...).
        "--tmpfs", "/tmp",
        *_binds(),
        "--dev", "/dev",
        "--proc", "/proc",
        "--bind", scratch, scratch,
        "--remount-ro", "/",  # bwrap's own root holds mount points only: nothing to write
        "--chdir", scratch,
        "--unshare-all",  # network, processes, IPC, host name
        "--cap-drop", "ALL",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--setenv", "HOME", scratch,
        "--setenv", "PATH", "/usr/bin:/bin",
        "--setenv", "MPLBACKEND", "Agg",
        "--setenv", "PYTHONHASHSEED", "0",
        "--setenv", "OPENBLAS_NUM_THREADS", "1",
        *(["--seccomp", str(seccomp_fd)] if seccomp_fd is not None else []),
        sys.executable, "-I", "-c", WORKER,
    ]  # fmt: skip


def run_programs(
    programs: list[list[str]],
    *,
    cell_seconds: float = CELL_SECONDS,
    memory_mb: int = MEMORY_MB,
    files: dict[str, str] | None = None,
    total_seconds: float | None = None,
) -> list[ProgramResult]:
    """Run each program (its cells in order, in a fresh namespace) in the sandbox.

    ``files`` (relative path -> text) are written into the scratch folder first, which is the
    programs' working directory (e.g. a package to import). ``total_seconds`` caps the wall
    time of the whole run (default: ``cell_seconds`` per cell plus start-up); on expiry every
    program reports ``error="timeout"``. Programs share one worker process, so modules a
    program imports stay imported for the next one.

    >>> run_programs([["x = 2", "x * 21"]])[0].last.output   # doctest: +SKIP
    '42\\n'
    """
    if not programs:
        return []
    cells = sum(len(p) for p in programs)
    wall = total_seconds if total_seconds is not None else cell_seconds * cells + 15
    payload = json.dumps(
        {
            "programs": programs,
            "seconds": cell_seconds,
            "memory": memory_mb,
            "cpu": cell_seconds * cells + 5,
            "max_output": MAX_OUTPUT,
        }
    )
    with tempfile.TemporaryDirectory(prefix="teachback-sandbox-") as scratch:
        _write_files(scratch, files or {})
        filter_fd = _filter_pipe()
        try:
            proc = subprocess.Popen(
                _command(scratch, filter_fd),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                text=True,
                pass_fds=(filter_fd,) if filter_fd is not None else (),
            )
        finally:
            if filter_fd is not None:
                os.close(filter_fd)
        try:
            stdout, stderr = proc.communicate(payload, timeout=wall)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return [ProgramResult(error="timeout") for _ in programs]
    try:
        raw = json.loads(stdout)
    except json.JSONDecodeError:
        why = (stderr or "").strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        return [ProgramResult(error=f"the sandbox worker failed: {why[0]}") for _ in programs]
    return [ProgramResult(cells=[CellResult(**c) for c in r]) for r in raw]


def _filter_pipe() -> int | None:
    """A pipe's read end holding the no-new-processes filter (bwrap reads it whole)."""
    program = _no_process_filter(platform.machine())
    if program is None:
        return None
    read, write = os.pipe()
    os.write(write, program)  # a few hundred bytes: far below a pipe's buffer
    os.close(write)
    return read


def _write_files(scratch: str, files: dict[str, str]) -> None:
    """Write ``files`` under ``scratch``; a path that would leave it is refused."""
    root = os.path.realpath(scratch)
    for rel, text in files.items():
        target = os.path.realpath(os.path.join(root, rel))
        if os.path.isabs(rel) or not target.startswith(root + os.sep):
            raise ValueError(f"a sandbox file must stay in the scratch folder: {rel!r}")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)


@lru_cache(maxsize=1)
def available() -> str:
    """ "" when code can be run confined here, else why not (a sentence for the user)."""
    try:
        result = run_programs([["1 + 1"]], cell_seconds=10)
    except (SandboxUnavailable, OSError) as err:
        return str(err)
    if result[0].last.output.strip() != "2":
        return "bubblewrap cannot start here: " + (result[0].error or result[0].last.error)
    return ""
