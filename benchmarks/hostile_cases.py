"""Hostile-input figures: the 10 MB single line, and how extraction time grows with article length.

Run: ``python benchmarks/hostile_cases.py [--sizes 10000,20000,40000] [--big-mb 10]``

Measured in one run and reported as ratios (the machine is shared, absolute seconds drift):

* reading a 10 MB file that is one line (no newline) and cutting it into parser-sized chunks;
* extraction time of one single-line article at growing sizes, for two texts: the seed articles'
  sentences joined into one line (varied), and one sentence repeated (pathological for
  anything quadratic in the number of mentions). Linear growth means time ratio ~ size ratio.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
REPEAT = "Fighting was reported in Homs and Hama and Idlib on Tuesday, killing 4 people. "


def seed_line() -> str:
    text = " ".join(f.read_text(encoding="utf-8") for f in sorted((ROOT / "seeds").glob("*.txt")))
    return re.sub(r"\s+", " ", text)


def sized(base: str, n: int) -> str:
    return (base * (n // len(base) + 1))[:n]


def big_line(mb: int) -> dict:
    from geomap.extraction import split_text
    from geomap.read import read_articles

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        text = sized(seed_line(), mb * 1_000_000)
        path.write_text(text, encoding="utf-8")
        t = time.perf_counter()
        df = read_articles(str(path))
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        chunks = split_text(df["text"][0])
        split_s = time.perf_counter() - t
        ok = all(df["text"][0][o:o + len(c)] == c for o, c in chunks)
    return {"mb": mb, "read_s": read_s, "split_s": split_s, "chunks": len(chunks), "offsets_exact": ok,
            "skipped": df.attrs["skipped"]}


def scaling(sizes: list[int]) -> list[dict]:
    from geomap.extraction import extract

    extract(pd.DataFrame({"doc_id": ["warm"], "text": [REPEAT], "date": [None]}))  # load the pipeline
    rows = []
    for label, base in (("seed sentences", seed_line()), ("one sentence repeated", REPEAT)):
        for n in sizes:
            text = sized(base, n)
            t = time.perf_counter()
            r = extract(pd.DataFrame({"doc_id": ["a"], "text": [text], "date": [None]}))
            secs = time.perf_counter() - t
            rows.append({"text": label, "chars": n, "seconds": secs, "mentions": len(r.mentions),
                         "incidents": len(r.incidents)})
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,20000,40000")
    ap.add_argument("--big-mb", type=int, default=10)
    args = ap.parse_args()
    big = big_line(args.big_mb)
    print(f"## {big['mb']} MB single line\n")
    print(f"read_articles: {big['read_s']:.2f} s; split_text: {big['split_s']:.3f} s into {big['chunks']} chunks; "
          f"offsets exact: {big['offsets_exact']}; skipped: {big['skipped']}\n")
    rows = scaling([int(s) for s in args.sizes.split(",")])
    print("## Extraction time vs single-line article length\n")
    print("| text | chars | size ratio | seconds | time ratio | mentions |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in dict.fromkeys(r["text"] for r in rows):
        group = [r for r in rows if r["text"] == label]
        c0, s0 = group[0]["chars"], group[0]["seconds"]
        for r in group:
            print(f"| {label} | {r['chars']:,} | {r['chars'] / c0:.1f} | {r['seconds']:.2f} | "
                  f"{r['seconds'] / s0:.2f} | {r['mentions']} |")


if __name__ == "__main__":
    main()
