"""Our own checks, run by frictionless alongside its built-in ones (one check per module).

Each check names the resource and fields it applies to here, in one place; a test asserts that
they exist in the schemas, so renaming a field cannot silently switch a check off.
"""

from .iso_code import iso_code


def checks() -> list:
    return [iso_code(resource_name="places", field_name="iso_code", level_field_name="level")]
