"""`civic-space explore` serves every row of the package in Datasette, described by the schemas,
with facets by place, theme and date, and stops cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter

import pytest

from civic_space import value_view
from civic_space.descriptor import load
from civic_space.explore import THEMES
from civic_space.exports import typed
from civic_space.formatting import read_rows
from civic_space.meanings import EVENT_DATES, EVENT_PLACE

# Straight to 127.0.0.1, whatever proxy the environment names.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    # Datasette cannot report a port it picked itself (--port 0), so we pick one it can take.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str):
    with LOCAL.open(url, timeout=5) as response:
        return json.load(response)


def answers(url: str) -> bool:
    try:
        get(url)
        return True
    except OSError:
        return False


@pytest.fixture
def explore(package_copy):
    """The command running on a copy of the package (its build/ stays in the copy); yields
    (address, process). Whatever the test does, nothing it started outlives it."""
    port = free_port()
    address = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "civic_space", "explore", "--port", str(port), str(package_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={},  # the tool is installed in the environment; no locale, no proxy
        start_new_session=True,  # one group: the command and its Datasette
    )
    try:
        deadline = time.monotonic() + 20
        while not answers(f"{address}-/versions.json"):
            assert server.poll() is None, server.communicate(timeout=5)
            assert time.monotonic() < deadline, "Datasette did not answer within 20 s"
            time.sleep(0.1)
        yield address, server, load(package_copy)
    finally:
        if server.poll() is None or answers(f"{address}-/versions.json"):
            with contextlib.suppress(ProcessLookupError):  # a failed test: leave nothing running
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_explore_serves_the_package_described(explore):
    address, server, package = explore
    db = f"{address}{package.descriptor['name']}"
    events = package.table(EVENT_DATES.table)
    header, rows = read_rows(events)

    # Every row and every value of the events table (booleans are 0/1 in SQLite).
    got = get(f"{db}/{events.name}.json?_shape=array&_size=max")
    want = [
        {n: int(t) if isinstance(t := typed(v, events.field(n)), bool) else t for n, v in pairs}
        for pairs in (zip(header, r, strict=True) for r in rows)
    ]
    key = events.primary_key
    assert sorted(got, key=lambda r: [r[k] for k in key]) == sorted(
        want, key=lambda r: [r[k] for k in key]
    )

    # The titles and descriptions of the descriptor and the schemas, the licence, the source.
    meta = get(f"{address}-/metadata.json")
    licence, source = package.descriptor["licenses"][0], package.descriptor["sources"][0]
    assert (meta["license"], meta["license_url"]) == (licence["name"], licence["path"])
    assert meta["source"] == source["title"]
    assert meta["title"] == package.descriptor["title"]
    tables = meta["databases"][package.descriptor["name"]]["tables"]
    assert set(tables) == {t.name for t in package.tables} | {value_view.name()}
    for resource in package.descriptor["resources"]:
        table = tables[resource["name"]]
        assert (table["title"], table["description"]) == (
            resource["title"],
            resource["description"],
        )
        for field in package.table(resource["name"]).fields:
            assert field["title"] in table["columns"][field["name"]]
            assert field["description"] in table["columns"][field["name"]]

    # Facets: the issues' theme is one (read from the schema: a key of the themes table) ...
    refers = [(t.name, n, t.reference(n) or ("",)) for t in package.tables for n in t.field_names]
    themed = {(name, field) for name, field, (target, *_) in refers if target == THEMES}
    assert themed and all(field in tables[name]["facets"] for name, field in themed)
    # ... the events' place and dates are shown unasked, and a place facet counts the rows.
    shown = get(f"{db}/{events.name}.json?_size=0")["facet_results"]
    assert {EVENT_PLACE.place, EVENT_DATES.start, EVENT_DATES.end} <= set(shown)
    place = header.index(EVENT_PLACE.place)
    facet = get(f"{db}/{events.name}.json?_facet={EVENT_PLACE.place}&_size=0")["facet_results"]
    counts = {r["value"]: r["count"] for r in facet[EVENT_PLACE.place]["results"]}
    assert counts == Counter(r[place] for r in rows if r[place])

    # Stopped as Ctrl+C or a process manager stops it: exit 0, and Datasette gone with it.
    server.terminate()
    out, err = server.communicate(timeout=15)
    assert server.returncode == 0, err
    assert f"Datasette is at {address}" in out
    assert not answers(f"{address}-/versions.json")
