"""Actors on ACLED event notes: does geomap name the doer and the target as ACLED did?

Reads ../shared/eval/acled_dev.jsonl (never copied into the project) and extracts every note
as ``benchmarks/acled_dev.py`` does (one article per note, no cross-article merge). For each
note with a record, the note's main record (the first with ACLED's event type, else the first)
is scored on ``actor1`` and ``actor2`` against ACLED's ``actor1`` / ``actor2``.

ACLED names actors finely ("Military Forces of Turkey (2016-) Gendarmerie", "Protesters
(Iran)"); geomap has a small vocabulary (docs/event-types.md). ``accepted`` below translates
an ACLED actor into the geomap labels that would be right for it:

- a state's military, police or government -> ``government forces`` or the state's name;
- protesters, rioters, civilians -> ``civilians``;
- Islamic State, Al Qaeda, Hamas... -> ``Islamist groups``; PKK, YBS, Peshmerga, Asayish ->
  ``Kurdish forces``; Operation Restoring Hope -> ``Saudi-led coalition``; the Global Coalition
  against Daesh -> ``US-led coalition``; the Houthis' Supreme Political Council -> ``Houthis``;
- an unidentified actor, or no actor, -> empty: the only honest answer is no actor.

Figures per field: **right** (geomap's label is accepted), **empty** (geomap left it empty
where ACLED names an actor geomap's vocabulary has: a miss, not an invention) and **wrong**
(geomap named an actor ACLED does not support: the invention rate). Gold actors outside the
vocabulary (a clan militia, "Giants Brigade") are reported apart (geomap's answer there is
right only when empty or a militia label).

With ``--news`` it scores the Syrian articles of ``news_dev.jsonl`` instead: each system
incident matched to a gold one by news_dev.py's rules (type, place, date) is compared on
actor1/actor2 with the coder's labels, which use geomap's vocabulary (gold empty = no actor).

Usage: python benchmarks/actors_acled.py [--limit N] [--misses [actor1|actor2]] [--news]

Skips with a message when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import acled_dev  # noqa: E402  (the sibling benchmark: notes, extraction, record dicts)

#: ACLED state names -> geomap's label for a foreign state (docs/event-types.md)
STATES = {
    "Israel": "Israel",
    "Turkey": "Turkey",
    "Russia": "Russia",
    "United States": "United States",
    "Iran": "Iran",
    "Iraq": "Iraq",
    "Jordan": "Jordan",
    "Lebanon": "Lebanon",
    "France": "France",
    "United Kingdom": "United Kingdom",
    "Saudi Arabia": "Saudi Arabia",
    "Yemen": "Yemen",
    "Syria": "government forces",
    "Bahrain": "Bahrain",
    "Kuwait": "Kuwait",
    "United Arab Emirates": "United Arab Emirates",
    "Palestine": "Palestine",
}
_STATE_FORCE = re.compile(r"^(?:Military|Police) Forces of ([A-Z][A-Za-z ]+?) \(|^Government of ([A-Z][A-Za-z ]+?) \(")
_CIVIL = re.compile(r"^(?:Protesters|Rioters|Civilians|Settlers|Labour Group|Women)\b")
_ISLAMIST = ("Islamic State", "AQAP", "Al Qaeda", "Hamas", "Islamic Jihad", "Hayat Tahrir", "Al Nusra")
_KURDISH = ("PKK", "YBS", "Peshmerga", "Asayish", "YPG", "SDF", "Kurdistan")
#: gold actors whose right answer is one named label
_NAMED = {
    "Operation Restoring Hope": "Saudi-led coalition",  # also "Saudi Arabia" (below)
    "Global Coalition Against Daesh": "US-led coalition",
    "Hezbollah": "Hezbollah",
}
#: labels that are right for an armed group outside geomap's vocabulary (a militia)
_MILITIA = {None, "pro-government militias"}


def accepted(gold: object) -> tuple[set[str | None], bool]:
    """The geomap labels right for an ACLED actor, and whether geomap's vocabulary covers it."""
    if gold is None or (isinstance(gold, float) and gold != gold) or not str(gold).strip():
        return {None}, True
    g = str(gold)
    if g.startswith("Unidentified"):
        return {None}, True
    if "Supreme Political Council" in g:  # ACLED codes the Houthis as Yemen's Sanaa forces
        return {"Houthis"}, True
    for name, label in _NAMED.items():
        if g.startswith(name):
            return ({label, "Saudi Arabia"} if label == "Saudi-led coalition" else {label}), True
    if "Popular Mobilization" in g:
        return {"pro-government militias", "government forces", "Iraq"}, True
    if any(k in g for k in _KURDISH):
        return {"Kurdish forces"}, True
    m = _STATE_FORCE.match(g)
    if m:
        state = m.group(1) or m.group(2)
        return {"government forces", STATES.get(state, state)}, True
    if _CIVIL.match(g):
        return {"civilians"}, True
    if any(g.startswith(k) for k in _ISLAMIST):
        return {"Islamist groups"}, True
    return set(_MILITIA), False


def score(notes: list[dict], recs_by_id: dict[str, list[dict]]) -> dict[str, Counter]:
    """Per field ("actor1", "actor2"): a Counter of outcomes (right/empty/wrong, *_outside)."""
    out = {"actor1": Counter(), "actor2": Counter()}
    for note in notes:
        recs = recs_by_id.get(note["id"], [])
        if not recs:
            continue
        gold = note["gold"]
        typed = [r for r in recs if r.get("acled_type") == gold["event_type"]]
        main = (typed or recs)[0]
        for field in out:
            got = (
                main.get(field) if main["record"] == "incident" else (main.get("actor") if field == "actor1" else None)
            )
            ok, covered = accepted(gold.get(field))
            suffix = "" if covered else "_outside"
            if got in ok:
                out[field]["right" + suffix] += 1
            elif got is None:
                out[field]["empty" + suffix] += 1
            else:
                out[field]["wrong" + suffix] += 1
    return out


def print_report(figures: dict[str, Counter], n_notes: int) -> None:
    print(f"notes {n_notes}; scored: the main record of each note with a record")
    for field, c in figures.items():
        n_in = c["right"] + c["empty"] + c["wrong"]
        n_out = c["right_outside"] + c["empty_outside"] + c["wrong_outside"]
        n = n_in + n_out
        right = c["right"] + c["right_outside"]
        wrong = c["wrong"] + c["wrong_outside"]
        print(
            f"  {field}: right {right}/{n} = {right / max(n, 1):.3f}; wrong (named, not supported) "
            f"{wrong}/{n} = {wrong / max(n, 1):.3f}; empty where ACLED names one {c['empty']}/{n}"
        )
        print(
            f"    vocabulary actors: right {c['right']}/{n_in}, empty {c['empty']}, wrong {c['wrong']};"
            f" outside the vocabulary: right {c['right_outside']}/{n_out}, wrong {c['wrong_outside']}"
        )


def print_misses(notes, recs_by_id, field: str) -> None:
    for note in notes:
        recs = recs_by_id.get(note["id"], [])
        if not recs:
            continue
        gold = note["gold"]
        typed = [r for r in recs if r.get("acled_type") == gold["event_type"]]
        main = (typed or recs)[0]
        got = main.get(field) if main["record"] == "incident" else (main.get("actor") if field == "actor1" else None)
        ok, _ = accepted(gold.get(field))
        if got not in ok:
            print(f"[{field}] {note['id']} gold {gold.get(field)!s} -> {got!s}\n  {note['text'][:300]}")


def score_news(show_misses: bool = False) -> dict[str, Counter]:
    """Actors of the news_dev records matched to a gold record (news_dev.py's matching)."""
    import news_dev

    rows = news_dev.load_rows()
    result = news_dev.run_geomap(rows)
    out = {"actor1": Counter(), "actor2": Counter()}
    for row in rows:
        system = news_dev._records(result.incidents, row["id"])
        gold = row.get("gold_events") or []
        for i, j in news_dev.match_incidents(system, gold):
            for field in out:
                got, want = system[i].get(field), gold[j].get(field)
                outcome = "right" if got == want else ("empty" if got is None else "wrong")
                out[field][outcome] += 1
                if show_misses and outcome != "right":
                    print(f"[{field}] {row['id']} gold {want!s} -> {got!s}: {str(gold[j].get('evidence'))[:200]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--misses", nargs="?", const="actor1,actor2", default=None)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--news", action="store_true", help="score news_dev.jsonl's matched records instead")
    args = ap.parse_args(argv)
    if args.news:
        figures = score_news(bool(args.misses))
        for field, c in figures.items():
            n = sum(c.values())
            print(
                f"  news_dev {field}: right {c['right']}/{n} = {c['right'] / max(n, 1):.3f}; wrong {c['wrong']}"
                f" = {c['wrong'] / max(n, 1):.3f}; empty where the coder names one {c['empty']}"
            )
        return 0
    if not acled_dev.EVAL.exists():
        print(f"skipped: {acled_dev.EVAL} is absent (the evaluation data lives in ../shared/eval)")
        return 0
    notes = acled_dev.load_notes(args.limit)
    recs_by_id, _, secs = acled_dev.run(notes, args.workers)
    if args.misses:
        for field in args.misses.split(","):
            print_misses(notes, recs_by_id, field)
        print()
    print(f"extraction {secs:.1f} s")
    print_report(score(notes, recs_by_id), len(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
