"""How well word forms meet in search: conflation and collision rates on word lists written
apart from the normaliser (tests/data/wordforms/). Prints the figures docs/kazakh-stemmer.md
keeps.

    .venv/bin/python bench/stemmer.py            # summary
    .venv/bin/python bench/stemmer.py --misses   # and every form or pair that fails
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from search.evaluation import groups_read, measure, pairs_read  # noqa: E402

DATA = BASE_DIR / "tests" / "data" / "wordforms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    groups = groups_read(DATA / "kk_heldout.tsv")
    pairs, russian = pairs_read(DATA / "precision.tsv")
    sections = {
        "nouns": [g for g in groups if not g.key.startswith(("v-", "der-", "agent-", "loan-"))],
        "verbs": [g for g in groups if g.key.startswith("v-")],
        "derived": [g for g in groups if g.key.startswith(("der-", "agent-"))],
        "loanwords": [g for g in groups if g.key.startswith("loan-")],
    }
    print("| list | groups | forms | found both ways | whole groups |")
    print("|---|---:|---:|---:|---:|")
    for name, section in sections.items():
        report = measure(section, [])
        print(
            f"| Kazakh {name} | {report.groups} | {report.forms} | {report.conflation:.1%} "
            f"| {report.whole_groups} |"
        )
        if args.misses:
            for citation, form in report.missed:
                print(f"    miss: {citation} / {form}")
    report = measure(russian, [], language="ru")
    print(
        f"| Russian (fleeting vowels, irregular plurals) | {report.groups} | {report.forms} "
        f"| {report.conflation:.1%} | {report.whole_groups} |"
    )
    if args.misses:
        for citation, form in report.missed:
            print(f"    miss: {citation} / {form}")
    print()
    for language in ("kk", "ru"):
        chosen = [p for p in pairs if p.language == language]
        report = measure([], chosen, language=language)
        partial = measure([], chosen, language=language, prefix=True)
        print(
            f"{language} precision pairs: {report.pairs}, found each other as complete words: "
            f"{len(report.collisions)} ({report.collision:.1%}); as prefixes: "
            f"{len(partial.collisions)} ({partial.collision:.1%})"
        )
        if args.misses:
            for first, second in report.collisions:
                print(f"    collision: {first} / {second}")


if __name__ == "__main__":
    main()
