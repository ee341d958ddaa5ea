"""One processed ``Doc`` -> plain records: the first step of :mod:`geomap.tables`.

``doc_records(doc)`` flattens a ``Doc`` into picklable dicts (no spaCy objects), one per
incident, movement, mention and sentence holding a mention, with the columns of the public
contract, so that it can run in worker processes.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from geomap.schema import acled_types

#: A mention's ``sentence`` column holds its whole sentence up to this many characters, else
#: this many characters around the mention (``…`` where cut): a sentence of 10,000 place
#: names must not be copied 10,000 times. The whole sentence is in ``sentences`` once.
MENTION_SENTENCE_CHARS = 400


def _place_fields(span, prefix: str) -> dict[str, Any]:
    """Flatten a place ``Span`` (or None) into ``<prefix>name/id/lat/lon/precision`` columns."""
    entry = getattr(span._, "place", None) if span is not None else None
    if entry is None:
        return {
            f"{prefix}text": span.text if span is not None else None,
            f"{prefix}name": None,
            f"{prefix}id": None,
            f"{prefix}lat": None,
            f"{prefix}lon": None,
            f"{prefix}precision": None,
        }
    return {
        f"{prefix}text": span.text,
        f"{prefix}name": entry.get("name"),
        f"{prefix}id": entry.get("id"),
        f"{prefix}lat": entry.get("lat"),
        f"{prefix}lon": entry.get("lon"),
        f"{prefix}precision": entry.get("level"),
    }


def _incident_place(span) -> dict[str, Any]:
    entry = getattr(span._, "place", None) if span is not None else None
    out = {
        "place_text": span.text if span is not None else None,
        "location_name": None,
        "gazetteer_id": None,
        "lat": None,
        "lon": None,
        "geo_precision": None,
        "admin1": None,
        "country_code": None,
    }
    if entry is not None:
        out.update(
            location_name=entry.get("name"),
            gazetteer_id=entry.get("id"),
            lat=entry.get("lat"),
            lon=entry.get("lon"),
            geo_precision=entry.get("level"),
            admin1=entry.get("admin1") or None,
            country_code=entry.get("country_code"),
        )
    return out


def _meta_fields(meta: dict) -> dict[str, Any]:
    return {
        "doc_id": meta.get("doc_id"),
        "outlet": meta.get("outlet") or meta.get("source"),
        "url": meta.get("url"),
        "published": meta.get("published"),
        "title": meta.get("title"),
    }


def _sentence_bounds(doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of every sentence, in one pass (``span.sent`` per mention
    rescans the sentence each time: quadratic in a long sentence)."""
    if not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
        return []
    return [(s.start_char, s.end_char) for s in doc.sents]


def _excerpt(text: str, start: int, end: int, m_start: int, m_end: int) -> str:
    """The sentence ``text[start:end]``, or ``MENTION_SENTENCE_CHARS`` of it around the mention."""
    if end - start <= MENTION_SENTENCE_CHARS:
        return text[start:end]
    room = max(0, MENTION_SENTENCE_CHARS - (m_end - m_start)) // 2
    lo = max(start, m_start - room)
    hi = min(end, max(m_end + room, lo + MENTION_SENTENCE_CHARS))
    lo = max(start, min(lo, hi - MENTION_SENTENCE_CHARS))
    return ("…" if lo > start else "") + text[lo:hi] + ("…" if hi < end else "")


def _mention_rows(doc, doc_id) -> tuple[list[dict], list[dict]]:
    """Mention records and the sentences they sit in (each sentence once)."""
    bounds = _sentence_bounds(doc)
    starts = [b[0] for b in bounds]
    text = doc.text
    mentions, used = [], {}
    for span in doc._.places or []:
        ext = span._  # one Underscore object per span: each `span._` access builds a new one
        entry = ext.place
        i = bisect_right(starts, span.start_char) - 1
        sent = bounds[i] if bounds and i >= 0 else None
        if sent is not None:
            used[i] = sent
        mentions.append(
            {
                "doc_id": doc_id,
                "char_start": span.start_char,
                "char_end": span.end_char,
                "text": span.text,
                "sentence": _excerpt(text, sent[0], sent[1], span.start_char, span.end_char) if sent else None,
                # Shifted with char_start/char_end when a long text was cut into chunks.
                "sentence_start": sent[0] if sent else None,
                "sentence_end": sent[1] if sent else None,
                "gazetteer_id": entry.get("id") if entry else None,
                "name": entry.get("name") if entry else None,
                "lat": entry.get("lat") if entry else None,
                "lon": entry.get("lon") if entry else None,
                "level": entry.get("level") if entry else None,
                "country_code": entry.get("country_code") if entry else None,
                "admin1": (entry.get("admin1") or None) if entry else None,
                "confidence": float(ext.place_confidence or 0.0),
                "kind": ext.place_kind,
                "qualifier": ext.place_qualifier,
            }
        )
    sentences = [
        {"doc_id": doc_id, "char_start": s, "char_end": e, "text": text[s:e]} for _, (s, e) in sorted(used.items())
    ]
    return mentions, sentences


def doc_records(doc) -> dict[str, list[dict]]:
    """Flatten one processed ``Doc`` into plain records.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A Doc that went through geomap's pipeline (``doc._.places``, ``doc._.incidents``,
        ``doc._.movements`` set; missing ones count as empty).

    Returns
    -------
    dict
        ``{"incidents": [...], "movements": [...], "mentions": [...], "sentences": [...]}``:
        lists of dicts with the contract's columns, holding no spaCy object (safe to pickle
        across processes).
    """
    meta = _meta_fields(doc._.meta or {})
    mentions, sentences = _mention_rows(doc, meta["doc_id"])
    incidents = []
    for rec in doc._.incidents or []:
        row = {k: v for k, v in rec.items() if k not in ("place", "place_named")}
        row.update(_incident_place(rec.get("place")))
        if rec.get("place_named"):
            # a place the gazetteer lacks, mapped on the area the text puts it in: the text
            # keeps its own name, the point and precision are the area's
            row["place_text"] = rec["place_named"]
        if rec.get("place_qualifier") is None and rec.get("place") is not None:
            row["place_qualifier"] = rec["place"]._.place_qualifier
        row["acled_event_type"], row["acled_sub_event_type"] = acled_types(
            row.get("event_type"), row.get("sub_type"), row.get("actor1")
        )
        row.update(meta)
        incidents.append(row)
    movements = []
    for rec in doc._.movements or []:
        row = {k: v for k, v in rec.items() if k not in ("origin", "destination")}
        row.update(_place_fields(rec.get("origin"), "origin_"))
        row.update(_place_fields(rec.get("destination"), "destination_"))
        row["acled_event_type"], row["acled_sub_event_type"] = acled_types(row.get("kind"))
        row.update(meta)
        movements.append(row)
    return {"incidents": incidents, "movements": movements, "mentions": mentions, "sentences": sentences}


# ----------------------------------------------------------------------------- across documents
