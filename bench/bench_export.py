"""How fast the export's YAML writer is, as ratios to PyYAML's dumpers in the same run.

Run: DJANGO_DEBUG=1 .venv/bin/python bench/bench_export.py [ROUNDS]
Reads every news file of ../shared/corpus/news, then writes the mappings
ROUNDS times (default 20) with each writer; also times parsing them (the import's
floor) for scale.
"""

import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.export.yamltext import dump  # noqa: E402
from articles.ingest.reading import read_mapping  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "news"


def timed(function, mappings, rounds):
    start = time.perf_counter()
    for _ in range(rounds):
        for mapping in mappings:
            function(mapping)
    return time.perf_counter() - start


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    files = sorted(CORPUS.glob("*.md"))
    raws = [path.read_bytes() for path in files]
    mappings = [read_mapping(raw, ".md")[0] for raw in raws]
    c_dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    results = {
        "PyYAML SafeDumper (pure Python)": timed(
            lambda m: yaml.dump(m, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True),
            mappings,
            rounds,
        ),
        "PyYAML CSafeDumper (libyaml)": timed(
            lambda m: yaml.dump(m, Dumper=c_dumper, sort_keys=False, allow_unicode=True),
            mappings,
            rounds,
        ),
        "export writer (yamltext.dump)": timed(
            lambda m: dump(m, blank_lines=True), mappings, rounds
        ),
        "parsing the files (import's read_mapping)": timed(
            lambda raw: read_mapping(raw, ".md"), raws, rounds
        ),
    }
    baseline = results["PyYAML CSafeDumper (libyaml)"]
    documents = len(mappings) * rounds
    for name, seconds in results.items():
        print(
            f"{name:45} {seconds:7.3f} s  {documents / seconds:9.0f} files/s  "
            f"{seconds / baseline:5.2f}x CSafeDumper"
        )


if __name__ == "__main__":
    main()
