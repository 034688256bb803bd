"""The `datapackage-resource` directive: a table's page body, with its description, keys,
fields, a preview of its rows and how to cite it."""

from __future__ import annotations

from docnodes import (
    coded_value,
    data_text,
    doc_link,
    download_link,
    field_title,
    generated,
    para,
    table,
    text_node,
    text_with_code,
    value_label,
)
from docutils import nodes
from docutils.parsers.rst import directives
from package_directives import PackageDirective
from package_summary import Summary, summary
from report_format import number
from site_address import edition_url
from table_layout import (
    anchor_rows,
    classify,
    column_classes,
    key_first,
    label_cells,
    region,
    reordered,
)
from table_nodes import identifier
from table_rows import Links, field_id, linked, row_id, row_key
from value_notes import marked, note_list, notes_on

from civic_space import citation, i18n
from civic_space.i18n import _


class ResourceDirective(PackageDirective):
    required_arguments = 1
    option_spec = {"preview": directives.nonnegative_int}  # noqa: RUF012 (docutils interface)

    @generated
    def run(self) -> list[nodes.Node]:
        package = self.package()
        tab = package.table(self.arguments[0])
        self.env.note_dependency(str(tab.path.resolve()))
        self.env.note_dependency(str(tab.schema_path.resolve()))
        res = next(r for r in package.descriptor["resources"] if r["name"] == tab.name)
        info = summary(tab)
        links = Links(package, self.env, tab.name)
        cite = para(citation.apa(package.descriptor, tab.name, edition_url(self.config, "en")))
        cite["classes"].append("table-citation")
        cite["lang"] = "en"  # a reference in APA's English style, to the English titles
        return [
            para(*text_with_code(res.get("description", ""))),
            self.facts(tab, info),
            section(_("Fields"), "fields", fields_table(tab, info.examples, res)),
            section(
                _("Data"),
                "data",
                *self.preview(info, notes_on(package, self.env, tab.name), tab, links),
            ),
            section(_("Cite this table"), "cite-this-table", cite),
        ]

    def facts(self, tab, info: Summary) -> nodes.bullet_list:
        """Rows, keys and the download, as a list."""
        facts = nodes.bullet_list()
        facts += nodes.list_item("", para(_("Rows: {count}").format(count=number(info.count))))
        facts += nodes.list_item(
            "", para(_("Primary key: "), *[nodes.literal(k, k) for k in tab.primary_key])
        )
        for fk in tab.schema.get("foreignKeys", []):
            facts += nodes.list_item("", foreign_key(tab, fk))
        facts += nodes.list_item(
            "",
            para(
                _("Download: "),
                download_link(self.depth(), f"{tab.name}.csv", f"{tab.name}.csv"),
                _(" (schema: schemas/{name}.json)").format(name=tab.name),
            ),
        )
        return facts

    def preview(self, info: Summary, notes: list, tab, links: Links) -> list[nodes.Node]:
        """The first rows (as many as the summary holds, fewer with :preview:), and how many;
        values that are not simply stated in their row's source are marked, with notes. The
        key's columns come first; each row has its anchor (table_rows) and values link."""
        shown = info.head[: self.options.get("preview", len(info.head))]
        note = (
            _("All {count} rows.").format(count=number(info.count))
            if len(shown) == info.count
            else _("The first {shown} of {count} rows; download the CSV for all of them.").format(
                shown=len(shown), count=number(info.count)
            )
        )
        out: list[nodes.Node] = [para(note)]
        if shown:
            key = tab.primary_key
            header, rows, used = marked(info.header, shown, key, notes, tab.name)
            # Headed by the fields' titles (the fields table above pairs them with the names).
            titles = {f["name"]: field_title(f.get("title") or f["name"]) for f in tab.fields}
            header = [[text_node(titles[name]), *marks] for name, *marks in header]
            rows = linked(links, info.header, shown, rows)
            order = key_first(info.header, key, tab.name)
            (header,), rows, (names,), values = reordered(
                order, [header], rows, [info.header], shown
            )
            data = table(header, rows)
            classify(data, column_classes(names, values, key, links.uris))
            anchor_rows(data, [row_id(row_key(info.header, r, key)) for r in shown])
            label_cells(data)
            name = table_label(package_resource(links.package, tab.name))
            data = region(data, f"{name}: {_('Data')}", "data-rows")
            out += [data, *note_list(used, tab.name)]
        return out


def section(title: str, ident: str, *children: nodes.Node) -> nodes.section:
    """A heading of the page's outline (its id stays the same in every edition)."""
    node = nodes.section("", nodes.title(title, title), *children, ids=[ident])
    return node


def foreign_key(tab, fk: dict) -> nodes.paragraph:
    """A foreign key: its fields, an arrow, and the fields of the table it refers to."""
    ref = fk["reference"]["resource"] or tab.name
    return para(
        _("Foreign key: "),
        nodes.literal("", ", ".join(fk["fields"])),
        " → ",
        identifier("", "", doc_link(f"/tables/{ref}", ref)),
        nodes.Text("."),
        nodes.literal("", ", ".join(fk["reference"]["fields"])),
    )


def package_resource(package, name: str) -> dict:
    return next(r for r in package.descriptor["resources"] if r["name"] == name)


def table_label(res: dict) -> str:
    """A table's title in the edition's language, for a region's name (an attribute: plain
    text, the English title where the edition has none)."""
    title = res.get("title") or res["name"]
    return i18n.table_title(title) or title


def fields_table(tab, examples: dict[str, str], res: dict) -> nodes.Element:
    """One row per field: name, title, type, whether required, constraints, description and
    an example value from the data."""
    keys = {
        *tab.primary_key,
        *(f for fk in tab.schema.get("foreignKeys", []) for f in fk["fields"]),
    }
    rows = [field_row(field, examples.get(field["name"], ""), keys) for field in tab.fields]
    headers = [
        _("Field"),
        _("Title"),
        _("Type"),
        _("Required"),
        _("Constraints"),
        _("Description"),
        _("Example"),
    ]
    out = table(headers, rows, [12, 12, 6, 6, 16, 36, 14])
    classify(
        out, ["col-key", "col-value", "col-short", "col-short", "col-text", "col-text", "col-value"]
    )
    anchor_rows(out, [field_id(field["name"]) for field in tab.fields])
    label_cells(out)
    return region(out, f"{table_label(res)}: {_('Fields')}", "field-rows")


def field_row(field: dict, example: str, keys: set[str]) -> list:
    required = field.get("constraints", {}).get("required", False)
    return [
        [nodes.literal("", field["name"])],
        field_title(field.get("title", "")),
        [nodes.literal("", field.get("type", "string"))],  # Table Schema's own word, as code
        _("yes") if required else _("no"),
        constraints_text(field),
        para(*text_with_code(field.get("description", ""))),
        [example_node(field, example if len(example) <= 80 else example[:79] + "…", keys)],
    ]


def example_node(field: dict, example: str, keys: set[str]) -> nodes.Node:
    """An example value: a key as an identifier, a coded value by its label, other text
    marked where it is English in another edition."""
    if field["name"] in keys:
        return identifier(example, example)
    found = coded_value(field, example)
    return found if isinstance(found, nodes.Node) else text_node(data_text(found))


def constraints_text(field: dict) -> list[nodes.Node]:
    """A field's rules: names and values as code (what a contributor types), each coded
    value followed by its label in another edition."""
    cons = dict(field.get("constraints", {}))
    cons.pop("required", None)
    parts: list[list[nodes.Node]] = []
    if "enum" in cons:
        values: list[nodes.Node] = []
        for value in map(str, cons.pop("enum")):
            label = value_label(field, value)
            values += [nodes.Text(", ")] if values else []
            values.append(nodes.literal(value, value))
            values += (
                [nodes.Text(" ("), text_node(label), nodes.Text(")")] if label != value else []
            )
        parts.append([nodes.Text(_("one of: ")), *values])
    for key, value in cons.items():
        rule = key if value is True else f"{key}: {value}"
        parts.append([nodes.literal(rule, rule)])
    if field.get("format") not in (None, "default"):
        parts.append([nodes.literal("", f"format: {field['format']}")])
    out: list[nodes.Node] = []
    for part in parts:
        out += [nodes.Text("; ")] if out else []
        out += part
    return out
