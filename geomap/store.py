"""A standing store: one GeoPackage that each day's articles are added to.

``geomap update STORE.gpkg INPUT...`` / ``geomap.Store(path).update(articles)``. The store holds
the layers ``incidents`` (Point), ``movements`` (LineString), ``mentions`` (Point) and the table
``articles``; it opens in QGIS, ``ogrinfo`` and GeoPandas as it is.

- An article is known by its key (the user's ``id``, else its file path, else its ``doc_id``)
  and the hash of its content: one seen before is skipped, one whose content changed replaces
  its earlier records, and its reports are taken out of the records of other articles that
  absorbed them (:func:`geomap.store_merge.withdraw_docs`).
- New incidents and movements are merged with the stored ones by the cross-article merge rule
  of :mod:`geomap.same_event`; candidates are found by an index on (type, date) and a lat/lon
  box, never by comparing all pairs (:mod:`geomap.store_merge`).
- Each update is one SQLite transaction: killed or out of disk midway, the store is as before.
  A second writer waits for the first (``timeout`` seconds), then proceeds or fails clearly.
- A record edited outside geomap (QGIS) is marked ``geomap_edited = 1`` by a trigger and never
  overwritten; a record deleted outside geomap is remembered and not brought back.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geomap import gpkg
from geomap.errors import GeomapError
from geomap.store_layout import (
    _ARTICLE_COLUMNS,
    _DATE_COLUMNS,
    _INT_COLUMNS,
    _REAL_COLUMNS,
    APPLICATION,
    SCHEMA_VERSION,
    create_schema,
    ensure_columns,
)
from geomap.store_merge import _plain, _point, merge_layer, withdraw_docs
from geomap.tables import CRS, _missing

__all__ = ["Store", "StoreError", "SCHEMA_VERSION"]


class StoreError(GeomapError):
    """The file is not a geomap store geomap can write (foreign, newer, corrupt) or is busy."""


def _article_key(row: dict) -> str:
    for col, prefix in (("source_id", "id:"), ("path", "path:")):
        v = row.get(col)
        if isinstance(v, str) and v:
            if col == "path":
                v = str(Path(v).resolve())
                # A jsonl/csv file holds many articles: its path alone is not one article's key.
                if Path(v).suffix.lower() in (".jsonl", ".ndjson", ".csv"):
                    return f"{prefix}{v}#{row.get('doc_id')}"
            return prefix + v
    return f"doc:{row.get('doc_id')}"


def _content_hash(row: dict) -> str:
    parts = [row.get(k) for k in ("text", "date", "source", "title", "url")]
    raw = "\x1f".join("" if _missing(p) else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    """A geomap store: a GeoPackage that grows with each update.

    Parameters
    ----------
    path : path
        The ``.gpkg`` file; created on first use unless ``create=False``.
    create : bool
        Create the store when the file does not exist (default True).
    timeout : float
        Seconds a writer waits for another writer before failing (default 600).

    Raises
    ------
    StoreError
        When the file exists but is not a geomap store (another program's GeoPackage or
        SQLite file, a newer store version, a corrupt file). The file is left untouched.

    Examples
    --------
    >>> store = geomap.Store("syria.gpkg")  # doctest: +SKIP
    >>> store.update(geomap.read_articles("today/"))  # doctest: +SKIP
    >>> store.incidents.explore()  # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike, create: bool = True, timeout: float = 600.0):
        self.path = Path(path)
        self.timeout = timeout
        if self.path.exists():
            self._check()
        elif create:
            self._create()
        else:
            raise StoreError(f"{self.path}: no such store (create it with `geomap update {self.path} INPUT...`)")

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ------------------------------------------------------------------ opening

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        con.execute("PRAGMA foreign_keys = OFF")
        gpkg.register_functions(con)
        return con

    def _create(self) -> None:
        # Built beside the target and linked into place: a killed creation leaves no half store,
        # and two first updates at once cannot both create it (link fails when it exists).
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        try:
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("BEGIN")
                create_schema(con)
                con.execute("COMMIT")
            finally:
                con.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                self._check()
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _check(self) -> None:
        p = self.path
        if not p.is_file():
            raise StoreError(f"{p} is not a file: give a .gpkg file for the store")
        with open(p, "rb") as fh:
            head = fh.read(16)
        if head != b"SQLite format 3\x00":
            raise StoreError(
                f"{p} is not a geomap store: not a GeoPackage/SQLite file; it was left untouched "
                "(give a new file name to create a store)"
            )
        try:
            con = self._connect()
            try:
                names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
                meta = dict(con.execute("SELECT key, value FROM geomap_meta")) if "geomap_meta" in names else {}
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{p} is corrupt or not a database ({exc}); it was left untouched") from exc
        if meta.get("application") != APPLICATION:
            raise StoreError(
                f"{p} is a GeoPackage/SQLite file of another program (no geomap store tables); "
                "geomap leaves it untouched: give a new file name for the store"
            )
        try:
            version = int(meta.get("schema_version", "0"))
        except ValueError:
            version = -1
        if version > SCHEMA_VERSION or version < 1:
            raise StoreError(
                f"{p} is a geomap store of schema version {meta.get('schema_version')!r} "
                f"(written by {meta.get('created_by', 'another geomap')}); this geomap reads version "
                f"{SCHEMA_VERSION}: upgrade geomap. The file was left untouched"
            )

    # ------------------------------------------------------------------ reading

    def _layer(self, layer: str) -> gpd.GeoDataFrame | pd.DataFrame:
        con = self._connect()
        try:
            df, geoms = gpkg.read_layer(con, layer)
        finally:
            con.close()
        df = df.drop(columns=[c for c in ("fid", "geomap_rev") if c in df.columns])
        for col in df.columns:
            if col in _DATE_COLUMNS or col == "date":
                df[col] = pd.to_datetime(df[col], errors="coerce")
            elif col in _INT_COLUMNS or col == "geomap_edited":
                df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
            elif col in _REAL_COLUMNS:
                df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        if layer in ("articles", "sentences"):
            return df
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms or [None] * len(df), index=df.index, crs=CRS), crs=CRS)

    @property
    def incidents(self) -> gpd.GeoDataFrame:
        """Every stored incident (Point, EPSG:4326); ``geomap_edited`` is 1 for records edited by hand."""
        return self._layer("incidents")

    @property
    def movements(self) -> gpd.GeoDataFrame:
        """Every stored movement (LineString origin->destination, EPSG:4326)."""
        return self._layer("movements")

    @property
    def mentions(self) -> gpd.GeoDataFrame:
        """Every stored place mention (Point where resolved)."""
        return self._layer("mentions")

    @property
    def sentences(self) -> pd.DataFrame:
        """Each stored sentence holding a place mention, once (``mentions.sentence_id`` refers to it)."""
        return self._layer("sentences")

    @property
    def articles(self) -> pd.DataFrame:
        """The articles the store has seen: key, content hash, date, source, counts."""
        return self._layer("articles")

    # ------------------------------------------------------------------ updating

    def update(
        self,
        articles: Any,
        workers: int = 1,
        engine: str = "local",
        scheduler: str | None = None,
        progress: Any = None,
        date: Any = None,
    ) -> dict:
        """Add articles to the store in one transaction.

        Parameters
        ----------
        articles : pandas.DataFrame, path or list of paths
            What ``geomap.read_articles`` returns, or inputs for it.
        workers, engine, scheduler, progress
            As for :func:`geomap.extract`.
        date : str or datetime.date, optional
            Publication date for articles read from paths that carry none.

        Returns
        -------
        dict
            Counts: ``articles_new``, ``articles_changed``, ``articles_seen``, ``articles_failed``,
            ``incidents_added``, ``incidents_merged``, ``movements_added``, ``movements_merged``,
            ``mentions_added``, ``kept_edited`` (reports matching a hand-edited record, which
            was left as it was), ``failed`` (doc_id -> reason), ``timings`` (``extract_s``,
            ``store_s``: waiting for another writer, merging and writing).
        """
        from geomap.extraction import extract
        from geomap.read import read_articles

        if not isinstance(articles, pd.DataFrame):
            paths = [articles] if isinstance(articles, (str, os.PathLike)) else list(articles)
            articles = read_articles(*paths, date=date)
        from geomap.extraction import _as_articles

        df = _as_articles(articles).copy()
        recs = df.to_dict("records")
        df["article_key"] = [_article_key(r) for r in recs]
        df["content_hash"] = [_content_hash(r) for r in recs]
        con = self._connect()
        try:
            known = pd.read_sql_query("SELECT doc_id, article_key, content_hash FROM articles", con)
        finally:
            con.close()
        todo, changed, report = self._classify(df, known)
        t0 = time.perf_counter()
        result = (
            extract(todo, workers=workers, engine=engine, scheduler=scheduler, progress=progress) if len(todo) else None
        )
        failed = {
            d["doc_id"]: d.get("reason") for d in (result.run["documents"] if result else []) if d["outcome"] != "done"
        }
        report.update(articles_failed=len(failed), failed=failed)
        t1 = time.perf_counter()
        con = self._connect()
        try:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(
                    f"{self.path} is being updated by another process and stayed busy for "
                    f"{self.timeout:.0f} s ({exc}); nothing was changed: try again when it has finished"
                ) from exc
            try:
                self._write(con, todo, changed, result, failed, report)
                con.execute("COMMIT")
                report["timings"] = {"extract_s": round(t1 - t0, 3), "store_s": round(time.perf_counter() - t1, 3)}
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:  # disk full, malformed pages, I/O errors
            raise StoreError(f"{self.path} could not be updated ({exc}); the store is as it was before") from exc
        finally:
            con.close()
        return report

    @staticmethod
    def _classify(df: pd.DataFrame, known: pd.DataFrame):
        by_key = dict(zip(known["article_key"], zip(known["doc_id"], known["content_hash"])))
        hashes = set(known["content_hash"])
        taken = set(known["doc_id"])
        keep, doc_ids, changed = [], [], {}
        seen = 0
        for i, row in enumerate(df.to_dict("records")):
            h, key = row["content_hash"], row["article_key"]
            if h in hashes:
                seen += 1
                continue
            hashes.add(h)
            if key in by_key:
                old_doc = by_key[key][0]
                changed[old_doc] = key
                doc_id = old_doc
            else:
                base, n, doc_id = str(row["doc_id"]), 1, str(row["doc_id"])
                while doc_id in taken:
                    n += 1
                    doc_id = f"{base}-{n}"
            taken.add(doc_id)
            keep.append(i)
            doc_ids.append(doc_id)
        todo = df.iloc[keep].copy()
        todo["doc_id"] = doc_ids
        report = {"articles_new": len(keep) - len(changed), "articles_changed": len(changed), "articles_seen": seen}
        return todo, changed, report

    def _write(self, con, todo, changed, result, failed, report) -> None:
        for key in (
            "incidents_added",
            "incidents_merged",
            "movements_added",
            "movements_merged",
            "mentions_added",
            "kept_edited",
        ):
            report[key] = 0
        # Another writer may have stored some of these articles while we extracted them.
        now_known = {r[0] for r in con.execute("SELECT content_hash FROM articles")}
        done = [r for r in todo.to_dict("records") if r["doc_id"] not in failed and r["content_hash"] not in now_known]
        done_ids = {r["doc_id"] for r in done}
        self._remove_docs(con, {doc_id for doc_id in changed if doc_id in done_ids})
        if result is None or not done:
            return
        deleted = {(r[0], r[1]) for r in con.execute("SELECT layer, record_id FROM geomap_deleted")}
        merge_layer(con, "incidents", result.incidents, done_ids, deleted, report)
        merge_layer(con, "movements", result.movements, done_ids, deleted, report)
        mentions = result.mentions[result.mentions["doc_id"].isin(done_ids)]
        if len(mentions):
            ensure_columns(con, "mentions", mentions)
            rows = [_plain(r) for r in mentions.to_dict("records")]
            geoms = [_point(r.get("lat"), r.get("lon")) for r in rows]
            report["mentions_added"] = gpkg.insert_rows(con, "mentions", rows, geoms)
        sentences = getattr(result, "sentences", None)
        if sentences is not None and len(sentences):
            sentences = sentences[sentences["doc_id"].isin(done_ids)]
            ensure_columns(con, "sentences", sentences)
            gpkg.insert_rows(con, "sentences", [_plain(r) for r in sentences.to_dict("records")])
        counts = {
            name: getattr(result, name)["doc_id"].value_counts().to_dict()
            for name in ("incidents", "movements", "mentions")
        }
        added = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows = []
        for r in done:
            row = {c: gpkg.sql_value(r.get(c)) for c in _ARTICLE_COLUMNS if c in r}
            row.update(added=added, **{n: int(counts[n].get(r["doc_id"], 0)) for n in counts})
            rows.append(row)
        gpkg.insert_rows(con, "articles", rows)
        gpkg.touch_contents(con, "incidents", result.incidents.total_bounds)
        gpkg.touch_contents(con, "movements", result.movements.total_bounds)
        gpkg.touch_contents(con, "mentions", _bounds(mentions))
        gpkg.touch_contents(con, "articles")

    @staticmethod
    def _remove_docs(con, doc_ids: set[str]) -> None:
        """Take changed articles out of the store (hand-edited records stay) before their new versions
        go in: their records, their reports absorbed by other records (``withdraw_docs``), their mentions."""
        for layer in ("incidents", "movements"):
            withdraw_docs(con, layer, doc_ids)
        for doc_id in sorted(doc_ids):
            con.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
            con.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
            con.execute("DELETE FROM articles WHERE doc_id = ?", (doc_id,))


def _bounds(df) -> tuple:
    lat = pd.to_numeric(df["lat"], errors="coerce").dropna()
    lon = pd.to_numeric(df["lon"], errors="coerce").dropna()
    return (lon.min(), lat.min(), lon.max(), lat.max()) if len(lat) and len(lon) else (float("nan"),) * 4
