"""Making untrusted text harmless for the tools it is handed to: a terminal, a spreadsheet, a
Markdown viewer. Source text, concept names, answers and display names all come from people
teachback does not trust; these functions are the one place each kind of output is guarded.

* ``terminal_text`` drops escape sequences and control characters, so text printed to a
  terminal cannot set the window title, write the clipboard (OSC 52), move the cursor to
  overwrite earlier lines, or reorder what is shown (bidirectional overrides).
* ``spreadsheet_cell`` makes a CSV cell that a spreadsheet would run as a formula
  (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``) read as text.
* ``safe_url`` turns a link target with a scheme that runs code or carries a document
  (``javascript:``, ``vbscript:``, ``data:``) into an inert one.

Not handled here: HTML (Streamlit pages escape it; the Markdown export escapes ``<``/``>``).
"""

from __future__ import annotations

import html
import re
from typing import Any

# ESC-introduced sequences (ECMA-48): OSC and the string commands (DCS, SOS, PM, APC) run to a
# BEL or String Terminator (or the end of the text, when unterminated); CSI runs to its final
# byte; anything else is ESC plus intermediates and one final byte. The 8-bit C1 forms too.
_ESCAPES = re.compile(
    r"""
      [\x1b][\]PX^_] .*? (?: \x07 | \x1b\\ | \x9c | $ )     # OSC / DCS / SOS / PM / APC, 7-bit
    | [\x9d\x90\x98\x9e\x9f] .*? (?: \x07 | \x1b\\ | \x9c | $ )  # the same, 8-bit
    | (?: \x1b\[ | \x9b ) [0-?]* [ -/]* [@-~]?               # CSI (cursor moves, colours)
    | \x1b [ -/]* [0-~]?                                    # other ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)
# Left: newline and tab. Dropped: other C0 controls (carriage return and backspace overwrite
# what was shown), DEL, C1 controls, and the bidirectional embedding/override/isolate marks.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """``text`` safe to print to a terminal: escape sequences and control characters removed,
    newlines and tabs kept.

    >>> terminal_text("Osmosis\\x1b]0;pwned\\x07 is \\x1b[2Jdiffusion\\r\\n")
    'Osmosis is diffusion\\n'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def terminal_safe(value: Any) -> Any:
    """``terminal_text`` over every string in ``value`` (dicts, lists and tuples walked; other
    values returned as they are): a tutor payload made safe to print as a whole."""
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, dict):
        return {k: terminal_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(terminal_safe(v) for v in value)
    return value


# A leading = + - @ starts a formula in Excel, LibreOffice and Google Sheets; a leading tab or
# carriage return hides one behind whitespace; the full-width forms are read the same way.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell value a spreadsheet shows as text: a string that would start a formula gets a
    leading apostrophe; numbers and other values are returned unchanged.

    >>> spreadsheet_cell('=HYPERLINK("http://evil.example","click")'), spreadsheet_cell(-0.5)
    ('\\'=HYPERLINK("http://evil.example","click")', -0.5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # ``javascript\:`` reads as ``javascript:``


def unsafe_url(url: str) -> bool:
    """True when ``url`` would run script or load an inline document when followed, however it
    is disguised (entities, Markdown backslash escapes, case, tabs and newlines a browser drops,
    leading spaces).

    >>> unsafe_url("JaVa&#x73;cript:alert(1)"), unsafe_url(" java\\tscript:x"), unsafe_url("a.md")
    (True, True, False)
    """
    plain = _MARKDOWN_ESCAPE.sub(r"\1", html.unescape(html.unescape(url)))
    plain = _INVISIBLE.sub("", plain).lower()
    return plain.startswith(_UNSAFE_SCHEMES)


def safe_url(url: str) -> str:
    """``url`` unchanged when harmless, else prefixed ``unsafe:`` (an unknown scheme: a viewer
    shows the link but following it does nothing).

    >>> safe_url("javascript:alert(1)"), safe_url("https://example.org")
    ('unsafe:javascript:alert(1)', 'https://example.org')
    """
    return "unsafe:" + url if unsafe_url(url) else url
