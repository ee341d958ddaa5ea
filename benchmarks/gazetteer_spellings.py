"""Do reporters' spellings of gazetteer names find their place? (synthetic, from the gazetteer)

For every Syrian town or neighbourhood whose name the resolver already places on that entry
(``Gazetteer.search(name)`` ranks it first), the script writes the name the ways English
reporting writes it and counts how often ``search`` still ranks the same entry first:

* ``article``: names starting with an Arabic article ("Ar Rami", "Ash Shaykh Maskin") written
  with "al-", "al ", "el-", "Al-" and without the article;
* ``ending``: word-final -i written -y ("Rami" -> "Ramy") and -iyah written -iya / -iyeh;
* ``f``: f written ph.

No text from the evaluation sets is read: the variants are made from the gazetteer's own names
by fixed rules, so the figure says how general a spelling rule is before it meets real text.

Usage::

    python benchmarks/gazetteer_spellings.py [--limit N] [--show-misses KIND]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.gazetteer import Gazetteer  # noqa: E402
from geomap.text import ARTICLES  # noqa: E402

_ARTICLE_RE = re.compile(r"^(?:" + "|".join(sorted(ARTICLES, key=len, reverse=True)) + r")[ -]", re.IGNORECASE)


def article_variants(name: str) -> list[str]:
    """ "Ar Rami" -> ["al-Rami", "al Rami", "el-Rami", "Al-Rami", "Rami"] (none without an article)."""
    m = _ARTICLE_RE.match(name)
    if not m:
        return []
    rest = name[m.end() :]
    if not rest or not rest[0].isalpha():
        return []
    rest = rest[0].upper() + rest[1:]
    return [f"al-{rest}", f"al {rest}", f"el-{rest}", f"Al-{rest}", rest]


def ending_variants(name: str) -> list[str]:
    """Word-final -i as -y, -iyah as -iya / -iyeh ("Rami" -> "Ramy")."""
    out = []
    if re.search(r"[^aeiouy]i$", name):
        out.append(name[:-1] + "y")
    if name.endswith("iyah"):
        out += [name[:-1], name[:-2] + "eh"]
    return out


def f_variants(name: str) -> list[str]:
    """f written ph ("Kafr" -> "Kaphr")."""
    return [name.replace("f", "ph").replace("F", "Ph")] if "f" in name.lower() else []


KINDS = {"article": article_variants, "ending": ending_variants, "f": f_variants}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1500, help="names per kind (random sample, seed 0)")
    ap.add_argument("--show-misses", choices=sorted(KINDS), help="print the variants that lose their place")
    args = ap.parse_args(argv)
    gaz = Gazetteer()
    t0 = time.perf_counter()
    gaz.place_index()
    print(f"index {time.perf_counter() - t0:.1f}s")
    rows = [r for r in gaz.records() if r.get("country_code") == "SY" and r.get("level") in ("town", "neighbourhood")]
    for kind, make in KINDS.items():
        named = [(r, make(str(r["name"]))) for r in rows]
        named = [(r, v) for r, v in named if v]
        random.Random(0).shuffle(named)
        tally: Counter = Counter()
        for r, variants in named[: args.limit]:
            top = gaz.search(str(r["name"]), limit=1)
            if not top or top[0].entry.get("id") != r["id"]:
                tally["name itself not first"] += 1
                continue
            tally["names"] += 1
            for v in variants:
                got = gaz.search(v, limit=1)
                ok = bool(got) and got[0].entry.get("id") == r["id"]
                tally["variants"] += 1
                tally["found"] += ok
                # a namesake of the same level and name is a tie the resolver leaves open
                # (nothing, or the unit both lie in): unresolved, not wrong
                open_tie = not got or got[0].match == "shared" or got[0].entry.get("level") != r.get("level")
                tally["unresolved"] += (not ok) and open_tie
                if not ok and args.show_misses == kind:
                    other = got[0].entry if got else {}
                    print(f"  {v!r:40} for {r['name']!r} ({r.get('admin1')}) -> {other.get('name')} {other.get('id')}")
        share = tally["found"] / tally["variants"] if tally["variants"] else 0.0
        print(
            f"{kind:8} names {tally['names']:5} (skipped {tally['name itself not first']:4})  "
            f"variants {tally['variants']:5}  same place first {tally['found']:5}  share {share:.3f}  "
            f"unresolved {tally['unresolved']:4}  another place {tally['variants'] - tally['found'] - tally['unresolved']:4}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
