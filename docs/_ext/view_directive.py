"""The `datapackage-view` directive: the downloads' per-value view (civic_space.value_view) in
the data dictionary, documented as a table is, from its own schema: its description, keys and
downloads (every format that holds it, the workbook's read-only sheet too), its fields with an
example, and the query that keeps only the stated values."""

from __future__ import annotations

from docnodes import download_link, generated, para, text_with_code
from docutils import nodes
from package_directives import PackageDirective
from report_format import number
from resource_directive import fields_table, foreign_key, section

from civic_space import value_view, workbook_view
from civic_space.i18n import _


class ViewDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        package = self.package()
        for tab in package.tables:  # the view is made of every table
            self.env.note_dependency(str(tab.path.resolve()))
        self.env.note_dependency(str(value_view.SCHEMA_PATH))
        view = value_view.table(package)
        with value_view.computed(package) as computed:
            count, example = computed.count(), computed.example()
        query = value_view.stated_query()
        block = nodes.literal_block(query, query)
        block["language"] = "sql"
        return [
            para(*text_with_code(value_view.declared().get("description", ""))),
            self.facts(view, count),
            section(_("Fields"), "view-fields", fields_table(view, example, value_view.declared())),
            section(
                _("Only the stated values"),
                "stated-values",
                para(
                    _(
                        "This query keeps the values stated in the source their row cites, and"
                        " leaves out every value an annotation applies to; run it on the SQLite"
                        " database, or in Datasette:"
                    )
                ),
                block,
            ),
        ]

    def facts(self, view, count: int) -> nodes.bullet_list:
        """Rows, keys and where the view is, as a list."""
        depth = self.depth()
        items = [
            para(_("Rows: {count}").format(count=number(count))),
            *(
                [para(_("Primary key: "), *[nodes.literal(k, k) for k in view.primary_key])]
                if view.primary_key
                else []
            ),
            *(foreign_key(view, fk) for fk in view.schema.get("foreignKeys", [])),
            para(
                _("Download: "),
                download_link(depth, f"{view.name}.csv", f"{view.name}.csv"),
                ", ",
                download_link(depth, f"{view.name}.parquet", f"{view.name}.parquet"),
                _(
                    "; also a table of the SQLite database, “{name}” under “derived” in the JSON"
                    " file, and the read-only sheet “{sheet}” of the .xlsx workbook (which the"
                    " import never takes as data)"
                ).format(name=view.name, sheet=workbook_view.sheet_name()),
            ),
        ]
        out = nodes.bullet_list()
        out += [nodes.list_item("", item) for item in items]
        return out
