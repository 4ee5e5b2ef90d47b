"""Cluster quality on the hand-labelled dev set (../shared/clusters-dev.json).

Usage: .venv/bin/python bench/cluster_quality.py [--write-docs]

Imports ../shared/corpus/news into an empty SQLite database (the import clusters as
it goes), then again in reverse and in a shuffled file order, one file per run, and
compares the clusters with the labels: pairwise precision and recall (over pairs of
files in one cluster) and B-cubed precision, recall and F1 (per file, averaged).
Files carrying one story URL are one stored story, so they share a cluster by identity.
With --write-docs the figures replace the block between the markers in
docs/performance.md.
"""

import argparse
import itertools
import json
import os
import random
import sys
from pathlib import Path

from throwaway_sqlite import start_django

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared"))
CORPUS_NEWS = SHARED / "corpus" / "news"
LABELS = SHARED / "clusters-dev.json"
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- cluster-quality:begin -->", "<!-- cluster-quality:end -->"


def pairs(assignment):
    groups = _groups(assignment).values()
    return {frozenset(pair) for group in groups for pair in itertools.combinations(group, 2)}


def scores(found, truth):
    """Pairwise precision/recall and B-cubed precision/recall/F1 of ``found`` vs ``truth``."""
    found_pairs, true_pairs = pairs(found), pairs(truth)
    hits = len(found_pairs & true_pairs)
    precision = hits / len(found_pairs) if found_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    by_found, by_truth = {}, {}
    for name in truth:
        by_found.setdefault(found[name], set()).add(name)
        by_truth.setdefault(truth[name], set()).add(name)
    b_precision = b_recall = 0.0
    for name in truth:
        mine, theirs = by_found[found[name]], by_truth[truth[name]]
        both = len(mine & theirs)
        b_precision += both / len(mine)
        b_recall += both / len(theirs)
    b_precision, b_recall = b_precision / len(truth), b_recall / len(truth)
    f1 = 2 * b_precision * b_recall / (b_precision + b_recall)
    return {
        "pairs_found": len(found_pairs),
        "pairs_true": len(true_pairs),
        "pairs_correct": hits,
        "precision": precision,
        "recall": recall,
        "bcubed_precision": b_precision,
        "bcubed_recall": b_recall,
        "bcubed_f1": f1,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    start_django(prefix="newsroom-clusters-")
    from django.core.management import call_command

    from articles.ingest.importer import import_paths
    from articles.models import Article, Cluster, SourceFile, Topic
    from providers.models import Provider

    truth = json.loads(LABELS.read_text(encoding="utf-8"))["files"]
    files = sorted(CORPUS_NEWS / name for name in truth)

    def clusters_after(order, one_by_one):
        for model in (SourceFile, Article, Cluster, Topic, Provider):
            model.objects.all().delete()
        if one_by_one:
            for path in order:
                import_paths([path], workers=1)
        else:
            import_paths(order, workers=1)
        story = dict(SourceFile.objects.values_list("name", "article__cluster_id"))
        return {path.name: story[path.name] for path in files}

    shuffled = list(files)
    random.Random(args.seed).shuffle(shuffled)
    runs = {
        "sorted, one import": clusters_after(files, one_by_one=False),
        "reverse order, one file per import": clusters_after(files[::-1], one_by_one=True),
        f"shuffled (seed {args.seed}), one file per import": clusters_after(shuffled, True),
    }
    partitions = {
        name: sorted(map(sorted, _groups(found).values())) for name, found in runs.items()
    }
    same = len({json.dumps(p) for p in partitions.values()}) == 1
    result = scores(runs["sorted, one import"], truth)
    call_command("cluster_stories", verbosity=0)
    story = dict(SourceFile.objects.values_list("name", "article__cluster_id"))
    reclustered = _partition({path.name: story[path.name] for path in files})
    same_recluster = reclustered == partitions["sorted, one import"]

    lines = [
        f"Dev set: {len(truth)} files, {len(set(truth.values()))} labelled stories, "
        f"{result['pairs_true']} same-story pairs.",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| pairwise precision | {result['precision']:.3f} "
        f"({result['pairs_correct']} of {result['pairs_found']} pairs) |",
        f"| pairwise recall | {result['recall']:.3f} "
        f"({result['pairs_correct']} of {result['pairs_true']} pairs) |",
        f"| B-cubed precision | {result['bcubed_precision']:.3f} |",
        f"| B-cubed recall | {result['bcubed_recall']:.3f} |",
        f"| B-cubed F1 | {result['bcubed_f1']:.3f} |",
        "",
        "Same clusters for " + ", ".join(runs) + f": {'yes' if same else 'NO'}; "
        f"`cluster_stories` afterwards changes nothing: {'yes' if same_recluster else 'NO'}.",
    ]
    missed = [sorted(pair) for pair in pairs(truth) - pairs(runs["sorted, one import"])]
    wrong = pairs(runs["sorted, one import"]) - pairs(truth)
    lines += ["", "Missed pairs:" if missed else "Missed pairs: none."]
    lines += [f"- {a} ↔ {b}" for a, b in sorted(missed)]
    lines += ["Wrong pairs:" if wrong else "Wrong pairs: none."]
    lines += [f"- {a} ↔ {b}" for a, b in sorted(map(sorted, wrong))]
    report = "\n".join(lines)
    print(report)
    if args.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{report}\n{END}"
        start, end = text.find(BEGIN), text.find(END)
        if start == -1 or end == -1:
            sys.exit(f"{DOCS}: markers {BEGIN} … {END} not found")
        DOCS.write_text(text[:start] + block + text[end + len(END) :], encoding="utf-8")


def _partition(assignment):
    return sorted(map(sorted, _groups(assignment).values()))


def _groups(assignment):
    groups = {}
    for name, cluster in assignment.items():
        groups.setdefault(cluster, []).append(name)
    return groups


if __name__ == "__main__":
    main()
