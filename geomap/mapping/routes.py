"""Movements -> the routes the map draws: path, arrowhead, unknown-end stub and popup fields.

Part of the map's payload (:mod:`geomap.mapping.payload` holds the shared helpers and the
incidents). A route to or from another country meets Syria's border where
:class:`geomap.mapping.borders.BorderAnchors` says.
"""

from __future__ import annotations

import math

import pandas as pd

from geomap.mapping.payload import (
    IMPRECISE,
    MOVEMENT_STYLES,
    SOURCE_COLS,
    SOURCE_TEXTS,
    StringTable,
    column,
    count_text,
    date_label,
    day_numbers,
    highlight,
    inferred_dates,
    num,
    number_columns,
    number_needles,
    rounded,
    source_fields,
    text_columns,
    valid_point,
)

LatLon = tuple[float, float]

_STUB = 0.35  # degrees: length of the "unknown end" stub, fixed so it never suggests a place


def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def screen_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Clockwise screen angle in degrees (0 = east) of the segment a->b, as Web Mercator draws it."""
    dx = b[1] - a[1]
    dy = _merc_y(b[0]) - _merc_y(a[0])
    return -math.degrees(math.atan2(dy, dx))


def bezier(
    a: tuple[float, float], b: tuple[float, float], bend: float = 0.22, n: int = 16
) -> list[tuple[float, float]]:
    """Quadratic Bezier from a to b (lat, lon), bowed to the left of travel by ``bend`` x length."""
    k = math.cos(math.radians((a[0] + b[0]) / 2)) or 1e-6
    ax, ay, bx, by = a[1] * k, a[0], b[1] * k, b[0]
    mx, my = (ax + bx) / 2, (ay + by) / 2
    dx, dy = bx - ax, by - ay
    cx, cy = mx - dy * bend, my + dx * bend
    pts = []
    for j in range(n + 1):
        t = j / n
        x = (1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t * t * bx
        y = (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t * t * by
        pts.append((y, x / k))
    return pts


def movement_width(best: float | None) -> float:
    """Line width in pixels, growing with the log of the count (2 px when unknown)."""
    if best is None or best <= 0:
        return 2.0
    return round(min(2.0 + 1.6 * math.log10(max(best, 1.0)), 11.0), 1)


def _legs(points: list[LatLon], curved: list[bool], on_land=None) -> list[LatLon]:
    """A path through the points, each leg curved (a Bezier) or straight as ``curved`` says.

    ``on_land``, if given, says whether a curve keeps off the sea; a curve that would not is drawn
    straight (its straight way was checked when the route was chosen).
    """
    path: list[LatLon] = [points[0]]
    for a, b, c in zip(points, points[1:], curved):
        if abs(a[0] - b[0]) + abs(a[1] - b[1]) <= 1e-6:
            continue
        arc = bezier(a, b) if c else [a, b]
        if c and on_land is not None and not on_land(arc):
            arc = [a, b]
        path.extend(arc[1:])
    if len(path) == 1:
        path.append((points[0][0] + 0.02, points[0][1] + 0.02))  # same place both ends: a dot-like tick
    return path


def drawn_path(
    o: LatLon | None, t: LatLon | None, o_prec: str, t_prec: str, curved: bool, anchors=None, by_sea: bool = False
):
    """The path a movement is drawn along, as ``(path, end, border, crossing)``.

    ``end``: 0 both ends known, 1 destination unknown (a stub from the origin), 2 origin unknown
    (a stub into the destination). A flow between Syria and another country passes the border
    where ``anchors`` (a :class:`geomap.mapping.borders.BorderAnchors`) says; ``border`` is then 1
    (origin) or 2 (destination) when the line ends at the border instead of at that end, and
    ``crossing`` the :class:`~geomap.mapping.borders.Crossing` (None when no border is passed).
    A movement the report says went ``by_sea`` with both ends known as places (not a whole
    country, whose centre would be far inland) is one curve between them, across the water: no
    land border is passed.
    """
    end = 0 if (o and t) else 1 if o else 2
    x, side = None, 0
    if by_sea and o and t and "country" not in (o_prec, t_prec):
        return _legs([o, t], [True]), end, 0, None
    if anchors is not None:
        if t and anchors.abroad(t) and not (o and anchors.abroad(o)):
            x, side = anchors.crossing(t, t_prec, o), 2
        elif o and anchors.abroad(o) and not (t and anchors.abroad(t)):
            x, side = anchors.crossing(o, o_prec, t), 1
    if x is None:
        if o and t:
            return _legs([o, t], [curved]), end, 0, None
        if o:
            return [o, (o[0] + _STUB * 0.6, o[1] + _STUB)], 1, 0, None  # fixed direction: east-north-east
        assert t is not None  # a movement with neither end is not drawn
        return [(t[0] - _STUB * 0.6, t[1] - _STUB), t], 2, 0, None
    # Through the border: the Syrian part from the known end, or a stub from the Syrian side; the
    # foreign part on to the foreign end only when the crossing says so. Legs across the border are
    # curved like displacement (they are not a road); a stub is straight.
    if side == 2:
        start = o if o else anchors.inward(x.point, _STUB)
        points = [start, x.point] + ([t] if x.onward else [])
        legs = [bool(o), True]
    else:
        finish = t if t else anchors.inward(x.point, _STUB)
        points = ([o] if x.onward else []) + [x.point, finish]
        legs = ([True] if x.onward else []) + [bool(t)]
    return _legs(points, legs, anchors.stays_on_land), end, 0 if x.onward else side, x


def movements_payload(mov: pd.DataFrame, st: StringTable, anchors=None) -> dict:
    """Movements -> rows with their drawn path, arrowhead and popup fields.

    ``end``: 0 both ends known, 1 destination unknown (stub from the origin), 2 origin unknown
    (stub into the destination). A movement with no known end is not drawn; ``not_drawn``
    counts those per kind. A flow to or from another country passes Syria's border (``anchors``,
    a :class:`geomap.mapping.borders.BorderAnchors`; see :func:`drawn_path`): ``via`` is where,
    ``border`` 1 (origin) or 2 (destination) when the line ends there, and ``why`` says why;
    ``o``/``t`` keep the true ends; ``route`` is the table's (``sea``: drawn across the water).
    """
    cols = [
        *"kind path end arrow w label d0 d1 date actor from fromprec to toprec count".split(),
        *SOURCE_COLS,
        *"imprecise best border o t dinf via why route".split(),
    ]
    rows: list = []
    not_drawn: dict[str, int] = {}
    if mov is None or len(mov) == 0:
        return {"cols": cols, "rows": rows, "not_drawn": not_drawn}
    olat, olon, tlat, tlon = number_columns(mov, "origin_lat", "origin_lon", "destination_lat", "destination_lon")
    if "geometry" in mov.columns:
        for i, g in enumerate(mov.geometry):
            if g is not None and not g.is_empty and g.geom_type == "LineString":
                c = list(g.coords)
                olon[i], olat[i] = c[0][0], c[0][1]
                tlon[i], tlat[i] = c[-1][0], c[-1][1]
    d0 = day_numbers(column(mov, "date_start"))
    d1 = day_numbers(column(mov, "date_end"))
    S = text_columns(
        mov,
        (
            *"kind actor origin_name origin_precision destination_name destination_precision count_qualifier date_precision movement_id route".split(),
            *SOURCE_TEXTS,
        ),
    )
    low, best, high, conf = number_columns(mov, "count_low", "count_best", "count_high", "confidence")
    inferred = inferred_dates(mov)
    for i in range(len(mov)):
        kind = S["kind"][i].lower()
        style = MOVEMENT_STYLES.get(kind, {"noun": "", "curved": "0"})
        has_o = valid_point(olat[i], olon[i])
        has_t = valid_point(tlat[i], tlon[i])
        if not (has_o or has_t):
            not_drawn[kind] = not_drawn.get(kind, 0) + 1
            continue
        o = (float(olat[i]), float(olon[i])) if has_o else None
        t = (float(tlat[i]), float(tlon[i])) if has_t else None
        path, end, border, x = drawn_path(
            o,
            t,
            S["origin_precision"][i].lower(),
            S["destination_precision"][i].lower(),
            style["curved"] == "1",
            anchors,
            by_sea=S["route"][i].lower() == "sea",
        )
        ang = screen_angle(path[-2], path[-1])
        b = num(best[i])
        when = date_label(d0[i], d1[i], S["date_precision"][i].lower())
        ctext = count_text(low[i], best[i], high[i], S["count_qualifier"][i], style["noun"])
        # One movement: "weapons movement", not the layer's plural "weapons movements".
        noun1 = MOVEMENT_STYLES.get(kind, {"label": kind})["label"].lower().removesuffix("s")
        label = ", ".join(x for x in (ctext or noun1, "" if when == "date unknown" else when) if x)
        ev = highlight(S["evidence"][i], [S["origin_name"][i], S["destination_name"][i], *number_needles(b)])
        imprecise = (has_o and S["origin_precision"][i].lower() in IMPRECISE) or (
            has_t and S["destination_precision"][i].lower() in IMPRECISE
        )
        rows.append(
            [
                st(kind),
                [v for p in path for v in (rounded(p[0]), rounded(p[1]))],
                end,
                [rounded(path[-1][0]), rounded(path[-1][1]), round(ang, 1)] if end != 1 else None,
                movement_width(b),
                st(label),
                None if not math.isfinite(d0[i]) else int(d0[i]),
                None if not math.isfinite(d1[i]) else int(d1[i]),
                st(when),
                st(S["actor"][i]),
                st(S["origin_name"][i] if has_o else ""),
                st(S["origin_precision"][i] if has_o else ""),
                st(S["destination_name"][i] if has_t else ""),
                st(S["destination_precision"][i] if has_t else ""),
                st(ctext),
                *source_fields(st, S, i, ev, conf[i], S["movement_id"][i]),
                1 if imprecise else 0,
                b,
                border,
                None if o is None else [rounded(o[0]), rounded(o[1])],
                None if t is None else [rounded(t[0]), rounded(t[1])],
                1 if inferred[i] else 0,
                None if x is None else [rounded(x.point[0]), rounded(x.point[1])],
                st(x.why if x is not None else ""),
                st(S["route"][i].lower()),
            ]
        )
    return {"cols": cols, "rows": rows, "not_drawn": not_drawn}
