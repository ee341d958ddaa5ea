"""Hostile-input figures: words/s on hostile texts next to prose, the 10 MB single line, and
how extraction time grows with article length.

Run: ``python benchmarks/hostile_cases.py [--words 300000] [--sizes 10000,20000,40000] [--big-mb 10]``
(``--only words`` runs the first part alone).

* words/s of one article of ``--words`` words (default 300,000) for four texts: ordinary prose
  (the seed articles' sentences), place-dense ("Aleppo, " repeated: one sentence naming one
  place per word), the prose in CAPITALS and the prose In Title Case. The goal (issue 12) is at
  least half of prose's words/s for each hostile text. Each text is one run of
  ``geomap.extract`` on a warm pipeline; the texts take turns, so a shared machine's load falls
  on all of them alike.

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
        ok = all(df["text"][0][o : o + len(c)] == c for o, c in chunks)
    return {
        "mb": mb,
        "read_s": read_s,
        "split_s": split_s,
        "chunks": len(chunks),
        "offsets_exact": ok,
        "skipped": df.attrs["skipped"],
    }


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
            rows.append(
                {"text": label, "chars": n, "seconds": secs, "mentions": len(r.mentions), "incidents": len(r.incidents)}
            )
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def hostile_texts(words: int) -> dict[str, str]:
    """The four texts of ``words`` words each (whitespace-separated)."""
    prose_words = seed_line().split()
    prose = " ".join((prose_words * (words // len(prose_words) + 1))[:words])
    return {
        "prose": prose,
        "place-dense (Aleppo, x N)": ("Aleppo, " * words).strip(),
        "all caps": prose.upper(),
        "title case": prose.title(),
    }


def words_per_second(words: int) -> list[dict]:
    import resource

    from geomap.extraction import extract

    extract(pd.DataFrame({"doc_id": ["warm"], "text": [REPEAT], "date": [None]}))  # load the pipeline
    rows = []
    for label, text in hostile_texts(words).items():
        t, c = time.perf_counter(), time.process_time()
        r = extract(pd.DataFrame({"doc_id": ["a"], "text": [text], "date": [None]}))
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        rows.append(
            {
                "text": label,
                "words": words,
                "seconds": wall,
                "cpu_seconds": cpu,
                "words_per_s": words / wall,
                "words_per_cpu_s": words / cpu,
                "outcome": r.run["documents"][0]["outcome"],
                "error": r.run["documents"][0].get("reason"),
                "mentions": len(r.mentions),
                "incidents": len(r.incidents),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def print_words_table(rows: list[dict]) -> None:
    prose = next(r for r in rows if r["text"] == "prose")
    print(f"## {rows[0]['words']:,} words per article\n")
    print(
        "| text | outcome | seconds | CPU s | words/s | words/CPU s | vs prose (CPU) | mentions | incidents | peak RSS MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['text']} | {r['outcome']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['words_per_s']:,.0f} | "
            f"{r['words_per_cpu_s']:,.0f} | {r['words_per_cpu_s'] / prose['words_per_cpu_s']:.2f} | "
            f"{r['mentions']:,} | {r['incidents']:,} | {r['peak_rss_mb']:,.0f} |"
        )
    print()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", default="300000", help="comma-separated article lengths in words")
    ap.add_argument("--sizes", default="10000,20000,40000")
    ap.add_argument("--big-mb", type=int, default=10)
    ap.add_argument("--only", choices=("words",), help="run only the words/s comparison")
    args = ap.parse_args()
    for n in args.words.split(","):
        print_words_table(words_per_second(int(n)))
    if args.only == "words":
        return
    big = big_line(args.big_mb)
    print(f"## {big['mb']} MB single line\n")
    print(
        f"read_articles: {big['read_s']:.2f} s; split_text: {big['split_s']:.3f} s into {big['chunks']} chunks; "
        f"offsets exact: {big['offsets_exact']}; skipped: {big['skipped']}\n"
    )
    rows = scaling([int(s) for s in args.sizes.split(",")])
    print("## Extraction time vs single-line article length\n")
    print("| text | chars | size ratio | seconds | time ratio | mentions |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in dict.fromkeys(r["text"] for r in rows):
        group = [r for r in rows if r["text"] == label]
        c0, s0 = group[0]["chars"], group[0]["seconds"]
        for r in group:
            print(
                f"| {label} | {r['chars']:,} | {r['chars'] / c0:.1f} | {r['seconds']:.2f} | "
                f"{r['seconds'] / s0:.2f} | {r['mentions']} |"
            )


if __name__ == "__main__":
    main()
