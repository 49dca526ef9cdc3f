"""How the curriculum benchmark matches a concept's name against the key's: one matching key per
name, so "CausalSelfAttention", "causal self-attention" and "Causal self attentions" are one."""

from __future__ import annotations

import re

_CODE_PREFIX = re.compile(r"^(?:pd|df|np|data|self|torch|nn)\.")
_NOT_PLURAL = ("ss", "us", "is", "ics", "ous", "ys")


def normalise(name: str) -> str:
    """The matching key of a concept name or alias.

    >>> [normalise(n) for n in ["CausalSelfAttention", "pd.merge()", "Key-value pairs"]]
    ['causal self attention', 'merge', 'key value pair']
    """
    s = name.strip()
    s = re.sub(r"\(\)$", "", s)
    s = re.sub(r"\.(?:py|ipynb|md)$", "", s)  # "train.py" is the training script
    s = _CODE_PREFIX.sub("", s)
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", s)  # CamelCase
    s = re.sub(r"[_\-./:,()\[\]`'\"*]+", " ", s).lower()
    words = []
    for w in s.split():
        if w in {"the", "a", "an"}:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith(_NOT_PLURAL):
            w = w[:-1]
        words.append(w)
    return " ".join(words)


def compact(name: str) -> str:
    """``normalise`` without spaces: "AdamW optimizer" and "adamw optimizer" are one name."""
    return normalise(name).replace(" ", "")
