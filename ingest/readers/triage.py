"""Which files of a folder or repository are course material: pure rules on relative paths.

A folder is read as a user means it: documentation, notes, notebooks and the package's code are
material. These are not, by default, and ``triage(parts)`` says why:

* **test fixtures and tests**: anything under ``tests/``, ``test/``, ``testing/``,
  ``fixtures/``, ``testdata/``, ``__snapshots__/``, and ``test_*.py`` / ``*_test.py`` /
  ``conftest.py`` files (a text fixture teaches nothing about the library it exercises);
* **vendored and generated files**: under ``vendor/``, ``third_party/``, ``_vendor/``,
  ``generated/``, ``_build/``, ``site/``, ``htmlcov/``; ``*_pb2.py``, ``*.min.*``, ``*.map``;
* **licences and legal notices**: ``LICENSE``, ``LICENCE``, ``COPYING``, ``NOTICE``,
  ``AUTHORS``, ``CODE_OF_CONDUCT``, ``SECURITY`` (with any extension);
* **lock files and project housekeeping**: ``*.lock``, ``package-lock.json``, ``requirements*.txt``,
  ``constraints*.txt``, ``CHANGELOG``/``HISTORY``, ``setup.cfg``, ``tox.ini``, ``Makefile``,
  ``Dockerfile``, ``MANIFEST.in``, ``.gitattributes``-style dot files, CI folders;
* **data files**: ``.csv``, ``.tsv``, ``.json``/``.jsonl`` (except notebooks), ``.xml``,
  ``.yaml``/``.yml``, ``.toml``, ``.ini``, ``.cfg``, ``.parquet``, ``.bin``, ``.npy``, ``.pkl``,
  ``.log``, and ``.txt`` files inside a ``data/`` or ``datasets/`` folder (a corpus, not prose);
* **configuration modules of no teaching value**: a ``config/`` or ``configs/`` folder of
  Python files (hyper-parameter settings; the code that reads them is still material).

``--include PATTERN`` (gitignore syntax) brings a skipped file back; ``--exclude PATTERN`` leaves
one out. Files given by name on the command line are always read: triage is for folders.
Not handled: content sniffing (a test file named like a module is read).
"""

from __future__ import annotations

import re

_TEST_DIRS = frozenset(
    {"tests", "test", "testing", "fixtures", "fixture", "testdata", "test_data", "__snapshots__"}
)
_VENDOR_DIRS = frozenset(
    {"vendor", "vendored", "_vendor", "third_party", "thirdparty", "external", "extern"}
)
_GENERATED_DIRS = frozenset({"generated", "_generated", "_build", "site", "htmlcov", "coverage"})
_HOUSEKEEPING_DIRS = frozenset({".github", ".circleci", ".gitlab", "ci", ".devcontainer"})
_DATA_DIRS = frozenset({"data", "datasets", "dataset", "assets"})
_CONFIG_DIRS = frozenset({"config", "configs", "conf"})

_LICENCE = re.compile(
    r"^(?:licen[cs]e|copying|notice|authors|contributors|code_of_conduct|security|patents)"
    r"(?:[.-].*)?$",
    re.I,
)
_HOUSEKEEPING = re.compile(
    r"^(?:.*\.lock|package-lock\.json|npm-shrinkwrap\.json|requirements.*\.txt|constraints.*\.txt"
    r"|changelog(?:\..*)?|history(?:\.(?:md|rst|txt))?|changes(?:\.(?:md|rst|txt))?"
    r"|setup\.cfg|tox\.ini|makefile|dockerfile|manifest\.in|pyproject\.toml|setup\.py"
    r"|\.[\w.-]+)$",
    re.I,
)
_TEST_FILE = re.compile(r"^(?:test_.*|.*_test|conftest)\.py$", re.I)
_GENERATED_FILE = re.compile(r"(?:_pb2\.py|\.min\.\w+|\.map)$", re.I)
_DATA_EXT = frozenset(
    ".csv .tsv .json .jsonl .xml .yaml .yml .toml .ini .cfg .parquet .bin .npy .npz .pkl "
    ".pickle .log .dat .h5 .hdf5 .sqlite .db".split()
)


def _ext(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def triage(parts: list[str] | tuple[str, ...]) -> str | None:
    """Why a file at relative path ``parts`` (inside the folder the user named) is not course
    material, or None when it is.

    >>> triage(["tests", "fixtures", "corpus.txt"])
    'test fixture'
    >>> triage(["LICENSE"]), triage(["docs", "guide.md"]), triage(["pkg", "model.py"])
    ('licence', None, None)
    >>> triage(["data", "shakespeare", "prepare.py"]), triage(["data", "input.txt"])
    (None, 'data file')
    """
    *dirs, name = parts
    low_dirs = [d.lower() for d in dirs]
    low = name.lower()
    if any(d in _TEST_DIRS for d in low_dirs) or _TEST_FILE.match(low):
        return "test fixture"
    if any(d in _VENDOR_DIRS for d in low_dirs):
        return "vendored"
    if any(d in _GENERATED_DIRS for d in low_dirs) or _GENERATED_FILE.search(low):
        return "generated"
    if any(d in _HOUSEKEEPING_DIRS for d in low_dirs):
        return "project housekeeping"
    if _LICENCE.match(low):
        return "licence"
    if _HOUSEKEEPING.match(low):
        return "lock or project file"
    ext = _ext(low)
    if ext in _DATA_EXT:
        return "data file"
    if ext in {".txt", ""} and any(d in _DATA_DIRS for d in low_dirs):
        return "data file"
    if ext == ".py" and low_dirs and low_dirs[-1] in _CONFIG_DIRS:
        return "configuration"
    return None
