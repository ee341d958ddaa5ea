"""A store updated day after day: time and memory per batch as the store grows; nothing stored twice.

Generates N daily batches of articles (wire-style sentences about Syrian towns of more than 20,000
people from the gazetteer, dated the publication day or one or two days before, so the same
event is reported by several articles of a day and of the next), then runs ``geomap update``
once per batch, each in a fresh process, and records per batch: extraction time, store time
(merge + write, one transaction), peak RSS of the process, the store's size and rows.
Finally: the first batch is updated again (all seen), then again with ``--changed`` of its articles
edited (their reports withdrawn from the merged records and read again), and every stored incident
is checked against its merge candidates (no two stored records that the merge rule calls the same)
and the records stand for as many reports as before the edit (the sum of ``n_sources``), naming
no article the store no longer holds.

    python benchmarks/store_scale.py --batches 10 --size 1000      # the goal: 10 x 1,000
    python benchmarks/store_scale.py --batches 3 --size 200        # a quick look
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = dt.date(2013, 3, 1)

EVENTS = [
    "Government forces shelled {town} on {date}, killing {n} people, activists said.",
    "Rebels clashed with government forces in {town} on {date}. {n} fighters were killed.",
    "Air strikes hit {town} on {date}, killing {n} civilians, the Syrian Observatory for Human Rights said.",
    "The army sent reinforcements from {town} to {town2} on {date}, a security source said.",
    "Hundreds of residents fled {town} to {town2} on {date}, the United Nations said.",
]
FILLERS = [
    "Diplomats met in Geneva to discuss the crisis.",
    "The claims could not be independently verified.",
    "The United Nations called for calm and for access for aid convoys.",
    "State television blamed armed terrorist groups.",
    "Opposition leaders appealed for more weapons.",
]
OUTLETS = ["AFP", "Reuters", "AP", "Al Jazeera English", "BBC", "SANA"]


def towns() -> list[str]:
    from geomap import settings

    rows = csv.DictReader(open(Path(settings.gazetteer_dir) / "places.tsv", encoding="utf-8"), delimiter="\t")
    return sorted(
        r["name"]
        for r in rows
        if r["level"] == "town" and r["country_code"] == "SY" and int(r["population"] or 0) > 20000
    )


def make_batch(day: int, size: int, names: list[str], seed: int = 13) -> list[dict]:
    """``size`` articles published on FIRST_DAY + ``day`` (deterministic)."""
    rng = random.Random(seed * 100003 + day)
    published = FIRST_DAY + dt.timedelta(days=day)
    out = []
    for i in range(size):
        sents = []
        for _ in range(rng.randint(3, 6)):
            when = published - dt.timedelta(days=rng.choice([0, 1, 1, 2]))
            a, b = rng.sample(names, 2)
            sents.append(
                rng.choice(EVENTS).format(
                    town=a, town2=b, n=rng.randint(2, 40), date=f"{when.day} {when:%B} {when.year}"
                )
            )
            sents.append(rng.choice(FILLERS))
        out.append(
            {
                "id": f"D{day:02d}-{i:05d}",
                "text": " ".join(sents),
                "date": published.isoformat(),
                "source": rng.choice(OUTLETS),
            }
        )
    return out


_CHILD = """
import json, resource, sys, time
import pandas as pd
from geomap.store import Store
t0 = time.perf_counter()
store = Store(sys.argv[1])
articles = pd.read_json(sys.argv[2], lines=True, dtype={"id": str, "date": str})
report = store.update(articles)
report["total_s"] = time.perf_counter() - t0
report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
report.pop("failed", None)
print("REPORT " + json.dumps(report))
"""


def run_update(store: Path, feed: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(store), str(feed)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("REPORT "))
    return json.loads(line[len("REPORT ") :])


def duplicates(store: Path) -> int:
    """Stored incidents that the merge rule calls the same as another stored incident."""
    from geomap.store_merge import _candidates
    from geomap.tables import _same_incident

    con = sqlite3.connect(store)
    con.row_factory = sqlite3.Row
    rows = con.execute(
        "SELECT fid, doc_id, event_type, sub_type, date_start, date_end, gazetteer_id, lat, lon, "
        "count_type, count_best, geomap_edited FROM incidents"
    ).fetchall()
    dup = 0
    for r in rows:
        if any(
            c["fid"] != r["fid"] and _same_incident(dict(c), dict(r)) for c in _candidates(con, "incidents", dict(r))
        ):
            dup += 1
    con.close()
    return dup


def counts(store: Path) -> dict:
    con = sqlite3.connect(store)
    try:
        return {
            t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("articles", "incidents", "movements", "mentions")
        }
    finally:
        con.close()


def reports_held(store: Path) -> int:
    """How many reports the stored records stand for (the sum of ``n_sources``)."""
    con = sqlite3.connect(store)
    try:
        return sum(
            con.execute(f"SELECT COALESCE(SUM(n_sources), 0) FROM {t}").fetchone()[0]
            for t in ("incidents", "movements")
        )
    finally:
        con.close()


def stale_ids(store: Path) -> int:
    """Records whose ``doc_ids`` name an article the store no longer holds."""
    con = sqlite3.connect(store)
    try:
        known = {r[0] for r in con.execute("SELECT doc_id FROM articles")}
        return sum(
            any(i not in known for i in doc_ids.split("; "))
            for t in ("incidents", "movements")
            for (doc_ids,) in con.execute(f"SELECT doc_ids FROM {t} WHERE doc_ids IS NOT NULL")
        )
    finally:
        con.close()


def changed_feed(first: Path, target: Path, share: float) -> int:
    """The first batch again with ``share`` of its articles edited (a sentence added): re-read as changed."""
    lines = first.read_text(encoding="utf-8").splitlines()
    n = max(1, int(len(lines) * share))
    edited = []
    for i, line in enumerate(lines[:n]):
        rec = json.loads(line)
        rec["text"] += (
            " A correspondent later confirmed the reports." if i % 2 else " Residents said the toll was higher."
        )
        edited.append(json.dumps(rec))
    target.write_text("\n".join(edited + lines[n:]) + "\n", encoding="utf-8")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--json", type=Path, help="write the per-batch figures here")
    ap.add_argument("--changed", type=float, default=0.1, help="share of the first batch re-read edited (default 0.1)")
    args = ap.parse_args()
    names = towns()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store.gpkg"
        for day in range(args.batches):
            feed = Path(tmp) / f"day{day:02d}.jsonl"
            feed.write_text("".join(json.dumps(a) + "\n" for a in make_batch(day, args.size, names)), encoding="utf-8")
            rep = run_update(store, feed)
            t = rep.get("timings", {})
            row = {
                "batch": day + 1,
                **counts(store),
                "store_mb": round(store.stat().st_size / 2**20, 1),
                "extract_s": round(t.get("extract_s", 0), 1),
                "store_s": round(t.get("store_s", 0), 2),
                "total_s": round(rep["total_s"], 1),
                "peak_rss_mb": round(rep["peak_rss_mb"]),
                "inc_added": rep["incidents_added"],
                "inc_merged": rep["incidents_merged"],
                "mov_added": rep["movements_added"],
                "mov_merged": rep["movements_merged"],
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
        t0 = time.perf_counter()
        again = run_update(store, Path(tmp) / "day00.jsonl")
        rerun = {
            "seen": again["articles_seen"],
            "added": again["incidents_added"] + again["movements_added"],
            "total_s": round(time.perf_counter() - t0, 1),
        }
        # Then some of them edited by a sentence that tells no event: their reports are withdrawn from
        # the merged records, read again and merged again; the records must stand for as many reports.
        held = reports_held(store)
        n = changed_feed(Path(tmp) / "day00.jsonl", Path(tmp) / "day00-changed.jsonl", args.changed)
        edited = run_update(store, Path(tmp) / "day00-changed.jsonl")
        summary = {
            "duplicates": duplicates(store),
            "rerun_first_batch": rerun,
            "changed_first_batch": {
                "edited": n,
                "changed": edited["articles_changed"],
                "store_s": round(edited.get("timings", {}).get("store_s", 0), 2),
                "total_s": round(edited["total_s"], 1),
                "reports_before": held,
                "reports_after": reports_held(store),
                "stale_ids": stale_ids(store),
            },
        }
        print(json.dumps(summary), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"batches": rows, **summary}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
