"""Whether what a model wrote stands on the sources: quotes found in the text they claim to
come from, citations that name real passages, answers and lessons whose content words occur in
what they cite, an exercise key checked against the model's own answer, and text that talks to
the model instead of about the subject.

Each check is a pure function of the text and the sources; the engine drops (or falls back
on) whatever fails one.
"""

from __future__ import annotations

import re

from teachback.core.document import Document
from teachback.core.text import FUNCTION_WORDS
from teachback.engine.protocol import ExerciseDraft, Span

# Text in a learner answer (or source) that addresses the model rather than the subject.
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instruction|prompt|rule|above|previous)s?\b"
    r"|\b(full|maximum|max|perfect)\s+(marks|score|points|credit)\b"
    r"|\bscore\s*[:=]\s*1(\.0)?\b|\bsystem\s*prompt\b|\byou are (now )?(a|an|the)\b"
    r"|\b(grade|mark)\s+(this|me|my answer)\s+(as\s+)?(correct|1|full)",
    re.I | re.S,
)


def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION.search(text or ""))


def norm_text(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower()).strip(" .;:!?\"'`")


def find_quote(text: str, quote: str, lower: str | None = None) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``: exact, else case- and whitespace-tolerant (a model
    often re-flows line breaks and drops Markdown emphasis). None if absent."""
    quote = (quote or "").strip()
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    words = [w for w in re.split(r"\s+", quote.replace("*", " ").replace("`", " ")) if w]
    if not words:
        return None
    pattern = r"[\s*_`]*".join(re.escape(w) for w in words)
    m = re.search(pattern, text, re.I)
    return (m.start(), m.end()) if m else None


def citations_in(text: str, n: int) -> list[int]:
    out = []
    for m in re.finditer(r"\[(\d+(?:\s*,\s*\d+)*)\]", text):
        for part in m.group(1).split(","):
            k = int(part) - 1
            if 0 <= k < n and k not in out:
                out.append(k)
    return out


def cited_passages(text: str, listed: list[int], quotes: list[str]) -> list[int]:
    """Indices of the passages ``text`` draws on: the numbers the model listed or wrote as
    [n], else (small models often forget) the passages sharing at least 3 content words with
    the text. The grounding check then runs against exactly these passages."""
    n = len(quotes)
    out = [i - 1 for i in listed if 1 <= i <= n]
    out += [i for i in citations_in(text, n) if i not in out]
    if not out:
        words = content_words(re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", " ", text))
        out = [i for i, q in enumerate(quotes) if len(words & content_words(q)) >= 3]
    return sorted(dict.fromkeys(out))


def merge_spans(spans: list[Span], documents: list[Document]) -> list[Span]:
    """Citations as passages: adjacent or overlapping spans of one source merged.

    A merged quote is re-read from the document, never pieced together, so it stays equal to
    ``text[start:end]`` (a quote that is not the source's exact text is no evidence at all).
    Spans of a source we do not have are kept as they are.
    """
    texts = {d.path: d.text for d in documents}
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.source, s.start)):
        text = texts.get(s.source)
        last = out[-1] if out else None
        if text and last and last.source == s.source and s.start <= last.end + 2:
            if s.end > last.end:
                out[-1] = Span(
                    source=s.source, start=last.start, end=s.end, quote=text[last.start : s.end]
                )
            continue
        out.append(s)
    # keep the original citation order of first appearance
    first = {(s.source, s.start): i for i, s in enumerate(spans)}
    out.sort(key=lambda s: first.get((s.source, s.start), 0))
    return out


_WORD = re.compile(r"[a-z][a-z0-9_]+")


def content_words(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS and len(w) > 2}


def grounded_share(text: str, quotes: list[str]) -> float:
    """Share of ``text``'s content words (6-letter stems) that occur in ``quotes``."""
    words = content_words(re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", " ", text))
    if not words:
        return 0.0
    source = set().union(*(content_words(q) for q in quotes)) if quotes else set()
    return len(words & source) / len(words)


def grounded_enough(text: str, quotes: list[str], share: float = 0.6) -> bool:
    """Whether most of ``text``'s content words occur in its cited quotes."""
    return grounded_share(text, quotes) >= share


def matches_key(x: ExerciseDraft, answered: str) -> bool:
    a = norm_text(answered)
    if isinstance(x.answer, bool):
        return a in ("true", "false") and (a == "true") == x.answer
    if isinstance(x.answer, list):
        return a == norm_text(" ".join(map(str, x.answer)))
    key = norm_text(x.answer)
    if x.kind == "multiple_choice":
        letters = {chr(97 + i): c for i, c in enumerate(x.choices)}
        if a in letters:
            a = norm_text(letters[a])
        return a == key or (key and key in a and not any(
            norm_text(c) in a for c in x.choices if norm_text(c) != key
        ))  # fmt: skip
    if x.kind == "cloze":
        return a == key
    kw, aw = content_words(key), content_words(a)
    return bool(kw) and len(kw & aw) / len(kw) >= 0.5
