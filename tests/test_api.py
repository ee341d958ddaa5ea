"""The README's Python tour, run as a user would run it in a notebook."""

import folium
import geopandas as gpd
import pytest

import geomap


@pytest.fixture(scope="module")
def result():
    return geomap.extract(geomap.read_articles("seeds/"))


def test_readme_tour(result, tmp_path):
    assert isinstance(result.incidents, gpd.GeoDataFrame)
    assert result.incidents.crs.to_epsg() == 4326
    assert result.movements.crs.to_epsg() == 4326
    m = geomap.make_map(result)
    assert isinstance(m, folium.Map)
    m.save(tmp_path / "map.html")
    assert (tmp_path / "map.html").stat().st_size > 10_000
    # GeoPandas' own interactive map works on our tables (needs matplotlib + mapclassify).
    explored = result.incidents.explore()
    assert isinstance(explored, folium.Map)
    assert "Aleppo" in explored.get_root().render()


def test_gazetteer_is_a_geopy_geocoder():
    from geopy.geocoders.base import Geocoder

    gaz = geomap.Gazetteer()
    assert isinstance(gaz, Geocoder)
    loc = gaz.geocode("Dayr az Zawr")
    assert loc.raw["name"] == "Deir ez-Zor" and abs(loc.latitude - 35.34) < 0.1
    assert gaz.geocode("Xyzzyville Qwerty") is None


def test_extract_reads_text_dates_of_a_hand_built_table():
    import pandas as pd

    articles = pd.DataFrame(
        [{"id": "AFP-1", "text": "Government forces shelled the town of Atareb on Monday.", "date": "2016-05-04"}]
    )
    result = geomap.extract(articles)
    assert len(result.incidents) == 1
    row = result.incidents.iloc[0]
    # Monday before a Wednesday publication: the date is read from the text, not left empty.
    assert str(row["date_start"])[:10] == "2016-05-02"
    assert row["source_id"] == "AFP-1"


def test_read_articles_refuses_a_dataframe_with_a_clear_message():
    import pandas as pd

    with pytest.raises(geomap.errors.InputError, match="geomap.extract"):
        geomap.read_articles(pd.DataFrame([{"text": "x"}]))
