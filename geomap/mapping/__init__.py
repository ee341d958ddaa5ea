"""Building blocks of geomap's map: assets, data payloads, client script (entry: geomap.map)."""
