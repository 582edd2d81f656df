"""Query strings parsed once, at the edge, into typed values (ninja/pydantic schemas).

The JSON API declares ``Query[SomeParams]`` and answers a malformed value with 422 naming the
field; pages parse the same schema with :func:`parse_lenient`, which keeps every valid value
and drops the malformed ones (a hand-edited address still shows a page), reporting which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from ninja import Schema
from pydantic import ValidationError, ValidationInfo, field_validator

# Slugs and codes: "Case", "KZ" and "E-Government" mean what their lower-case forms mean.
CASE_INSENSITIVE = frozenset(
    {"type", "community", "kind", "country", "language", "tag", "collection", "order", "sort"}
)


class QueryParams(Schema):
    """A query string as clients write it: an empty parameter (``year_from=``) means the
    parameter was not given, and slugs are not case-sensitive."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_means_not_given(cls, value, info: ValidationInfo):
        if not isinstance(value, str):
            return value
        value = value.strip()
        if not value:
            return cls.model_fields[info.field_name].default
        return value.lower() if info.field_name in CASE_INSENSITIVE else value


P = TypeVar("P", bound=QueryParams)


def parse_lenient(schema: type[P], data: Mapping[str, str]) -> tuple[P, list[str]]:
    """``schema`` from a query string, keeping what is valid: returns the parsed values and the
    names of the parameters that were malformed and dropped (their defaults apply)."""
    values = {k: v for k, v in data.items() if k in schema.model_fields}
    dropped: list[str] = []
    while True:
        try:
            return schema(**values), dropped
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            if not bad & values.keys():  # pragma: no cover - a schema whose defaults fail
                raise
            for name in bad & values.keys():
                values.pop(name)
                dropped.append(name)
