"""What the platform holds about a person, app by app: for "Download my data" and for erasing
an account.

accounts sits low in the stack and knows no forum, library or event. Each app that keeps rows
about people registers them here from its ``AppConfig.ready()``:

- :func:`register_personal_data` — a section of the export (one JSON file in the zip), the
  models it covers, optionally the person's uploaded files, and how to erase the person from
  those models when their account is deleted;
- :func:`register_exclusion` — a model that links to a person but is deliberately not exported,
  with the reason (shown in docs/privacy.md and checked by the completeness test).

The completeness test walks every model with a relation to the user model and fails when one
is neither exported nor excluded, so a new model that holds a person's data needs a decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass(frozen=True)
class Section:
    name: str  # the file in the zip: "<name>.json"
    models: tuple[str, ...]  # model labels ("forums.Post") whose rows about the person it covers
    export: Callable  # export(user) -> JSON-serialisable list or dict
    files: Callable | None = None  # files(user) -> iterable of (name in the zip, FieldFile)
    # erase(user, remove_content) -> None: called inside the deletion's transaction, before
    # the account row itself is anonymised. Content that stays keeps pointing at that row,
    # which then reads "former member".
    erase: Callable | None = None
    description: str = ""


@dataclass(frozen=True)
class Exclusion:
    model: str
    reason: str
    erase: Callable | None = field(default=None)


_SECTIONS: dict[str, Section] = {}
_EXCLUSIONS: dict[str, Exclusion] = {}


def register_personal_data(
    name: str,
    *,
    models: Iterable[str],
    export: Callable,
    files: Callable | None = None,
    erase: Callable | None = None,
    description: str = "",
) -> None:
    """Add a section to every export (see the module's docstring). Call from ready()."""
    _SECTIONS[name] = Section(
        name=name,
        models=tuple(models),
        export=export,
        files=files,
        erase=erase,
        description=description,
    )


def register_exclusion(model: str, *, reason: str, erase: Callable | None = None) -> None:
    """``model`` links to people but is not exported, because ``reason``; ``erase(user,
    remove_content)``, if given, clears the person from it on deletion. Call from ready()."""
    _EXCLUSIONS[model] = Exclusion(model=model, reason=reason, erase=erase)


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def exclusions() -> list[Exclusion]:
    return list(_EXCLUSIONS.values())


def rows(qs: QuerySet, *fields: str) -> list[dict]:
    """The person's rows as plain dicts, oldest first (what most sections export)."""
    return list(qs.order_by("pk").values(*fields))
