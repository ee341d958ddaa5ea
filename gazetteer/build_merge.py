"""The gazetteer build's merge steps: curated places and spellings, alias pruning and the
transliteration keys (``gazetteer/build.py``).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from build_common import _ARABIC, GENERIC_WORDS, SOURCE_CUR, new_row, plain


def add_spelling_keys(rows: dict) -> None:
    """Fill ``spelling_keys`` of every Syrian row (``geomap.transliteration``).

    The consonant-skeleton keys of all its Latin and Arabic names, so that a reporter's spelling
    meets a village known only by its Arabic name and GeoNames' romanisation ("Big Orm" ->
    Urum al Kubra). Computed here once rather than on every index build.
    """
    from geomap.text import usable_name
    from geomap.transliteration import spelling_keys

    for r in rows.values():
        if r["country_code"] != "SY" or r["level"] == "country":
            continue
        keys = set()
        for n in {r["name"], *r["aliases"]}:
            if n and usable_name(n):
                keys |= spelling_keys(n)
        r["spelling_keys"] = "|".join(sorted(keys))


def prune_foreign_aliases(rows: dict) -> None:
    """Drop GeoNames alternate names of places outside Syria that would catch ordinary words.

    Other languages' names for world cities include English words and other places' names
    ("We" for Hue, "Ban" for Van, "Ariel" for Jerusalem, "Washington" for towns near Washington).
    Outside Syria an alias is kept only if it is in Arabic script, or at least 4 characters long,
    not an English stop word, and not the preferred name of another place in the table.
    Syrian places keep every name: homonymous villages are real and the resolver ranks them.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    taken = defaultdict(set)
    for r in rows.values():
        taken[r["name"].casefold()].add(r["id"])
    for r in rows.values():
        r["aliases"] = {a for a in r["aliases"] if a.casefold() not in GENERIC_WORDS}
        if r["country_code"] == "SY" or not r["id"].startswith("gn:"):
            continue
        keep = set()
        for a in r["aliases"]:
            if _ARABIC.search(a):
                keep.add(a)
                continue
            k = a.casefold()
            if len(a) < 4 or k in STOP_WORDS or (taken.get(k, set()) - {r["id"]}):
                continue
            keep.add(a)
        r["aliases"] = keep


#: A Syrian place this populous owns its name: a smaller place's alternate name spelled like it
#: is a mistake of the source (GeoNames gives Afrin the alternate name "Kobanî").
NAME_OWNER_POPULATION = 10_000


def prune_borrowed_names(rows: dict) -> None:
    """Drop a Syrian place's alternate names that are a bigger Syrian town's own name.

    A reporter writing "Kobani" means the town of 45,000 called so, not the other town that
    GeoNames lists it for; keeping the alias would make the two tie. The place's own preferred
    name is never dropped (real namesake villages keep theirs), nor Arabic-script names.
    """
    owners: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for r in rows.values():
        if r["country_code"] == "SY" and r.get("level") == "town":
            pop = float(r.get("population") or 0)
            if pop >= NAME_OWNER_POPULATION:
                owners[plain(r["name"]).casefold()].append((pop, r["id"]))
    for r in rows.values():
        if r["country_code"] != "SY" or not r["aliases"]:
            continue
        own = plain(r["name"]).casefold()
        pop = float(r.get("population") or 0)
        keep = set()
        for a in r["aliases"]:
            k = plain(a).casefold()
            bigger = [rid for p, rid in owners.get(k, ()) if p > pop and rid != r["id"]]
            if k != own and bigger and not _ARABIC.search(a):
                print(f"  {r['id']} {r['name']}: alternate name {a!r} is {bigger[0]}'s name, dropped")
                continue
            keep.add(a)
        r["aliases"] = keep


def apply_curated(rows: dict, path: Path, governorate_at) -> None:
    """Merge ``curated.csv`` into ``rows``.

    A row whose ``id`` starts with ``cur:`` is a new place and must have coordinates and a
    ``coord_note``.  A row naming an existing id (``gn:``, ``adm1:``, ``ap:``...) adds its aliases
    to that place and, when given, replaces its name/level/feature_code, or gives a point to a
    place that has none (a district without a matched seat); it may not move a sourced point.
    An alias ``-Name`` removes a wrong package alias; a ``merge_into`` id folds the row into
    another one (its names become the target's aliases, its point is dropped); country_code
    ``-`` means no country (regions spanning many).
    """
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), start=2):
            rid = r["id"].strip()
            if not rid or rid.startswith("#"):
                continue
            aliases = {a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()}
            # "-Name" removes a wrong alias a package gave (Natural Earth calls Rif Dimashq
            # "Damascus", which would pull the city's mentions onto the governorate)
            removed = {a[1:].strip() for a in aliases if a.startswith("-")}
            aliases -= {a for a in aliases if a.startswith("-")}
            if rid.startswith("cur:"):
                place = _curated_place(r, n, aliases, governorate_at)
                if rid in rows:
                    raise ValueError(f"curated.csv line {n}: duplicate id {rid}")
                rows[rid] = place
            elif rid not in rows:
                raise ValueError(f"curated.csv line {n}: {rid} is not a place the packages provide")
            else:
                _edit_place(rows, r, n, aliases, removed)


def _curated_place(r: dict, n: int, aliases: set, governorate_at) -> dict:
    """A new place of ``curated.csv`` (line ``n``): it must have a point and say where it comes from."""
    rid = r["id"].strip()
    lat, lon = (r.get("lat") or "").strip(), (r.get("lon") or "").strip()
    if not (lat and lon and (r.get("coord_note") or "").strip()):
        raise ValueError(f"curated.csv line {n}: {rid} needs lat, lon and coord_note")
    cc = r["country_code"].strip() or "SY"
    if cc == "-":
        # a region spanning several countries ("Middle East", "the Levant"): no
        # country is honest, SY would claim the point for Syria
        cc = ""
    admin1 = r.get("admin1", "").strip()
    if not admin1 and cc == "SY" and r["level"].strip() not in ("region", "country"):
        admin1 = governorate_at(float(lat), float(lon))
    return new_row(
        id=rid,
        name=r["name"].strip(),
        aliases=aliases,
        lat=float(lat),
        lon=float(lon),
        level=r["level"].strip(),
        feature_code=r["feature_code"].strip(),
        population=int(r.get("population") or 0),
        country_code=cc,
        admin1=admin1,
        source=SOURCE_CUR,
        coord_note=r["coord_note"].strip(),
    )


def _edit_place(rows: dict, r: dict, n: int, aliases: set, removed: set) -> None:
    """A ``curated.csv`` row (line ``n``) naming a sourced place: merged into another, given a
    point it lacks, renamed, re-levelled, its aliases added or removed."""
    rid = r["id"].strip()
    lat, lon = (r.get("lat") or "").strip(), (r.get("lon") or "").strip()
    row = rows[rid]
    target = (r.get("merge_into") or "").strip()
    if target:
        # one place listed twice by two sources (the Kuweires air base and the village
        # GeoNames names after it): keep the target's point, fold this row's names in
        if target not in rows:
            raise ValueError(f"curated.csv line {n}: merge target {target} is unknown")
        rows[target]["aliases"] |= aliases | {row["name"]} | set(row["aliases"])
        del rows[rid]
        return
    if lat or lon:
        if row["lat"] != "":
            raise ValueError(f"curated.csv line {n}: {rid} already has a sourced point")
        row.update(lat=float(lat), lon=float(lon), coord_note=r["coord_note"].strip())
    if r.get("name", "").strip() and r["name"].strip() != row["name"]:
        aliases.add(row["name"])
        row["name"] = r["name"].strip()
    for k in ("level", "feature_code"):
        if (r.get(k) or "").strip():
            row[k] = r[k].strip()
    row["aliases"] |= aliases
    if removed - row["aliases"]:
        raise ValueError(f"curated.csv line {n}: {rid} has no alias {sorted(removed - row['aliases'])}")
    row["aliases"] -= removed
