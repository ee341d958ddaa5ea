"""The custom attributes geomap's pipeline components set on spaCy objects.

Every component reads and writes state only through these, so a stage can be tested alone by
filling them by hand. ``register()`` is idempotent and runs on import of ``geomap.nlp``.

Doc._.meta          dict: doc_id, published (datetime.date | None), outlet, title, url
Doc._.places        list[Span]: every place mention, sorted by start (resolved or not)
Doc._.dates         list[Span]: date expressions, each with Span._.date_value
Doc._.counts        list[Span]: counted quantities, each with Span._.count
Doc._.incidents     list[dict]: incident records (see geomap.nlp.events)
Doc._.movements     list[dict]: movement records (see geomap.nlp.events)

Span._.place_id          gazetteer id or None (unresolved)
Span._.place             the gazetteer entry (dict) or None
Span._.place_confidence  float in [0, 1]
Span._.place_qualifier   "eastern", "southern suburbs of", "countryside"... or None
Span._.place_kind        "toponym" | "demonym" | "qualified"
Span._.date_value        dict: date_start, date_end (datetime.date | None), date_precision
Span._.count             dict: count_type, count_low, count_best, count_high, count_qualifier
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_DOC = {
    "meta": None,
    "places": None,
    "dates": None,
    "counts": None,
    "incidents": None,
    "movements": None,
}
_SPAN = {
    "place_id": None,
    "place": None,
    "place_confidence": 0.0,
    "place_qualifier": None,
    "place_kind": "toponym",
    "date_value": None,
    "count": None,
}


def register() -> None:
    """Declare geomap's extensions on ``Doc`` and ``Span`` (safe to call twice)."""
    for name, default in _DOC.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register()
