"""Tooling for the civic-space-mongolia data package: validation and canonical formatting.

Everything here reads table and field names from `datapackage.json` and `schemas/`;
nothing restates them.
"""
