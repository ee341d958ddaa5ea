"""Fixtures shared by several test files."""

import json

import pytest
from pipeline_docs import index, nlp, places_nlp  # noqa: F401  (pipeline fixtures, for modules without their own)

from geomap.mapping.synthetic import box_governorates


@pytest.fixture(scope="module")
def gaz_dir(tmp_path_factory):
    """A gazetteer folder with box-shaped governorates, for maps drawn from synthetic tables."""
    d = tmp_path_factory.mktemp("gaz")
    (d / "governorates.geojson").write_text(json.dumps(box_governorates()), "utf-8")
    return d
