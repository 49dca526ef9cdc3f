"""Which recorded outputs a learner could predict, and which depend on the run.

``usable(code, output)``: a short output (``MAX_LINES`` / ``MAX_CHARS``) with no memory
address, timestamp, figure or HTML, from code that does not read the clock or draw unseeded
random numbers. ``predictable(code, output, max_lines)``: worked out by hand — short code and
output, few numbers, no big loop, no float to many places, not copied from the code shown.
``DRAWS``: a random draw, seeded or not (repeatable, but no learner can say it by hand).
"""

from __future__ import annotations

import re

RUN_DEPENDENT = re.compile(
    r"0x[0-9a-fA-F]{6,}|\bobject at\b|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|<Figure|<IPython|"
    r"<matplotlib|<div|<table|data:image|<svg",
)
RANDOM_SOURCE = re.compile(
    r"\brandom\b|\brandn?\(|\btime\.time\(|\bperf_counter\(|\bdatetime\.now\(|\btoday\(|"
    r"\buuid\d?\(|\bid\(|__version__|\bnp\.empty\(|\bempty\(|\btimeit\b|\bgetsizeof\("
)
# a seeded generator makes "random" numbers repeatable
SEEDED = re.compile(r"\bseed\(\s*\d|\bRandomState\(\s*\d|\bdefault_rng\(\s*\d")
# ... but not predictable by hand: a learner cannot say what `rng.randint(0, 10, 6)` draws
DRAWS = re.compile(
    r"\brandom\.|\bRandomState\(|\bdefault_rng\(|\brng\.|\brand(?:n|int)?\(|\bshuffle\("
)
MAX_LINES, MAX_CHARS = 6, 200
# four or more digits after the point, a number below 1 counted from its first non-zero one
_MANY_PLACES = re.compile(r"(?<![\d.])(?:\d*[1-9]\d*\.\d{4,}|0\.0*[1-9]\d{3,})")


def usable(source: str, want: str) -> bool:
    want = want.strip()
    return bool(
        want
        and len(want) <= MAX_CHARS
        and len(want.splitlines()) <= MAX_LINES
        and not RUN_DEPENDENT.search(want)
        and not (RANDOM_SOURCE.search(source) and not SEEDED.search(source))
    )


def exception_line(want: str) -> str:
    lines = want.strip().splitlines()
    if lines and lines[0].startswith("Traceback"):
        return lines[-1].strip()
    return want.strip()


def _copied(code: str, want: str) -> bool:
    """The output is written out in the code itself (``models[0]`` of a list literal shown
    above it): reading it off the prompt is not predicting. Short outputs ("0", "True")
    are left alone: they appear in code by chance."""
    flat = " ".join(want.split())
    return len(flat) >= 12 and flat in " ".join(code.split())


def predictable(code: str, want: str, max_lines: int) -> bool:
    """Could a learner work this out by hand? Short code, short output, few numbers, no
    big loops (a simulation's average is recorded, but not predictable)."""
    return (
        len(code.splitlines()) <= max_lines
        and len(want.splitlines()) <= 5
        and len(want) <= 120
        and len(re.findall(r"\d+(?:\.\d+)?", want)) <= 10
        and not _copied(code, want)
        # NumPy's byte-order codes ("dtype=[('A', '<i8')]"): a platform detail, not a lesson
        and not re.search(r"'[<>|=][a-zA-Z]\d*'", want)
        and not re.search(r"range\([^)]*\d{3,}", code)
        # a computed float to six places ("126.463121") is arithmetic, not understanding;
        # a small number's leading zeros are not places ("0.0006" is one digit)
        and not _MANY_PLACES.search(want)
    )
