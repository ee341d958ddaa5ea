"""The main job needs no network: sockets are disabled and everything still runs, offline map included."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Make every attempt to open a network socket fail loudly (and record it)."""
    attempts: list[tuple] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        # Creating a socket is harmless (urllib3 probes IPv6 support by binding ::1 at import);
        # reaching anything through one is not. AF_UNIX never leaves the machine.
        def _guard(self, what, address):
            if self.family != getattr(socket, "AF_UNIX", None):
                attempts.append((what, address))
                raise NetworkUsed(f"network {what} attempted: {address!r}")

        def connect(self, address):
            self._guard("connect", address)
            return super().connect(address)

        def connect_ex(self, address):
            self._guard("connect", address)
            return super().connect_ex(address)

        def sendto(self, data, *args):
            self._guard("sendto", args[-1] if args else None)
            return super().sendto(data, *args)

    def refuse(*args, **kwargs):
        attempts.append(("connect", args[:1]))
        raise NetworkUsed(f"network connection attempted: {args[:1]}")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _corpus(tmp_path: Path) -> Path:
    assert SEEDS.is_dir(), "seeds/ ships with geomap"
    return SEEDS


def test_guard_really_blocks(no_network):
    # The guard must bite, or the tests below prove nothing.
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80), timeout=1)
    with pytest.raises(NetworkUsed), socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect(("127.0.0.1", 9))
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("example.org", 443)
    assert len(no_network) == 3
    no_network.clear()


def test_cli_map_runs_offline(no_network, tmp_path):
    from geomap.cli import main

    out = tmp_path / "out"
    code = main(["map", str(_corpus(tmp_path)), "-o", str(out), "--quiet"])
    assert code == 0, (out / "run.json").read_text() if (out / "run.json").exists() else code
    assert no_network == []
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["incidents"] > 0
    html = (out / "map.html").read_text(encoding="utf-8")
    # Offline by default: no script, stylesheet or tile fetched from a server.
    # (An <a href> attribution link is fine: nothing is fetched unless clicked.)
    remote = re.findall(r"""(?:\bsrc\s*=\s*|<link\b[^>]*\bhref\s*=\s*)["'](?:https?:)?//[^"']+""", html)
    assert remote == [], remote[:5]
    # The client only adds the OSM tile layer when the payload asks for it.
    assert re.search(r'online_tiles\\?":false', html), "map payload does not say online_tiles false"


def test_python_api_runs_offline(no_network, tmp_path):
    import geomap

    articles = geomap.read_articles(str(_corpus(tmp_path)))
    result = geomap.extract(articles)
    m = geomap.make_map(result)
    m.save(str(tmp_path / "m.html"))
    gaz = geomap.Gazetteer()
    loc = gaz.geocode("Deir ez-Zor")
    assert loc is not None and 34 < loc.latitude < 37
    assert len(result.incidents) > 0
    assert no_network == []


def test_render_and_resolve_run_offline(no_network, tmp_path, capsys):
    from geomap.cli import main

    out = tmp_path / "out"
    assert main(["extract", str(_corpus(tmp_path)), "-o", str(out), "--quiet"]) == 0
    assert main(["render", str(out), "--quiet"]) == 0
    assert (out / "map.html").stat().st_size > 10_000
    assert main(["resolve", "Aleppo", "--json"]) == 0
    assert "Aleppo" in capsys.readouterr().out
    assert no_network == []
