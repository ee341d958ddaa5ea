"""Islamic holidays as dates: "during Eid al-Adha (in 2016)", "on the first day of Ramadan".

The names and their place in the Hijri year are data (``geomap/nlp/data/holidays.tsv``); the
calendar is Umm al-Qura, through the ``hijridate`` package. Local observance may differ by a day,
so a holiday resolves to its span, never to a guessed single day.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geomap.schema import read_table

__all__ = ["HOLIDAYS", "HOLIDAY_RE", "resolve_holiday"]

_DATA = Path(__file__).resolve().parent / "data"


def _load_holidays(path: Path = _DATA / "holidays.tsv") -> list[dict]:
    """Rows of ``holidays.tsv``: name, aliases (list), hijri_month, first_day, days."""
    return [
        {
            "name": rec["name"],
            "aliases": [a.strip() for a in rec["aliases"].split("|") if a.strip()],
            "hijri_month": int(rec["hijri_month"]),
            "first_day": int(rec["first_day"]),
            "days": int(rec["days"]),
        }
        for rec in read_table(path)
    ]


#: Islamic holidays used as dates in reporting (geomap/nlp/data/holidays.tsv).
HOLIDAYS = _load_holidays()


def _alias_re(alias: str) -> str:
    # "Eid al-Adha" also matches "Eid al Adha", "Eid-al-Adha", "Eid alAdha".
    return r"[-\s]?".join(re.escape(w) for w in re.split(r"[-\s]+", alias))


_HOLIDAY_OF_ALIAS = {a: h for h in HOLIDAYS for a in h["aliases"]}
_HOLIDAY_KEY = {re.sub(r"[-\s]+", "", a.lower()): h for a, h in _HOLIDAY_OF_ALIAS.items()}
HOLIDAY_RE = "(?:" + "|".join(_alias_re(a) for a in sorted(_HOLIDAY_OF_ALIAS, key=len, reverse=True)) + ")"
_ORDINAL_DAY = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _holiday_span(holiday: dict, hijri_year: int) -> tuple[dt.date, dt.date] | None:
    """Gregorian first and last day of ``holiday`` in ``hijri_year`` (None outside the calendar)."""
    from hijridate import Hijri  # lazy: only texts naming a holiday need it

    try:
        start = Hijri(hijri_year, holiday["hijri_month"], holiday["first_day"]).to_gregorian()
        if holiday["days"]:
            end = start + dt.timedelta(days=holiday["days"] - 1)
        else:
            month = Hijri(hijri_year, holiday["hijri_month"], 1)
            end = month.to_gregorian() + dt.timedelta(days=month.month_length() - 1)
    except (ValueError, OverflowError):
        return None
    return dt.date(start.year, start.month, start.day), dt.date(end.year, end.month, end.day)


def resolve_holiday(text: str, anchor: dt.date | None) -> dict | None:
    """Resolve "Eid al-Adha", "the first day of Ramadan 2013", "during Eid al-Fitr in 2016".

    With a year, the holiday that starts in that Gregorian year; without one, the latest that
    starts on or before the anchor (the day after it, for a report written on the eve).
    """
    t = re.sub(r"\s+", " ", text.lower()).strip()
    key = None
    for alias in sorted(_HOLIDAY_KEY, key=len, reverse=True):
        if alias in re.sub(r"[-\s]+", "", t):
            key = alias
            break
    if key is None:
        return None
    holiday = _HOLIDAY_KEY[key]
    year = re.search(r"\b((?:19|20)\d\d)\b", t)
    from hijridate import Gregorian

    if year:
        y = int(year[1])
        try:
            h0 = Gregorian(y, 1, 1).to_hijri().year
        except (ValueError, OverflowError):
            return None
        spans = [sp for hy in (h0, h0 + 1) if (sp := _holiday_span(holiday, hy)) and sp[0].year == y]
        if not spans:
            return None
        start, end = spans[0]
    elif anchor is None:
        return {"date_start": None, "date_end": None, "date_precision": "unknown"}
    else:
        try:
            h0 = Gregorian(anchor.year, anchor.month, anchor.day).to_hijri().year
        except (ValueError, OverflowError):
            return None
        spans = [
            sp for hy in (h0 - 1, h0) if (sp := _holiday_span(holiday, hy)) and sp[0] <= anchor + dt.timedelta(days=1)
        ]
        if not spans:
            return None
        start, end = spans[-1]
        end = min(end, anchor)  # reported while the holiday (Ramadan) is still running
    day = re.search(r"\b(first|second|third|fourth|last|1st|2nd|3rd|4th) day of\b", t)
    if day:
        d = end if day[1] == "last" else start + dt.timedelta(days=_ORDINAL_DAY[day[1]] - 1)
        if d <= end:
            return {"date_start": d, "date_end": d, "date_precision": "day"}
    days = (end - start).days + 1
    return {
        "date_start": start,
        "date_end": end,
        "date_precision": "day" if days <= 3 else "week" if days <= 10 else "month",
    }
