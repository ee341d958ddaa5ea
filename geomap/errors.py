"""Error classes. Each message says what went wrong and what to do about it."""


class GeomapError(Exception):
    """Base class of every error geomap raises on purpose."""


class ModelNotFoundError(GeomapError):
    """No English spaCy pipeline is installed."""


class GazetteerError(GeomapError):
    """The gazetteer files are missing or corrupt."""


class ImportFileError(GazetteerError):
    """A GeoNames file given to ``geomap gazetteer import`` cannot be read.

    The message names the file and, where it applies, the line.
    """


class InputError(GeomapError):
    """An input file or folder cannot be read as articles."""


class TablesError(GeomapError):
    """Tables given to ``geomap render`` do not have the columns the map needs."""
