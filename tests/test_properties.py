"""Property-based tests over files, text -> tables -> map, with hostile input mixed into real data.

Generated articles mix sentences from the seed articles with random Unicode, right-to-left
script, control characters, huge numbers, nested quotes and markup. Whatever comes in, the
tables must stay honest: offsets slice to the evidence, coordinates are valid, counts and
dates are ordered, and the map neither crashes nor carries injected markup unescaped. The
readers get random bytes, encodings, file names and front matter; dates run over 0001-9999;
hand-edited tables get random cells.

Two hypothesis profiles (``GEOMAP_HYPOTHESIS_PROFILE``):

``ci`` (default)
    about 13,000 generated cases in all, most of them on the fast readers, in about a minute
    and a half on the 2-core CI machine; derandomized, so a CI run is reproducible.
``nightly``
    ten times as many cases, randomized (a new sample every night; hypothesis prints the seed
    and the failing example). ``GEOMAP_HYPOTHESIS_PROFILE=nightly pytest tests/test_properties.py``.

The spaCy pipeline is cached per process, so it is loaded once for the module.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
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
    return out or [
        "Government forces shelled Homs on Tuesday, killing 12 people, activists said.",
        "Thousands of residents fled Aleppo towards the Turkish border.",
    ]


SENTENCES = _seed_sentences()
INJECT = '<script>alert("pwn")</script><img src=x onerror=alert(1)>'
HOSTILE = [
    "Rebels said 10^30 killed in Homs.",
    "Activists said 999999999999999 killed in Aleppo on Tuesday.",
    "At least 1e308 people were killed in Hama, and -5 were wounded.",
    "Between 12 and 40 people died in Idlib, a monitor said.",
    'He said "they told us \'the army said "Aleppo is ours" yesterday\' on Monday" and left.',
    "قصف الجيش مدينة حلب وقتل ١٢ شخصا. ‏Shelling hit ‮Aleppo‬ today.",
    "Clashes in Dar\u200baa\u00ad and De\u0301ir ez-Zor killed 7 fighters.",
    "Control\x00chars\x07in\x1b[31mHoms\x7f killed 3.\x0c\x0b",
    INJECT + " Government troops shelled Homs, killing 4. " + INJECT,
    "On 31 February 2013, and on 2013-13-45, 5 soldiers were killed in Raqqa.",
    "Troops moved from Damascus to Aleppo; 2,000,000,000,000 refugees fled to Turkey.",
    "\ufeff\r\n\r\n\u2028\u2029Killed: 8. Place: Deraa.\U0001f4a5\U0001f1f8\U0001f1fe",
]

text_piece = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F, categories=["Cc"]), max_size=8),
    st.builds(
        lambda n, p: f"{n} people were killed in {p}.",
        st.integers(min_value=0, max_value=10**15),
        st.sampled_from(["Homs", "Aleppo", "Deir ez-Zor", "Idlib", "Daraa", "nowhere"]),
    ),
)
# Counts of 2**63 and more crash table building today (xfail test in test_hostile_inputs.py);
# so do reversed ranges ("between 40 and 12": low > high). Both are kept out of the generated
# texts so the other invariants are still checked.
articles = st.lists(text_piece, min_size=1, max_size=4).map(lambda parts: " ".join(parts))
# The whole calendar: the API takes any date; relative dates against 0001-01-01 stay unknown.
published = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))

_NIGHTLY = os.environ.get("GEOMAP_HYPOTHESIS_PROFILE", "ci") == "nightly"
#: Multiplier of every test's number of cases.
SCALE = 10 if _NIGHTLY else 1


def profile(n: int) -> settings:
    """Settings for a property run ``n`` times in CI (``n * SCALE`` in the nightly profile)."""
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        derandomize=not _NIGHTLY,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
            HealthCheck.filter_too_much,
        ],
    )


PROFILE = profile(100)


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
    for table, pairs in (
        (inc, [("lat", "lon")]),
        (men, [("lat", "lon")]),
        (mov, [("origin_lat", "origin_lon"), ("destination_lat", "destination_lon")]),
    ):
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


@profile(40)
@given(
    text=st.lists(st.one_of(st.sampled_from(SENTENCES), st.sampled_from(HOSTILE)), min_size=1, max_size=4).map(
        " ".join
    ),
    title=st.text(max_size=30),
    outlet=st.sampled_from([INJECT, "CNN", "‮evil‬", "\x00"]),
)
def test_map_never_crashes_and_escapes_markup(text, title, outlet):
    df = pd.DataFrame(
        {
            "doc_id": ["h"],
            "text": [text + " " + INJECT],
            "date": [dt.date(2013, 5, 6)],
            "source": [outlet],
            "title": [INJECT + title],
            "url": ["javascript:alert(1)"],
        }
    )
    result = extract(df)
    m = geomap.make_map(result, title=INJECT + title)
    html = m.get_root().render()
    assert "<script>alert(" not in html
    assert "<img src=x onerror" not in html
    assert 'href="javascript:' not in html.lower()


@profile(1500)
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


@profile(300)
@given(
    lines=st.lists(
        st.one_of(
            _line_text,
            st.sampled_from(
                [
                    '{"id": "../../x", "text": "Shelling in Homs."}',
                    '{"id": "/etc/passwd", "text": "Clashes in Hama.", "date": "x"}',
                    '{"text": 5}',
                    "[1,2]",
                    '{"text": "Homs',
                    '{"text": "  "}',
                ]
            ),
        ),
        max_size=8,
    )
)
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


# --------------------------------------------------------------------------- readers (fast, many cases)

_prose = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=200)


@profile(1500)
@given(
    text=st.one_of(_prose, st.sampled_from(SENTENCES)),
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
    ),
)
def test_decoded_text_is_the_text_or_a_reason(text, encoding):
    data = text.encode(encoding)
    got, enc, reason = decode_bytes(data)
    assert (got is None) == (reason is not None)
    if got is not None:
        got.encode("utf-8")  # never a lone surrogate
    if encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32") and text.strip() and reason is None:
        # With a BOM or as UTF-8, the text comes back exactly.
        assert got == text
    if encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be") and text in SENTENCES:
        assert got == text and enc == encoding


@profile(1000)
@given(text=st.sampled_from(SENTENCES), stray=st.lists(st.integers(0x80, 0xFF), min_size=1, max_size=3).map(bytes))
def test_stray_bytes_in_utf8_keep_the_rest_of_the_file(text, stray):
    data = ("“" + text + "” — ").encode("utf-8") + stray + b" end."
    got, enc, reason = decode_bytes(data)
    assert reason is None and got.startswith("“" + text + "” — ") and got.endswith(" end.")


_yaml_scalar = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
    st.sampled_from(
        [
            "*a",
            "&a x",
            "!!python/object:os.system",
            "[*a, *a]",
            "{",
            "'",
            '"',
            "|",
            ">",
            "- - -",
            "...",
            "---",
            "? x",
            "!!binary aGVsbG8=",
            "<<: *a",
            "2012-02-30",
            "0001-01-01",
            "9999-12-31",
        ]
    ),
)
_front_matter = st.lists(
    st.tuples(st.sampled_from(["date", "title", "source", "url", "author", "id", "tags", "a", "DATE"]), _yaml_scalar),
    max_size=6,
)


@profile(1500)
@given(fields=_front_matter, body=st.one_of(st.sampled_from(SENTENCES), st.text(max_size=80)))
def test_front_matter_never_raises_and_never_loses_the_body(fields, body):
    from geomap.front_matter import split_front_matter

    block = "\n".join(f"{k}: {v}" if isinstance(v, str) else f"{k}: {json.dumps(v)}" for k, v in fields)
    text = f"---\n{block}\n---\n{body}"
    got, rest, problem = split_front_matter(text)
    assert isinstance(got, dict)
    assert rest == text or text.endswith(rest)
    if problem is not None:
        assert got == {} and rest == text
    for k in got:
        assert k == k.lower()


_any_year_date = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@profile(3000)
@given(d=_any_year_date, form=st.sampled_from(["iso", "iso-time", "slash", "mdy", "dmy", "abbr", "weekday"]))
def test_parse_date_reads_every_calendar_date_or_nothing(d, form):
    from geomap.read import parse_date

    text = {
        "iso": d.isoformat(),
        "iso-time": d.isoformat() + "T10:00:00Z",
        "slash": f"{d.year:04d}/{d.month:02d}/{d.day:02d}",
        "mdy": f"{d:%B} {d.day}, {d.year:04d}",
        "dmy": f"{d.day} {d:%B} {d.year:04d}",
        "abbr": f"{d:%b} {d.day}, {d.year:04d}",
        "weekday": f"{d:%A}, {d.day} {d:%B} {d.year:04d}",
    }[form]
    got = parse_date(text)
    # Numeric forms read any year; written-out months are read for 1900-2099 (news dates).
    assert got is None or got == d
    if form in ("iso", "iso-time", "slash") or 1900 <= d.year <= 2099:
        assert got == d


@profile(250)
@given(
    d=st.one_of(
        _any_year_date.map(lambda d: d.isoformat()),
        st.builds(
            lambda y, m, n: f"{y:04d}-{m:02d}-{n:02d}", st.integers(1, 9999), st.integers(1, 12), st.integers(28, 31)
        ),
    )
)
def test_any_front_matter_date_keeps_the_article(d, tmp_path_factory):
    from geomap.read import PUBLISHED_YEARS, parse_date

    folder = tmp_path_factory.mktemp("fm")
    (folder / "a.md").write_text(f"---\ndate: {d}\n---\nShelling hit Homs yesterday.\n", encoding="utf-8")
    df = geomap.read_articles(folder / "a.md")
    assert len(df) == 1 and df.attrs["skipped"] == []
    parsed = parse_date(d)
    if parsed is not None and PUBLISHED_YEARS[0] <= parsed.year <= PUBLISHED_YEARS[1]:
        assert df.loc[0, "date"] == parsed
    else:
        assert df.loc[0, "date"] is None and d in df.loc[0, "notes"]


_name_bytes = st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
_suffix = st.sampled_from([b".txt", b".md", b".html", b".jsonl", b".csv", b".bin", b""])
_content = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(SENTENCES).map(lambda s: s.encode("utf-8")),
    st.sampled_from(SENTENCES).map(lambda s: s.encode("utf-16")),
    st.sampled_from(SENTENCES).map(lambda s: ("---\ntitle: *a\n---\n" + s).encode("cp1252", "replace")),
)


@profile(250)
@given(
    files=st.lists(st.tuples(_name_bytes, _suffix, _content), min_size=1, max_size=5, unique_by=lambda f: f[0] + f[1])
)
def test_a_folder_of_any_files_is_read_and_accounted_for(files, tmp_path_factory):
    root = os.fsencode(tmp_path_factory.mktemp("files"))
    written = 0
    for name, suffix, content in files:
        if name.startswith(b".") or name in (b"..",):
            continue
        with open(root + b"/" + name + suffix, "wb") as fh:
            fh.write(content)
        written += 1
    df = geomap.read_articles(os.fsdecode(root))
    listed = df.attrs["inputs"]
    assert len(listed) == written
    shown = json.dumps(
        [e["input"] for e in listed] + list(df["path"]) + [s["reason"] for s in df.attrs["skipped"]], ensure_ascii=False
    )
    shown.encode("utf-8")  # run.json can be written
    assert not re.search("[\x00-\x1f\x7f-\x9f]", "".join(e["input"] for e in listed))
    for text in df["text"]:
        assert text.strip() and "\u200b" not in text


# --------------------------------------------------------------------------- hand-edited tables

_cell = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(
        [
            '=HYPERLINK("x")',
            "+1+1",
            "-5",
            "@SUM(A1)",
            "\t=1",
            "2012-07-24",
            "2012-02-30",
            "constructor",
            "__proto__",
            "clash",
            "bombardment",
            "troop_movement",
            "36.2",
            "37.1",
        ]
    ),
)


@profile(600)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "event_type": _cell,
                "lat": _cell,
                "lon": _cell,
                "date_start": _cell,
                "count_best": _cell,
                "evidence": _cell,
                "actor1": _cell,
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_edited_rows_are_drawn_or_reported_and_csv_never_carries_a_formula(rows):
    from geomap.edited import check_frame
    from geomap.schema import EVENT_TYPES
    from geomap.write import _plain_frame

    df = pd.DataFrame(rows)
    problems, bad = check_frame(df, "incidents.csv")
    assert set(bad) == {df.index[p.line - 2] for p in problems}
    for i in set(df.index) - set(bad):
        r = df.loc[i]
        assert str(r["event_type"]).strip() in EVENT_TYPES
        if _present(r["lat"]) or _present(r["lon"]):
            assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
    for _col, values in _plain_frame(df).items():
        for v in values:
            if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(v)  # only a plain number may start like a formula


@profile(30)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "event_type": st.sampled_from(["clash", "constructor", "protest", "", "toString"]),
                "lat": _cell,
                "lon": _cell,
                "date_start": _cell,
                "evidence": _cell,
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_render_of_edited_tables_draws_or_fails_loudly(rows, tmp_path_factory):
    from geomap.cli import main

    d = tmp_path_factory.mktemp("edited")
    pd.DataFrame(rows).to_csv(d / "incidents.csv", index=False)
    pd.DataFrame(columns=["kind", "evidence"]).to_csv(d / "movements.csv", index=False)
    code = main(["render", str(d), "--quiet"])
    assert code in (0, 1, 2)
    assert (d / "map.html").exists() == (code in (0, 1))


def test_fuzz_target_for_the_readers_runs():
    """fuzz/fuzz_readers.py (atheris or its own loop) keeps working: 300 seeded mutations."""
    import importlib.util
    import random

    path = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_readers.py"
    spec = importlib.util.spec_from_file_location("fuzz_readers", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rnd, seeds = random.Random(12), mod._seeds()
    for _ in range(300 * SCALE):
        mod.test_one_input(mod._mutate(rnd, rnd.choice(seeds)))
