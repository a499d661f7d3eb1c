"""The versioned JSON Schema of extraction records, shipped inside the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import jsonschema


@lru_cache(maxsize=1)
def extraction_schema() -> dict:
    """The JSON Schema (draft 2020-12) that every extraction record follows."""
    text = (
        resources.files("thaievents")
        .joinpath("schemas/extraction-v1.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def validate_extraction(record: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when a record breaks the schema."""
    jsonschema.validate(record, extraction_schema(), cls=jsonschema.Draft202012Validator)
