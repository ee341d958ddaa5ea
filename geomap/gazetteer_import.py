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

import io
import os
import re
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Iterator

import pandas as pd

from geomap import settings
from geomap.errors import GazetteerError, ImportFileError
from geomap.gazetteer import COLUMNS, OVERLAY_FILENAME, read_places_tsv, write_places_tsv

__all__ = ["import_geonames", "feature_level", "DEFAULT_MAX_BYTES", "KEEP_FEATURE_CLASSES"]

#: Refuse archives whose members expand beyond this many bytes (zip bombs). 2 GB.
DEFAULT_MAX_BYTES = 2 * 1024**3
#: GeoNames feature classes kept: admin areas, populated places, spots (bases, airports,
#: crossings, camps), terrain (hills, mountains, plains) and areas/regions.
KEEP_FEATURE_CLASSES = frozenset("APSTL")

# Feature codes that say nothing about where fighting or movement happens.
_DROP_CODES = frozenset(
    {
        "ADMF", "BLDG", "BLDO", "BSTN", "CH", "CMTY", "CTRA", "CTRB", "CTRCM", "CTRF", "CTRM",
        "EST", "FRM", "FRMS", "GRVE", "HSE", "HSEC", "HSP", "HSPC", "HSPD", "HSPL", "HTL",
        "LTHSE", "MFG", "ML", "MLO", "MLWTR", "MN", "MNQR", "MSQE", "MTRO", "OBPT", "OILW",
        "PS", "RLG", "RSTN", "SCH", "SCHC", "SHRN", "SPA", "STDM", "TMB", "TOWR", "WALL",
        "WLL", "WTRW", "ZN", "ZNB", "PPLW", "PPLCH", "STLMT", "PPLH", "PPLQ", "HLLS",
        "RK", "RKS", "SPUR", "SLP", "CLF", "CAVE", "DPR", "ERG", "GRGE", "NTK", "PK",
        "SD", "SAND", "TAL",
    }
)
_LEVEL_BY_CODE = {
    "PCLI": "country",
    "PCLD": "country",
    "PCLS": "country",
    "PCLIX": "country",
    "ADM1": "governorate",
    "ADM1H": "governorate",
    "ADM2": "district",
    "ADM2H": "district",
    "ADM3": "district",
    "ADM3H": "district",
    "ADMD": "district",
    "ADM4": "town",
    "PPLX": "neighbourhood",
    "RGN": "region",
    "RGNE": "region",
    "RGNH": "region",
    "AREA": "region",
    "MTS": "region",
    "PLN": "region",
    "PLAT": "region",
    "DSRT": "region",
    "VAL": "region",
    "VALS": "region",
    "PLNX": "region",
    "UPLD": "region",
}
_SKIP_LANGS = frozenset({"link", "post", "iata", "icao", "faac", "wkdt", "unlc", "abbr", "phon", "piny", "tcid", "fr_1793"})
_ARABIC_RE = re.compile("[\u0600-\u06ff]")
_LATIN_OK_RE = re.compile(r"^[\sA-Za-z0-9\u00c0-\u024f\u1e00-\u1eff'\u2018\u2019\u02bf\u02be`\-.,()]+$")
_GOV_SUFFIX_RE = re.compile(r"\s+(Governorate|Province|Muhafazat)$|^(Muhafazat|Mohafazat)\s+", re.I)


def feature_level(feature_class: str, feature_code: str) -> str | None:
    """Map a GeoNames feature class/code to a gazetteer ``level``, or None to skip the row.

    Parameters
    ----------
    feature_class : str
        One letter (``A``, ``P``, ``S``, ``T``, ``L``...).
    feature_code : str
        ``PPLA``, ``ADM2``, ``AIRB``...

    Returns
    -------
    str or None
        One of ``geomap.gazetteer.LEVELS``; None for classes/codes that are not places a
        news report locates events at (streets, buildings, wells, hydrography...).
    """
    if feature_class not in KEEP_FEATURE_CLASSES or feature_code in _DROP_CODES:
        return None
    if feature_code in _LEVEL_BY_CODE:
        return _LEVEL_BY_CODE[feature_code]
    if feature_class in ("P", "S", "T"):
        return "town"
    if feature_class == "L":
        return "town" if feature_code in ("LCTY", "CMPRF", "MILB", "PRK", "RESV", "OILF", "FLD") else "region"
    if feature_class == "A":
        return "district"
    return None


def _keep_name(n: str) -> bool:
    # Latin and Arabic spellings are the ones English reporting (or its quotes) uses; other
    # scripts only bloat the matcher.
    return bool(n) and len(n) <= 120 and (_ARABIC_RE.search(n) is not None or _LATIN_OK_RE.match(n) is not None)


def _check_member_name(archive: Path, name: str) -> None:
    p, w = PurePosixPath(name), PureWindowsPath(name)
    if p.is_absolute() or w.is_absolute() or w.drive or ".." in p.parts or ".." in w.parts:
        raise ImportFileError(
            f"{archive}: refusing archive member {name!r} (absolute path or '..'); this is not a "
            "GeoNames download. Get SY.zip from https://download.geonames.org/export/dump/."
        )


class _LimitedReader(io.RawIOBase):
    """Counts bytes actually decompressed, since a zip's declared sizes can lie."""

    def __init__(self, raw: IO[bytes], limit: int, what: str):
        self.raw, self.limit, self.what, self.count = raw, limit, what, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        self.count += len(data)
        if self.count > self.limit:
            raise ImportFileError(
                f"{self.what} expands beyond {self.limit:,} bytes; refusing it (raise max_bytes "
                "if this really is a GeoNames file)."
            )
        b[: len(data)] = data
        return len(data)


def _open_text(path: Path, max_bytes: int, prefer: str | None = None) -> tuple[IO[str], str]:
    """Open a GeoNames .txt, or the data member of a .zip, as text. Returns (stream, label)."""
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file. Give the path of SY.zip, SY.txt or alternateNamesV2.zip.")
    if zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError(f"{path}: corrupt zip archive ({exc}). Download it again.") from exc
        for info in infos:
            _check_member_name(path, info.filename)
        total = sum(i.file_size for i in infos)
        if total > max_bytes:
            raise ImportFileError(
                f"{path}: archive expands to {total:,} bytes, beyond the limit of {max_bytes:,}; "
                "refusing it (pass a larger max_bytes if this really is a GeoNames file)."
            )
        data = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".txt")
                and not re.search(r"readme|iso-languagecodes", i.filename, re.I)]
        if prefer:
            data = [i for i in data if PurePosixPath(i.filename).name.lower().startswith(prefer.lower())] or data
        if not data:
            raise ImportFileError(f"{path}: the archive holds no GeoNames .txt file.")
        member = max(data, key=lambda i: i.file_size)
        label = f"{path}!{member.filename}"
        try:
            raw = zf.open(member)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise ImportFileError(f"{label}: cannot be extracted ({exc}). Download it again.") from exc
        limited = io.BufferedReader(_LimitedReader(raw, max_bytes, label), buffer_size=1 << 20)
        return io.TextIOWrapper(limited, encoding="utf-8", newline="\n"), label
    return open(path, encoding="utf-8", newline="\n"), str(path)


def _lines(stream: IO[str], label: str) -> Iterator[tuple[int, list[str]]]:
    try:
        for lineno, line in enumerate(stream, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line or line.startswith("#"):
                continue
            yield lineno, line.split("\t")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{label}: not UTF-8 text ({exc}). Is this a GeoNames dump?") from exc
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ImportFileError(f"{label}: the archive is truncated or corrupt ({exc}). Download it again.") from exc


def _detect(path: Path, max_bytes: int) -> str:
    stream, label = _open_text(path, max_bytes)
    with stream:
        for lineno, cols in _lines(stream, label):
            if len(cols) == 19:
                return "geoname"
            if len(cols) in (8, 10):
                return "alternate"
            raise ImportFileError(
                f"{label}, line {lineno}: {len(cols)} tab-separated columns; a GeoNames dump has 19 "
                "(SY.txt) and alternateNamesV2 has 10. Is this the right file?"
            )
    raise ImportFileError(f"{label}: the file is empty.")


def _parse_geonames(path: Path, max_bytes: int) -> tuple[list[dict], dict[str, list[str]], str]:
    rows: list[dict] = []
    adm1_names: dict[tuple[str, str], list[str]] = {}
    last_date = ""
    stream, label = _open_text(path, max_bytes)
    with stream:
        for lineno, cols in _lines(stream, label):
            if len(cols) != 19:
                raise ImportFileError(
                    f"{label}, line {lineno}: expected 19 tab-separated columns, found {len(cols)}. "
                    "The file is truncated or not a GeoNames dump; nothing was imported."
                )
            gid, name, ascii_name, alt, lat, lon, fclass, fcode, cc = cols[:9]
            admin1_code, population, moddate = cols[10], cols[14], cols[18]
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
            if fcode == "ADM1":
                adm1_names[(cc, admin1_code)] = [ascii_name or name, name, *(alt.split(",") if alt else [])]
            level = feature_level(fclass, fcode)
            if level is None:
                continue
            names = [name, ascii_name, *alt.split(",")] if alt else [name, ascii_name]
            try:
                pop = int(population or 0)
            except ValueError:
                pop = 0
            if moddate > last_date:
                last_date = moddate
            rows.append(
                {
                    "id": f"gn:{int(gid)}",
                    "name": ascii_name or name,
                    "_names": [n.strip() for n in names if _keep_name(n.strip())],
                    "lat": latf,
                    "lon": lonf,
                    "level": level,
                    "feature_code": fcode,
                    "population": max(pop, 0),
                    "country_code": cc,
                    "_admin1_code": admin1_code,
                    "source": "",
                    "coord_note": "",
                }
            )
    if not rows:
        raise ImportFileError(f"{label}: no populated places, areas or sites found; nothing was imported.")
    return rows, {f"{k[0]}.{k[1]}": v for k, v in adm1_names.items()}, last_date


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
        ``admin1`` as it does and to extend its ``gn:`` rows.

    Returns
    -------
    dict
        ``file``, ``overlay`` (path written), ``kind`` (``"geoname"``/``"alternate"``),
        ``imported`` (rows written now), ``added``, ``updated`` (ids new to / replacing rows of
        the previous overlay), ``overlay_rows``, ``by_level``, ``aliases``.

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
    else:
        rows, adm1, last_date = _parse_geonames(path, max_bytes)
        alts = {}
        if alternate_names is not None:
            alts = _parse_alternates(Path(alternate_names), max_bytes, {int(r["id"][3:]) for r in rows})
        govs = _governorate_names(gaz_dir)
        from geomap.text import compact

        source = f"geonames-{last_date}" if last_date else "geonames"
        records = []
        n_aliases = 0
        for r in rows:
            gid = int(r["id"][3:])
            names = list(r.pop("_names"))
            extra, pref = alts.get(gid, ([], ""))
            names += extra
            name = pref or r["name"]
            aliases = []
            seen = {name}
            for n in names:
                if n not in seen:
                    seen.add(n)
                    aliases.append(n.replace("|", " "))
            n_aliases += len(aliases)
            admin = _admin1_name(adm1.get(f"{r['country_code']}.{r.pop('_admin1_code')}", []), govs)
            r.update(name=name, aliases="|".join(aliases), admin1=admin, source=source)
            records.append(r)
        new = pd.DataFrame.from_records(records, columns=COLUMNS)
    imported = len(new)
    old_ids = set(previous["id"]) if previous is not None else set()
    if previous is not None:
        merged = pd.concat([previous[~previous["id"].isin(set(new["id"]))], new], ignore_index=True)
    else:
        merged = new
    write_places_tsv(merged, overlay_path)
    return {
        "file": str(path),
        "overlay": str(overlay_path),
        "kind": kind,
        "imported": int(imported),
        "added": int(len(set(new["id"]) - old_ids)),
        "updated": int(len(set(new["id"]) & old_ids)),
        "overlay_rows": int(len(merged)),
        "by_level": {k: int(v) for k, v in new["level"].value_counts().items()},
        "aliases": int(n_aliases),
    }


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
