"""``WordCounts.of`` counts what a whole-text ``findall`` of the word (plural "s", any case)
would count, without a pass per word."""

import re
from pathlib import Path

from teachback.ingest.concepts.word_counts import WordCounts

TEXTS = [
    "The Series object, two series objects and a SERIES. Serieses are not series_like.",
    "An index, indexes, Indexs; k and K (Kelvin sign) and KS; the ſ of long s, ss and ß.",
    "C++ and c++ differ from C; naïve NAÏVE naïves; don't, dont; x_1 X_1s; 3d 3Ds 3D-printing.",
    "İstanbul, ıi, dot-com, e-mail, E-MAILs; s S ſ; Kelvin kelvins.",
]
WORDS = [
    "series",
    "Series",
    "index",
    "k",
    "s",
    "ss",
    "c++",
    "c",
    "naïve",
    "naive",
    "don't",
    "dont",
    "x_1",
    "3d",
    "dot-com",
    "e-mail",
    "kelvin",
    "istanbul",
    "i",
    "ı",
    "object",
    "missing",
    "",
]


def _findall(word: str, texts: list[str]) -> int:
    pattern = re.compile(rf"\b{re.escape(word)}s?\b", re.I)
    return sum(len(pattern.findall(t)) for t in texts)


def test_counts_match_findall_on_tricky_words():
    counts = WordCounts(TEXTS)
    assert {w: counts.of(w) for w in WORDS} == {w: _findall(w, TEXTS) for w in WORDS}


def test_counts_match_findall_on_the_samples():
    root = Path(__file__).resolve().parents[3] / "data" / "samples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))]
    words = sorted({w.lower() for t in texts for w in re.findall(r"[A-Za-z]+", t)})[:400]
    counts = WordCounts(texts)
    got = {w: counts.of(w) for w in words}
    assert got == {w: _findall(w, texts) for w in words}
    assert sum(got.values()) > 1000
