"""Corpus speed and memory: geomap's engines next to bare spaCy ``nlp.pipe``, in one run.

For each corpus size and configuration a fresh Python process does the work while this
process samples the memory of its whole process tree (PSS, so pages shared by forked workers
are counted once). Configurations:

``spacy``   the bare English model (en_core_web_sm), ``nlp.pipe`` over the texts
``local1``  ``geomap.extract(articles)``
``local2``  ``geomap.extract(articles, workers=2)``
``dask2``   ``geomap.extract(articles, engine="dask", workers=2)`` (LocalCluster)
``local1-noopt``  ``local1`` with ``GEOMAP_FAST_ATTRIBUTE_RULER=0`` (the model's own attribute
            ruler and lemmatizer: the "before" of the exact speed-ups in geomap/nlp/pipeline.py)
``spacy-fast``    the bare model with geomap's exact attribute-ruler/lemmatizer speed-ups

Times are wall clock from the start of work, model/pipeline loading included (reported
separately too), so ratios compare what a user waits for.

    python benchmarks/make_corpus.py 1000
    python benchmarks/corpus_speed.py --sizes 200 1000 --configs spacy local1 local2 dask2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def _content_words(doc) -> int:
    # The same count geomap.extract makes, so both sides pay the same for it.
    from geomap.extraction import _words

    return _words(doc)


def run_one(config: str, corpus: Path) -> dict:
    """Do one configuration's work in this process; return its figures."""
    t0 = time.perf_counter()
    from geomap.read import read_articles

    articles = read_articles(corpus)
    read_s = time.perf_counter() - t0
    texts = list(articles["text"])
    t1 = time.perf_counter()
    if config in ("spacy", "spacy-fast"):
        from geomap.nlp.pipeline import _speed_up, load_english_model

        nlp = load_english_model()
        if config == "spacy-fast":
            nlp = _speed_up(nlp)
        load_s = time.perf_counter() - t1
        words = sum(_content_words(doc) for doc in nlp.pipe(texts, batch_size=32))
        counts = {}
    else:
        from geomap.extraction import extract, pipeline_components
        from geomap.nlp.pipeline import cached_pipeline

        load_s = None
        if config.startswith("local1"):
            # Loaded here (and timed) so the steady-state rate can be told apart from start-up.
            cached_pipeline(None, pipeline_components()[0])
            load_s = time.perf_counter() - t1
        kw = {"local1": {}, "local1-noopt": {}, "local2": {"workers": 2}, "dask2": {"engine": "dask", "workers": 2}}[config]
        result = extract(articles, **kw)
        words = result.run["counts"]["words"]
        counts = {k: result.run["counts"][k] for k in ("incidents", "movements", "mentions", "articles_done")}
    work_s = time.perf_counter() - t1
    return {"config": config, "articles": len(texts), "words": words, "read_s": round(read_s, 2),
            "load_s": None if load_s is None else round(load_s, 2), "work_s": round(work_s, 2),
            "words_per_s": round(words / work_s, 1), "articles_per_s": round(len(texts) / work_s, 2),
            "steady_words_per_s": None if load_s is None else round(words / (work_s - load_s), 1), **counts}


def interleaved(corpus: Path, rounds: int) -> list[dict]:
    """Steady-state rates of three configurations in ONE process, taken in turn ``rounds`` times.

    On a machine whose load swings from minute to minute, back-to-back child processes can
    differ by 40% for the same work; alternating the configurations inside one process and
    comparing each round's times gives ratios that the load moves much less. Configurations:
    ``spacy`` (the model as installed, ``nlp.pipe``), ``geomap-noopt`` (``extract`` with the
    model's own attribute ruler and lemmatizer) and ``geomap`` (``extract`` as shipped).
    Pipelines are loaded before timing starts (start-up is reported by the per-process runs).
    """
    import statistics

    import geomap.extraction as ex
    from geomap.nlp import pipeline as pl
    from geomap.read import read_articles

    articles = read_articles(corpus)
    texts = list(articles["text"])
    bare = pl.load_english_model()
    exclude = ex.pipeline_components()[0]
    pl.FAST_ATTRIBUTE_RULER = False
    slow = pl.load_pipeline(None, exclude)
    pl.FAST_ATTRIBUTE_RULER = True
    fast = pl.load_pipeline(None, exclude)
    for nlp in (slow, fast):  # warm the components' lazy indexes (gazetteer) outside the timing
        ex.process_batch(list(ex.iter_items(articles.head(2))), nlp=nlp)
    real = ex._pipeline

    def geomap_with(nlp):
        ex._pipeline = lambda model, excl: nlp
        try:
            return ex.extract(articles).run["counts"]
        finally:
            ex._pipeline = real

    work = {"spacy": lambda: sum(_content_words(d) for d in bare.pipe(texts, batch_size=32)),
            "geomap-noopt": lambda: geomap_with(slow), "geomap": lambda: geomap_with(fast)}
    times: dict[str, list[float]] = {k: [] for k in work}
    outputs: dict[str, Any] = {}
    names = list(work)
    for r in range(rounds):
        # Rotate the order so no configuration always runs first (cold caches, load swings).
        for name in names[r % 3:] + names[:r % 3]:
            fn = work[name]
            t = time.perf_counter()
            outputs[name] = fn()
            times[name].append(time.perf_counter() - t)
            print(json.dumps({"round": r, "config": name, "s": round(times[name][-1], 2)}), file=sys.stderr, flush=True)
    words = outputs["geomap"]["words"]
    rows = []
    for name, ts in times.items():
        ratios = [b / t for b, t in zip(times["spacy"], ts)]
        rows.append({"config": name, "articles": len(texts), "words": words, "rounds": rounds,
                     "median_s": round(statistics.median(ts), 2), "words_per_s": round(words / statistics.median(ts), 1),
                     "x_spacy_per_round": [round(x, 3) for x in ratios], "x_spacy_median": round(statistics.median(ratios), 3)})
    same = {k: v for k, v in outputs["geomap"].items() if k != "words"} == {k: v for k, v in outputs["geomap-noopt"].items() if k != "words"}
    rows.append({"geomap_counts": outputs["geomap"], "same_counts_as_noopt": same})
    return rows


def _tree_pss(proc) -> int:
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            mi = p.memory_full_info()
            total += getattr(mi, "pss", mi.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(config: str, corpus: Path) -> dict:
    """Run ``config`` on ``corpus`` in a child process, sampling its tree's peak memory."""
    import psutil

    env = dict(os.environ)
    if config.endswith("-noopt"):
        env["GEOMAP_FAST_ATTRIBUTE_RULER"] = "0"
    child = subprocess.Popen([sys.executable, __file__, "--one", config, "--corpus", str(corpus)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    proc = psutil.Process(child.pid)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], _tree_pss(proc))
            except psutil.NoSuchProcess:
                break
            done.wait(0.25)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = child.communicate()
    done.set()
    th.join()
    if child.returncode != 0:
        return {"config": config, "error": f"exit {child.returncode}"}
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_mem_mb"] = round(peak[0] / 2**20)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--configs", nargs="+", default=["spacy", "local1", "local2", "dask2"])
    ap.add_argument("--interleave", type=int, metavar="ROUNDS",
                    help="instead: spacy / geomap-noopt / geomap in one process, in turn, ROUNDS times")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus)))
        return
    if args.interleave:
        for n in args.sizes:
            corpus = OUT / f"corpus-{n}.jsonl"
            if not corpus.exists():
                subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n)], check=True)
            for row in interleaved(corpus, args.interleave):
                print(json.dumps({"size": n, **row}), flush=True)
        return
    rows = []
    for n in args.sizes:
        corpus = OUT / f"corpus-{n}.jsonl"
        if not corpus.exists():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n)], check=True)
        for config in args.configs:
            res = measure(config, corpus)
            res["size"] = n
            rows.append(res)
            print(json.dumps(res), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (OUT / f"corpus_speed-{stamp}.json").write_text(json.dumps(rows, indent=1))
    print("\n| size | config | words/s | articles/s | x spaCy | peak MB | work s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['size']} | {r['config']} | error: {r['error']} | | | | |")
            continue
        base = next((b for b in rows if b["size"] == r["size"] and b["config"] == "spacy" and "error" not in b), None)
        ratio = f"{r['words_per_s'] / base['words_per_s']:.2f}" if base else "-"
        print(f"| {r['size']} | {r['config']} | {r['words_per_s']:.0f} | {r['articles_per_s']:.2f} | {ratio} | "
              f"{r['peak_mem_mb']} | {r['work_s']:.1f} |")


if __name__ == "__main__":
    main()
