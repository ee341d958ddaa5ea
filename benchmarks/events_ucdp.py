"""Events from UCDP GED source headlines: how often geomap recovers the event's place and toll.

Reads ../shared/eval/ucdp_dev.jsonl (never copied into the project). Each row's ``headline``
(source titles joined by ";" or "|", one per line here) is run through the full pipeline with
the row's ``date`` as publication date. A row's place is recovered when an incident or movement
end lies within 25 km of the gold point; its toll when an incident counts ``deaths_best`` killed.
The "mentions" line is the ceiling the place recogniser gives (any resolved mention within
25 km), so the gap between the two is what the event rules lose.

Usage: python benchmarks/events_ucdp.py [N]
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ucdp_dev.jsonl"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval/ucdp_dev.jsonl")


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def point(span):
    entry = span._.place if span is not None else None
    if not entry or entry.get("lat") in (None, ""):
        return None
    return float(entry["lat"]), float(entry["lon"])


def main(limit: int | None = None) -> None:
    from geomap.nlp import load_pipeline

    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    nlp = load_pipeline()
    import geomap.nlp.linebreaks  # noqa: F401  (proposed pipeline order: before the parser)

    if "geomap_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geomap_linebreaks", before="parser")
    n = len(rows)
    place_ev = place_mention = toll = any_event = with_toll = stated = 0
    records = 0
    t0 = time.perf_counter()
    for row in rows:
        text = re.sub(r"\s*[;|]\s*|\t+", "\n", row.get("headline") or "").strip()
        doc = nlp.make_doc(text)
        doc._.meta = {"doc_id": row["id"], "published": dt.date.fromisoformat(row["date"])}
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        gold = (row["gold"]["lat"], row["gold"]["lon"])
        ends = [r["place"] for r in doc._.incidents] + [
            e for m in doc._.movements for e in (m["origin"], m["destination"])
        ]
        pts = [p for p in map(point, ends) if p]
        records += len(doc._.incidents) + len(doc._.movements)
        any_event += bool(doc._.incidents or doc._.movements)
        if any(km(p, gold) <= 25 for p in pts):
            place_ev += 1
        mpts = [p for p in map(point, doc._.places or []) if p]
        if any(km(p, gold) <= 25 for p in mpts):
            place_mention += 1
        deaths = row["gold"].get("deaths_best")
        if deaths:
            with_toll += 1
            # ceiling: the headline states that number at all (as digits or a number word)
            words = {
                1: "one",
                2: "two",
                3: "three",
                4: "four",
                5: "five",
                6: "six",
                7: "seven",
                8: "eight",
                9: "nine",
                10: "ten",
            }
            if re.search(rf"\b{deaths}\b", text) or (
                deaths in words and re.search(rf"\b{words[deaths]}\b", text, re.I)
            ):
                stated += 1
            if any(r["count_type"] == "killed" and r["count_best"] == deaths for r in doc._.incidents):
                toll += 1
    secs = time.perf_counter() - t0
    print(f"rows {n}; rows with any event {any_event} ({any_event / n:.1%}); records {records}")
    print(f"place within 25 km, from events:   {place_ev}/{n} = {place_ev / n:.1%}")
    print(f"place within 25 km, from mentions: {place_mention}/{n} = {place_mention / n:.1%}")
    print(
        f"deaths_best recovered: {toll}/{with_toll} = {toll / max(1, with_toll):.1%} "
        f"(headline states that number at all: {stated}/{with_toll})"
    )
    print(f"time {secs:.1f} s ({n / secs:.1f} headlines/s)")


def component_shares(repeats: int = 5) -> None:
    """Time per pipeline component on the seed articles, as shares of the whole pipeline."""
    from geomap.nlp import load_pipeline

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    nlp = load_pipeline()
    import geomap.nlp.linebreaks  # noqa: F401  (proposed pipeline order: before the parser)

    if "geomap_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geomap_linebreaks", before="parser")
    spent: dict[str, float] = {}
    tok = 0.0
    for _ in range(repeats):
        for text in texts:
            t = time.perf_counter()
            doc = nlp.make_doc(text)
            tok += time.perf_counter() - t
            doc._.meta = {"published": dt.date(2012, 7, 30)}
            for name, proc in nlp.pipeline:
                t = time.perf_counter()
                doc = proc(doc)
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
    total = tok + sum(spent.values())
    model = tok + sum(v for k, v in spent.items() if not k.startswith("geomap_"))
    print(f"seeds x{repeats}: total {total:.2f} s; spaCy model {model / total:.1%}")
    for name, v in spent.items():
        if name.startswith("geomap_"):
            print(f"  {name}: {v / total:.1%} of the pipeline, {v / model:.2f}x the spaCy model's time")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    component_shares()
