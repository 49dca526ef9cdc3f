"""Shortcuts taken for speed in keyphrase candidates give what the long way gives."""

from dataclasses import asdict

from teachback.core.text import sentences
from teachback.ingest.keyphrases.candidates import Candidate, candidates

TEXT = (
    "A hash table maps keys to values. Hash tables resize when full.\n\n"
    "Linear probing tries the next bucket. A hash table with linear probing clusters."
)
SPANS = [(0, 63), (65, len(TEXT))]


def test_sentences_given_by_the_caller_give_the_same_candidates():
    given = [sentences(TEXT, a, b) for a, b in SPANS]
    with_given = candidates(TEXT, spans=SPANS, sentence_spans=given)
    found = candidates(TEXT, spans=SPANS)
    assert list(with_given) == list(found)
    assert [asdict(c) for c in with_given.values()] == [asdict(c) for c in found.values()]
    assert found["hash tabl"].sentences == {0, 1, 3}


def test_surface_is_the_most_frequent_form_the_first_of_equals():
    c = Candidate(key="hash tabl", words=("hash", "table"))
    c.surfaces = {"hash table": 1}
    assert c.surface == "hash table"
    c.surfaces = {"hash table": 1, "hash tables": 2, "Hash tables": 2}
    assert c.surface == "hash tables"
    c.surfaces = {"Hash table": 3, "hash table": 3}
    assert c.surface == "Hash table"


def test_one_word_features_are_the_general_case_s(monkeypatch):
    """The one-word shortcut of ``featurize`` gives the values the general case gives."""
    from teachback.ingest.keyphrases import features

    text = "Hashing maps KEYS to buckets. A Bucket holds keys; hashing is fast. API 42 keys."
    found = candidates(text)
    features.featurize(found, 0, len(text))
    fast = {k: list(c.features) for k, c in found.items()}
    monkeypatch.setattr(features, "_one_word", _general_one_word)
    features.featurize(found, 0, len(text))
    assert {k: c.features for k, c in found.items()} == fast
    assert sum(len(c.words) == 1 for c in found.values()) >= 5


def _general_one_word(c, info, start, length, word_tf, sub_tf):
    """The general case's list, as ``featurize`` builds it for any number of words."""
    import math

    from teachback.ingest.keyphrases.features import _word_info

    words, n = c.words, len(c.words)
    infos = [_word_info(w) for w in words]
    rar = [i[0] for i in infos]
    head, first = infos[-1], infos[0]
    return [
        float(n == 1),
        float(n == 2),
        float(n == 3),
        float(n >= 4),
        math.log1p(len(c.occurrences)),
        (c.occurrences[0][0] - start) / length,
        float(0 in c.sentences),
        math.log1p(len(c.sentences)),
        sum(rar) / n,
        min(rar),
        rar[-1],
        sum(math.log1p(word_tf.get(i[1], 1)) for i in infos) / n,
        float(c.whole_chunk),
        float(c.chunk_start),
        float(c.chunk_end),
        head[2],
        head[3],
        head[4],
        first[5],
        first[6] if n > 1 else 0.0,
        float(any(i[7] for i in infos)),
        float(any(i[8] for i in infos)),
        float(any(i[9] for i in infos[1:])),
        math.log1p(c.alone),
        math.log1p(sub_tf.get(c.key, 0)),
    ]
