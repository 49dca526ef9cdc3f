"""Code reader: Python through ast (symbols, signatures, docstrings, doctests, imports, calls),
other languages as code and comments. Nothing is imported or executed."""

from teachback.ingest.readers import load_sources, read_bytes

LRU = '''"""A tiny LRU cache.

>>> c = LRU(1)
"""

import functools
from collections import OrderedDict

from .base import Cache
from . import stats


# Evict the least recently used entry first.
class LRU(Cache):
    """Keep the most recently used entries.

    >>> c = LRU(2)
    >>> c.put("a", 1)
    >>> c.get("a")
    1
    """

    def __init__(self, size: int = 2):
        self.data = OrderedDict()
        self.size = size

    def get(self, key, default=None):
        """Return the value and mark it recently used."""
        if key in self.data:
            self.data.move_to_end(key)
            stats.hit()
            return self.data[key]
        return default

    @functools.lru_cache
    def put(self, key, value) -> None:
        def helper():
            return self._evict()

        self.data[key] = value
        helper()

    def _evict(self): """One-line docstring on the def line."""; return None


def make(n: int) -> LRU:
    return LRU(n)
'''


def test_python_symbols_signals_and_spans(tmp_path):
    pkg = tmp_path / "cachelib"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text("class Cache:\n    pass\n")
    (pkg / "lru.py").write_text(LRU)
    result = load_sources(pkg)
    assert result.errors == []
    doc = next(d for d in result.documents if d.path.endswith("lru.py"))
    assert doc.format == "code" and doc.language == "python"
    assert doc.text == LRU and doc.section_text_matches()
    for a, b in zip(doc.sections, doc.sections[1:], strict=False):
        assert a.end <= b.start
    assert doc.meta["module"] == "cachelib.lru"
    assert doc.title == "cachelib.lru: A tiny LRU cache."

    defs = {s.signals["symbol"]: s for s in doc.sections if s.signals.get("definition")}
    assert list(defs) == [
        "cachelib.lru",
        "cachelib.lru.LRU",
        "cachelib.lru.LRU.__init__",
        "cachelib.lru.LRU.get",
        "cachelib.lru.LRU.put",
        "cachelib.lru.LRU.put.helper",
        "cachelib.lru.LRU._evict",
        "cachelib.lru.make",
    ]
    module = defs["cachelib.lru"]
    assert module.kind == "docstring" and module.signals["symbol_kind"] == "module"
    assert module.signals["imports"] == [
        "functools",
        "collections",
        "cachelib.base",
        "cachelib.stats",
    ]
    assert module.signals["doctests"] == [{"source": "c = LRU(1)", "want": ""}]

    cls = defs["cachelib.lru.LRU"]
    assert cls.kind == "code" and cls.text == "class LRU(Cache):"
    assert cls.signals["symbol_kind"] == "class"
    assert cls.signals["signature"] == "class LRU(Cache)"
    assert cls.signals["bases"] == ["cachelib.base.Cache"]
    assert cls.signals["docstring"].startswith("Keep the most recently used entries.")
    assert cls.signals["doctests"] == [
        {"source": "c = LRU(2)", "want": ""},
        {"source": 'c.put("a", 1)', "want": ""},
        {"source": 'c.get("a")', "want": "1"},
    ]
    start, end = cls.signals["def_span"]
    assert doc.text[start:end].startswith("class LRU(Cache):")
    assert doc.text[start:end].endswith("return None")

    get = defs["cachelib.lru.LRU.get"]
    assert get.signals["symbol_kind"] == "method"
    assert get.signals["signature"] == "def get(self, key, default=None)"
    assert get.signals["calls"] == ["cachelib.lru.LRU.data.move_to_end", "cachelib.stats.hit"]
    put = defs["cachelib.lru.LRU.put"]
    assert put.text.startswith("@functools.lru_cache\n    def put(self, key, value) -> None:")
    assert put.signals["signature"] == "def put(self, key, value) -> None"
    assert defs["cachelib.lru.LRU.put.helper"].signals["calls"] == ["cachelib.lru.LRU._evict"]
    assert defs["cachelib.lru.make"].signals["calls"] == ["cachelib.lru.LRU"]
    assert defs["cachelib.lru.LRU._evict"].signals["docstring"] == (
        "One-line docstring on the def line."
    )

    # The class docstring is split into prose and one section per doctest example.
    cls_parts = [s for s in doc.sections if s.signals["symbol"] == "cachelib.lru.LRU"]
    assert [s.kind for s in cls_parts] == [
        "code",
        "docstring",
        "doctest",
        "doctest",
        "doctest",
        "docstring",
    ]
    assert cls_parts[4].text == '>>> c.get("a")\n    1'
    assert cls_parts[4].signals["doctest"] == {"source": 'c.get("a")', "want": "1"}
    comment = next(s for s in doc.sections if s.kind == "comment")
    assert comment.text == "# Evict the least recently used entry first."


def test_python_is_never_executed(tmp_path):
    marker = tmp_path / "ran.txt"
    source = (
        f"open({str(marker)!r}, 'w').write('x')\n\n\n"
        'def f():\n    """One.\n\n    >>> f()\n    1\n    """\n    return 1\n'
    )
    (tmp_path / "evil.py").write_text(source)
    result = load_sources(tmp_path)
    assert result.errors == [] and not marker.exists()
    doctests = [s for s in result.documents[0].sections if s.kind == "doctest"]
    assert [s.signals["doctest"] for s in doctests] == [{"source": "f()", "want": "1"}]
    assert doctests[0].text == ">>> f()\n    1"


def test_escaped_docstring_keeps_doctests_in_signals_only():
    source = 'def f():\n    """Tab\\tand\\nnewline.\n\n    >>> f()\n    2\n    """\n    return 2\n'
    doc = read_bytes("esc.py", source.encode())
    assert doc.section_text_matches()
    f = doc.sections[0]
    assert f.signals["doctests"] == [{"source": "f()", "want": "2"}]
    assert [s.kind for s in doc.sections] == ["code", "docstring", "code"]


def test_syntax_error_falls_back_to_code_and_comments():
    doc = read_bytes("broken.py", b"# a comment\ndef broken(:\n    pass\n")
    assert "SyntaxError" in doc.meta["parse_error"]
    assert [(s.kind, s.text) for s in doc.sections] == [
        ("comment", "# a comment"),
        ("code", "def broken(:\n    pass"),
    ]


def test_javascript_code_and_comments():
    js = (
        "// Debounce: call fn only after a quiet period.\n"
        "/**\n * @param {Function} fn\n */\n"
        "export function debounce(fn, ms) {\n"
        "  let t;\n\n"
        "  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };\n"
        "}\n"
    )
    doc = read_bytes("src/debounce.js", js.encode())
    assert doc.language == "javascript" and doc.text == js and doc.section_text_matches()
    assert [(s.kind, s.text.split("\n")[0]) for s in doc.sections] == [
        ("comment", "// Debounce: call fn only after a quiet period."),
        ("code", "export function debounce(fn, ms) {"),
    ]
    assert doc.sections[0].text.endswith("*/")
    assert doc.sections[1].text.endswith("}")
    assert doc.sections[0].signals == {"language": "javascript"}


def test_imports_inside_a_function_stay_local_to_it():
    source = (
        "import json as j\n\n\n"
        "def a():\n    import pickle as j\n    return j.dumps(1)\n\n\n"
        "def b():\n    return j.dumps(2)\n"
    )
    doc = read_bytes("m.py", source.encode())
    defs = {s.signals["symbol"]: s.signals for s in doc.sections if s.signals.get("definition")}
    assert defs["m.a"]["imports"] == ["pickle"]
    assert defs["m.a"]["calls"] == ["pickle.dumps"]
    assert defs["m.b"]["imports"] == []
    assert defs["m.b"]["calls"] == ["json.dumps"]
    assert defs["m"]["imports"] == ["json", "pickle"]
