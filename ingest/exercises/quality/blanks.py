"""What a cloze blank must not do: sit inside a code name, ask for a throwaway name, or
leave in the sentence the word that tells a multi-word answer apart. Pure checks that return
a reason, else "".
"""

from __future__ import annotations

import re


def modifier_left(prompt: str, answer: str, blank: str = "_____") -> str:
    """A word that tells a multi-word answer apart ("right" of "right join") still in the
    sentence ("... over the left entries and right entries, respectively"): the answer is
    given away."""
    parts = [w for w in re.findall(r"[A-Za-z][\w-]*", answer.lower())]
    if len(parts) < 2:
        return ""
    if answer.lower() in prompt.lower():
        return ""  # (the whole answer shown: the self-check's answer_revealed says so)
    rest = set(re.findall(r"[a-z][\w-]*", prompt.replace(blank, " ").lower()))
    for w in parts[:-1]:
        if len(w) >= 3 and w in rest:
            return f"the sentence still says {w!r}, which tells the answer apart"
    return ""


_THROWAWAY = frozenset(
    "x y z i j k n m df s t a b c tmp temp foo bar baz data result res val var obj arr lst".split()
)


def blanks_identifier(prompt: str, answer: str, blank: str = "_____") -> str:
    """A blank that is part of a code name (``_____/finetune.py``, ``n_____``) or inside a code
    span, or an answer that is itself a code identifier (unless the blank is a whole code
    span: "The `_____` attribute ..." asks for the whole name, not a fragment of it)."""
    wholes = 0
    for m in re.finditer(re.escape(blank), prompt):
        before = prompt[max(0, m.start() - 1) : m.start()]
        if re.match(r"[\w./\\(\[-]", before) or re.match(r"[\w/\\(\[]|\.\w", prompt[m.end() :]):
            return "the blank is part of a longer code name"
        whole = prompt[m.start() - 1 : m.end() + 1] == f"`{blank}`"
        if prompt[: m.start()].count("`") % 2 == 1 and not whole:
            return "the blank is inside code"
        wholes += whole
    a = str(answer).strip()
    if a.lower() in _THROWAWAY or (len(a) <= 2 and not a.isupper()):
        return f"the answer {a!r} is a throwaway name, not a term"
    if (
        not (wholes and wholes == prompt.count(blank))
        and re.fullmatch(r"[A-Za-z_][\w.]*", a)
        and ("_" in a or "." in a or re.search(r"[a-z][A-Z]", a))
    ):
        return f"the answer {a!r} is a code identifier, not a term"
    return ""
