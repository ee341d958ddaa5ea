"""'X near Y': Y tells where X is; the event is at X, never a second record at Y."""

import pandas as pd

import geomap


def test_a_place_after_near_another_place_is_no_event_place():
    text = (
        "Shelling by government forces on the besieged district of al-Waer near Homs on Monday "
        "killed at least 4 people, activists said."
    )
    inc = geomap.extract(pd.DataFrame([{"id": "a", "text": text, "date": "2016-12-30"}])).incidents
    assert list(inc.location_name) == ["Waer"]
    assert list(inc.count_best) == [4]
