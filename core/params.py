"""Query strings parsed once, at the edge, into typed values (ninja/pydantic schemas).

The JSON API declares ``Query[SomeParams]`` and answers a malformed value with 422 naming the
field; pages parse the same schema with :func:`parse_lenient`, which keeps every valid value
and drops the malformed ones (a hand-edited address still shows a page), reporting which.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TypeVar

from ninja import Field, Schema
from pydantic import ValidationError, ValidationInfo, create_model, field_validator

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


# The largest id the databases store (a signed 64-bit integer). A longer number in an address
# or a form is "no such thing", never an overflow inside the database driver.
MAX_ID = 2**63 - 1


class IdConverter:
    """The ``<id:...>`` path converter: a positive id of at most 18 digits (any longer number
    could not be an id, and is a 404 rather than an OverflowError)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class KeysetQuery(QueryParams):
    """``?before=<id>`` (keyset pagination, newest first)."""

    before: int | None = Field(None, ge=1, le=MAX_ID)


def query_int(
    data: Mapping[str, str],
    name: str,
    *,
    default: int | None,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None:
    """The integer ``data[name]`` within [minimum, maximum], or ``default`` when it is missing or
    malformed (a query parameter in a link: there is nobody to show an error to)."""
    schema = _int_schema(minimum, maximum)
    parsed, _dropped = parse_lenient(schema, {"value": data.get(name, "")})
    return default if parsed.value is None else parsed.value


@cache
def _int_schema(minimum: int, maximum: int) -> type[QueryParams]:
    return create_model(
        f"Int_{minimum}_{maximum}",
        __base__=QueryParams,
        value=(int | None, Field(None, ge=minimum, le=maximum)),
    )
