"""Bytes -> text for article files: encoding detection and invisible characters.

Detection (``decode``), in this order:

1. a byte-order mark (UTF-32, UTF-16, UTF-8) decides, confidence 1.0;
2. bytes that are valid UTF-8 are UTF-8, confidence 1.0;
3. text with NUL bytes is tried as UTF-16/UTF-32 without a BOM, else it is binary;
4. UTF-8 with a few stray bytes (one ``é`` typed in windows-1252 into a UTF-8 file) stays
   UTF-8: only the stray bytes are read as windows-1252 and counted, the rest of the file is
   not turned into latin-1;
5. anything else is a legacy 8-bit encoding chosen by charset-normalizer among the ones
   English and Arabic news sites serve (windows-1252/1256, ISO-8859-1/6...).

The confidence recorded is ``1 - chaos`` from charset-normalizer (its measure of how much the
decoded text looks like noise) or the share of non-ASCII bytes that decoded cleanly.

Invisible characters (zero-width spaces, soft hyphens, direction marks, a BOM inside the text)
hide names from the matcher ("Ho\\u200bms"). ``strip_invisible`` removes them when the article
is read, so the text stored in the articles table has none and every ``char_start``/``char_end``
in the outputs is exact against that stored text (not against the raw file).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

__all__ = ["Decoded", "decode", "strip_invisible", "INVISIBLE"]

#: How many bytes charset-normalizer looks at (it is slow on large inputs; a sample decides).
DETECT_SAMPLE_BYTES = 256 * 1024
#: Legacy encodings charset-normalizer may choose among, in order of preference on a tie.
LEGACY_ENCODINGS = ("cp1252", "cp1256", "iso8859_6", "latin_1", "cp1250", "iso8859_15", "mac_roman")
_WIDE_ENCODINGS = ("utf_32_le", "utf_32_be", "utf_16_le", "utf_16_be")

#: Characters removed before matching: they are invisible and split words.
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero-width space
    "\u200e\u200f"  # left-to-right / right-to-left marks
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero-width no-break space inside the text
)
# ZWNJ/ZWJ shape Arabic and Persian script (and emoji): removed only between Latin letters.
_LATIN = "A-Za-z\u00c0-\u024f"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+|(?<=[{_LATIN}])[\u200c\u200d]+(?=[{_LATIN}])")
_BINARY_REASON = "binary file (NUL bytes)"


@dataclass
class Decoded:
    """The result of decoding one file's bytes."""

    text: str | None
    encoding: str | None = None
    confidence: float | None = None
    reason: str | None = None
    notes: list[str] = field(default_factory=list)


def strip_invisible(text: str) -> tuple[str, int]:
    """Remove invisible characters; returns ``(text, number_removed)``."""
    removed = 0

    def _count(m: re.Match) -> str:
        nonlocal removed
        removed += len(m.group(0))
        return ""

    return _INVISIBLE_RE.sub(_count, text), removed


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):  # registered for decoding only
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("geomap-cp1252", _stray_as_cp1252)


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    ctrl = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or "\x7f" <= c < "\xa0")
    return ctrl / len(sample)


def _is_texty(text: str) -> bool:
    return _control_share(text) <= 0.01


def _by_bom(data: bytes) -> Decoded | None:
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF8, "utf-8-sig"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc.replace("-sig", ""), 1.0)
            except UnicodeDecodeError:
                if enc == "utf-8-sig":
                    return None  # a UTF-8 BOM over stray bytes: handled like UTF-8 below
                return Decoded(None, reason=f"undecodable {enc.upper()} (byte-order mark, bad data)")
    return None


def _candidates(data: bytes, encodings: tuple[str, ...]):
    import charset_normalizer

    return list(charset_normalizer.from_bytes(data[:DETECT_SAMPLE_BYTES], cp_isolation=list(encodings)))


def _wide(data: bytes) -> Decoded:
    """UTF-16/UTF-32 without a BOM (NUL bytes between ASCII letters), else binary."""
    for match in _candidates(data, _WIDE_ENCODINGS):
        try:
            text = data.decode(match.encoding)
        except UnicodeDecodeError:
            continue
        if text.strip() and _is_texty(text):
            return Decoded(text, match.encoding.replace("_", "-"), round(1.0 - match.chaos, 3))
    return Decoded(None, reason=_BINARY_REASON)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few stray single bytes: decode the stray ones as windows-1252."""
    strict = data.decode("utf-8", errors="replace")
    bad = strict.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for c in strict if ord(c) > 127 and c != "\ufffd")
    if multibyte == 0 or bad > max(3, multibyte // 4):
        return None
    text = data.decode("utf-8", errors="geomap-cp1252")
    conf = round(multibyte / (multibyte + bad), 3)
    return Decoded(text, "utf-8", conf, notes=[f"{bad} byte(s) not UTF-8 read as windows-1252"])


def _arabic_share(text: str) -> float:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 0.0
    return sum("\u0600" <= c <= "\u06ff" for c in non_ascii) / len(non_ascii)


def _legacy(data: bytes) -> Decoded:
    matches = _candidates(data, LEGACY_ENCODINGS)
    if not matches:
        return Decoded(data.decode("latin-1"), "latin-1", 0.0, notes=["no encoding fits; read as latin-1"])
    best_chaos = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= best_chaos + 0.01]
    names = {m.encoding: m for m in tied}
    # charset-normalizer cannot tell windows-1252 from windows-1250 on short English texts,
    # and may prefer another code page over windows-1256 for a few Arabic words: the share of
    # Arabic letters and a preference order settle a tie.
    order = list(LEGACY_ENCODINGS)
    if "cp1256" in names or any(m.encoding == "cp1256" for m in matches):
        try:
            if _arabic_share(data.decode("cp1256")) > 0.6:
                order.remove("cp1256")
                order.insert(0, "cp1256")
                cp1256 = next(m for m in matches if m.encoding == "cp1256")
                names.setdefault("cp1256", cp1256)
        except UnicodeDecodeError:
            pass
    chosen = next((names[e] for e in order if e in names), tied[0])
    try:
        text = data.decode(chosen.encoding)
    except UnicodeDecodeError:
        text = data.decode(chosen.encoding, errors="replace")
    encoding = chosen.encoding
    # charset-normalizer reports one of several code pages that give the same text: name the
    # most common one.
    for preferred in order[: order.index(encoding)] if encoding in order else ():
        try:
            if data.decode(preferred) == text:
                encoding = preferred
                break
        except UnicodeDecodeError:
            continue
    encoding = {
        "latin_1": "latin-1",
        "iso8859_6": "iso-8859-6",
        "iso8859_15": "iso-8859-15",
        "mac_roman": "mac-roman",
    }.get(encoding, encoding)
    return Decoded(text, encoding, round(1.0 - chosen.chaos, 3))


def decode(data: bytes) -> Decoded:
    """Decode one file's bytes (see the module docstring for the order of tests).

    Returns
    -------
    Decoded
        ``text`` None (with ``reason``) when the bytes are empty or not text.
    """
    if not data.strip():
        return Decoded(None, reason="empty file")
    by_bom = _by_bom(data)
    if by_bom is not None:
        return by_bom
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    sample = body[:8192]
    if b"\x00" in sample:
        return _wide(body)
    # Control bytes other than whitespace mean this is not prose in any encoding.
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if ctrl > max(2, len(sample) // 100):
        return Decoded(None, reason="binary file (control bytes)")
    try:
        return Decoded(body.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    return _mostly_utf8(body) or _legacy(body)
