"""Our own checks, run by frictionless alongside its built-in ones (one check per module).

This is the one place where checks are told which tables and fields they apply to; a test asserts
that every name here exists in the schemas, so renaming a field cannot silently switch a check off.
"""

from __future__ import annotations

import sys

from frictionless import checks as builtin

from .. import edge
from ..descriptor import DataPackage, PackageError, status_field
from ..glossary import load_terms
from ..meanings import (
    ANNOTATIONS,
    COUNTS,
    ERRATA,
    EVENT_DATES,
    EVENT_PLACE,
    FIGURES,
    GLOSSARY,
    PLACES,
    PROSE,
)
from .canonical_form import canonical_form
from .cell_length import cell_length
from .date_precision import date_precision
from .date_range import date_range
from .derived_figure import derived_figure
from .filled_together import filled_together
from .foreign_keys import foreign_keys
from .glossary_entry import glossary_entry
from .glossary_term import glossary_term
from .iso_code import iso_code
from .matches_reference import matches_reference
from .mixed_script import mixed_script
from .mongolian_script import mongolian_script
from .personal_data import personal_data
from .repeated_row import repeated_row
from .restated_figure import restated_figure
from .row_reference import row_reference
from .self_reference import self_reference
from .spreadsheet_formula import spreadsheet_formula
from .stable_keys import stable_keys
from .stated_count import Names, stated_count
from .translation_status import translation_status
from .unicode_form import unicode_form
from .url_host import url_host
from .vocabulary_used import vocabulary_used
from .whitespace import whitespace

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SETTINGS = "pyproject.toml"  # beside datapackage.json: the package's own settings


def settings(package: DataPackage) -> dict:
    """The package's tool settings, [tool.civic-space] in the pyproject.toml beside its
    descriptor (in the repository it belongs to): another package brings its own vetted hosts."""
    path = package.home / SETTINGS
    try:
        with edge.open_read(package.home, path) as file:  # never a link or a FIFO
            return tomllib.load(file).get("tool", {}).get("civic-space", {})
    except FileNotFoundError:
        return {}  # no settings: no host is vetted
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PackageError(path, f"cannot be read ({exc})", "fix the TOML syntax") from None


def checks(package: DataPackage) -> list:
    dates = {
        "resource_name": EVENT_DATES.table,
        "start_field_name": EVENT_DATES.start,
        "end_field_name": EVENT_DATES.end,
    }
    names = {t.name for t in package.tables}
    return [
        builtin.duplicate_row(),
        repeated_row(),
        foreign_keys(package=package),
        self_reference(package=package),
        canonical_form(package=package),
        unicode_form(),
        cell_length(),
        whitespace(),
        mixed_script(exempt=["errata.as_given"]),  # it quotes the report's own slips
        spreadsheet_formula(),
        personal_data(),
        url_host(hosts=settings(package).get("url-hosts", {})),
        iso_code(resource_name="places", field_name="iso_code", level_field_name="level"),
        filled_together(
            resource_name=PLACES.table,
            field_names=[PLACES.latitude, PLACES.longitude, PLACES.source],
        ),
        date_range(**dates),
        date_precision(**dates, precision_field_name=EVENT_DATES.precision),
        matches_reference(
            package=package,
            resource_name="issues",
            field_name="place_id",
            via_field_name="event_id",
            target_resource_name=EVENT_PLACE.table,
            target_field_name=EVENT_PLACE.place,
        ),
        derived_figure(
            package=package,
            resource_name="metrics",
            value_field_name="value",
            method_field_name="method",
            formula_field_name="formula",
        ),
        *(
            restated_figure(
                package=package,
                resource_name=table,
                key_field_name=key,
                field_names=[n for n in package.table(table).field_names if n in PROSE],
                metrics_resource_name="metrics",
                metrics_field_name="value",
            )
            for table, key in (("events", "event_id"), ("activities", "activity_number"))
            if table in names and "metrics" in names
        ),
        *(
            [stated_count(package=package, names=counted())]
            if {COUNTS.table, FIGURES.table, ERRATA.table} <= names
            else []
        ),
        vocabulary_used(
            package=package,
            resource_name="themes",
            field_name="theme_id",
            user_resource_name="issues",
            user_field_name="theme_id",
        ),
        *(
            row_reference(
                package=package,
                resource_name=pointer.table,
                table_field_name=pointer.resource,
                key_field_name=pointer.row_key,
                field_field_name=pointer.field,
            )
            for pointer in (ERRATA, ANNOTATIONS)
        ),
        row_reference(
            package=package,
            resource_name="withdrawals",
            table_field_name="resource",
            key_field_name="row_key",
            field_field_name="",
        ),
        stable_keys(package=package, withdrawals_resource_name="withdrawals"),
        *(
            [
                glossary_entry(
                    resource_name=GLOSSARY.table,
                    mongolian_field_name=GLOSSARY.mongolian,
                    avoid_field_name=GLOSSARY.avoid,
                )
            ]
            if GLOSSARY.table in names
            else []
        ),
        *translation_checks(package),
    ]


def counted() -> Names:
    """What the stated-count check reads: the declared counts, the figures the report states,
    and the errata that record a disagreement between the two."""
    return Names(
        counts=COUNTS.table,
        key=COUNTS.key,
        formula=COUNTS.formula,
        metric=COUNTS.stated,
        metrics=FIGURES.table,
        value=FIGURES.value,
        qualifier=FIGURES.qualifier,
        errata=ERRATA.table,
        errata_table=ERRATA.resource,
        errata_key=ERRATA.row_key,
        errata_field=ERRATA.field,
        errata_kind="kind",
        contradiction="contradiction",
    )


def translation_checks(package: DataPackage) -> list:
    """The twin fields of each translation language, found by the schemas' naming convention."""
    found = []
    for lang in package.translations:
        twins = {t.name: pairs for t in package.tables if (pairs := t.twins(lang))}
        if lang == "mn":
            fields = {n: [m for _, m in p] for n, p in twins.items()}
            found.append(mongolian_script(fields=fields))
            found.append(glossary_term(fields=fields, terms=load_terms(package)))
        found.append(
            translation_status(
                tables={n: {"status": status_field(lang), "twins": p} for n, p in twins.items()}
            )
        )
    return found
