"""Import a GeoNames dump into the user overlay of the gazetteer.

``import_geonames("SY.zip")`` reads geonames.org's country dump (``SY.zip`` holding ``SY.txt``,
or ``SY.txt`` itself; also ``allCountries``-style files of any country) and, optionally, an
``alternateNamesV2`` file (zip or txt) for more spellings, and writes
``places-overlay.tsv`` in :data:`geomap.settings.data_dir`. :class:`geomap.gazetteer.Gazetteer`
merges it on load: overlay rows ``gn:<geonameid>`` replace embedded rows with the same id.

Everything is parsed and checked before anything is written, and the overlay is replaced
atomically, so a truncated or corrupt file leaves the gazetteer as it was. Errors are
:class:`geomap.errors.ImportFileError` naming the file and line.

GeoNames formats (https://download.geonames.org/export/dump/readme.txt):

- geoname table, 19 tab-separated columns: geonameid, name, asciiname, alternatenames,
  latitude, longitude, feature class, feature code, country code, cc2, admin1 code,
  admin2 code, admin3 code, admin4 code, population, elevation, dem, timezone,
  modification date.
- alternateNamesV2, 10 columns: alternateNameId, geonameid, isolanguage, alternate name,
  isPreferredName, isShortName, isColloquial, isHistoric, from, to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from geomap import settings
from geomap.errors import GazetteerError, ImportFileError
from geomap.gazetteer import COLUMNS, OVERLAY_FILENAME, read_places_tsv, write_places_tsv
from geomap.gazetteer_admin import Placer
from geomap.geonames_dump import (
    _SKIP_LANGS,
    DEFAULT_MAX_BYTES,
    KEEP_FEATURE_CLASSES,
    _detect,
    _keep_name,
    _lines,
    _open_text,
    feature_level,
)

__all__ = ["import_geonames", "feature_level", "DEFAULT_MAX_BYTES", "KEEP_FEATURE_CLASSES"]

_GOV_SUFFIX_RE = re.compile(r"\s+(Governorate|Province|Muhafazat)$|^(Muhafazat|Mohafazat)\s+", re.I)

#: Rows kept from a dump: everything in the region the reporting is about (Syria and the
#: borderlands, this box in degrees), and beyond it only what reports name from afar:
#: countries, capitals, governorate seats and cities of ``WORLD_MIN_POPULATION`` or more.
REGION_BOX = (31.0, 34.5, 38.5, 43.5)  # south, west, north, east
WORLD_CODES = frozenset({"PCLI", "PCLD", "PCLS", "PCLIX", "PPLC", "PPLA", "ADM1"})
WORLD_MIN_POPULATION = 100_000
#: Rows handled at a time while writing the overlay (memory stays flat as a dump grows).
CHUNK_ROWS = 50_000


def matters(lat: float, lon: float, feature_code: str, population: int) -> bool:
    """True when a place can be named in reporting on Syria (see ``REGION_BOX``)."""
    south, west, north, east = REGION_BOX
    if south <= lat <= north and west <= lon <= east:
        return True
    return feature_code in WORLD_CODES or population >= WORLD_MIN_POPULATION


def _geoname_rows(path: Path, max_bytes: int) -> Iterator[tuple[int, list[str], float, float]]:
    """``(line number, columns, lat, lon)`` of every row, checked (ImportFileError on a bad one)."""
    stream, label = _open_text(path, max_bytes)
    with stream:
        for lineno, cols in _lines(stream, label):
            if len(cols) != 19:
                raise ImportFileError(
                    f"{label}, line {lineno}: expected 19 tab-separated columns, found {len(cols)}. "
                    "The file is truncated or not a GeoNames dump; nothing was imported."
                )
            gid, lat, lon = cols[0], cols[4], cols[5]
            try:
                latf, lonf = float(lat), float(lon)
                if not (-90 <= latf <= 90 and -180 <= lonf <= 180):
                    raise ValueError("out of range")
                int(gid)
            except ValueError:
                raise ImportFileError(
                    f"{label}, line {lineno}: geonameid {gid!r} / latitude {lat!r} / longitude "
                    f"{lon!r} are not valid; nothing was imported."
                ) from None
            yield lineno, cols, latf, lonf


def _population(text: str) -> int:
    try:
        return max(int(text or 0), 0)
    except ValueError:
        return 0


def _keeps(cols: list[str], lat: float, lon: float, keep_all: bool) -> str | None:
    level = feature_level(cols[6], cols[7])
    if level is None or not (keep_all or matters(lat, lon, cols[7], _population(cols[14]))):
        return None
    return level


def _scan_geonames(path: Path, max_bytes: int, keep_all: bool) -> dict:
    """First pass: checks every line, collects admin names and the ids to import (no rows kept)."""
    adm1: dict[str, list[str]] = {}
    adm2: dict[str, str] = {}
    ids: set[int] = set()
    last_date, dropped = "", 0
    for _lineno, cols, lat, lon in _geoname_rows(path, max_bytes):
        cc, code = cols[8], cols[7]
        if code == "ADM1":
            adm1[f"{cc}.{cols[10]}"] = [cols[2] or cols[1], cols[1], *(cols[3].split(",") if cols[3] else [])]
        elif code == "ADM2":
            adm2[f"{cc}.{cols[10]}.{cols[11]}"] = cols[2] or cols[1]
        if feature_level(cols[6], code) is None:
            continue
        if _keeps(cols, lat, lon, keep_all) is None:
            dropped += 1
            continue
        ids.add(int(cols[0]))
        last_date = max(last_date, cols[18])
    if not ids:
        raise ImportFileError(f"{path}: no populated places, areas or sites found; nothing was imported.")
    return {"adm1": adm1, "adm2": adm2, "ids": ids, "last_date": last_date, "dropped": dropped}


def _parse_alternates(path: Path, max_bytes: int, wanted: set[int] | None) -> dict[int, tuple[list[str], str]]:
    """geonameid -> (names, preferred English name)."""
    out: dict[int, tuple[list[str], str]] = {}
    stream, label = _open_text(path, max_bytes, prefer="alternateNames")
    with stream:
        for lineno, cols in _lines(stream, label):
            if len(cols) not in (8, 10):
                raise ImportFileError(
                    f"{label}, line {lineno}: expected 10 tab-separated columns (alternateNamesV2), "
                    f"found {len(cols)}; nothing was imported."
                )
            try:
                gid = int(cols[1])
            except ValueError:
                raise ImportFileError(f"{label}, line {lineno}: geonameid {cols[1]!r} is not a number.") from None
            if wanted is not None and gid not in wanted:
                continue
            lang, name = cols[2], cols[3].strip()
            if lang in _SKIP_LANGS or not _keep_name(name):
                continue
            names, pref = out.setdefault(gid, ([], ""))
            names.append(name)
            if lang == "en" and cols[4] == "1" and not pref:
                out[gid] = (names, name)
    return out


def _governorate_names(gazetteer_dir: Path | None) -> dict[str, str]:
    """Folded key -> the embedded gazetteer's admin1 spelling, so imported rows use it."""
    from geomap.text import compact

    out: dict[str, str] = {}
    path = (gazetteer_dir or Path(settings.gazetteer_dir)) / "places.tsv"
    if not path.is_file():
        return out
    try:
        df = read_places_tsv(path)
    except GazetteerError:
        return out
    for admin in set(df["admin1"]):
        if admin:
            out[compact(admin)] = admin
    for _, r in df[df["level"] == "governorate"].iterrows():
        target = r["admin1"] or r["name"]
        for n in [r["name"], *str(r["aliases"]).split("|")]:
            if n.strip():
                out.setdefault(compact(_GOV_SUFFIX_RE.sub("", n.strip())), target)
    return out


def _admin1_name(names: list[str], govs: dict[str, str]) -> str:
    """The embedded gazetteer's spelling of a GeoNames ADM1 (any of its names that it knows),
    else the ADM1's ASCII name without "Muhafazat"/"Governorate"."""
    from geomap.text import compact

    cleaned = [_GOV_SUFFIX_RE.sub("", n).strip() for n in names if n and n.strip()]
    for n in cleaned:
        hit = govs.get(compact(n))
        if hit:
            return hit
    return cleaned[0] if cleaned else ""


def import_geonames(
    path: str | os.PathLike,
    data_dir: str | os.PathLike | None = None,
    alternate_names: str | os.PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    gazetteer_dir: str | os.PathLike | None = None,
    keep_all: bool = False,
) -> dict:
    """Import a GeoNames dump into the gazetteer overlay.

    Parameters
    ----------
    path : path-like
        ``SY.zip`` / ``SY.txt`` (any GeoNames country or allCountries dump), or an
        ``alternateNamesV2`` file (``.zip`` or ``.txt``): then its Latin and Arabic spellings
        are added as aliases to the overlay rows (and to embedded ``gn:`` rows, copied into
        the overlay).
    data_dir : path-like, optional
        Where to write ``places-overlay.tsv``; default :data:`geomap.settings.data_dir`.
    alternate_names : path-like, optional
        An ``alternateNamesV2`` file to read together with a geoname dump.
    max_bytes : int, default 2 GB
        Refuse archives (and members) that expand beyond this.
    gazetteer_dir : path-like, optional
        The embedded gazetteer (default :data:`geomap.settings.gazetteer_dir`), used to spell
        ``admin1`` as it does, to place Syrian rows in their governorate (point in polygon)
        and district, and to extend its ``gn:`` rows.
    keep_all : bool, default False
        Keep every place of the dump. By default a place outside :data:`REGION_BOX` is kept
        only when reports name such places from afar (countries, capitals, governorate seats,
        cities of 100,000 or more): every run loads the overlay, so it holds what matters.

    Returns
    -------
    dict
        ``file``, ``overlay`` (path written), ``kind`` (``"geoname"``/``"alternate"``),
        ``imported`` (rows written now), ``added``, ``updated`` (ids new to / replacing rows of
        the previous overlay), ``overlay_rows``, ``by_level``, ``aliases``,
        ``dropped_far_away`` (places left out, see ``keep_all``).

    Notes
    -----
    A dump is read twice, as a stream (checks and admin names, then rows written in chunks of
    :data:`CHUNK_ROWS`), so memory does not grow with its size; the overlay is written to a
    temporary file and moved into place only when complete.

    Raises
    ------
    ImportFileError
        The file is missing, truncated, corrupt, malformed (message gives the line), unsafe
        (zip member with an absolute path or '..', or expanding beyond ``max_bytes``).
        The existing overlay is then left untouched.
    """
    path = Path(path)
    data_dir = Path(data_dir) if data_dir is not None else Path(settings.data_dir)
    gaz_dir = Path(gazetteer_dir) if gazetteer_dir is not None else Path(settings.gazetteer_dir)
    overlay_path = data_dir / OVERLAY_FILENAME
    previous = None
    if overlay_path.is_file():
        try:
            previous = read_places_tsv(overlay_path)
        except GazetteerError:
            previous = None  # a corrupt overlay is replaced by this import
    kind = _detect(path, max_bytes)
    if kind == "alternate":
        if alternate_names is not None:
            raise ImportFileError(f"{path}: give the geoname dump (SY.zip) first and the alternate names second.")
        new = _alternates_only(path, max_bytes, previous, gaz_dir)
        n_aliases = int(new["aliases"].str.count(r"\|").sum() + (new["aliases"] != "").sum())
        imported, new_ids, by_level, dropped = len(new), set(new["id"]), new["level"].value_counts().to_dict(), 0
        old_ids = set(previous["id"]) if previous is not None else set()
        merged = (
            pd.concat([previous[~previous["id"].isin(new_ids)], new], ignore_index=True)
            if previous is not None
            else new
        )
        write_places_tsv(merged, overlay_path)
        overlay_rows = len(merged)
    else:
        scan = _scan_geonames(path, max_bytes, keep_all)
        alts = _parse_alternates(Path(alternate_names), max_bytes, scan["ids"]) if alternate_names is not None else {}
        new_ids = {f"gn:{i}" for i in scan["ids"]}
        old_ids = set(previous["id"]) if previous is not None else set()
        kept = previous[~previous["id"].isin(new_ids)] if previous is not None else None
        placer = Placer(gaz_dir, _governorate_names(gaz_dir))
        counts = _write_overlay(path, max_bytes, keep_all, scan, alts, placer, kept, overlay_path)
        imported, by_level, n_aliases = counts["imported"], counts["by_level"], counts["aliases"]
        overlay_rows, dropped = imported + (len(kept) if kept is not None else 0), scan["dropped"]
    return {
        "file": str(path),
        "overlay": str(overlay_path),
        "kind": kind,
        "imported": int(imported),
        "added": int(len(new_ids - old_ids)),
        "updated": int(len(new_ids & old_ids)),
        "overlay_rows": int(overlay_rows),
        "by_level": {k: int(v) for k, v in by_level.items()},
        "aliases": int(n_aliases),
        "dropped_far_away": int(dropped),
    }


def _record(
    cols: list[str], lat: float, lon: float, level: str, scan: dict, alts: dict, govs: dict, source: str
) -> dict:
    """One overlay row from a GeoNames line (admin divisions from the dump; Placer refines them)."""
    gid, name, ascii_name, alt = int(cols[0]), cols[1], cols[2], cols[3]
    names = [n.strip() for n in ([name, ascii_name, *alt.split(",")] if alt else [name, ascii_name])]
    extra, pref = alts.get(gid, ([], ""))
    preferred = pref or ascii_name or name
    aliases, seen = [], {preferred}
    for n in [*(n for n in names if _keep_name(n)), *extra]:
        if n not in seen:
            seen.add(n)
            aliases.append(n.replace("|", " "))
    cc = cols[8]
    return {
        "id": f"gn:{gid}",
        "name": preferred,
        "aliases": "|".join(aliases),
        "lat": lat,
        "lon": lon,
        "level": level,
        "feature_code": cols[7],
        "population": _population(cols[14]),
        "country_code": cc,
        "admin1": _admin1_name(scan["adm1"].get(f"{cc}.{cols[10]}", []), govs),
        "admin2": scan["adm2"].get(f"{cc}.{cols[10]}.{cols[11]}", ""),
        "source": source,
        "coord_note": "",
        "spelling_keys": "",
    }


def _tsv_line(row: dict) -> str:
    # Tabs and newlines inside a value would break the one-row-per-line format.
    return (
        "\t".join(_CELL_BREAKS.sub(" ", str(row.get(c, "") if row.get(c) is not None else "")) for c in COLUMNS) + "\n"
    )


_CELL_BREAKS = re.compile(r"[\t\r\n]+")


def _write_overlay(
    path: Path,
    max_bytes: int,
    keep_all: bool,
    scan: dict,
    alts: dict,
    placer: Placer,
    kept: pd.DataFrame | None,
    overlay_path: Path,
) -> dict:
    """Second pass: stream the rows, place them chunk by chunk, write the overlay atomically."""
    govs = placer.admin1_spelling
    source = f"geonames-{scan['last_date']}" if scan["last_date"] else "geonames"
    overlay_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = overlay_path.with_name(f".{overlay_path.name}.{os.getpid()}.tmp")
    counts: dict[str, Any] = {"imported": 0, "aliases": 0, "by_level": {}}

    def flush(fh, chunk: list[dict]) -> None:
        placer.place(chunk)
        fh.writelines(_tsv_line(r) for r in chunk)
        for r in chunk:
            counts["by_level"][r["level"]] = counts["by_level"].get(r["level"], 0) + 1
            counts["aliases"] += r["aliases"].count("|") + (r["aliases"] != "")
        counts["imported"] += len(chunk)
        chunk.clear()

    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\t".join(COLUMNS) + "\n")
            if kept is not None and len(kept):
                fh.writelines(_tsv_line(r) for r in kept.to_dict("records"))
            chunk: list[dict] = []
            for _lineno, cols, lat, lon in _geoname_rows(path, max_bytes):
                level = _keeps(cols, lat, lon, keep_all)
                if level is None:
                    continue
                chunk.append(_record(cols, lat, lon, level, scan, alts, govs, source))
                if len(chunk) >= CHUNK_ROWS:
                    flush(fh, chunk)
            flush(fh, chunk)
        os.replace(tmp, overlay_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return counts


def _alternates_only(path: Path, max_bytes: int, previous: pd.DataFrame | None, gaz_dir: Path) -> pd.DataFrame:
    frames = [previous] if previous is not None else []
    embedded_path = gaz_dir / "places.tsv"
    if embedded_path.is_file():
        try:
            emb = read_places_tsv(embedded_path)
            emb = emb[emb["id"].str.startswith("gn:")]
            if previous is not None:
                emb = emb[~emb["id"].isin(set(previous["id"]))]
            frames.append(emb)
        except GazetteerError:
            pass
    base = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    base = base[base["id"].str.startswith("gn:")] if len(base) else base
    if base.empty:
        raise ImportFileError(
            f"{path}: alternate names need places to attach to; import the country dump "
            "(SY.zip) first, or pass both: import_geonames('SY.zip', alternate_names=...)."
        )
    wanted = {int(i[3:]) for i in base["id"] if i[3:].isdigit()}
    alts = _parse_alternates(path, max_bytes, wanted)
    rows = []
    for rec in base.to_dict("records"):
        gid = int(rec["id"][3:]) if rec["id"][3:].isdigit() else None
        if gid not in alts:
            continue
        names, _pref = alts[gid]
        current = [a for a in str(rec["aliases"]).split("|") if a]
        seen = set(current) | {rec["name"]}
        for n in names:
            if n not in seen:
                seen.add(n)
                current.append(n.replace("|", " "))
        rec["aliases"] = "|".join(current)
        rows.append(rec)
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
