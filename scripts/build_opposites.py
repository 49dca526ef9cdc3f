"""Build ``tutor/grading/opposites.json`` from WordNet: which words say the opposite of which.

The grader uses it to tell an answer that keeps the reference's wording with a key term turned
into its opposite ("a new, *smaller* bucket array" for "a new, *larger* bucket array") from a
paraphrase. Nothing is read at run time but the generated file, which is committed.

Two relations are taken from WordNet 3.0 (the Debian package ``wordnet-base``:
``apt-get install wordnet-base``):

- ``antonyms``: pairs of words WordNet marks as antonyms (large/small, keep/lose, include/exclude),
  widened to every single-word member of the two synsets of a head adjective (big/little too);
- ``indirect``: a head adjective's antonym against the words of its *satellites* (WordNet's
  "similar to" adjectives: *free* in the sense "not occupied or in use" is a satellite of
  *unoccupied*, so it opposes *occupied*). Looser than ``antonyms`` (*free* also opposes *fixed*
  and *bound*), so the grader reads them only where the reference has the other word in the
  same place of the same statement;
- ``kinds``: groups of nouns that are different kinds of one thing (the set operations union and
  intersection are both hyponyms of "set"): one group per hypernym, each member synset's
  single-word lemmas. A noun replaced by another of its group (not by its own synonym) names a
  different thing of the same kind. Hypernyms with more than ``MAX_KINDS`` hyponyms are left out:
  the members of a large class ("person", "act") are not alternatives to each other.

Usage:
    python scripts/build_opposites.py [--wordnet /usr/share/wordnet]
                                      [--out tutor/grading/opposites.json]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

POS_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "s": "data.adj", "r": "data.adv"}
MAX_KINDS = 40  # hyponyms of one hypernym beyond which they are a class, not alternatives
_WORD = re.compile(r"^[a-z][a-z-]*$")  # single words only: the grader compares word by word


def parse(line: str) -> dict | None:
    """One synset line of a WordNet data file (see wndb(5WN)), or None for the licence header."""
    if line.startswith("  "):
        return None
    fields = line.split(" | ")[0].split()
    offset, pos = fields[0], fields[2]
    n_words = int(fields[3], 16)
    words = [fields[4 + 2 * i].lower() for i in range(n_words)]
    at = 4 + 2 * n_words
    n_ptrs = int(fields[at])
    ptrs = []
    for i in range(n_ptrs):
        sym, target, tpos, src_tgt = fields[at + 1 + 4 * i : at + 5 + 4 * i]
        ptrs.append(
            (sym, target, "a" if tpos == "s" else tpos, int(src_tgt[:2], 16), int(src_tgt[2:], 16))
        )
    return {"key": (offset, "a" if pos == "s" else pos), "pos": pos, "words": words, "ptrs": ptrs}


def read(wordnet: Path) -> dict:
    synsets = {}
    for name in sorted(set(POS_FILES.values())):
        with open(wordnet / name, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                s = parse(line)
                if s:
                    synsets[s["key"]] = s
    return synsets


def _single(words: list[str]) -> list[str]:
    return sorted({w for w in words if _WORD.match(w)})


def antonyms(synsets: dict) -> list[list[str]]:
    pairs = set()
    for s in synsets.values():
        for sym, target, tpos, src, tgt in s["ptrs"]:
            if sym != "!" or (target, tpos) not in synsets:
                continue
            other = synsets[(target, tpos)]
            if src and tgt:
                left, right = [s["words"][src - 1]], [other["words"][tgt - 1]]
            else:
                left, right = s["words"], other["words"]
            if s["pos"] == "a":  # a head adjective: its synonyms oppose the other head's too
                left, right = s["words"], other["words"]
            for a in _single(left):
                for b in _single(right):
                    if a != b:
                        pairs.add(tuple(sorted((a, b))))
    return [list(p) for p in sorted(pairs)]


def _satellites(synsets: dict) -> dict:
    """Each head adjective's satellites (the synsets "similar to" it)."""
    out = defaultdict(list)
    for s in synsets.values():
        if s["pos"] == "s":
            for sym, target, tpos, _src, _tgt in s["ptrs"]:
                if sym == "&":
                    out[(target, tpos)].append(s)
    return out


def indirect_antonyms(synsets: dict) -> list[list[str]]:
    """Pairs (a satellite's word, the word of the antonym of its head adjective)."""
    satellites = _satellites(synsets)
    direct = {tuple(p) for p in antonyms(synsets)}
    pairs = set()
    heads = [s for s in synsets.values() if s["pos"] == "a"]
    for s in heads:
        for sym, target, tpos, _src, _tgt in s["ptrs"]:
            if sym != "!" or (target, tpos) not in synsets:
                continue
            other = _single(synsets[(target, tpos)]["words"])
            near = {w for sat in satellites[s["key"]] for w in _single(sat["words"])}
            pairs |= {tuple(sorted((a, b))) for a in near for b in other if a != b}
    return [list(p) for p in sorted(pairs - direct)]


def kinds(synsets: dict) -> list[list[list[str]]]:
    children = defaultdict(list)
    for s in synsets.values():
        if s["pos"] != "n":
            continue
        for sym, target, tpos, _src, _tgt in s["ptrs"]:
            if sym in ("@", "@i") and tpos == "n":
                children[target].append(s)
    groups = []
    for _parent, members in sorted(children.items()):
        if len(members) < 2 or len(members) > MAX_KINDS:
            continue
        group = [_single(m["words"]) for m in members]
        group = [g for g in group if g]
        if len(group) >= 2:
            groups.append(sorted(group))
    return sorted(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--out", type=Path, default=root / "tutor" / "grading" / "opposites.json")
    args = parser.parse_args()
    if not (args.wordnet / "data.noun").is_file():
        raise SystemExit(f"no WordNet data in {args.wordnet}: apt-get install wordnet-base")
    synsets = read(args.wordnet)
    data = {
        "source": "WordNet 3.0 (Princeton University), built by scripts/build_opposites.py",
        "max_kinds": MAX_KINDS,
        "antonyms": antonyms(synsets),
        "indirect": indirect_antonyms(synsets),
        "kinds": kinds(synsets),
    }
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(data['antonyms'])} antonym pairs, {len(data['indirect'])} indirect "
        f"ones, {len(data['kinds'])} groups of kinds"
    )


if __name__ == "__main__":
    main()
