"""Run every benchmark in turn (``make benchmarks``); each prints its own figures.

The figures recorded in ``benchmarks/README.md`` and the ``RESULTS-*.md`` files come from
these scripts. Benchmarks that read ``../shared/eval`` are skipped when it is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent.parent / "shared" / "eval"

#: (script, arguments, needs the evaluation data)
RUNS = [
    ("gazetteer_speed.py", [], False),
    ("gazetteer_coverage.py", [], True),
    ("places_ucdp.py", [], True),
    ("places_corpora.py", [], True),
    ("events_ucdp.py", [], True),
    ("map_scale.py", [], False),
    ("hostile_cases.py", [], False),
    ("make_corpus.py", ["1000", "-o", str(HERE / "out" / "corpus-1000.jsonl")], False),
    ("corpus_speed.py", [], False),
    ("store_scale.py", ["--json", str(HERE / "out" / "store-scale.json")], False),
]


def main() -> int:
    failed = []
    for script, args, needs_eval in RUNS:
        if needs_eval and not EVAL.is_dir():
            print(f"-- {script}: skipped ({EVAL} not found)")
            continue
        print(f"== {script} {' '.join(args)}", flush=True)
        if subprocess.call([sys.executable, str(HERE / script), *args]) != 0:
            failed.append(script)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
