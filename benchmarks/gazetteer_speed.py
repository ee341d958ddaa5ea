"""Gazetteer speed: load time, index build time and memory, lookups and searches per second, fold throughput.

Run: ``python benchmarks/gazetteer_speed.py [--rows 30000] [--real]``. Measures, in one run,
the real ``gazetteer/places.tsv`` (when present, with ``--real`` or by default) and a synthetic
gazetteer of ``--rows`` rows with five aliases each (the size of a GeoNames SY.txt import), and
prints a Markdown table for ``benchmarks/RESULTS-gazetteer.md``. The index cache lives in a
temporary data dir so the cold and warm cases are both measured.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from geomap import settings
from geomap.gazetteer import COLUMNS, Gazetteer
from geomap.text import _fold_part, _fold_tokens_cached, fold, fold_word, light

SYL = [
    "al",
    "dar",
    "zor",
    "kaf",
    "nub",
    "sar",
    "aqib",
    "ma",
    "arrat",
    "tal",
    "ab",
    "yad",
    "jisr",
    "shugh",
    "our",
    "hom",
    "ham",
    "raq",
    "qa",
    "bu",
    "ka",
    "mal",
    "qus",
    "ayr",
    "id",
    "lib",
    "lat",
    "ta",
    "kia",
]


def synthetic(path: Path, rows: int, seed: int = 1, aliases: int = 5) -> list[str]:
    rnd = random.Random(seed)
    names = []
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for i in range(rows):
            w = lambda: "".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 3))).capitalize()  # noqa: E731
            name = f"{w()} {rnd.choice(['al-', 'ash-', ''])}{w()}"
            alias_text = "|".join(f"{w()} {w()}" for _ in range(aliases))
            names.append(name)
            fh.write(
                f"gn:{i}\t{name}\t{alias_text}\t{rnd.uniform(32, 37):.5f}\t{rnd.uniform(35, 42):.5f}\t"
                f"town\tPPL\t{rnd.randint(0, 100000)}\tSY\tAleppo\tsynthetic\t\n"
            )
    return names


def clear_fold_caches():
    for f in (fold_word, _fold_tokens_cached, _fold_part, light):
        f.cache_clear()


def rate(fn, items, min_seconds=1.0):
    n, t0 = 0, time.perf_counter()
    while True:
        for x in items:
            fn(x)
        n += len(items)
        el = time.perf_counter() - t0
        if el >= min_seconds:
            return n / el


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux ``/proc``; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure(directory: Path, queries: list[str], label: str) -> dict:
    out = {"label": label}
    clear_fold_caches()
    with tempfile.TemporaryDirectory() as data:
        settings.data_dir = Path(data)
        # a first load warms the OS file cache and imports: the goal is a warm-cache load
        Gazetteer(directory, overlay=False)
        t0 = time.perf_counter()
        g = Gazetteer(directory, overlay=False)
        out["rows"] = len(g)
        out["load_s"] = time.perf_counter() - t0
        mem0 = rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        g.lookup("Aleppo")  # builds the name index and the pipeline's place index
        out["index_cold_s"] = time.perf_counter() - t0
        out["index_cpu_s"] = time.process_time() - c0
        out["index_mb"] = rss_mb() - mem0
        clear_fold_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        g2 = Gazetteer(directory, overlay=False)
        g2.lookup("Aleppo")
        out["load_plus_cached_index_s"] = time.perf_counter() - t0
        out["load_plus_cached_index_cpu_s"] = time.process_time() - c0
        misses = ["Xqzvw", "Nowhere at all", "Qqqqqqqq"]
        # steady state: the first look-ups build the near-miss and spelling-closeness tables
        # once per process (seconds on a loaded machine), which a rate must not average in
        for q in [*queries, misses[0]]:
            g2.search(q)
        out["lookup_per_s"] = rate(g2.lookup, queries)
        out["search_per_s"] = rate(g2.search, queries)
        out["search_miss_per_s"] = rate(g2.search, misses)
        out["reverse_per_s"] = rate(lambda p: g2.reverse(p), [(36.2, 37.1), (33.5, 36.3), (35.3, 40.1)])
    return out


def measure_overlay(directory: Path, rows: int) -> dict:
    """The real gazetteer plus a synthetic overlay of ``rows`` places (one alias each, like an
    import): the first run builds and caches the pipeline's index, later runs load the cache."""
    out = {"rows": rows}
    with tempfile.TemporaryDirectory() as data:
        settings.data_dir = Path(data)
        overlay = Path(data) / "places-overlay.tsv"
        synthetic(overlay, rows, seed=2, aliases=1)
        for case in ("first", "later"):
            clear_fold_caches()
            t0, c0 = time.perf_counter(), time.process_time()
            Gazetteer(directory, overlay=overlay).place_index()
            out[f"{case}_s"], out[f"{case}_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
        Gazetteer(directory, overlay=False).place_index()  # caches the index without the overlay
        clear_fold_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        Gazetteer(directory, overlay=False).place_index()
        out["no_overlay_s"], out["no_overlay_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=30000)
    ap.add_argument(
        "--overlay-rows",
        type=int,
        default=0,
        help="also time the real gazetteer with a synthetic overlay of this many places",
    )
    args = ap.parse_args(argv)
    results = []
    real = Path(settings.gazetteer_dir)
    spellings = [
        "Aleppo",
        "Deir ez-Zor",
        "Dayr az Zawr",
        "Dera'a",
        "Hims",
        "Ma\u2018arrat an Nu\u2018m\u0101n",
        "Idleb",
        "Al-Bukamal",
        "Tell Abiad",
        "Qusair",
        "Lattakia",
        "Hassakeh",
    ]
    if (real / "places.tsv").is_file():
        results.append(measure(real, spellings, "real places.tsv"))
    with tempfile.TemporaryDirectory() as d:
        names = synthetic(Path(d) / "places.tsv", args.rows)
        results.append(measure(Path(d), names[:: max(1, len(names) // 200)][:200], f"synthetic x{args.rows}"))
    words = [w for s in spellings for w in s.split()] * 10
    clear_fold_caches()
    cold = rate(lambda w: (clear_fold_caches(), fold(w)), words, 0.5)
    warm = rate(fold, words, 0.5)
    print(
        "| gazetteer | rows | load, warm cache (s) | first query, index build (s) | index build CPU (s) "
        "| index memory (MB) | reload + cached index (s) | reload + cached index CPU (s) "
        "| lookup/s | search/s | search miss (fuzzy scan)/s | reverse/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['label']} | {r['rows']} | {r['load_s']:.3f} | {r['index_cold_s']:.3f} | "
            f"{r['index_cpu_s']:.3f} | {r['index_mb']:.0f} | "
            f"{r['load_plus_cached_index_s']:.3f} | {r['load_plus_cached_index_cpu_s']:.3f} | {r['lookup_per_s']:,.0f} | {r['search_per_s']:,.0f} | "
            f"{r['search_miss_per_s']:,.0f} | {r['reverse_per_s']:,.0f} |"
        )
    print(f"\nfold per word: uncached {cold:,.0f}/s, cached {warm:,.0f}/s (ratio {warm / cold:.0f}x)")
    for r in results:
        print(
            f"{r['label']}: lookup/search ratio {r['lookup_per_s'] / r['search_per_s']:.1f}x; "
            f"cold index / cached reload {r['index_cold_s'] / max(r['load_plus_cached_index_s'], 1e-9):.1f}x"
        )
    if args.overlay_rows and (real / "places.tsv").is_file():
        o = measure_overlay(real, args.overlay_rows)
        print(
            "\n| overlay places | no overlay, cached index (s / CPU s) | first run, index built (s / CPU s) "
            "| later runs, cached index (s / CPU s) |\n|---|---|---|---|"
        )
        print(
            f"| {o['rows']:,} | {o['no_overlay_s']:.2f} / {o['no_overlay_cpu_s']:.2f} | "
            f"{o['first_s']:.2f} / {o['first_cpu_s']:.2f} | {o['later_s']:.2f} / {o['later_cpu_s']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
