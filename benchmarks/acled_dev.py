"""ACLED event notes: does geomap code them as ACLED did?

Reads ../shared/eval/acled_dev.jsonl (1,057 ACLED notes from 2022, Middle East outside Syria;
never copied into the project) and runs each note through ``geomap.extract`` as one article,
with the note's ``date`` as publication date and no cross-article merge. Per note it scores
(the rules of ../shared/eval/README.md, "How to score incidents"):

- **record**: geomap produced at least one incident or movement;
- **type**: one record carries ACLED's event type (the ``acled_event_type`` column when the
  tables have it, else geomap's ``event_type``/``sub_type`` mapped as docs/event-types.md says;
  a troop movement is ACLED's Strategic developments, "Movement of forces");
- **sub-type**: the same for ``acled_sub_event_type`` (only when the column exists);
- **date**: the note's main record (the first with the right type, else the first record)
  pins ACLED's ``event_date`` (``date_start`` and ``date_end`` within a day of it; a gold date
  of week or month precision only needs to overlap);
- **deaths** (notes with fatalities > 0): a record of the right type (else any record) counts
  that many killed (``count_best``, or within ``count_low``..``count_high``);
- **no invented toll** (notes with 0 fatalities): no record counts anyone killed;
- **movement** (notes beginning "Movement of forces"): a ``troop_movement`` record.

It also counts the records placed in Syria: every note is about another country, so each such
record is a Syrian namesake read for a place abroad (nothing invented wants 0).

Usage: python benchmarks/acled_dev.py [--limit N] [--misses [AREA]] [--workers N]

``--misses`` prints the failing notes (AREA: record, type, sub, date, deaths, invented,
movement, syria; all by default) with what geomap produced, for diagnosis. Skips with a message when
../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "acled_dev.jsonl"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval/acled_dev.jsonl")

#: geomap event_type -> ACLED event type, used only while the tables lack ``acled_event_type``
#: (docs/event-types.md; ``casualties`` has no single ACLED type).
FALLBACK_ACLED_TYPE = {
    "clash": "Battles",
    "control_change": "Battles",
    "bombardment": "Explosions/Remote violence",
    "attack_on_civilians": "Violence against civilians",
    "protest": "Protests",
    "riot": "Riots",
    "defection": "Strategic developments",
    "strategic_development": "Strategic developments",
}
MOVEMENT_ACLED_TYPE = "Strategic developments"
MOVEMENT_PREFIX = "Movement of forces"
AREAS = ("record", "type", "sub", "date", "deaths", "invented", "movement")
#: ``--misses`` areas: the scored ones and the notes with a record placed in Syria.
MISS_AREAS = (*AREAS, "syria")
SYRIA = "SY"


def load_notes(limit: int | None = None) -> list[dict]:
    """The notes as dicts (``id``, ``text``, ``date``, ``gold``)."""
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def _clean(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _day(v) -> dt.date | None:
    v = _clean(v)
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def records_by_note(incidents, movements) -> dict[str, list[dict]]:
    """Every incident and movement of each note as a plain dict with ``acled_type``."""
    out: dict[str, list[dict]] = {}
    has_col = "acled_event_type" in incidents.columns
    for rec in incidents.to_dict("records"):
        rec = {k: _clean(v) for k, v in rec.items() if k != "geometry"}
        if has_col:
            rec["acled_type"] = rec.get("acled_event_type")
        else:
            rec["acled_type"] = FALLBACK_ACLED_TYPE.get(rec.get("event_type"))
        rec["acled_sub"] = rec.get("acled_sub_event_type")
        rec["record"] = "incident"
        out.setdefault(str(rec["doc_id"]), []).append(rec)
    for rec in movements.to_dict("records"):
        rec = {k: _clean(v) for k, v in rec.items() if k != "geometry"}
        rec["record"] = "movement"
        rec["event_type"] = rec.get("kind")
        rec["acled_type"] = rec.get("acled_event_type") or (
            MOVEMENT_ACLED_TYPE if rec.get("kind") == "troop_movement" else None
        )
        rec["acled_sub"] = rec.get("acled_sub_event_type")
        out.setdefault(str(rec["doc_id"]), []).append(rec)
    return out


def in_syria(rec: dict, country_of) -> bool:
    """The record puts a point in Syria: the incident's place, or either end of a movement.

    ``country_of``: gazetteer id -> country code (movements carry ids, not country codes).
    """
    if rec["record"] == "incident":
        return str(rec.get("country_code") or "").upper() == SYRIA
    ends = (rec.get("origin_id"), rec.get("destination_id"))
    return any(pid and country_of(str(pid)) == SYRIA for pid in ends)


def gazetteer_country():
    """Gazetteer id -> upper-case country code ('' when unknown)."""
    from geomap.gazetteer import place_index

    index = place_index()
    return lambda pid: str(index.entry(pid).get("country_code", "")).upper()


def date_right(rec: dict, gold: dict) -> bool:
    """The record pins ACLED's event date (a day of slack), or overlaps a coarse gold date."""
    want = _day(gold.get("event_date"))
    start, end = _day(rec.get("date_start")), _day(rec.get("date_end")) or _day(rec.get("date_start"))
    if want is None or start is None:
        return False
    slack = dt.timedelta(days=1)
    if (gold.get("time_precision") or 1) > 1:
        return start - slack <= want <= end + slack
    return abs(start - want) <= slack and abs(end - want) <= slack


def killed(rec: dict) -> tuple[float | None, float | None, float | None]:
    if rec.get("count_type") != "killed":
        return None, None, None
    return rec.get("count_low"), rec.get("count_best"), rec.get("count_high")


def deaths_right(rec: dict, deaths: int) -> bool:
    low, best, high = killed(rec)
    if best is not None and int(best) == deaths:
        return True
    return low is not None and high is not None and low <= deaths <= high


def score_note(note: dict, recs: list[dict], has_sub: bool = False) -> dict[str, bool | None]:
    """Per area: True (right), False (wrong) or None (the area does not apply to the note).

    ``has_sub``: the tables carry ``acled_sub_event_type`` (then every note is scored on it).
    """
    gold = note["gold"]
    typed = [r for r in recs if r.get("acled_type") == gold["event_type"]]
    main = (typed or recs or [None])[0]
    deaths = int(gold.get("fatalities") or 0)
    out: dict[str, bool | None] = {
        "record": bool(recs),
        "type": bool(typed),
        "sub": (any(r.get("acled_sub") == gold["sub_event_type"] for r in recs) if has_sub else None),
        "date": bool(main) and date_right(main, gold),
        "deaths": (any(deaths_right(r, deaths) for r in (typed or recs)) if deaths > 0 else None),
        "invented": (not any((killed(r)[1] or 0) > 0 for r in recs) if deaths == 0 else None),
        "movement": (
            any(r.get("kind") == "troop_movement" for r in recs)
            if note["text"].lstrip().startswith(MOVEMENT_PREFIX)
            else None
        ),
        # Not a scored area: False when a record of this note (about a country other than
        # Syria) is placed in Syria.
        "syria": False if any(r.get("in_syria") for r in recs) else None,
    }
    return out


def run(notes: list[dict], workers: int = 1):
    """Extract every note; return ``(records by note id, has_sub, seconds)``."""
    import pandas as pd

    import geomap

    articles = pd.DataFrame(
        {
            "doc_id": [n["id"] for n in notes],
            "text": [n["text"] for n in notes],
            "date": [dt.date.fromisoformat(n["date"]) for n in notes],
            "source": [n.get("source") for n in notes],
        }
    )
    t0 = time.perf_counter()
    result = geomap.extract(articles, workers=workers, dedupe=False)
    has_sub = "acled_sub_event_type" in result.incidents.columns
    return records_by_note(result.incidents, result.movements), has_sub, time.perf_counter() - t0


def summarise(scores: list[dict]) -> dict[str, tuple[int, int]]:
    """Area -> (right, applicable)."""
    out = {}
    for area in AREAS:
        vals = [s[area] for s in scores if s[area] is not None]
        out[area] = (sum(vals), len(vals))
    return out


LABELS = {
    "record": ("a record", 0.92),
    "type": ("ACLED event type right", 0.85),
    "sub": ("ACLED sub-event type right", None),
    "date": ("event date right", 0.90),
    "deaths": ("deaths right (notes with deaths)", 0.75),
    "invented": ("no death count (notes with none)", 0.98),
    "movement": ("'Movement of forces' -> troop movement", 0.85),
}


def print_report(notes, scores, secs, n_syria: int = 0) -> None:
    print(f"notes {len(notes)}; extraction {secs:.1f} s")
    syrian = sum(s.get("syria") is False for s in scores)
    print(f"  {'records placed in Syria (all notes abroad)':42s} {n_syria:4d}  in {syrian} notes (want 0)")
    for area, (ok, n) in summarise(scores).items():
        label, goal = LABELS[area]
        if n == 0:
            print(f"  {label:42s} n/a (no column or no such note)")
            continue
        mark = "" if goal is None else f"  goal >= {goal:.2f} {'met' if ok / n >= goal else 'NOT met'}"
        print(f"  {label:42s} {ok:4d}/{n:<4d} = {ok / n:.3f}{mark}")
    with_rec = [s for s in scores if s["record"]]
    if with_rec:
        d = sum(bool(s["date"]) for s in with_rec)
        print(f"  {'(event date right, notes with a record)':42s} {d:4d}/{len(with_rec):<4d} = {d / len(with_rec):.3f}")
    by_type: dict[str, list[int]] = {}
    for note, s in zip(notes, scores):
        t = note["gold"]["event_type"]
        row = by_type.setdefault(t, [0, 0, 0])
        row[0] += 1
        row[1] += bool(s["record"])
        row[2] += bool(s["type"])
    print("  by ACLED event type (notes / with a record / type right):")
    for t, (n, rec, ok) in sorted(by_type.items(), key=lambda kv: -kv[1][0]):
        print(f"    {t:32s} {n:4d} {rec / n:6.3f} {ok / n:6.3f}")


def print_misses(notes, scores, recs_by_id, areas) -> None:
    for note, s in zip(notes, scores):
        failed = [a for a in areas if s[a] is False]
        if not failed:
            continue
        g = note["gold"]
        print(
            f"\n[{','.join(failed)}] {note['id']}  gold: {g['event_type']} / {g['sub_event_type']}; "
            f"{g['event_date']}; deaths {g.get('fatalities')}"
        )
        print(f"  {note['text'][:400]}")
        for r in recs_by_id.get(note["id"], []):
            lo, best, hi = r.get("count_low"), r.get("count_best"), r.get("count_high")
            where = r.get("place_text") or (
                f"{r.get('origin_name')} -> {r.get('destination_name')}" if r["record"] == "movement" else None
            )
            print(
                f"  -> {r['record']} {r.get('event_type')}/{r.get('sub_type')} [{r.get('acled_type')}"
                f" / {r.get('acled_sub')}] {r.get('date_start')}..{r.get('date_end')} "
                f"({r.get('date_basis')}) {where}{' [SY]' if r.get('in_syria') else ''} count {r.get('count_type')} {lo}/{best}/{hi}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="score only the first N notes")
    ap.add_argument(
        "--misses",
        nargs="?",
        const="all",
        default=None,
        help="print failing notes (an area or a comma list of areas; default all)",
    )
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = ap.parse_args(argv)
    if not EVAL.exists():
        print(f"skipped: {EVAL} is absent (the evaluation data lives in ../shared/eval)")
        return 0
    notes = load_notes(args.limit)
    recs_by_id, has_sub, secs = run(notes, args.workers)
    country_of = gazetteer_country()
    for recs in recs_by_id.values():
        for r in recs:
            r["in_syria"] = in_syria(r, country_of)
    n_syria = sum(r["in_syria"] for recs in recs_by_id.values() for r in recs)
    scores = [score_note(n, recs_by_id.get(n["id"], []), has_sub) for n in notes]
    if args.misses:
        areas = MISS_AREAS if args.misses == "all" else tuple(args.misses.split(","))
        print_misses(notes, scores, recs_by_id, areas)
        print()
    print_report(notes, scores, secs, n_syria)
    if args.json:
        figures = {a: {"right": ok, "n": n} for a, (ok, n) in summarise(scores).items()}
        figures["records_placed_in_syria"] = n_syria
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
