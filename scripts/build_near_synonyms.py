"""Build ``ingest/exercises/near_synonyms.json`` from WordNet: which word stems name about the
same thing ("education", "teaching", "instruction"; "teach", "teaching").

The exercise kinds use it to tell when a question's own words lead to one option: a point of
a list labelled "AI and Education" whose claim speaks of "teaching" is picked by the label's
word, not by understanding. Nothing is read at run time but the generated file, which is
committed.

Two relations are taken from WordNet 3.0 (the Debian package ``wordnet-base``:
``apt-get install wordnet-base``): the single-word lemmas of one noun, verb or adjective
synset, and a lemma's derivationally related forms ("education" and "educate"). Words are
kept only when they are common English (``wordfreq``'s top ``TOP_WORDS``): rare senses make
unrelated common words look alike. Each group is stored as Snowball stems (``core.text.stem``),
as the exercise kinds compare words.

Usage:
    python scripts/build_near_synonyms.py [--wordnet /usr/share/wordnet]
                                          [--out ingest/exercises/near_synonyms.json]
"""

from __future__ import annotations

import argparse
import json
import runpy
from pathlib import Path

from wordfreq import top_n_list

from teachback.core.text import stem

# WordNet's data files are read the way the opposites' builder reads them
read = runpy.run_path(str(Path(__file__).with_name("build_opposites.py")))["read"]

TOP_WORDS = 30_000
POS = ("n", "v", "a")
_SENSES_PER_WORD = 3  # a word's first senses (WordNet lists the common ones first)


def groups(synsets: dict, common: set[str]) -> list[list[str]]:
    """Stem groups: a synset's common single words with their derivationally related forms,
    for the first ``_SENSES_PER_WORD`` senses of each word only."""
    senses: dict[str, int] = {}
    out = set()
    for s in synsets.values():
        if s["pos"] not in POS and s["pos"] != "s":
            continue
        words = [w for w in s["words"] if w in common]
        for sym, target, tpos, src, _tgt in s["ptrs"]:
            if sym == "+" and (target, tpos) in synsets and src:
                words += [w for w in synsets[(target, tpos)]["words"] if w in common]
        first_senses = []
        for w in dict.fromkeys(words):
            senses[w] = senses.get(w, 0) + 1
            if senses[w] <= _SENSES_PER_WORD:
                first_senses.append(w)
        stems = sorted({stem(w) for w in first_senses if len(w) > 2})
        if len(stems) >= 2:
            out.add(tuple(stems))
    return [list(g) for g in sorted(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    root = Path(__file__).resolve().parent.parent
    default = root / "ingest" / "exercises" / "near_synonyms.json"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    if not (args.wordnet / "data.noun").is_file():
        raise SystemExit(f"no WordNet data in {args.wordnet}: apt-get install wordnet-base")
    common = {w for w in top_n_list("en", TOP_WORDS) if w.isalpha()}
    data = {
        "source": "WordNet 3.0 (Princeton University), built by scripts/build_near_synonyms.py",
        "top_words": TOP_WORDS,
        "groups": groups(read(args.wordnet), common),
    }
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['groups'])} groups of stems")


if __name__ == "__main__":
    main()
