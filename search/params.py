"""The one parser of search parameters, shared by the JSON API, the search page and the library.

``SearchQuery`` is what a query string may hold; :func:`params_from_query` is the one way it
becomes the :class:`~search.query.SearchParams` that :func:`search.query.search` takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from ninja import Field
from pydantic import field_validator

from core.params import QueryParams, parse_lenient
from search.documents import document_types
from search.query import QUERY_MAX, SearchParams

LanguageCode = Literal["", "kk", "ru", "en", "other"]
Slug = Field("", max_length=80, pattern=r"^[-a-z0-9]*$")


class SearchQuery(QueryParams):
    q: str = Field(
        "",
        description=(
            f"Words to find, in Kazakh, Russian or English (Cyrillic or Latin letters); empty "
            f"lists everything. A query longer than {QUERY_MAX} characters is cut there."
        ),
    )
    type: str = Field(
        "", max_length=10, description="A document type: resource, thread, post or message."
    )
    community: str = Field("", max_length=50, pattern=r"^[-a-z0-9]*$")
    kind: str = Field("", max_length=20, description="A kind of library resource, e.g. case.")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2")
    language: LanguageCode = ""
    tag: str = Field("", max_length=60)
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    collection: str = Field("", max_length=80, pattern=r"^[-a-z0-9]*$")
    order: Literal["relevance", "newest", "oldest", "title"] = "relevance"
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(20, ge=1, le=50)

    @field_validator("q", mode="before")
    @classmethod
    def _cut(cls, value):
        return value[:QUERY_MAX] if isinstance(value, str) else value

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        known = {t.name for t in document_types()}
        if value and value not in known:
            raise ValueError(f"unknown type; one of: {', '.join(sorted(known))}")
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        known = {kind for t in document_types() for kind in t.kinds}
        if value and value not in known:
            raise ValueError(f"unknown kind; one of: {', '.join(sorted(known))}")
        return value


def params_from_query(query: SearchQuery) -> SearchParams:
    """The search parameters a parsed query string asks for."""
    return SearchParams(**query.dict())


def params_from_strings(
    data: Mapping[str, str], **fixed
) -> tuple[SearchParams, SearchQuery, list[str]]:
    """Search parameters from a page's query string (``fixed`` values override it): what is
    malformed is dropped rather than refused (a hand-edited address still shows results; the
    API answers 422 instead). Returns the parameters, the parsed query and the dropped names."""
    query, dropped = parse_lenient(SearchQuery, {**dict(data.items()), **fixed})
    return params_from_query(query), query, dropped
