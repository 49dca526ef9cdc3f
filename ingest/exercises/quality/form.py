"""Does a text stand as a statement about the subject, on its own? Pure checks on its wording.

Each returns a reason (a short sentence) when the text fails, else "":

* ``dangling(text)`` — leans on something not shown: "this", "above", "here", "the following"
  ("This is why it fails." / "as shown above");
* ``not_a_statement(text)`` — a question, a heading, a list item or a fragment where a whole
  declarative sentence is needed (true/false statements, cloze sentences);
* ``narrative(text)`` — about the author or the story of the text ("I ...", "So here we go"),
  not about the subject;
* ``keyword_sense(text, names)`` — about a name's ``name=`` argument, not the idea it names.

Not handled: real grammar (no parser); the checks catch the shapes that failed in audits.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_DANGLING_OPEN = re.compile(
    r"^\W*(this|that|these|those|it|they|them|he|she|his|her|their|its|such|here|there|"
    r"the following|the above|"
    r"the latter|the former|the same|both|but|or|thus|hence|so here|of these|of those|"
    r"in each case|in this case|in both cases|with this|as before|equivalently|"
    r"however|therefore|instead|similarly|likewise|otherwise)\b",
    re.I,
)
_DANGLING_ANY = re.compile(
    r"\b(above|below|the following|as follows|the previous|the next (?:cell|section|chapter|"
    r"example|line)|shown here|see here|this (?:post|article|chapter|section|notebook|video|"
    r"script|repo|repository|file|cell|example|figure|table|code|lecture|page|tutorial|book)|"
    r"in (?:the )?(?:figure|table) \d|here's|here is|this (?:difficulty|problem|issue|approach|"
    r"limitation|behaviou?r|idea|technique|trick|situation)|these|those|the opposite|"
    r"the reverse|the other one|one or the other|than both|both of them)\b",
    re.I,
)
_QUESTION_OPEN = re.compile(
    r"^\W*(why|how|what|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|"
    r"could|should|would|will|shall|may|might)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|I'll|me|my|mine|myself)\b")
_NARRATIVE = re.compile(
    r"^\W*(sadly|luckily|fortunately|unfortunately|indeed|ok|okay|well|anyway|note|tip|"
    r"in short|in summary|let's|let us|we'll|we will|you'll|you will)\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(?:reported|joked|said|says|told|tweeted|tweet|reveals|revealed|recalled|admitted|"
    r"podcast|interview)\b",
    re.I,
)
# "which we'll discuss momentarily", "as we will see later": the sentence promises text
# that the learner is not shown
_AHEAD = re.compile(
    r"\b(?:we(?:'ll| will| shall)|you(?:'ll| will))\s+(?:\w+\s+)?(?:discuss|see|look|explore|"
    r"cover|return|come back|learn|get to|dive|find)\b|\bmomentarily\b|\blater (?:in|on)\b|"
    r"\bin (?:the|a) (?:next|later|following|coming) (?:section|chapter|notebook|part)\b|"
    r"\byou(?:'ve| have)? (?:saw|seen)\b|\bwe(?:'ve| have)? (?:saw|seen)\b",
    re.I,
)
VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|can|cannot|could|will|would|should|"
    r"must|may|might|does|do|did|isn't|aren't|doesn't|don't|won't|can't|"
    r"(?:allow|use|need|let|make|take|give|hold|store|contain|return|provide|produce|create|"
    r"compute|map|keep|become|work|run|call|define|represent|describe|include|consist|depend|"
    r"apply|get|set|show|add|remove|change|follow|support|handle|find|build|read|write|load|"
    r"save|train|learn|mean|help|refer|lead|cause|avoid|reduce|increase|grow|shrink|split|"
    r"combine|join|merge|group|sort|select|index|count|compare|match|fill|drop|replace|point|"
    r"appear|occur|exist|differ|require|result|act|behave|say|tell|let|come|go|look|seem|"
    r"fit|fail|pass|check|accept|ignore|produce|generate|predict|sample|scale|reach|cost|"
    r"take|spend|start|stop|end|begin|move|copy|treat|turn|convert|evaluate|store|print|"
    r"happen|land|hash|probe|walk|scan|share|pile|sit|suit|rise|see|resolve|reuse|spread|"
    r"assign|wrap|insert|delete|look|grow|rehash|slow|speed|double|halve|break|hit|miss|"
    r"fall|mean|choose|pick|put|leave|lose|win|pay|feel|know|think|try|want|matter|belong|"
    r"contain|remain|stay|vary|operate|perform|implement|inherit|extend|override|expose|"
    r"accept|raise|throw|yield|emit|encode|decode|parse|render|display|plot|draw|fit|"
    r"predict|optimi[sz]e|minimi[sz]e|maximi[sz]e|update|reset|clear|fire|trigger|wait|drive|improve|advance)"
    r"(?:s|es|ed|d)?|tries|tried|\w{3,}ed)\b",
    re.I,
)


def prose(text: str) -> str:
    """The text without its code (fenced blocks and inline code spans)."""
    return " ".join(_CODE.sub(" CODE ", text).split())


_PRONOUN = re.compile(r"\b(?:they|them)\b", re.I)


def dangling(text: str) -> str:
    t = prose(text)
    # "they"/"them" in the first clause have no noun before them to refer to ("The
    # birthday paradox shows how soon they arrive"); later, they may ("..., but they pile up")
    first = re.split(r"[,;:]", t, maxsplit=1)[0]
    m = _DANGLING_OPEN.match(t) or _DANGLING_ANY.search(t) or _PRONOUN.search(first)
    if m:
        return f"leans on something not shown ({m.group(0).strip(' ,')!r})"
    return ""


def not_a_statement(text: str) -> str:
    raw = text.strip()
    t = prose(raw)
    if not t:
        return "no sentence"
    if raw.startswith(("#", "-", "*", "$", ">", "|")) or re.match(r"^\d+[.)]\s", raw):
        return "a heading, list item or command, not a sentence"
    if t.endswith("?") or _QUESTION_OPEN.match(t):
        return "a question, not a statement"
    if not t[:1].isupper():
        return "a fragment (does not start a sentence)"
    if t.endswith((":", ",", ";", "-", "(")):
        return "an unfinished sentence"
    if not re.search(r"[.!][)\]\"'”’]*$", t):
        return "not a whole sentence (no final full stop)"
    if len(re.findall(r"[A-Za-z]+", t)) < 5:
        return "too short to be a statement"
    if not VERB.search(_strip_names(t)):
        return "no verb: a heading or label, not a statement"
    return ""


@lru_cache(maxsize=4096)
def _keyword_pattern(name: str) -> re.Pattern:
    return re.compile(rf"`[^`\n]*(?<![\w.]){re.escape(name)}\s*=[^=]", re.I)


def keyword_sense(text: str, names: list[str]) -> str:
    """The name written as a keyword argument in the sentence's code ("The join is a union of
    the input columns (`join='outer'`)"): the sentence is about that parameter, and a learner
    asked "what is a join?" would answer about another sense of the word."""
    if "`" not in text:
        return ""
    for name in names:
        if name.strip() and _keyword_pattern(name.strip()).search(text):
            return f"it is about the `{name.strip()}=` argument, not the idea of that name"
    return ""


def _strip_names(t: str) -> str:
    return re.sub(r"\bCODE\b", " ", t)


def narrative(text: str) -> str:
    t = prose(text)
    m = _AHEAD.search(t)
    if m:
        return f"points ahead to text not shown ({m.group(0).strip()!r})"
    if _FIRST_PERSON.search(t):
        return "about the author (first person), not the subject"
    if re.search(r"![)\]\"'”’]*$", t):
        return "an exclamation in the author's voice, not a fact to check"
    m = _NARRATIVE.match(t) or _REPORTED.search(t)
    if m:
        return f"a remark in the author's voice ({m.group(0).strip()!r}), not a fact to check"
    return ""
