"""The versioned JSON Schema of extraction records, shipped inside the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import jsonschema


@lru_cache(maxsize=2)
def extraction_schema(version: str = "v1") -> dict:
    """The JSON Schema (draft 2020-12) of extraction records of a version ("v1" or "v2")."""
    text = (
        resources.files("thaievents")
        .joinpath(f"schemas/extraction-{version}.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def validate_extraction(record: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when a record breaks the schema its version names."""
    version = "v2" if str(record.get("schema_version", "")).startswith("2.") else "v1"
    jsonschema.validate(record, extraction_schema(version), cls=jsonschema.Draft202012Validator)
