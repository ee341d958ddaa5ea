"""Generate a synthetic corpus of recombined seed sentences for speed and memory runs.

Each article is 8-20 sentences drawn (with a fixed random seed) from the two seed articles,
grouped into paragraphs of 1-3 sentences, with a publication date in July-August 2012. The
output is one ``.jsonl`` file (``id, text, date, source``), the format geomap reads.

    python benchmarks/make_corpus.py 1000 -o benchmarks/out/corpus-1000.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
OUTLETS = ["CNN", "Christian Science Monitor", "Reuters", "AP", "AFP", "Al Jazeera English"]


def seed_sentences() -> list[str]:
    """Sentences of the seed articles (paragraphs split at sentence ends), long enough to carry content."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            para = " ".join(para.split())
            for sent in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z“\"])", para):
                if len(sent.split()) >= 6:
                    out.append(sent)
    return out


def make_corpus(n: int, seed: int = 20120725) -> list[dict]:
    """``n`` synthetic articles (deterministic for a given ``seed``)."""
    rng = random.Random(seed)
    sents = seed_sentences()
    start = dt.date(2012, 7, 1)
    articles = []
    for i in range(n):
        k = rng.randint(8, 20)
        picked = rng.sample(sents, k)
        paras, j = [], 0
        while j < k:
            step = rng.randint(1, 3)
            paras.append(" ".join(picked[j : j + step]))
            j += step
        articles.append(
            {
                "id": f"syn-{i:06d}",
                "text": "\n\n".join(paras),
                "date": (start + dt.timedelta(days=rng.randint(0, 61))).isoformat(),
                "source": rng.choice(OUTLETS),
            }
        )
    return articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("-o", "--output", type=Path, help="jsonl file (default benchmarks/out/corpus-N.jsonl)")
    ap.add_argument("--seed", type=int, default=20120725)
    args = ap.parse_args()
    out = args.output or ROOT / "benchmarks" / "out" / f"corpus-{args.n}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    arts = make_corpus(args.n, args.seed)
    with open(out, "w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    words = sum(len(a["text"].split()) for a in arts)
    print(f"{out}: {len(arts)} articles, {words} words")


if __name__ == "__main__":
    main()
