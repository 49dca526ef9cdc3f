"""Jupyter notebook reader (nbformat): markdown cells, code cells and their SAVED outputs.

Nothing is executed: outputs are the ones stored in the file. ``Document.text`` is built from
the cells in order, each piece separated by a blank line:

* a markdown cell is parsed like a Markdown file (headings carry on across cells, so a code cell
  under "## Load factor" has that ``heading_path``);
* a code cell is one ``code`` section with ``signals``: ``cell`` (0-based index), ``outputs``
  (list[str], its saved text outputs), ``execution_count``, ``language``, and for Python cells
  that parse, ``imports``, ``calls`` and ``defines`` (functions and classes it defines);
  ``doctests`` when it holds ``>>>`` examples;
* each saved text output is an ``output`` section (``signals``: ``cell``, ``output`` index,
  ``output_type``; ``ename`` for errors). Rich outputs use their ``text/plain`` form; images
  and widgets with no text are skipped; ANSI colour codes are removed from tracebacks;
* raw cells are ``prose``;
* figures: a PNG/JPEG/GIF/WebP output is kept in ``meta["images"]`` under ``output:<cell>:<n>``
  and listed in its code section's ``signals["images"]``; a markdown cell's attachments under
  ``attachment:<cell>:<name>``, and (with ``hints["root"]``) the local files its links name
  (see ``images``).

Every section's ``locator`` is ``"cell N"`` or ``"cell N output M"`` (1-based, as Jupyter
shows them). A file that is not valid JSON, or has no list of cells, is a ``SourceError``.
"""

from __future__ import annotations

import ast
import builtins
import json
import re

from teachback.core.document import Document, Section
from teachback.errors import SourceError
from teachback.ingest.readers.code.explaining import comment_words, explaining_comments
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.images import (
    MAX_IMAGES,
    decode_base64,
    markdown_images,
    record,
)
from teachback.ingest.readers.markdown import doctest_examples, parse_markdown
from teachback.ingest.readers.registry import register_reader
from teachback.ingest.readers.spans import section, sha256, stem_title

_BUILTINS = frozenset(dir(builtins))
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MAGIC = re.compile(r"^\s*[%!].*$", re.M)


def _join(value) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)


def _output_text(output: dict) -> str:
    kind = output.get("output_type", "")
    if kind == "stream":
        return _join(output.get("text"))
    if kind in ("execute_result", "display_data"):
        data = output.get("data") or {}
        if "text/plain" in data:
            text = _join(data["text/plain"])
            if any(m in data for m in _IMAGE_TYPES) and re.fullmatch(r"\s*<[^<>\n]*>\s*", text):
                return ""  # a figure's text form ("<Figure size 640x480 ...>") says nothing
            return text
        if "text/markdown" in data:
            return _join(data["text/markdown"])
        return ""
    if kind == "error":
        tb = output.get("traceback") or []
        text = "\n".join(_ANSI.sub("", str(line)) for line in tb)
        return text or f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return ""


def _python_signals(source: str) -> dict:
    """Imports and called names of a code cell, by parsing it (magics blanked out)."""
    try:
        tree = ast.parse(_MAGIC.sub("", source))
    except (SyntaxError, ValueError, RecursionError):
        return {}
    imports: list[str] = []
    calls: list[str] = []
    defines: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defines.append(node.name)
        if isinstance(node, ast.Import):
            imports.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imports.append(node.module)
        elif isinstance(node, ast.Call):
            parts = []
            f = node.func
            while isinstance(f, ast.Attribute):
                parts.append(f.attr)
                f = f.value
            if isinstance(f, ast.Name):
                parts.append(f.id)
                name = ".".join(reversed(parts))
                if name not in _BUILTINS:
                    calls.append(name)
    return {
        "imports": list(dict.fromkeys(imports)),
        "calls": list(dict.fromkeys(calls)),
        "defines": defines,
    }


def _load(name: str, data: bytes) -> dict:
    text, _ = decode_text(name, data)
    try:
        nb = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise SourceError(
            name,
            f"not a valid notebook: the JSON is corrupt or truncated ({exc.msg} at line "
            f"{exc.lineno}, column {exc.colno})",
        ) from None
    if isinstance(nb, dict) and isinstance(nb.get("worksheets"), list):
        # nbformat 3: let nbformat convert it (a pure data transformation, nothing runs).
        try:
            import nbformat

            nb = dict(nbformat.convert(nbformat.from_dict(nb), 4))
        except Exception as exc:  # noqa: BLE001 - any conversion failure is a bad notebook
            raise SourceError(name, f"old notebook format could not be converted ({exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise SourceError(name, "not a valid notebook: no list of cells (nbformat 4 expected)")
    # Schema validation (nbformat.validate) is skipped on purpose: it is slow on big notebooks
    # and a notebook with a minor schema slip still reads; missing fields are defaulted below.
    return nb


def _placed(sections: list, add, text: str, kind: str, path, locator: str, signals: dict) -> None:
    """``text`` appended to the notebook's text (``add``) as one section of ``kind``."""
    base = add(text)
    sec = section(text, kind, 0, len(text), heading_path=path, locator=locator, signals=signals)
    if sec:
        sec.start += base
        sec.end += base
        if "comments" in sec.signals:  # spans in the cell's source -> in the notebook's text
            sec.signals["comments"] = [[a + base, b + base] for a, b in sec.signals["comments"]]
        sections.append(sec)


def _code_signals(cell: dict, index: int, source: str, language: str, path, images) -> dict:
    """A code cell's signals: its text outputs, language, execution count, figures, and for
    Python what its code imports, calls and defines and its doctest examples."""
    outputs = [
        _ANSI.sub("", _output_text(o)) for o in cell.get("outputs") or [] if isinstance(o, dict)
    ]
    signals = {
        "cell": index,
        "outputs": [o for o in outputs if o.strip()],
        "language": language,
        "execution_count": cell.get("execution_count"),
    }
    figures = _output_images(cell, index, path, images)
    if figures:
        signals["images"] = figures
    if language == "python":
        signals.update(_python_signals(source))
        comments = [list(comment_words(source, a, b)) for a, b, _ in explaining_comments(source)]
        if comments:
            signals["comments"] = comments
    examples = doctest_examples(source)
    if examples:
        signals["doctests"] = examples
    return signals


def _outputs(sections: list, add, cell: dict, index: int, path, loc: str) -> None:
    """A code cell's text outputs, each a section (numbered among the non-empty ones)."""
    k = 0
    for o in cell.get("outputs") or []:
        if not isinstance(o, dict):
            continue
        text = _ANSI.sub("", _output_text(o))
        if not text.strip():
            continue
        sig = {"cell": index, "output": k, "output_type": o.get("output_type", "")}
        if o.get("output_type") == "error":
            sig["ename"] = str(o.get("ename", ""))
        _placed(sections, add, text, "output", path, f"{loc} output {k + 1}", sig)
        k += 1


def _cells(nb: dict, name: str):
    """``(index, cell)`` of each cell; a cell that is not an object is a clear error."""
    for index, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict):
            raise SourceError(f"{name} cell {index + 1}", "not a notebook cell (not an object)")
        yield index, cell


def _kernel_language(meta: dict) -> str:
    return (
        (meta.get("kernelspec") or {}).get("language")
        or (meta.get("language_info") or {}).get("name")
        or "python"
    )


def read_notebook(name: str, data: bytes, hints: dict | None = None) -> Document:
    nb = _load(name, data)
    meta = nb.get("metadata") or {}
    kernel_lang = _kernel_language(meta)
    pieces: list[str] = []
    sections: list[Section] = []
    pos = 0
    path: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    title = ""
    images: dict = {}
    root = (hints or {}).get("root")

    def add(piece: str) -> int:
        nonlocal pos
        if pieces:
            pieces.append("\n\n")
            pos += 2
        start = pos
        pieces.append(piece)
        pos += len(piece)
        return start

    for index, cell in _cells(nb, name):
        source = _join(cell.get("source")).replace("\r\n", "\n")
        ctype = cell.get("cell_type")
        loc = f"cell {index + 1}"
        if not source.strip() and ctype != "code":
            continue
        if ctype == "markdown":
            _cell_images(cell, index, source, images)
            if root and "![" in source:
                markdown_images(source, (hints or {}).get("file") or name, root, images)
            base = add(source)
            secs, path, levels, cell_title = parse_markdown(
                source,
                base=base,
                heading_path=path,
                heading_levels=levels,
                locator=loc,
                extra_signals={"cell": index},
            )
            title = title or cell_title
            sections.extend(secs)
        elif ctype == "code":
            signals = _code_signals(cell, index, source, kernel_lang, path, images)
            if source.strip():
                _placed(sections, add, source, "code", path, loc, signals)
            _outputs(sections, add, cell, index, path, loc)
        elif ctype == "raw":
            _placed(sections, add, source, "prose", path, loc, {"cell": index})
    text = "".join(pieces)
    return Document(
        path=name,
        format="notebook",
        title=title
        or (meta.get("title") if isinstance(meta.get("title"), str) else "")
        or stem_title(name),
        text=text,
        sections=sections,
        sha256=sha256(data),
        language=kernel_lang,
        meta={"cells": len(nb["cells"]), "nbformat": nb.get("nbformat")}
        | ({"images": images} if images else {}),
    )


_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _output_images(cell: dict, index: int, path: tuple[str, ...], images: dict) -> list[str]:
    """Keep the image outputs of a code cell; their references, in output order."""
    refs = []
    for k, output in enumerate(cell.get("outputs") or []):
        data = output.get("data") if isinstance(output, dict) else None
        if not isinstance(data, dict) or len(images) >= MAX_IMAGES:
            continue
        for mime in _IMAGE_TYPES:
            if mime in data:
                where = f" under \u201c{path[-1]}\u201d" if path else ""
                kept = record(decode_base64(data[mime]), f"Figure from cell {index + 1}{where}")
                if kept:
                    ref = f"output:{index}:{k}"
                    images[ref] = kept
                    refs.append(ref)
                break
    return refs


def _cell_images(cell: dict, index: int, source: str, images: dict) -> None:
    """Keep a markdown cell's attached images that its text shows."""
    attachments = cell.get("attachments")
    if not isinstance(attachments, dict) or "attachment:" not in source:
        return
    for name, bundle in attachments.items():
        if not isinstance(bundle, dict) or len(images) >= MAX_IMAGES:
            continue
        for mime in _IMAGE_TYPES:
            if mime in bundle:
                kept = record(decode_base64(bundle[mime]), str(name))
                if kept:
                    images[f"attachment:{index}:{name}"] = kept
                break


register_reader("notebook", (".ipynb",), read_notebook)
