"""The GeoNames dump format: opening a dump safely and what its feature codes mean.

Used by :mod:`geomap.gazetteer_import`. A dump is a ``.txt`` or a ``.zip`` holding one; an
archive whose members try to leave the folder (zip slip), expand beyond ``max_bytes`` (zip
bombs, counted as decompressed, since declared sizes can lie) or hold no GeoNames text is
refused with an :class:`geomap.errors.ImportFileError` naming the file (and line).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from geomap.errors import ImportFileError

#: Refuse archives whose members expand beyond this many bytes (zip bombs). 2 GB.
DEFAULT_MAX_BYTES = 2 * 1024**3
#: GeoNames feature classes kept: admin areas, populated places, spots (bases, airports,
#: crossings, camps), terrain (hills, mountains, plains) and areas/regions.
KEEP_FEATURE_CLASSES = frozenset("APSTL")

# Feature codes that say nothing about where fighting or movement happens.
_DROP_CODES = frozenset(
    {
        "ADMF",
        "BLDG",
        "BLDO",
        "BSTN",
        "CH",
        "CMTY",
        "CTRA",
        "CTRB",
        "CTRCM",
        "CTRF",
        "CTRM",
        "EST",
        "FRM",
        "FRMS",
        "GRVE",
        "HSE",
        "HSEC",
        "HSP",
        "HSPC",
        "HSPD",
        "HSPL",
        "HTL",
        "LTHSE",
        "MFG",
        "ML",
        "MLO",
        "MLWTR",
        "MN",
        "MNQR",
        "MSQE",
        "MTRO",
        "OBPT",
        "OILW",
        "PS",
        "RLG",
        "RSTN",
        "SCH",
        "SCHC",
        "SHRN",
        "SPA",
        "STDM",
        "TMB",
        "TOWR",
        "WALL",
        "WLL",
        "WTRW",
        "ZN",
        "ZNB",
        "PPLW",
        "PPLCH",
        "STLMT",
        "PPLH",
        "PPLQ",
        "HLLS",
        "RK",
        "RKS",
        "SPUR",
        "SLP",
        "CLF",
        "CAVE",
        "DPR",
        "ERG",
        "GRGE",
        "NTK",
        "PK",
        "SD",
        "SAND",
        "TAL",
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
_SKIP_LANGS = frozenset(
    {"link", "post", "iata", "icao", "faac", "wkdt", "unlc", "abbr", "phon", "piny", "tcid", "fr_1793"}
)
_ARABIC_RE = re.compile("[\u0600-\u06ff]")
_LATIN_OK_RE = re.compile(r"^[\sA-Za-z0-9\u00c0-\u024f\u1e00-\u1eff'\u2018\u2019\u02bf\u02be`\-.,()]+$")


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
        data = [
            i
            for i in infos
            if not i.is_dir()
            and i.filename.lower().endswith(".txt")
            and not re.search(r"readme|iso-languagecodes", i.filename, re.I)
        ]
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
