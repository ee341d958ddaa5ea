"""Do geomap's fast attribute ruler and lemmatizer still pay for themselves?

``geomap.nlp.pipeline`` swaps the class of the English model's ``attribute_ruler`` and
``lemmatizer`` for exact, faster versions (``_FastAttributeRuler``, ``_FastEnglishLemmatizer``;
tests/test_speed_exact.py checks they give spaCy's own tokens). This script times the two
components alone, plain and fast, on the same parsed texts, and the whole model's ``nlp.pipe``
with and without them, taking turns so that a shared machine's load falls on both alike.

Texts: the news articles of ``../shared/eval/news_dev.jsonl`` when present (varied wording, read
for measuring only), else the seed articles and the project's own docs.

    python benchmarks/fast_components.py [--repeat 3] [--limit 300]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval" / "news_dev.jsonl"


def texts(limit: int) -> tuple[list[str], str]:
    if EVAL.is_file():
        out = [json.loads(line).get("text") or "" for line in EVAL.read_text("utf-8").splitlines() if line.strip()]
        return [t for t in out if t.strip()][:limit], f"{EVAL.name} (first {limit})"
    out = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    out += [p.read_text("utf-8") for p in sorted((ROOT / "docs").glob("*.md"))] + [
        (ROOT / "README.md").read_text("utf-8")
    ]
    return out, "seeds + docs"


def component_seconds(nlp, docs, name: str) -> float:
    pipe = nlp.get_pipe(name)
    t = time.process_time()
    for doc in docs:
        pipe(doc)
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=300)
    args = ap.parse_args()
    from geomap.nlp import pipeline as pl

    corpus, where = texts(args.limit)
    words = sum(len(t.split()) for t in corpus)
    plain = pl.load_english_model()
    fast = pl._speed_up(pl.load_english_model())
    assert type(fast.get_pipe("lemmatizer")) is pl._FastEnglishLemmatizer
    # Parse once per model (each has its own string store); the two components only read
    # tags/deps and write POS/MORPH/LEMMA.
    parsed = {}
    for label, nlp in (("plain", plain), ("fast", fast)):
        with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
            parsed[label] = list(nlp.pipe(corpus))
    times: dict[str, list[float]] = {
        k: [] for k in ("ruler plain", "ruler fast", "lemmatizer plain", "lemmatizer fast", "model plain", "model fast")
    }
    for _ in range(args.repeat):
        for label, nlp in (("plain", plain), ("fast", fast)):
            docs = [d.copy() for d in parsed[label]]
            times[f"ruler {label}"].append(component_seconds(nlp, docs, "attribute_ruler"))
            times[f"lemmatizer {label}"].append(component_seconds(nlp, docs, "lemmatizer"))
            t = time.process_time()
            for _doc in nlp.pipe(corpus):
                pass
            times[f"model {label}"].append(time.process_time() - t)
    best = {k: min(v) for k, v in times.items()}
    print(f"## Fast attribute ruler and lemmatizer ({len(corpus)} texts, {words:,} words: {where})\n")
    print("Least CPU seconds of", args.repeat, "runs each, taking turns.\n")
    print("| part | spaCy's own | geomap's fast | speed-up | share of the whole model (plain) |")
    print("|---|---:|---:|---:|---:|")
    for part in ("ruler", "lemmatizer", "model"):
        p, f = best[f"{part} plain"], best[f"{part} fast"]
        print(f"| {part} | {p:.2f} s | {f:.2f} s | {p / f:.2f}x | {p / best['model plain']:.0%} |")
    saved = (best["model plain"] - best["model fast"]) / best["model plain"]
    print(
        f"\nWhole model `nlp.pipe`: {words / best['model plain']:,.0f} -> {words / best['model fast']:,.0f} words/CPU s "
        f"({saved:.0%} less time)."
    )


if __name__ == "__main__":
    main()
