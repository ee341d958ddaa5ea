"""Property-based tests over text -> tables -> map, with hostile text mixed into real sentences.

Generated articles mix sentences from the seed articles with random Unicode, right-to-left
script, control characters, huge numbers, nested quotes and markup. Whatever comes in, the
tables must stay honest: offsets slice to the evidence, coordinates are valid, counts and
dates are ordered, and the map neither crashes nor carries injected markup unescaped.

The spaCy pipeline is cached per process, so it is loaded once for the module.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geomap
from geomap.extraction import extract
from geomap.read import decode_bytes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed_sentences() -> list[str]:
    out = []
    for f in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        text = f.read_text(encoding="utf-8")
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 30 < len(s.strip()) < 400]
    # Fallback so the module still tests something without seeds.
    return out or ["Government forces shelled Homs on Tuesday, killing 12 people, activists said.",
                   "Thousands of residents fled Aleppo towards the Turkish border."]


SENTENCES = _seed_sentences()
INJECT = '<script>alert("pwn")</script><img src=x onerror=alert(1)>'
HOSTILE = [
    "Rebels said 10^30 killed in Homs.",
    "Activists said 999999999999999 killed in Aleppo on Tuesday.",
    "At least 1e308 people were killed in Hama, and -5 were wounded.",
    "Between 12 and 40 people died in Idlib, a monitor said.",
    "He said \"they told us 'the army said \"Aleppo is ours\" yesterday' on Monday\" and left.",
    "قصف الجيش مدينة حلب وقتل ١٢ شخصا. ‏Shelling hit ‮Aleppo‬ today.",
    "Clashes in Dar\u200baa\u00ad and De\u0301ir ez-Zor killed 7 fighters.",
    "Control\x00chars\x07in\x1b[31mHoms\x7f killed 3.\x0c\x0b",
    INJECT + " Government troops shelled Homs, killing 4. " + INJECT,
    "On 31 February 2013, and on 2013-13-45, 5 soldiers were killed in Raqqa.",
    "Troops moved from Damascus to Aleppo; 2,000,000,000,000 refugees fled to Turkey.",
    "\ufeff\r\n\r\n\u2028\u2029Killed: 8. Place: Deraa.\U0001F4A5\U0001F1F8\U0001F1FE",
]

text_piece = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F, categories=["Cc"]), max_size=8),
    st.builds(lambda n, p: f"{n} people were killed in {p}.",
              st.integers(min_value=0, max_value=10**15),
              st.sampled_from(["Homs", "Aleppo", "Deir ez-Zor", "Idlib", "Daraa", "nowhere"])),
)
# Counts of 2**63 and more crash table building today (xfail test in test_hostile_inputs.py);
# so do reversed ranges ("between 40 and 12": low > high). Both are kept out of the generated
# texts so the other invariants are still checked.
articles = st.lists(text_piece, min_size=1, max_size=4).map(lambda parts: " ".join(parts))
published = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))

PROFILE = settings(max_examples=100, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _present(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v is not pd.NA and v == v and v != ""


def _to_date(v):
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _run(text: str, date=None):
    df = pd.DataFrame({"doc_id": ["h"], "text": [text], "date": [date]})
    result = extract(df)
    assert all(d["outcome"] == "done" for d in result.run["documents"]), result.run["documents"]
    return result


def check_offsets(text: str, table: pd.DataFrame, what: str, value_col: str) -> None:
    for rec in table.to_dict("records"):
        s, e = rec["char_start"], rec["char_end"]
        assert _present(s) and _present(e), (what, rec)
        s, e = int(s), int(e)
        assert 0 <= s <= e <= len(text), (what, s, e, len(text))
        assert text[s:e] == rec[value_col], (what, text[s:e], rec[value_col])


def check_tables(text: str, result) -> None:
    inc, mov, men = result.incidents, result.movements, result.mentions
    check_offsets(text, inc, "incident", "evidence")
    check_offsets(text, mov, "movement", "evidence")
    check_offsets(text, men, "mention", "text")
    for table, pairs in ((inc, [("lat", "lon")]), (men, [("lat", "lon")]),
                         (mov, [("origin_lat", "origin_lon"), ("destination_lat", "destination_lon")])):
        for lat_c, lon_c in pairs:
            for lat, lon in zip(table[lat_c], table[lon_c]):
                assert _present(lat) == _present(lon)
                if _present(lat):
                    assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, (lat, lon)
    for table in (inc, mov):
        for rec in table.to_dict("records"):
            nums = [rec.get(k) for k in ("count_low", "count_best", "count_high")]
            got = [float(n) for n in nums if _present(n)]
            assert all(n >= 0 and math.isfinite(n) for n in got), nums
            low, best, high = (float(n) if _present(n) else None for n in nums)
            if low is not None and best is not None:
                assert low <= best, nums
            if best is not None and high is not None:
                assert best <= high, nums
            if low is not None and high is not None:
                assert low <= high, nums
            if _present(rec.get("date_start")) and _present(rec.get("date_end")):
                assert _to_date(rec["date_start"]) <= _to_date(rec["date_end"]), (rec["date_start"], rec["date_end"])
            if not _present(rec.get("date_start")):
                # Unknown stays unknown: no end date, no precision better than "unknown".
                assert not _present(rec.get("date_end"))
                assert rec.get("date_precision") in (None, "unknown") or not _present(rec.get("date_precision"))
    for gdf in (inc, mov):
        assert gdf.crs is not None and gdf.crs.to_epsg() == 4326


@PROFILE
@given(text=articles, date=published)
def test_tables_stay_honest_on_any_text(text, date):
    check_tables(text, _run(text, date))


@PROFILE
@given(text=articles)
def test_tables_stay_honest_with_a_publication_date(text):
    # With a publication date, relative dates ("Tuesday", "yesterday") resolve against it: the
    # resolved ranges must still be ordered and the offsets exact.
    result = _run(text, dt.date(2013, 5, 6))
    check_tables(text, result)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=st.lists(st.one_of(st.sampled_from(SENTENCES), st.sampled_from(HOSTILE)), min_size=1, max_size=4)
       .map(" ".join), title=st.text(max_size=30), outlet=st.sampled_from([INJECT, "CNN", "‮evil‬", "\x00"]))
def test_map_never_crashes_and_escapes_markup(text, title, outlet):
    df = pd.DataFrame({"doc_id": ["h"], "text": [text + " " + INJECT], "date": [dt.date(2013, 5, 6)],
                       "source": [outlet], "title": [INJECT + title], "url": ["javascript:alert(1)"]})
    result = extract(df)
    m = geomap.make_map(result, title=INJECT + title)
    html = m.get_root().render()
    assert "<script>alert(" not in html
    assert "<img src=x onerror" not in html
    assert 'href="javascript:' not in html.lower()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2000))
def test_decode_bytes_never_crashes(data):
    text, enc, reason = decode_bytes(data)
    assert (text is None) == (reason is not None)
    if text is not None:
        assert isinstance(text, str) and enc


# Characters str.splitlines() treats as line ends; raw U+2028 inside a JSON string is legal and
# covered by an xfail test in test_hostile_inputs.py, so they are kept out of this property.
_SPLITLINES = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\r\n"
_line_text = st.text(alphabet=st.characters(exclude_characters=_SPLITLINES), max_size=60)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(lines=st.lists(st.one_of(_line_text,
                                st.sampled_from(['{"id": "../../x", "text": "Shelling in Homs."}',
                                                 '{"id": "/etc/passwd", "text": "Clashes in Hama.", "date": "x"}',
                                                 '{"text": 5}', "[1,2]", '{"text": "Homs', '{"text": "  "}'])),
                      max_size=8))
def test_jsonl_lines_are_read_or_skipped_never_lost(lines, tmp_path_factory):
    folder = tmp_path_factory.mktemp("jl")
    path = folder / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    df = geomap.read_articles(str(path))
    assert len(df.attrs["inputs"]) == 1
    entries = [s for s in df.attrs["skipped"] if s["input"].startswith(str(path))]
    if any(s["input"] == str(path) for s in entries):
        assert len(df) == 0  # the whole file was refused, with its reason
        return
    # Every non-blank line is either an article or a skipped entry of its own: nothing vanishes.
    physical = [ln for ln in lines if ln.strip(" \t")]
    assert len(df) + len(entries) == len(physical), (len(df), entries, physical)
    for d in df["doc_id"]:
        assert "/" not in d and not d.startswith(".") and ".." not in d
