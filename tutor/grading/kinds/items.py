"""Which option or item a learner's answer names.

The answer always arrives as text. List-like answers (ordering, matching) may be one item per
line, separated by ``;``/``,``/``->``, given as 1-based positions / option letters, or a JSON
list; an item names an option by letter or position, by its text, or by a close fuzzy match.
"""

from __future__ import annotations

import json
import re

from rapidfuzz import fuzz

from teachback.tutor.grading.text import words


def norm(text: str) -> str:
    return " ".join(words(text))


def split_items(answer: str) -> list[str]:
    """A list-like answer as items: a JSON list, or lines, or ``;``/``,``/``->``/``>`` separated."""
    text = (answer or "").strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
            if isinstance(value, list):
                return [str(v).strip() for v in value if str(v).strip()]
        except ValueError:
            pass
    for sep in ("\n", "->", "=>", ">", ";", ","):
        if sep in text:
            items = [re.sub(r"^\s*(\d+[.)]|[-*•])\s+", "", p).strip() for p in text.split(sep)]
            return [i for i in items if i]
    return [text] if text else []


def letter_or_index(item: str, options: list[str]) -> str | None:
    """'B', 'b)', '(b)', '2' -> the option it names (1-based numbers, letters a..z)."""
    m = re.fullmatch(r"\(?\s*([A-Za-z]|\d{1,2})\s*[).:]?\s*", item.strip())
    if not m or not options:
        return None
    tok = m.group(1)
    i = int(tok) - 1 if tok.isdigit() else ord(tok.lower()) - ord("a")
    return options[i] if 0 <= i < len(options) else None


def best_match(item: str, options: list[str], cutoff: float = 80.0) -> str | None:
    """The option an item names: by letter/index, exact text, or a close fuzzy match."""
    by_position = letter_or_index(item, options)
    if by_position is not None:
        return by_position
    n = norm(item)
    for o in options:
        if norm(o) == n:
            return o
    scored = [(fuzz.token_sort_ratio(n, norm(o)), o) for o in options]
    scored.sort(key=lambda t: -t[0])
    if scored and scored[0][0] >= cutoff and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def lcs_length(a: list, b: list) -> int:
    """Length of the longest common subsequence: [1, 2, 3] vs [1, 3, 2] -> 2."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]
