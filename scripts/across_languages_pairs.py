"""How often the across-languages rule's evidence holds, and how often it is right, on SemEval's pairs.

No labelled set here holds one event reported in two languages, so `cluster/across_languages.py`
is hand-set. This reads its evidence on SemEval-2022's labelled article pairs instead: every row,
the translated copies too, each pair judged as if its two texts were in different languages. The
pair has no publication times, so it is judged 0 h apart with no date known. A name is telling by
its document frequency over the file's texts, as the engine reads it; a toll is read by the
figures reader from the title and text, as the engine reads stored figures. Printed: the pairs where the
rule holds, by language pair and gold label (Overall <= --same counts as same story), and each
such pair with its reason.

    .venv/bin/python scripts/across_languages_pairs.py ../shared/datasets/semeval2022-task8-hfl-sample/training_set.csv
"""
from __future__ import annotations

import argparse
import csv
import math
from collections import Counter
from pathlib import Path

from monitor.cluster.across_languages import judge, tolls
from monitor.cluster.identity import identify
from monitor.cluster.pairs import _split
from monitor.cluster.similarity import TELLING_NAME, side_of
from monitor.models import ArticleIdentity
from monitor.text.figures import extract_figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--same", type=float, default=2.0, help="the Overall rating at or under which a pair is one story")
    args = parser.parse_args()
    with open(args.path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    identities: dict[tuple[str, str], ArticleIdentity] = {}
    counted: dict[tuple[str, str], frozenset[str]] = {}
    for row in rows:
        for text, language in ((row["text1"], row["lang1"]), (row["text2"], row["lang2"])):
            if (text, language) not in identities:
                identities[(text, language)] = identify(*_split(text), language)
                counted[(text, language)] = tolls(extract_figures(*_split(text), language))
    frequency = Counter(k for identity in identities.values() for k in identity.name_keys)
    texts = len(identities)

    def telling(key: str) -> bool:
        return math.log((texts + 1) / (frequency.get(key, 0) + 1)) >= TELLING_NAME

    counts: Counter[tuple[str, str, str]] = Counter()
    holding = []
    for row in rows:
        one, other = identities[(row["text1"], row["lang1"])], identities[(row["text2"], row["lang2"])]
        article, event = side_of(one), side_of(other)
        article.language, event.languages = "article", Counter({"event": 1})  # as if in two languages
        found = judge(article, one.names, event, 0.0, telling, frozenset(),
                      lambda key=(row["text1"], row["lang1"]): counted[key],
                      lambda key=(row["text2"], row["lang2"]): counted[key])
        same = float(row["Overall"]) <= args.same
        kind = "across languages" if row["lang1"] != row["lang2"] else "one language"
        counts[(kind, "holds" if found else "does not hold", "same story" if same else "different stories")] += 1
        if found is not None:
            holding.append(f"{row['pair_id']} {row['lang1']}-{row['lang2']} Overall {float(row['Overall']):.2f}: "
                           f"{found.reason()}")
    for key in sorted(counts):
        print(f"{' / '.join(key)}: {counts[key]}")
    print(*holding, sep="\n")


if __name__ == "__main__":
    main()
