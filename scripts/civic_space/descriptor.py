"""The data package as plain data: the descriptor, each table's schema, its CSV path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import descriptor_text, edge, identifiers, jsontext, policy
from .edge import PackageError, display  # noqa: F401 (most modules import them from here)
from .i18n import _

DEFAULT_DESCRIPTOR = Path("datapackage.json")


def load_json(path: Path, root: Path | None = None) -> Any:
    """A JSON file inside `root` (its own folder by default), read as standard JSON (see
    jsontext.py), never through a link or from a FIFO (see edge.py), and never more of it than
    a descriptor can hold."""
    try:
        with edge.open_read(path.parent if root is None else root, path) as file:
            raw = file.read(jsontext.MAX_BYTES + 1)
    except FileNotFoundError:
        raise PackageError(path, "file not found", "check the path, or restore the file") from None
    except OSError as exc:
        raise PackageError(path, f"cannot be read ({exc.strerror})", "check the file") from None
    try:
        return jsontext.parse(raw)
    except jsontext.NotJSON as exc:
        raise PackageError(path, exc.message, exc.fix, exc.line) from None


@dataclass(frozen=True)
class Table:
    """One tabular resource: its name, CSV path and Table Schema (as a dict)."""

    name: str
    path: Path
    schema_path: Path
    schema: dict

    @property
    def fields(self) -> list[dict]:
        return self.schema.get("fields", [])

    @property
    def field_names(self) -> list[str]:
        return [f.get("name") for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    def field(self, name: str) -> dict:
        return next((f for f in self.fields if f.get("name") == name), {})

    def reference(self, name: str) -> tuple[str, str] | None:
        """(table, field) that the single-field foreign key `name` refers to, or None."""
        for fk in self.schema.get("foreignKeys", []):
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            if fields == [name]:
                target = fk["reference"]["fields"]
                target = target if isinstance(target, str) else target[0]
                return fk["reference"]["resource"] or self.name, target
        return None

    def twins(self, lang: str) -> list[tuple[str, str]]:
        """(English field, its `lang` twin) pairs: `name_mn` translates `name_en` if there is
        one, else `name` (the convention, from the Table Schema fields alone)."""
        pairs = []
        for name in self.field_names:
            if name.endswith(f"_{lang}") and name != status_field(lang):
                stem = name[: -len(lang) - 1]
                english = f"{stem}_en" if f"{stem}_en" in self.field_names else stem
                if english in self.field_names:
                    pairs.append((english, name))
        return pairs


# The translation status that says a row has no translation yet (its twins are empty).
NO_TRANSLATION = "missing"


def status_field(lang: str) -> str:
    """The field that says how far a row's `lang` text can be trusted."""
    return f"{lang}_status"


@dataclass(frozen=True)
class DataPackage:
    descriptor_path: Path
    descriptor: dict
    tables: list[Table]
    origin: Path | None = None  # the folder in git whose history this package has, if elsewhere

    @property
    def base(self) -> Path:
        return self.descriptor_path.parent

    @property
    def home(self) -> Path:
        """Where git is asked about this package's history (its releases, older rows)."""
        return (self.origin or self.base).resolve()

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    @property
    def languages(self) -> list[str]:
        """The descriptor's `languages` (Frictionless's language-support recipe): the first is
        the data's own language, the others have twin fields."""
        return list(self.descriptor.get("languages") or ["en"])

    @property
    def translations(self) -> list[str]:
        """The languages with twin fields: those the descriptor lists after the first, and any
        whose status field (`mn_status`) a schema has, so that dropping `languages` from the
        descriptor cannot switch the checks of the twins off."""
        names = {n for t in self.tables for n in t.field_names}
        found = sorted(n.split("_")[0] for n in names if n == status_field(n.split("_")[0]))
        return list(dict.fromkeys([*self.languages[1:], *found]))


def load(descriptor_path: Path = DEFAULT_DESCRIPTOR, origin: Path | None = None) -> DataPackage:
    """Read the descriptor and every schema it points to, failing with a PackageError.

    What plain frictionless would accept but we do not (another dialect, a path out of the
    repository, a remote profile, a pattern that can hang) is refused here: see policy.py."""
    descriptor = load_json(descriptor_path)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageError(
            descriptor_path,
            "has no list of resources",
            'the descriptor must be a JSON object with a "resources" list',
        )
    refused(policy.check_package, descriptor_path, descriptor)
    refused(identifiers.check_package, descriptor_path, descriptor, descriptor_path.parent)
    refused(descriptor_text.check_package, descriptor_path, descriptor)
    base = descriptor_path.parent
    tables: list[Table] = []
    for number, res in enumerate(descriptor["resources"], start=1):
        refused(lacking, descriptor_path, res, number)
        label = f"resource {number} ({res['name']})"
        refused(policy.check_resource, descriptor_path, res, label)
        refused(identifiers.check_resource, descriptor_path, res, label, base)
        refused(descriptor_text.check_resource, descriptor_path, res, label)
        refused(distinct, descriptor_path, res, label, descriptor["resources"][: number - 1])
        path = refused(policy.inside, descriptor_path, base, res["path"], f"{label}: the path")
        schema_path = refused(
            policy.inside, descriptor_path, base, res["schema"], f"{label}: the schema"
        )
        schema = load_json(schema_path, base)
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            raise PackageError(schema_path, "has no list of fields", 'add a "fields" list')
        refused(policy.check_schema, schema_path, schema)
        for field in schema["fields"]:
            refused(descriptor_text.check_field_text, schema_path, field, field["name"])
        tables.append(Table(res["name"], path, schema_path, schema))
    schemas = {t.name: t.schema for t in tables}
    for table in tables:
        refused(policy.check_foreign_keys, table.schema_path, table.schema, schemas, table.name)
    return DataPackage(descriptor_path, descriptor, tables, origin)


def lacking(res: object, number: int) -> None:
    """A resource that is no object, or whose name, path or schema is missing or no string."""
    if not isinstance(res, dict):
        raise policy.Refusal(
            _("resource {number} is not an object").format(number=number),
            _('give every resource as {{"name": …, "path": …, "schema": …}}'),
        )
    for key in ("name", "path", "schema"):
        if not isinstance(res.get(key), str):
            found = _("has no {key}") if key not in res else _("has a {key} that is not a string")
            raise policy.Refusal(
                _("resource {number}: {found}").format(
                    number=number, found=found.format(key=f"“{key}”")
                ),
                _("give one {key} as a string, such as {example} (a resource is one file)").format(
                    key=f"“{key}”", example=EXAMPLES[key]
                ),
            )


EXAMPLES = {"name": "themes", "path": "data/themes.csv", "schema": "schemas/themes.json"}


def distinct(res: dict, label: str, before: list[dict]) -> None:
    """No two tables share a name, a CSV or a schema file: each is one table's, and the
    downloads hold each once (a zip of two entries of one name, a sheet twice)."""
    for key in ("name", "path", "schema"):
        other = next(
            (n for n, r in enumerate(before, 1) if r[key].casefold() == res[key].casefold()), None
        )
        if other is not None:
            raise policy.Refusal(
                _("{label}: the {key} “{value}” is resource {other}'s too").format(
                    label=label, key=key, value=res[key], other=other
                ),
                _("give each table its own {key}").format(key=key),
            )


def refused(check, where: Path, *args):
    """Run a policy check; its Refusal becomes a PackageError located at `where`."""
    try:
        return check(*args)
    except policy.Refusal as exc:
        raise PackageError(where, exc.message, exc.fix) from None
