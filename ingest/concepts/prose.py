"""One group of prose: score its candidates, choose its concepts, record their evidence.

1. ``teachback.ingest.keyphrases`` gives every stop-word-bounded n-gram of the group a score
   (frequency, position, rarity in general English, length, suffix heuristics).
2. The group's structural signals (``signals``) add bonuses: a heading term, emphasis, a code
   span, a defining sentence; terms it defines, names in a recurring heading or demonstrates as
   an API come in even when the ranker never proposed them.
3. The group keeps its top ``k`` (3-10, growing with its length), after dropping phrases that
   only occur inside a chosen longer one. Only the concepts it introduces count against ``k``,
   and it introduces at most as many as it has new words, plus the terms it defines or names
   in its heading; no section introduces more than ``MAX_PER_GROUP``.
4. Each chosen concept records where it is introduced, its marks of teaching, its best
   definition and a mention.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from teachback.core.text import sentences
from teachback.ingest.concepts.artefacts import artefact_test
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.book_terms import count_singles
from teachback.ingest.concepts.groups import Group
from teachback.ingest.concepts.headings import heading_terms
from teachback.ingest.concepts.lexicon import EVALUATIVE, acceptable, clean_term, verb_phrase
from teachback.ingest.concepts.settings import (
    ADMIT_DEFINITION,
    ADMIT_WEAK_SCORE,
    BONUS_API,
    BONUS_CODE_SPAN,
    BONUS_DEFINITION,
    BONUS_EMPHASIS,
    BONUS_HEADING,
    CONCEPT_MAX_WORDS,
    EMPHASIS_DEFINITION,
    KNOWN_EXTRA,
    MARKED_MIN,
    MARKED_STRENGTH,
    MAX_MENTIONS,
    MAX_PER_GROUP,
    MAX_QUOTE,
    MIN_LOCAL_SCORE,
    NEW_MIN,
    NOVEL_SHARE,
    SECTION_GROUPS,
    UNIGRAM_TF_BONUS,
)
from teachback.ingest.concepts.siblings import add_siblings
from teachback.ingest.concepts.signals import Signals, group_signals, with_antecedent
from teachback.ingest.keyphrases.candidates import Candidate, candidates
from teachback.ingest.keyphrases.ranking import score_candidates

_IMAGE_ONLY = re.compile(r"\s*!\[[^\]]*\]\([^)]*\)\s*")


@dataclass
class _Scores:
    """A group's candidates merged onto concept keys."""

    local: dict[str, float] = field(default_factory=dict)  # key -> best score in the group
    reps: dict[str, Candidate] = field(default_factory=dict)  # key -> its best candidate
    here: dict[str, int] = field(default_factory=dict)  # key -> first offset in the group


def prose_group(batch: Batch, di: int, group: Group) -> None:
    batch.n_groups += 1
    text = batch.norm[di]
    spans = group.spans
    g_start, g_end = spans[0][0], spans[-1][1]
    # Each piece's sentences, read once for the candidates and the signals.
    per_span = [sentences(text, a, b) for a, b in spans]
    found = candidates(
        text, spans=spans, normalized=True, max_words=CONCEPT_MAX_WORDS, sentence_spans=per_span
    )
    if not found:
        return
    score_candidates(found, g_start, g_end)
    n_words = sum(len(c.words) == 1 and c.tf or 0 for c in found.values())
    ok = [c for c in found.values() if acceptable(c, batch.abbrev)]
    # New vocabulary: acceptable single words no earlier group of the batch used.
    words = [c.key for c in ok if len(c.words) == 1]
    novel = sum(1 for w in words if w not in batch.vocabulary)
    batch.vocabulary.update(words)

    sig = group_signals(batch, di, group, [s for piece in per_span for s in piece])
    scores = _score(batch, di, text, spans, found, ok, sig)
    _add_defined(batch, di, sig, scores)
    _add_quoted(batch, di, sig, scores)
    _add_recurring_headings(batch, di, group, sig, scores, g_start)
    _add_apis(batch, di, text, sig, scores, g_start, g_end)
    for k, term in sig.heading_keys.items():
        if k in batch.concepts:
            batch.concepts[k].heading_surfaces[term] += 1
    singles = count_singles(batch, text, spans, found, sig.defined, scores.local)

    ceiling = MAX_PER_GROUP - _section_box(batch, di, group.heading_path)[0]
    budget = max(3, min(10, n_words // 15 + 3)) if n_words >= 25 else min(2, len(scores.local))
    new_budget = min(budget, max(NEW_MIN, round(NOVEL_SHARE * novel)))
    chosen = _select(batch, sig, scores, budget, new_budget, ceiling)
    siblings = add_siblings(
        batch,
        di,
        text,
        sig.sent_spans,
        chosen,
        scores.local,
        scores.reps,
        sig.defined,
        sig.heading_keys,
        ceiling,
    )
    fresh_now = sum(1 for k in chosen if _is_new(batch, k))
    batch.section_box[0] += fresh_now
    batch.rooms.append((di, [fresh_now, max(budget, MARKED_MIN)], batch.section_box, singles))
    batch.group_at.append(((di, g_start), batch.section_box))
    for k in chosen:
        _record(batch, di, group, k, sig, scores, siblings, g_start)


def _is_new(batch: Batch, k: str) -> bool:
    return k not in batch.concepts or not batch.concepts[k].groups


def _score(
    batch: Batch,
    di: int,
    text: str,
    spans: list[tuple[int, int]],
    found: dict[str, Candidate],
    ok: list[Candidate],
    sig: Signals,
) -> _Scores:
    """Score the acceptable candidates ``ok`` with the group's bonuses, merged onto concept
    keys; record their forms and first mentions on the batch's concepts."""
    scores = _Scores()
    artefact = artefact_test(text, spans, found)
    for c in ok:
        if artefact(c):
            continue
        k = batch.key(c.surface)
        s = c.score + _bonus(c, k, sig)
        if s > scores.local.get(k, -1e9):
            scores.local[k] = s
            scores.reps[k] = c
        con = batch.get(k)
        forms = c.surfaces
        if len(forms) > 1:
            # Stems conflate "intersecting circles" with "intersects circle": keep forms
            # that are not verb phrases for naming.
            forms = {f: n for f, n in forms.items() if not verb_phrase(f.split())} or forms
        counts = con.surfaces  # (added one by one: ``Counter.update`` costs more per call)
        for f, n in forms.items():
            counts[f] = counts.get(f, 0) + n
        off = c.occurrences[0][0]
        scores.here[k] = min(scores.here.get(k, off), off)
        if (di, off) < con.mentioned:
            con.mentioned = (di, off)
        if di not in con.other_mentions:
            con.other_mentions[di] = (off, c.occurrences[0][1])
    return scores


def _bonus(c: Candidate, k: str, sig: Signals) -> float:
    bonus = 0.0
    if len(c.words) == 1 and c.tf >= 2:
        bonus += UNIGRAM_TF_BONUS * math.log(c.tf)
    if k in sig.heading_keys:
        bonus += BONUS_HEADING
    if k in sig.emphasis:
        bonus += BONUS_EMPHASIS
    if k in sig.code_spans:
        bonus += BONUS_CODE_SPAN
    if k in sig.defined:
        bonus += BONUS_DEFINITION * sig.defined[k][0]
    return bonus


def _add_defined(batch: Batch, di: int, sig: Signals, scores: _Scores) -> None:
    """A term the group defines is a candidate even where the ranker did not propose it."""
    for k, (strength, a, _b, term) in sig.defined.items():
        if k not in scores.local and clean_term(term):
            scores.local[k] = BONUS_DEFINITION * strength - 1.0
            con = batch.get(k)
            con.surfaces[term] += 1
            scores.here[k] = a
            if (di, a) < con.mentioned:
                con.mentioned = (di, a)


def _add_quoted(batch: Batch, di: int, sig: Signals, scores: _Scores) -> None:
    """A term set in quotation marks is a candidate even where the ranker split or missed it
    ("macro - actions")."""
    for k, (term, at) in sig.quoted.items():
        if k in scores.local:
            continue
        scores.local[k] = BONUS_EMPHASIS - 1.0
        con = batch.get(k)
        con.surfaces[term] += 1
        scores.here[k] = at
        if (di, at) < con.mentioned:
            con.mentioned = (di, at)


def _add_recurring_headings(
    batch: Batch, di: int, group: Group, sig: Signals, scores: _Scores, g_start: int
) -> None:
    """A heading term the prose does not repeat word for word names a topic the document
    organises several sections around ("Index Alignment in Series", "... in DataFrames";
    "Scaling Laws: Approach 3", "... Approach 2"); a one-off title does not."""
    recurring = batch.heading_counts(di)
    title = _title_topic(batch, di, group)
    for k, term in sig.heading_keys.items():
        if k in scores.local or group.kind == "comment" or (recurring[k] < 2 and k != title):
            continue
        if " " not in term and "-" not in term:
            continue
        scores.local[k] = BONUS_HEADING - 1.0
        con = batch.get(k)
        con.surfaces[term] += 1
        scores.here.setdefault(k, g_start)


TITLE_SECTIONS = 2  # sections under an essay's title, at least, for it to name their topic


def _title_topic(batch: Batch, di: int, group: Group) -> str | None:
    """The key of what an essay's title names first, for a group under that title ("The AI
    Perception Gap" of "Karpathy: The AI Perception Gap — Two Groups Living in Parallel
    Universes"): the idea its sections build, which the body may only take up in part ("this
    whole gap"). An essay is prose in sections, no code: the title of a notebook or a
    tutorial names what it works through ("Combining Datasets", "Introducing Pandas
    Objects"), and a note of one section is named after what it describes ("openwebtext
    dataset"). A person's name the title opens with is not the topic."""
    doc = batch.documents[di]
    if not doc.title or group.heading_path[:1] != (doc.title,) or group.kind == "comment":
        return None
    kinds = [s.kind for s in doc.sections]
    if "code" in kinds or kinds.count("heading") < TITLE_SECTIONS + 1:
        return None
    for term in heading_terms(doc.title):
        if " " not in term and term[:1].isupper() and term.lower() in batch.speakers:
            continue
        return batch.key(term)
    return None


def _add_apis(
    batch: Batch, di: int, text: str, sig: Signals, scores: _Scores, g_start: int, g_end: int
) -> None:
    """An API the prose names and the code calls is a candidate with at least ``BONUS_API``."""
    for k, surface in sig.api.items():
        con = batch.get(k)
        con.surfaces[surface] += 1
        scores.local[k] = max(scores.local.get(k, -1e9), BONUS_API)
        if k not in scores.here:
            pos = text.find(surface, g_start, g_end)
            scores.here[k] = pos if pos >= 0 else g_start
        if (di, scores.here[k]) < con.mentioned:
            con.mentioned = (di, scores.here[k])


def _section_box(batch: Batch, di: int, headings: tuple[str, ...]) -> list[int]:
    """The count of new concepts shared by the groups of one section (under one heading), a
    new one every ``SECTION_GROUPS`` groups."""
    section = (di, headings) if headings else ()
    if section and section == batch.section and batch.section_groups < SECTION_GROUPS:
        batch.section_groups += 1
    else:
        batch.section, batch.section_groups, batch.section_box = section, 1, [0]
    return batch.section_box


def _marked(k: str, sig: Signals) -> bool:
    """The author marked the term: the section defines it, names it in its heading, sets a
    phrase in bold, or (in plain text) sets a term in quotation marks. A marked term may be
    introduced past the section's ceiling: the ceiling bounds the ranker's guesses, not what
    the author marks."""
    return (
        (k in sig.defined and sig.defined[k][0] >= MARKED_STRENGTH)
        or k in sig.heading_keys
        or (k in sig.emphasis and " " in k)
        or k in sig.quoted
    )


def _select(
    batch: Batch, sig: Signals, scores: _Scores, budget: int, new_budget: int, ceiling: int
) -> list[str]:
    """The group's top terms: at most ``new_budget`` new ones (more if the author marked them,
    up to ``budget``), never past the section's ``ceiling``; known ones are free evidence."""
    ranked = sorted(scores.local.items(), key=lambda kv: -kv[1])
    chosen: list[str] = []
    fresh = 0  # concepts this group introduces; re-selected known ones are evidence
    limit = budget + KNOWN_EXTRA
    for k, s in ranked:
        if len(chosen) >= limit:
            break
        is_new = _is_new(batch, k)
        if is_new and fresh >= ceiling and not _marked(k, sig):
            continue
        if is_new and fresh >= new_budget:
            if not _marked(k, sig) or fresh >= max(budget, MARKED_MIN):
                continue
        if _inside_chosen(k, chosen, scores.reps, sig):
            continue
        if s < MIN_LOCAL_SCORE and k not in sig.defined and k not in sig.api:
            break
        chosen.append(k)
        fresh += is_new
    return chosen


def _inside_chosen(k: str, chosen: list[str], reps: dict[str, Candidate], sig: Signals) -> bool:
    """The phrase only occurs inside a longer chosen one ("self attention" in "causal self
    attention")."""
    rep = reps.get(k)
    if rep is None or rep.alone != 0 or k in sig.defined:
        return False
    return any(f" {rep.key} " in f" {reps[o].key} " for o in chosen if o in reps)


def _record(
    batch: Batch,
    di: int,
    group: Group,
    k: str,
    sig: Signals,
    scores: _Scores,
    siblings: dict[str, tuple[int, int]],
    g_start: int,
) -> None:
    """Record a chosen concept: where it is introduced, its score, marks, definition, mention."""
    con = batch.get(k)
    s = scores.local[k]
    if not con.groups:
        # Introduced here: its first mention in this group (a list member: its list).
        at = scores.here.get(k, siblings[k][0] if k in siblings else g_start)
        con.first_seen = min(con.first_seen, (di, at))
    con.best = max(con.best, s)
    con.total += 1.0 / (1.0 + math.exp(-s))
    con.groups += 1
    con.docs.add(di)
    _mark_taught(batch, group, k, s, sig, scores.reps.get(k))
    _keep_definition(batch, di, k, sig, scores)
    if k in siblings and len(con.mentions) < MAX_MENTIONS:
        con.mentions.append((di, *siblings[k]))
    elif len(con.mentions) < MAX_MENTIONS and k in scores.reps:
        mention = _first_sentence(batch.norm[di], sig.sent_spans, scores.reps[k])
        if mention is not None:
            con.mentions.append((di, *mention))
    elif con.fallback is None and k in scores.here:
        # A term only its heading names ("Index Alignment in Series") or an API only a code
        # span names: the sentence there, in case the material offers nothing better.
        for a, b in sig.sent_spans:
            if a <= scores.here[k] < b:
                con.fallback = (di, a, b)
                break


def _first_sentence(
    text: str, sent_spans: list[tuple[int, int]], rep: Candidate
) -> tuple[int, int] | None:
    """The first sentence that uses the term in words, not as an image's alt text
    ("![nanoGPT](assets/nanogpt.jpg)") or a channel's handle ("stop by #nanoGPT")."""
    for off, _ in rep.occurrences:
        if _handle(text, off):
            continue
        for a, b in sent_spans:
            if a <= off < b:
                if not _IMAGE_ONLY.fullmatch(text, a, b):
                    return a, b
                break
    return None


def _handle(text: str, at: int) -> bool:
    return text[at - 1 : at] in ("#", "@")


def _mark_taught(
    batch: Batch, group: Group, k: str, s: float, sig: Signals, rep: Candidate | None
) -> None:
    """The marks of teaching this group gives the concept (``admission`` reads them)."""
    con = batch.get(k)
    discussed = " " in k or rep is None or rep.tf >= 2
    if group.kind == "comment" and k in sig.heading_keys:
        # A comment labelling a block ("# termination conditions", "# cross fingers") is a
        # weaker mark than a heading: ``admission`` wants the term used again.
        con.taught.add("label")
        con.label_hits += 1
    elif (k in sig.heading_keys and discussed) or _kind_of_topic(k, sig.topic, rep):
        con.taught.add("heading")  # the section's topic, or a kind of it
    if k in sig.defined and sig.defined[k][0] >= ADMIT_DEFINITION:
        if sig.defined[k][0] < 1.0 or s >= ADMIT_WEAK_SCORE:
            con.taught.add("definition")
    if k in sig.emphasis:
        con.taught.add("emphasis")
    if k in sig.api:
        con.taught.add("api")
    if batch.in_code(rep):
        con.taught.add("identifier")  # "block size" and `block_size`: code and prose
    if k in batch.short_of:
        con.taught.add("abbreviation")  # "Distributed Data Parallel (DDP)": spelled out


def _kind_of_topic(k: str, topic: str | None, rep: Candidate | None) -> bool:
    """ "linear probing" under the heading "Probing" (not "best probing")."""
    return (
        k.count(" ") == 1
        and k.rsplit(" ", 1)[-1] == topic
        and (rep is None or rep.words[0].lower() not in EVALUATIVE)
    )


def _keep_definition(batch: Batch, di: int, k: str, sig: Signals, scores: _Scores) -> None:
    """Keep the strongest defining sentence seen so far (the earliest of equal strength)."""
    con = batch.get(k)
    if k in sig.defined:
        strength, a, b = sig.defined[k][:3]
        cand = (-strength, di, with_antecedent(batch.norm[di], sig.sent_spans, a, b), b)
        if con.definition is None or cand < con.definition:
            con.definition = cand
    elif k in sig.emphasis and con.definition is None and k in scores.here:
        # The sentence that sets the term in bold or italics introduces it ("Its weakness is
        # **primary clustering**, the tendency of ..."): a definition until a defining
        # sentence is found.
        if _handle(batch.norm[di], scores.here[k]):
            return  # "stop by **#nanoGPT** on Discord": a channel's handle, not the term
        for a, b in sig.sent_spans:
            if a <= scores.here[k] < b and b - a <= MAX_QUOTE:
                a = with_antecedent(batch.norm[di], sig.sent_spans, a, b)
                con.definition = (-EMPHASIS_DEFINITION, di, a, b)
                break
