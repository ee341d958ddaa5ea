"""Fuzzing target for geomap's readers: any bytes, as any supported file, never crash a run.

``test_one_input(data)`` takes raw bytes, uses the first byte to pick a file type and the rest
as the file's content, and checks what every run relies on:

* ``geomap.encoding.decode`` returns text or a reason, never raises, never a lone surrogate;
* ``geomap.front_matter.split_front_matter`` never raises and never loses the body;
* ``geomap.read_articles`` on the file never raises, lists the file in ``attrs["inputs"]``,
  and everything it reports can be written to ``run.json`` (UTF-8, no control characters).

Run it with atheris (libFuzzer; ``pip install atheris``) for coverage-guided fuzzing::

    python fuzz/fuzz_readers.py -max_total_time=600 fuzz/corpus

or without atheris, as a time-bounded random and mutation fuzzer over the seed articles::

    python fuzz/fuzz_readers.py --seconds 60

A failure prints the input (hex) and raises; save it and add it to tests/test_hostile_inputs.py.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".csv"]
ROOT = Path(__file__).resolve().parent.parent
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TMP = tempfile.mkdtemp(prefix="geomap-fuzz-")


def test_one_input(data: bytes) -> None:
    """One fuzzing step (the atheris/libFuzzer entry point)."""
    import geomap
    from geomap.encoding import decode
    from geomap.front_matter import split_front_matter

    if not data:
        return
    suffix, content = SUFFIXES[data[0] % len(SUFFIXES)], data[1:]
    d = decode(content)
    assert (d.text is None) == (d.reason is not None)
    if d.text is not None:
        d.text.encode("utf-8")
        fields, body, problem = split_front_matter(d.text)
        assert isinstance(fields, dict) and d.text.endswith(body)
    path = os.path.join(_TMP, "input" + suffix)
    with open(path, "wb") as fh:
        fh.write(content)
    df = geomap.read_articles(path)
    assert len(df.attrs["inputs"]) == 1
    report = [e.get("input", "") + " " + str(e.get("reason", "")) for e in df.attrs["inputs"]]
    report += [s["input"] + " " + s["reason"] for s in df.attrs["skipped"]]
    json.dumps(report, ensure_ascii=False).encode("utf-8")
    assert not any(_CONTROL.search(r) for r in report), report


def _seeds() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*")) if p.is_file()]
    return seeds or [b"Government forces shelled Homs on Tuesday, killing 12 people."]


def _mutate(rnd: random.Random, data: bytes) -> bytes:
    b = bytearray(data[: rnd.randint(0, min(len(data), 4000))])
    for _ in range(rnd.randint(1, 20)):
        op = rnd.random()
        pos = rnd.randint(0, len(b)) if b else 0
        if op < 0.4:
            b[pos:pos] = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 8)))
        elif op < 0.6 and b:
            del b[pos : pos + rnd.randint(1, 16)]
        elif op < 0.8:
            b[pos:pos] = rnd.choice(
                [
                    b"---\n",
                    b"\n---\n",
                    b"&a [*a]",
                    b"*a",
                    b"\x00",
                    b"\xef\xbb\xbf",
                    b"\xff\xfe",
                    b"\xe9",
                    b"\xe2\x80\x8b",
                    b"<script>",
                    b'{"text": "',
                    b"\r\n",
                    b"date: 0001-01-01\n",
                ]
            )
        elif b:
            b[pos % len(b)] = rnd.getrandbits(8)
    return bytes([rnd.getrandbits(8)]) + bytes(b)


def main(argv: list[str]) -> int:
    try:
        import atheris  # type: ignore[import-not-found]
    except ImportError:
        atheris = None
    if atheris is not None and "--seconds" not in argv:
        atheris.instrument_all()
        atheris.Setup(argv, test_one_input)
        atheris.Fuzz()
        return 0
    seconds = float(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 60.0
    rnd, seeds, n = random.Random(int(time.time())), _seeds(), 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = _mutate(rnd, rnd.choice(seeds)) if rnd.random() < 0.8 else os.urandom(rnd.randint(1, 2000))
        try:
            test_one_input(data)
        except Exception:
            print(f"failing input ({len(data)} bytes): {data.hex()}", file=sys.stderr)
            raise
        n += 1
    print(f"{n} inputs in {seconds:.0f} s, no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
