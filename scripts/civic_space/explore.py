"""`civic-space explore`: the package in Datasette, for readers who do not code. The database is
the SQLite download (exports.sqlite); its metadata (titles, descriptions, licence, source,
facets) is generated from datapackage.json and the schemas (the per-value view's from its own,
with the site's stated-only query as a canned query), so it never drifts from them."""

from __future__ import annotations

import argparse
import importlib.util
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import edge, value_view
from .descriptor import DataPackage, Table, display, load
from .exports import sqlite
from .i18n import _
from .meanings import EVENT_PLACE, PLACES, THEMES

READY_WITHIN = 60  # seconds Datasette may take to answer before we give up on it
# Straight to 127.0.0.1: a proxy set in the environment must not see (or break) a local request.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def column(field: dict) -> str:
    """A field's title and description, as Datasette shows them above the table."""
    return " — ".join(t for t in (field.get("title"), field.get("description")) if t)


def referring(table: Table, target: str) -> list[str]:
    """The fields of `table` that are keys of the table `target`."""
    return [n for n in table.field_names if (table.reference(n) or ("",))[0] == target]


def facets(table: Table) -> list:
    """Where the rows happened and on what theme (fields referring to the places or the themes
    table), then when (date fields): the questions a reader asks of a table first."""
    places = referring(table, PLACES.table)
    if table.name == EVENT_PLACE.table and EVENT_PLACE.place not in places:
        places.append(EVENT_PLACE.place)
    themes = referring(table, THEMES)
    dates = [{"date": f["name"]} for f in table.fields if f.get("type") == "date"]
    return [*places, *themes, *dates]


def metadata(package: DataPackage) -> dict:
    """Datasette's metadata.json for the package's database, from the descriptor and schemas."""
    meta = package.descriptor
    resources = {r["name"]: r for r in meta["resources"]}
    licenses = meta.get("licenses") or [{}]
    sources = meta.get("sources") or [{}]
    tables = {}
    for table in package.tables:
        resource = resources[table.name]
        tables[table.name] = {
            "title": resource.get("title", table.name),
            "description": resource.get("description", ""),
            "columns": {f["name"]: column(f) for f in table.fields},
            "facets": facets(table),
        }
    tables[value_view.name()] = view_metadata(package)
    found = {
        "title": meta.get("title", meta["name"]),
        "description": meta.get("description", ""),
        # Datasette shows one licence and one source: ours are one each; several are joined.
        "license": " / ".join(x.get("name") or x.get("title", "") for x in licenses),
        "license_url": licenses[0].get("path"),
        "source": " / ".join(x.get("title") or x.get("path", "") for x in sources),
        "source_url": sources[0].get("path"),
        "databases": {meta["name"]: {"tables": tables, "queries": queries()}},
    }
    return {k: v for k, v in found.items() if v}  # no empty link in the footer


def view_metadata(package: DataPackage) -> dict:
    """The per-value view (value_view), described from its own schema; faceted by table and by
    the fields whose values are a fixed list (its basis)."""
    declared = value_view.declared()
    view = value_view.table(package)
    enums = [f["name"] for f in view.fields if "enum" in f.get("constraints", {})]
    return {
        "title": declared.get("title", view.name),
        "description": declared.get("description", ""),
        "columns": {f["name"]: column(f) for f in view.fields},
        "facets": [value_view.names()["table"], *enums],
    }


def queries() -> dict:
    """The one query the site shows beside the view: the values stated in their row's source."""
    return {
        "stated-values": {
            "title": _("Values stated in their row's source"),
            "sql": value_view.stated_query(),
        }
    }


def write(package: DataPackage) -> tuple[Path, Path]:
    """The database and metadata.json in build/explore/ of the package's repository."""
    folder = edge.make_folder(package.base, package.base / "build" / "explore")
    # Datasette names a database after its file: the package's name (no dot for URLs to escape).
    database = folder / f"{package.descriptor['name']}.db"
    # Built aside, then moved in: a Datasette still serving the old file keeps reading it whole.
    about = folder / "metadata.json"
    for path in (database, about):  # both checked before either is written
        edge.inside(package.base, path)
    with edge.replacing(package.base, database) as scratch:
        sqlite(package, scratch)
    text = json.dumps(metadata(package), ensure_ascii=False, indent=2) + "\n"
    edge.write_text(package.base, about, text)
    return database, about


def taken(port: int) -> bool:
    """Whether something already listens on the port: it, not our Datasette, would answer."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def ready(server: subprocess.Popen, address: str) -> bool:
    """Whether Datasette answers at `address`: False if it stopped, or stays silent too long."""
    deadline = time.monotonic() + READY_WITHIN
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with LOCAL.open(f"{address}-/versions.json", timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def interrupted(signum, frame):
    raise KeyboardInterrupt  # so that `kill` (a test, a process manager) stops Datasette too


def serve(database: Path, about: Path, port: int) -> int:
    """Run Datasette until Ctrl+C (or SIGTERM), then stop it; 0 unless it failed on its own."""
    address = f"http://127.0.0.1:{port}/"
    # This interpreter's Datasette (the nox environment's); without --open: no browser.
    command = [sys.executable, "-m", "datasette", "serve", str(database), "--metadata"]
    command += [str(about), "--host", "127.0.0.1", "--port", str(port)]
    before = signal.signal(signal.SIGTERM, interrupted)
    server = None
    try:
        server = subprocess.Popen(command)
        if not ready(server, address):
            note = f"explore: Datasette did not start at {address} — see its message above"
            print(note, file=sys.stderr)
            return 1
        print(f"Datasette is at {address} — press Ctrl+C to stop", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        signal.signal(signal.SIGTERM, before)


def main(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("datasette") is None:
        print("explore: Datasette is not installed here — run: nox -s explore", file=sys.stderr)
        return 1
    if taken(args.port):
        print(f"explore: port {args.port} is in use — choose another with --port", file=sys.stderr)
        return 1
    package = load(args.descriptor)
    try:
        database, about = write(package)
    except (ValueError, sqlite3.Error) as exc:  # a value its type refuses, a key used twice
        note = f"explore: the data does not load ({exc}) — run `nox` and fix what it reports"
        print(note, file=sys.stderr)
        return 1
    print(f"wrote {display(database)} and {display(about)}", flush=True)  # before its logs
    return serve(database, about, args.port)
