"""GeoNames import: real file formats written here, safety, atomicity, merge on load."""

import zipfile

import pytest

from geomap import settings
from geomap.errors import ImportFileError
from geomap.gazetteer import COLUMNS, OVERLAY_FILENAME, Gazetteer
from geomap.gazetteer_import import feature_level, import_geonames


def gn_line(gid, name, ascii_name, alts, lat, lon, fclass, fcode, admin1="09", pop=0, cc="SY"):
    cols = [
        str(gid),
        name,
        ascii_name,
        ",".join(alts),
        str(lat),
        str(lon),
        fclass,
        fcode,
        cc,
        "",
        admin1,
        "",
        "",
        "",
        str(pop),
        "",
        "350",
        "Asia/Damascus",
        "2024-03-01",
    ]
    assert len(cols) == 19
    return "\t".join(cols)


GEONAMES = [
    gn_line(
        170062,
        "Muḩāfaz̧at Ḩalab",
        "Muhafazat Halab",
        ["Aleppo Governorate", "محافظة حلب"],
        36.25,
        37.5,
        "A",
        "ADM1",
        "09",
        4_868_000,
    ),
    gn_line(
        170063,
        "Ḩalab",
        "Halab",
        ["Aleppo", "Alep", "Haleb", "حلب", "Алеппо", "阿勒颇"],
        36.20124,
        37.16117,
        "P",
        "PPLA",
        "09",
        1_602_264,
    ),
    gn_line(
        163345,
        "Tall Rif‘at",
        "Tall Rif`at",
        ["Tal Rifaat", "Tell Rifaat", "تل رفعت"],
        36.4697,
        37.0966,
        "P",
        "PPL",
        "09",
        20_514,
    ),
    gn_line(7910101, "Kuwayris Airbase", "Kuwayris Airbase", ["Kweires"], 36.1867, 37.5833, "S", "AIRB", "09"),
    gn_line(170001, "Jabal Sim‘ān", "Jabal Sim`an", [], 36.33, 36.85, "T", "MT", "09"),
    gn_line(999001, "Some School", "Some School", [], 36.1, 37.1, "S", "SCH", "09"),  # dropped: building
    gn_line(999002, "Nahr Quwayq", "Nahr Quwayq", [], 36.1, 37.1, "H", "STM", "09"),  # dropped: hydrography
]

ALTERNATES = [
    "1\t170063\ten\tAleppo\t1\t\t\t\t\t",
    "2\t170063\tar\tحلب\t\t\t\t\t\t",
    "3\t170063\tlink\thttps://en.wikipedia.org/wiki/Aleppo\t\t\t\t\t\t",
    "4\t163345\ten\tTel Rifaat\t\t\t\t\t\t",
    "5\t163345\tfr\tTell Rifaat\t\t\t\t\t\t",
    "6\t555555\ten\tNot In Dump\t\t\t\t\t\t",
]


@pytest.fixture()
def env(tmp_path, monkeypatch):
    gaz = tmp_path / "gaz"
    gaz.mkdir()
    (gaz / "places.tsv").write_text(
        "\t".join(COLUMNS)
        + "\n"
        + "adm1:SY-02\tAleppo\tHalab|Aleppo Governorate\t36.2\t37.5\tgovernorate\tADM1\t0\tSY\tAleppo\tlocalis\t\n"
        + "gn:170063\tAleppo\tHalab\t36.2\t37.16\ttown\tPPLA\t1600000\tSY\tAleppo\tgeonamescache\t\n"
        + "gn:170654\tDamascus\tDimashq\t33.5\t36.3\ttown\tPPLC\t1500000\tSY\tDamascus\tgeonamescache\t\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    monkeypatch.setattr(settings, "gazetteer_dir", gaz)
    monkeypatch.setattr(settings, "data_dir", data)
    return tmp_path


def write_txt(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_feature_levels():
    assert feature_level("P", "PPLA") == "town"
    assert feature_level("P", "PPLX") == "neighbourhood"
    assert feature_level("A", "ADM1") == "governorate"
    assert feature_level("A", "ADM2") == "district"
    assert feature_level("A", "PCLI") == "country"
    assert feature_level("S", "AIRB") == "town"
    assert feature_level("L", "RGN") == "region"
    assert feature_level("S", "SCH") is None
    assert feature_level("H", "STM") is None


def test_import_txt_then_gazetteer_merges(env):
    summary = import_geonames(write_txt(env / "SY.txt", GEONAMES))
    assert summary["kind"] == "geoname"
    assert summary["imported"] == 5 and summary["added"] == 5 and summary["updated"] == 0
    assert summary["by_level"] == {"town": 4, "governorate": 1}
    overlay = settings.data_dir / OVERLAY_FILENAME
    assert summary["overlay"] == str(overlay) and overlay.is_file()
    g = Gazetteer()
    assert len(g.entries) == 3 + 4  # gn:170063 replaced, 4 new rows
    aleppo = g.get("gn:170063")
    assert aleppo["source"].startswith("geonames") and aleppo["population"] == 1_602_264
    assert aleppo["admin1"] == "Aleppo"  # spelled as the embedded gazetteer spells it
    assert "Алеппо" not in aleppo["aliases"] and "حلب" in aleppo["aliases"]
    for q in ["Tal Rifaat", "Tell Rifaat", "Tall Rif`at", "تل رفعت"]:
        assert g.search(q)[0].entry["id"] == "gn:163345", q
    assert g.search("Kweires")[0].entry["feature_code"] == "AIRB"
    assert g.get("gn:999001") is None and g.get("gn:999002") is None  # building, river


def test_import_zip_with_alternate_names(env):
    sy = env / "SY.zip"
    with zipfile.ZipFile(sy, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SY.txt", "\n".join(GEONAMES) + "\n")
        zf.writestr("readme.txt", "GeoNames readme\tnot\tdata\n")
    alt = env / "alternateNamesV2.zip"
    with zipfile.ZipFile(alt, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("alternateNamesV2.txt", "\n".join(ALTERNATES) + "\n")
        zf.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\n")
    summary = import_geonames(sy, alternate_names=alt)
    assert summary["imported"] == 5
    g = Gazetteer()
    tr = g.get("gn:163345")
    assert "Tel Rifaat" in tr["aliases"].split("|")
    assert "https" not in g.get("gn:170063")["aliases"]
    assert g.get("gn:170063")["name"] == "Aleppo"  # English preferred name from alternates


def test_alternate_names_alone_extend_existing_rows(env):
    import_geonames(write_txt(env / "SY.txt", GEONAMES))
    summary = import_geonames(write_txt(env / "alternateNamesV2.txt", ALTERNATES))
    assert summary["kind"] == "alternate"
    g = Gazetteer()
    assert "Tel Rifaat" in g.get("gn:163345")["aliases"].split("|")
    assert g.get("gn:555555") is None


def test_reimport_updates(env):
    import_geonames(write_txt(env / "SY.txt", GEONAMES))
    summary = import_geonames(write_txt(env / "SY2.txt", GEONAMES[:2]))
    assert summary["updated"] == 2 and summary["added"] == 0 and summary["overlay_rows"] == 5


@pytest.mark.parametrize(
    "lines,message",
    [
        (GEONAMES[:2] + ["170064\tHalab\tonly four"], r"line 3.*19"),
        (GEONAMES[:1] + [GEONAMES[1].replace("36.20124", "north")], "line 2"),
        (["hello world"], "line 1"),
    ],
)
def test_bad_file_leaves_overlay_untouched(env, lines, message):
    import_geonames(write_txt(env / "SY.txt", GEONAMES))
    overlay = settings.data_dir / OVERLAY_FILENAME
    before = overlay.read_bytes()
    with pytest.raises(ImportFileError, match=message) as exc:
        import_geonames(write_txt(env / "bad.txt", lines))
    assert "bad.txt" in str(exc.value)
    assert overlay.read_bytes() == before
    assert not [p for p in overlay.parent.iterdir() if p.name.endswith(".tmp")]
    assert Gazetteer().get("gn:163345") is not None


def test_truncated_zip(env):
    sy = env / "SY.zip"
    with zipfile.ZipFile(sy, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SY.txt", "\n".join(GEONAMES * 50) + "\n")
    data = sy.read_bytes()
    cut = env / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="cut.zip"):
        import_geonames(cut)
    assert not (settings.data_dir / OVERLAY_FILENAME).exists()


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "C:\\evil.txt"])
def test_zip_slip_refused(env, member):
    z = env / "SY.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("SY.txt", "\n".join(GEONAMES) + "\n")
        zf.writestr(member, "x")
    with pytest.raises(ImportFileError, match="refusing"):
        import_geonames(z)
    assert not (settings.data_dir / OVERLAY_FILENAME).exists()


def test_size_limit(env):
    z = env / "SY.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SY.txt", "\n".join(GEONAMES) + "\n" + "#" * 200_000 + "\n")
    with pytest.raises(ImportFileError, match="beyond"):
        import_geonames(z, max_bytes=100_000)


def test_missing_and_empty_files(env):
    with pytest.raises(ImportFileError, match="no such file"):
        import_geonames(env / "nope.zip")
    (env / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError, match="empty"):
        import_geonames(env / "empty.txt")
    (env / "latin1.txt").write_bytes("Ḩalab\t".encode("utf-16"))
    with pytest.raises(ImportFileError):
        import_geonames(env / "latin1.txt")


# --------------------------------------------------------------------------- issue 12


def test_imported_syrian_places_get_governorate_by_polygon_and_district(tmp_path, monkeypatch):
    """admin1 from governorates.geojson (the dump's ADM1 code is unknown here), admin2 from the
    nearest embedded locality of that governorate, as gazetteer/wof.py fills the embedded rows."""
    monkeypatch.setattr(settings, "data_dir", tmp_path / "data")
    lines = [
        gn_line(9100001, "Tall Rif'at Qibli", "Tall Rif'at Qibli", [], 36.4701, 37.0952, "P", "PPL", "99"),
        gn_line(9100002, "Ghazzah", "Ghazzah", [], 35.6, 40.5, "P", "PPL", "99", cc="IQ"),
    ]
    summary = import_geonames(write_txt(tmp_path / "SY.txt", lines))
    assert summary["imported"] == 2
    rows = {r["id"]: r for r in Gazetteer().entries.to_dict("records") if r["id"].startswith("gn:91")}
    assert rows["gn:9100001"]["admin1"] == "Aleppo" and rows["gn:9100001"]["admin2"] == "Azaz District"
    # Outside Syria nothing is guessed: no ADM1/ADM2 rows in this dump, so both stay empty.
    assert rows["gn:9100002"]["admin1"] == "" and rows["gn:9100002"]["admin2"] == ""


def test_far_away_small_places_are_left_out_unless_asked(env):
    lines = GEONAMES[:2] + [
        gn_line(2950159, "Berlin", "Berlin", [], 52.52, 13.40, "P", "PPLC", "16", 3_426_354, cc="DE"),
        gn_line(2950001, "Kleindorf", "Kleindorf", [], 52.1, 13.1, "P", "PPL", "16", 800, cc="DE"),
        gn_line(300001, "Kilis", "Kilis", [], 36.72, 37.12, "P", "PPLA", "79", 80_000, cc="TR"),
        gn_line(300002, "Oncupinar", "Oncupinar", [], 36.64, 37.08, "S", "PSTB", "79", 0, cc="TR"),
    ]
    summary = import_geonames(write_txt(env / "SY.txt", lines))
    assert summary["dropped_far_away"] == 1 and summary["imported"] == 5
    g = Gazetteer()
    assert g.get("gn:2950159") is not None and g.get("gn:2950001") is None and g.get("gn:300002") is not None
    summary = import_geonames(write_txt(env / "SY.txt", lines), keep_all=True)
    assert summary["dropped_far_away"] == 0 and Gazetteer().get("gn:2950001") is not None


def test_import_streams_in_chunks_with_the_same_result(env, monkeypatch):
    import geomap.gazetteer_import as gi

    import_geonames(write_txt(env / "SY.txt", GEONAMES))
    whole = (settings.data_dir / OVERLAY_FILENAME).read_bytes()
    monkeypatch.setattr(gi, "CHUNK_ROWS", 2)
    import_geonames(write_txt(env / "SY.txt", GEONAMES))
    assert (settings.data_dir / OVERLAY_FILENAME).read_bytes() == whole
