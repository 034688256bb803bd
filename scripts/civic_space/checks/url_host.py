"""Every URL is https on a host vetted for its field (no javascript:, data: or look-alike hosts)."""

from __future__ import annotations

from urllib.parse import urlsplit

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import lit, q
from ._shared import raw_cells


class UrlHostError(errors.CellError):
    type = "url-host"
    title = "URL Host"
    description = "A URL that is not https, or whose host is not on the field's vetted list."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def is_url_field(format_: str, where: str, hosts: dict) -> bool:
    """A field of format uri, or one with vetted hosts (dropping its format does not free it)."""
    return format_ == "uri" or where in hosts


def note_for(url: str, where: str, allowed: list[str]) -> str | None:
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 (a malformed host, such as "[www", raises only here)
    except ValueError as exc:
        return _("is not a well-formed address ({reason}) — copy the address again").format(
            reason=exc
        )
    if parts.scheme != "https":
        return _("only https addresses are allowed, not “{scheme}:” — write https://…").format(
            scheme=parts.scheme
        )
    if parts.hostname not in allowed:
        listed = ", ".join(allowed) or _("none yet")
        return _(
            "the host {host} is not vetted for {where} (vetted: {listed})"
            " — if the address is right, add the host under [tool.civic-space.url-hosts]"
            " in pyproject.toml, in a pull request of its own"
        ).format(host=parts.hostname, where=where, listed=listed)
    if parts.username or parts.password:
        return _("the address holds a user name or password — remove it")
    return None


@attrs.define(kw_only=True, repr=False)
class url_host(Check):
    """Check fields of format uri against the hosts vetted for them in pyproject.toml."""

    Errors = [UrlHostError]  # noqa: RUF012 (frictionless's interface)
    type = UrlHostError.type

    # "resource.field" -> allowed hosts, from [tool.civic-space.url-hosts] in pyproject.toml
    hosts: dict[str, list[str]]

    def validate_row(self, row):
        cells = raw_cells(row)
        for field in self.resource.schema.fields:
            url = cells.get(field.name, "")
            where = f"{self.resource.name}.{field.name}"
            if not is_url_field(field.format, where, self.hosts) or not url:
                continue
            note = note_for(url, where, self.hosts.get(where, []))
            if note:
                yield UrlHostError.from_row(row, note=note, field_name=field.name)

    def fast(self, db) -> None:
        """Each distinct address is judged once."""
        for table in db.package.tables:
            for field in table.fields:
                name, col, where = field["name"], q(field["name"]), f"{table.name}.{field['name']}"
                if not is_url_field(field.get("format", "default"), where, self.hosts):
                    continue
                sql = f"SELECT DISTINCT {col} FROM {q(table.name)} WHERE {col} IS NOT NULL"
                for (url,) in db.rows(sql):
                    note = note_for(url, where, self.hosts.get(where, []))
                    sql = f"SELECT __row FROM {q(table.name)} WHERE {col} = {lit(url)}"
                    for (row,) in db.rows(sql) if note else []:
                        db.note(table.name, row, name, self.type, note)
