"""What an app hands the index, and the registry of document types.

The index knows documents, not the apps that own them. An app registers each of its document
types once, in its ``AppConfig.ready()``: a name, a label for the result tabs, the action that
reads such a document (who may see it in results comes from the permission table, so a rule
changed there changes search too), where to find every document for a rebuild, and the labels
of the facet values it uses. Then its services hand over :class:`Document` values as they write
(``search.index.document_store`` / ``document_remove``, inside their transactions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured

from core import permissions
from core.permissions import Action, Role, Viewer
from search.models import SearchEntry

V = SearchEntry.Visibility
# Who may read a document of a type: the least role of its read action (MIN_ROLE). The index is
# shared by every community, so only roles that do not depend on one can be expressed here.
VISIBILITY_OF_ROLE: dict[Role, str] = {Role.ANONYMOUS: V.PUBLIC, Role.SIGNED_IN: V.SIGNED_IN}


@dataclass(frozen=True)
class Document:
    """One searchable thing, as its app describes it.

    ``title`` is weighted above ``summary`` above ``body``; ``text`` is the original plain text
    that result snippets are cut from (the title is shown on its own). ``facets`` maps a facet
    name to its values (community slugs, tags, ...); the document type is added by the index.
    ``language`` is the text's language code, or "" when unknown (the normaliser then guesses).
    ``title_matches``: whether the title's words find the document (a reply shows its thread's
    title, but only its own words should find it). ``keywords`` (tags) are searched with the
    summary's weight.
    """

    doc_type: str
    object_id: int
    title: str
    url: str
    created: datetime
    body: str = ""
    summary: str = ""
    text: str = ""
    language: str = ""
    community_id: int | None = None
    kind: str = ""
    year: int | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    title_matches: bool = True
    keywords: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentType:
    """A kind of document an app puts in the index.

    ``sources``: a function returning, for a full rebuild, pairs of (queryset of the objects
    that should be indexed, function that indexes one of them); querysets are walked in primary
    key order, in batches. ``facet_labels``: for a facet name and a set of its values, the
    labels this app knows (e.g. the names of its tags); facets it does not know return {}.
    """

    name: str
    label: str
    read_action: Action
    sources: Callable[[], Iterable[tuple]]
    facet_labels: Callable[[str, set[str]], dict[str, str]] | None = None
    kinds: tuple[str, ...] = ()  # the values its documents' ``kind`` may take
    position: int = 0

    @property
    def visibility(self) -> str:
        role = permissions.MIN_ROLE[self.read_action]
        try:
            return VISIBILITY_OF_ROLE[role]
        except KeyError:
            raise ImproperlyConfigured(
                f"search: documents of type {self.name!r} need the role {role.name} in a "
                "community, which one shared index cannot filter by"
            ) from None


_types: dict[str, DocumentType] = {}


def register(document_type: DocumentType) -> None:
    """Make a document type known to the index (call from the owning app's ready())."""
    if len(document_type.name) > SearchEntry._meta.get_field("doc_type").max_length:
        raise ImproperlyConfigured(f"search: type name {document_type.name!r} is too long")
    document_type.visibility  # noqa: B018 - refuse a type the index cannot filter, at start-up
    _types[document_type.name] = document_type


def document_types() -> list[DocumentType]:
    """The registered types, in the order their tabs are shown."""
    return sorted(_types.values(), key=lambda t: (t.position, t.name))


def document_type(name: str) -> DocumentType:
    """The registered type called ``name``; KeyError if none is."""
    return _types[name]


def visibilities_for(user: Viewer) -> list[str]:
    """The visibility values of the documents ``user`` may see in results."""
    role = permissions.role_of(user, None)
    return [value for needed, value in VISIBILITY_OF_ROLE.items() if role >= needed]
