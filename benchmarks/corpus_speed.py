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

On a shared machine, ``--chunked 500`` is the mode to use: every configuration (``spacy``,
``spacy32``, ``local1``, ``local2``, ``dask2``) is one long-lived process and they take turns
on the same 500-article chunks, so their ratios are measured under the same load; tables and
memory are recorded at ``--checkpoints`` (e.g. 1000 inside a 10,000-article run):

    python benchmarks/corpus_speed.py --sizes 10000 --chunked 500 --configs spacy local1 local2 \
        --checkpoints 1000 5000
    python benchmarks/corpus_speed.py --report benchmarks/out/corpus_chunked-10000-*.json
"""

from __future__ import annotations

import argparse
import json
import math
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
    from geomap.batch import _words

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
        kw = {"local1": {}, "local1-noopt": {}, "local2": {"workers": 2}, "dask2": {"engine": "dask", "workers": 2}}[
            config
        ]
        result = extract(articles, **kw)
        words = result.run["counts"]["words"]
        counts = {k: result.run["counts"][k] for k in ("incidents", "movements", "mentions", "articles_done")}
    work_s = time.perf_counter() - t1
    return {
        "config": config,
        "articles": len(texts),
        "words": words,
        "read_s": round(read_s, 2),
        "load_s": None if load_s is None else round(load_s, 2),
        "work_s": round(work_s, 2),
        "words_per_s": round(words / work_s, 1),
        "articles_per_s": round(len(texts) / work_s, 2),
        "steady_words_per_s": None if load_s is None else round(words / (work_s - load_s), 1),
        **counts,
    }


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

    work = {
        "spacy": lambda: sum(_content_words(d) for d in bare.pipe(texts, batch_size=32)),
        "geomap-noopt": lambda: geomap_with(slow),
        "geomap": lambda: geomap_with(fast),
    }
    times: dict[str, list[float]] = {k: [] for k in work}
    outputs: dict[str, Any] = {}
    names = list(work)
    for r in range(rounds):
        # Rotate the order so no configuration always runs first (cold caches, load swings).
        for name in names[r % 3 :] + names[: r % 3]:
            fn = work[name]
            t = time.perf_counter()
            outputs[name] = fn()
            times[name].append(time.perf_counter() - t)
            print(json.dumps({"round": r, "config": name, "s": round(times[name][-1], 2)}), file=sys.stderr, flush=True)
    words = outputs["geomap"]["words"]
    rows = []
    for name, ts in times.items():
        ratios = [b / t for b, t in zip(times["spacy"], ts)]
        rows.append(
            {
                "config": name,
                "articles": len(texts),
                "words": words,
                "rounds": rounds,
                "median_s": round(statistics.median(ts), 2),
                "words_per_s": round(words / statistics.median(ts), 1),
                "x_spacy_per_round": [round(x, 3) for x in ratios],
                "x_spacy_median": round(statistics.median(ratios), 3),
            }
        )
    same = {k: v for k, v in outputs["geomap"].items() if k != "words"} == {
        k: v for k, v in outputs["geomap-noopt"].items() if k != "words"
    }
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
    child = subprocess.Popen(
        [sys.executable, __file__, "--one", config, "--corpus", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
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


# --------------------------------------------------------------------------- chunk-interleaved runs

CHUNK_CONFIGS = {
    "spacy": "bare model, nlp.pipe at its default batch size (nlp.batch_size)",
    "spacy32": "bare model, nlp.pipe(batch_size=32)",
    "local1": "geomap, local engine, 1 worker (this process)",
    "local2": "geomap, local engine, 2 worker processes",
    "dask2": "geomap, dask engine, LocalCluster of 2 worker processes",
}


def _status_bytes(path: str, field: str) -> int:
    """A ``Field:  N kB`` line of a /proc file, in bytes (0 when the process is gone)."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss_of(pid: int) -> int:
    # smaps_rollup is one small read per process (smaps would parse every mapping).
    return _status_bytes(f"/proc/{pid}/smaps_rollup", "Pss:")


def _hwm_of(pid: int) -> int:
    return _status_bytes(f"/proc/{pid}/status", "VmHWM:")


def _tree(pid: int) -> list[int]:
    import psutil

    try:
        p = psutil.Process(pid)
        return [pid, *(c.pid for c in p.children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


def serve(config: str, corpus: Path, chunk: int) -> None:
    """Child side of :func:`chunked`: load once, then do the chunks the parent asks for, in turn.

    Protocol (JSON lines): the child prints ``ready`` (with its load time); each stdin line
    ``{"chunk": i}`` gets ``{"chunk": i, "s": ..., "words": ...}``; ``{"finish": true}`` builds
    the tables over every chunk done (what ``extract`` does at the end) and gets the counts.
    """
    import geomap.extraction as ex
    from geomap.read import read_articles
    from geomap.tables import build_tables

    t0 = time.perf_counter()
    articles = read_articles(corpus)
    items = list(ex.iter_items(articles))
    t1 = time.perf_counter()
    eng = nlp = None
    if config.startswith("spacy"):
        from geomap.nlp.pipeline import load_english_model

        nlp = load_english_model()
        bs = nlp.batch_size if config == "spacy" else 32
        # Warm up as the geomap configurations do (first-call allocations), outside the timing.
        for _ in nlp.pipe([text for _, text, _ in items[:2]]):
            pass
    else:
        from geomap import settings

        exclude = ex.pipeline_components()[0]
        kind, workers = ("dask", 2) if config == "dask2" else ("local", int(config[-1]))
        eng = ex.open_engine(kind, workers, None, None, exclude, settings.batch_size)
        # Make the workers load their pipelines now, so start-up is not counted in the first chunk.
        ex.collect(eng.run(ex._batches(items[: 2 * workers], 1)))
        bs = settings.batch_size
    load_s = time.perf_counter() - t1
    print(
        json.dumps(
            {
                "ready": config,
                "read_s": round(t1 - t0, 2),
                "load_s": round(load_s, 2),
                "batch_size": bs,
                "articles": len(items),
            }
        ),
        flush=True,
    )
    records: list[dict] = []
    documents: list[dict] = []

    def tables_so_far() -> dict:
        # The tables over the chunks done so far, as a run of that size would end; then freed.
        t = time.perf_counter()
        done = {d["doc_id"] for d in documents}
        result = build_tables(records, articles=articles[articles["doc_id"].astype(str).isin(done)], dedupe=True)
        return {
            "tables_s": round(time.perf_counter() - t, 2),
            "incidents": len(result.incidents),
            "movements": len(result.movements),
            "mentions": len(result.mentions),
        }

    for line in sys.stdin:
        cmd = json.loads(line)
        if "chunk" in cmd:
            part = items[cmd["chunk"] * chunk : (cmd["chunk"] + 1) * chunk]
            t = time.perf_counter()
            if nlp is not None:
                words = sum(_content_words(d) for d in nlp.pipe((text for _, text, _ in part), batch_size=bs))
            else:
                got = ex.collect(eng.run(ex._batches(part, bs)))
                records += got["records"]
                documents += got["documents"]
                words = got["words"]
            print(
                json.dumps(
                    {
                        "chunk": cmd["chunk"],
                        "s": round(time.perf_counter() - t, 3),
                        "words": words,
                        "articles": len(part),
                    }
                ),
                flush=True,
            )
        elif cmd.get("tables"):
            # A checkpoint: the tables over the chunks done so far, as a run of that size would end.
            out = {"tables_at": len(documents)}
            if eng is not None:
                out.update(tables_so_far())
            out["peak_rss_main_mb"] = round(_hwm_of(os.getpid()) / 2**20)
            print(json.dumps(out), flush=True)
        elif cmd.get("finish"):
            out = {"finish": config}
            hwm = sum(_hwm_of(p) for p in _tree(os.getpid()))
            if eng is not None:
                eng.close()
                out.update(tables_so_far(), articles_done=sum(d["outcome"] == "done" for d in documents))
            out["peak_rss_tree_mb"] = round(max(hwm, sum(_hwm_of(p) for p in _tree(os.getpid()))) / 2**20)
            out["peak_rss_main_mb"] = round(_hwm_of(os.getpid()) / 2**20)
            print(json.dumps(out), flush=True)
            return


class _Turns:
    """The long-lived configuration processes of a ``--chunked`` run, and the state the
    scheduling loop shares with the memory sampler (which configuration is working now)."""

    def __init__(self, corpus: Path, configs: list[str], chunk: int, log) -> None:
        self.corpus, self.configs, self.chunk, self.log = corpus, configs, chunk, log
        self.procs: dict[str, subprocess.Popen] = {}
        self.info: dict[str, dict] = {
            c: {"config": c, "what": CHUNK_CONFIGS[c], "chunks": [], "peak_pss_mb": 0} for c in configs
        }
        self.peak: dict[str, int] = {c: 0 for c in configs}
        self.current: str | None = None
        self.finished: set[str] = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.started = time.time()

    def _sample(self) -> None:
        while not self.stop.is_set():
            c = self.current
            if c is not None:
                self.peak[c] = max(self.peak[c], sum(_pss_of(p) for p in _tree(self.procs[c].pid)))
            self.stop.wait(1.0)

    def say(self, record: dict) -> None:
        print(json.dumps(record), file=self.log, flush=True)

    def start(self) -> None:
        """Start the sampler, then each configuration's process (its pipeline loaded once)."""
        self.thread.start()
        self.started = time.time()
        for c in self.configs:
            self.procs[c] = subprocess.Popen(
                [sys.executable, __file__, "--serve", c, "--corpus", str(self.corpus), "--chunk", str(self.chunk)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            self.current = c  # its loading counts in its peak memory
            line = self.procs[c].stdout.readline()
            if not line:
                raise RuntimeError(f"{c} failed to start")
            self.info[c].update(json.loads(line))
            self.say({"ready": c, "load_s": self.info[c]["load_s"]})

    def ask(self, c: str, cmd: dict) -> dict:
        """Send one command to configuration ``c`` and wait for its answer (sampled meanwhile)."""
        self.current = c
        try:
            p = self.procs[c]
            p.stdin.write(json.dumps(cmd) + "\n")
            p.stdin.flush()
            return json.loads(p.stdout.readline())
        finally:
            self.current = None

    def finish(self, names: list[str], why: str) -> None:
        # A configuration that stops early shuts down at once: idle Dask workers still
        # heartbeat, and its memory should not sit on the machine.
        for c in names:
            if c in self.finished:
                continue
            self.info[c].update(self.ask(c, {"finish": True}), stopped=why)
            self.procs[c].wait(120)
            self.finished.add(c)
            self.say({"finished": c, "why": why, "chunks": len(self.info[c]["chunks"])})

    def eta(self, c: str) -> float:
        last = [x["s"] for x in self.info[c]["chunks"][-3:]]
        return sum(last) / len(last) if last else 0.0

    def run_chunk(self, i: int, running: list[str]) -> None:
        """Chunk ``i`` by every running configuration, the order rotated each chunk."""
        order = running[i % len(running) :] + running[: i % len(running)]
        for c in order:
            res = self.ask(c, {"chunk": i})
            self.info[c]["chunks"].append(res)
            self.say({"config": c, **res, "t": round(time.time() - self.started)})

    def checkpoint(self, running: list[str]) -> None:
        """The tables so far and the peak memory so far, per running configuration."""
        for c in running:
            res = self.ask(c, {"tables": True})
            res["peak_pss_mb"] = round(self.peak[c] / 2**20)
            self.info[c].setdefault("checkpoints", []).append(res)
            self.say({"config": c, **res})

    def before_deadline(self, i: int, n_chunks: int, running: list[str], optional: list[str], deadline: float):
        """The configurations to keep for chunk ``i`` (optional ones dropped first when the rest of
        the corpus will not fit before ``deadline``), and whether to stop now."""
        left = deadline - time.time()
        if sum(self.eta(c) for c in running) * (n_chunks - i) > left:
            # The whole corpus will not fit: keep the time for the required configurations.
            dropped = [c for c in running if c in optional]
            if dropped:
                running = [c for c in running if c not in dropped]
                self.finish(dropped, "deadline")
        if sum(self.eta(c) for c in running) > left:
            self.say({"chunk": i, "stopped": "deadline"})
            return running, True
        return running, False

    def close(self) -> None:
        self.current = None
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
                p.wait(30)
        for c in self.configs:
            self.info[c]["peak_pss_mb"] = round(self.peak[c] / 2**20)


def chunked(
    corpus: Path,
    configs: list[str],
    chunk: int,
    optional: list[str],
    deadline: float | None,
    checkpoints: list[int] = (),
    limits: dict[str, int] | None = None,
    log=sys.stderr,
) -> dict:
    """All ``configs`` over the same corpus, chunk by chunk, taking turns (order rotated each chunk).

    Each configuration is one long-lived process (pipeline, pool or cluster started once), so
    it sees the whole corpus as one run would, but all of them see the machine's load of the
    same minutes: on a shared machine this is what makes their ratios comparable. While one
    configuration works the others wait idle. The parent samples the PSS of the working
    configuration's process tree every second. When ``deadline`` (epoch seconds) would be
    passed, the ``optional`` configurations stop first, then all of them (partial coverage is
    reported per configuration). At each of ``checkpoints`` (articles done) the geomap
    configurations build their tables so far and the peak memory so far is recorded: a smaller
    corpus measured as the prefix of the larger one. ``limits`` caps a configuration's chunks.
    """
    limits = limits or {}
    n_articles = sum(1 for _ in open(corpus, encoding="utf-8"))
    n_chunks = math.ceil(n_articles / chunk)
    turns = _Turns(corpus, configs, chunk, log)
    try:
        turns.start()
        running = list(configs)
        for i in range(n_chunks):
            over = [c for c in running if c in limits and i >= limits[c]]
            if over:
                running = [c for c in running if c not in over]
                turns.finish(over, "limit")
            if deadline is not None and i > 0:
                running, stop = turns.before_deadline(i, n_chunks, running, optional, deadline)
                if stop:
                    break
            turns.run_chunk(i, running)
            if min(n_articles, (i + 1) * chunk) in checkpoints:
                turns.checkpoint(running)
        turns.finish([c for c in configs if c not in turns.finished], "end")
    finally:
        turns.close()
    return {
        "corpus": str(corpus),
        "articles": n_articles,
        "chunk": chunk,
        "n_chunks": n_chunks,
        "wall_s": round(time.time() - turns.started),
        "configs": turns.info,
    }


def summarize(run: dict, upto: int | None = None) -> list[dict]:
    """Per-configuration totals and ratios against bare spaCy over the chunks both did.

    ``upto`` (articles) limits the figures to the corpus prefix a checkpoint covered; memory
    and table counts then come from that checkpoint.
    """
    import statistics

    cfg = run["configs"]
    last = None if upto is None else math.ceil(upto / run["chunk"])

    def chunks(c):
        return [x for x in c["chunks"] if last is None or x["chunk"] < last]

    base = cfg.get("spacy") or cfg.get("spacy32")
    base_t = {x["chunk"]: x["s"] for x in chunks(base)} if base else {}
    rows = []
    for name, c in cfg.items():
        done = chunks(c)
        if not done:
            continue
        extra = c
        if upto is not None:
            extra = next(
                (
                    k
                    for k in c.get("checkpoints", [])
                    if k.get("tables_at") == upto or (name.startswith("spacy") and len(done) * run["chunk"] >= upto)
                ),
                {},
            )
        s = sum(x["s"] for x in done)
        words = sum(x["words"] for x in done)
        arts = sum(x["articles"] for x in done)
        common = [x for x in done if x["chunk"] in base_t]
        ratio = (sum(base_t[x["chunk"]] for x in common) / sum(x["s"] for x in common)) if common else None
        per_chunk = [base_t[x["chunk"]] / x["s"] for x in common]
        rows.append(
            {
                "config": name,
                "chunks": len(done),
                "articles": arts,
                "words": words,
                "work_s": round(s, 1),
                "load_s": c.get("load_s"),
                "tables_s": extra.get("tables_s"),
                "words_per_s": round(words / s, 1) if s else None,
                "articles_per_s": round(arts / s, 2) if s else None,
                "x_spacy": round(ratio, 3) if ratio else None,
                "x_spacy_chunk_median": round(statistics.median(per_chunk), 3) if per_chunk else None,
                "x_spacy_chunk_min_max": [round(min(per_chunk), 3), round(max(per_chunk), 3)] if per_chunk else None,
                "peak_pss_mb": extra.get("peak_pss_mb"),
                "peak_rss_tree_mb": extra.get("peak_rss_tree_mb"),
                "peak_rss_main_mb": extra.get("peak_rss_main_mb"),
                **{k: extra[k] for k in ("incidents", "movements", "mentions") if k in extra},
            }
        )
    return rows


def markdown(rows: list[dict]) -> str:
    """The summary rows as a Markdown table."""
    out = [
        "| config | articles | words/s | articles/s | × bare spaCy (sum of chunk times; chunk median, min-max) "
        "| peak PSS MB | peak RSS MB (main; tree) | start-up s | tables s | incidents / movements / mentions |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        mm = r["x_spacy_chunk_min_max"] or ["-", "-"]
        out.append(
            f"| {r['config']} | {r['articles']:,} | {r['words_per_s']:,.0f} | {r['articles_per_s']:.2f} | "
            f"{r['x_spacy']} ({r['x_spacy_chunk_median']}; {mm[0]}-{mm[1]}) | {r['peak_pss_mb']} | "
            f"{r['peak_rss_main_mb']}; {r['peak_rss_tree_mb']} | {r['load_s']} | {r.get('tables_s') or '-'} | "
            f"{r.get('incidents', '-')} / {r.get('movements', '-')} / {r.get('mentions', '-')} |"
        )
    return "\n".join(out)


def _code_state() -> dict:
    import hashlib

    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    h = hashlib.sha256()
    for p in sorted((ROOT / "geomap").rglob("*.py")):
        h.update(p.read_bytes())
    status = git("status", "--short") or ""
    return {
        "commit": git("rev-parse", "HEAD"),
        "modified": [ln[3:] for ln in status.splitlines() if ln[:2].strip() == "M"],
        "untracked": [ln[3:] for ln in status.splitlines() if ln.startswith("??")],
        "geomap_py_sha256": h.hexdigest()[:16],
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--configs", nargs="+", default=["spacy", "local1", "local2", "dask2"])
    ap.add_argument(
        "--interleave",
        type=int,
        metavar="ROUNDS",
        help="instead: spacy / geomap-noopt / geomap in one process, in turn, ROUNDS times",
    )
    ap.add_argument(
        "--chunked",
        type=int,
        metavar="ARTICLES",
        help="instead: every config as one long-lived process, taking turns on chunks of this size",
    )
    ap.add_argument("--optional", nargs="*", default=[], help="(--chunked) configs dropped first near --deadline")
    ap.add_argument("--deadline", help="(--chunked) HH:MM UTC by which the run must end")
    ap.add_argument(
        "--checkpoints",
        type=int,
        nargs="*",
        default=[],
        help="(--chunked) article counts at which tables and memory so far are recorded",
    )
    ap.add_argument(
        "--limit",
        nargs="*",
        default=[],
        metavar="CONFIG=CHUNKS",
        help="(--chunked) run CONFIG on its first CHUNKS chunks only",
    )
    ap.add_argument("--report", type=Path, metavar="JSON", help="print the Markdown tables of a --chunked run")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--chunk", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    return ap


def _corpus(n: int) -> Path:
    """The ``n``-article corpus, made by make_corpus.py when it is not there yet."""
    corpus = OUT / f"corpus-{n}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n)], check=True)
    return corpus


def _print_report(path: Path) -> None:
    run = json.loads(path.read_text())
    ats = {k["tables_at"] for c in run["configs"].values() for k in c.get("checkpoints", []) if k.get("tables_at")}
    for upto in [*sorted(ats), None]:
        print(f"\n### {'all chunks done' if upto is None else f'first {upto:,} articles'}\n")
        print(markdown(summarize(run, upto)))


def _deadline(hhmm: str | None) -> float | None:
    """``HH:MM`` UTC as epoch seconds, the next such time from now."""
    if not hhmm:
        return None
    hh, mm = map(int, hhmm.split(":"))
    now = time.time()
    day = now - now % 86400
    deadline = day + hh * 3600 + mm * 60
    return deadline + 86400 if deadline < now else deadline


def _run_chunked(args: argparse.Namespace) -> None:
    deadline = _deadline(args.deadline)
    for n in args.sizes:
        corpus = _corpus(n)
        state = _code_state()
        limits = {k: int(v) for k, v in (x.split("=") for x in args.limit)}
        run = chunked(corpus, args.configs, args.chunked, args.optional, deadline, args.checkpoints, limits)
        run.update(code=state, load_average=os.getloadavg(), summary=summarize(run))
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"corpus_chunked-{n}-{time.strftime('%Y%m%dT%H%M%S')}.json"
        path.write_text(json.dumps(run, indent=1))
        print(f"{path}")
        print(markdown(run["summary"]), flush=True)


def _run_measured(args: argparse.Namespace) -> None:
    """Each configuration in a fresh process per corpus size, then a Markdown table."""
    rows = []
    for n in args.sizes:
        corpus = _corpus(n)
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
        print(
            f"| {r['size']} | {r['config']} | {r['words_per_s']:.0f} | {r['articles_per_s']:.2f} | {ratio} | "
            f"{r['peak_mem_mb']} | {r['work_s']:.1f} |"
        )


def main() -> None:
    args = _parser().parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus)))
    elif args.serve:
        serve(args.serve, args.corpus, args.chunk)
    elif args.report:
        _print_report(args.report)
    elif args.chunked:
        _run_chunked(args)
    elif args.interleave:
        for n in args.sizes:
            for row in interleaved(_corpus(n), args.interleave):
                print(json.dumps({"size": n, **row}), flush=True)
    else:
        _run_measured(args)


if __name__ == "__main__":
    main()
