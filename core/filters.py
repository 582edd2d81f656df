"""Applied filters made visible: one chip per filter with the address that removes it, and the
address that clears them all. Works with any filter form whose field names are the query's."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict


@dataclass(frozen=True)
class Chip:
    name: str
    label: str
    value: str
    remove_url: str
    raw: str  # the value as the query has it (for a hidden input that keeps the filter)


def _url(query: QueryDict) -> str:
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _choice_label(field: forms.Field, value) -> str:
    for key, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # an optgroup
            for sub_key, sub_label in label:
                if str(sub_key) == str(value):
                    return str(sub_label)
        elif str(key) == str(value):
            return str(label)
    return str(value)


def applied_filters(
    query: QueryDict, form: forms.Form, *, skip: tuple[str, ...] = ()
) -> tuple[list[Chip], str]:
    """The chips of a bound, validated ``form`` and the "clear all" address. ``skip``: fields
    that are not filters (the words typed, the sort order) or are fixed by the page."""
    if not form.is_bound or not form.is_valid():
        return [], ""
    chips = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in skip or value in (None, "", [], ()):
            continue
        if isinstance(field, forms.ModelChoiceField):
            text = str(value)
        elif isinstance(field, forms.ChoiceField):
            text = _choice_label(field, value)
        else:
            text = str(value)
        rest = query.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        chips.append(
            Chip(
                name=name,
                label=str(field.label),
                value=text,
                remove_url=_url(rest),
                raw=query.get(name, ""),
            )
        )
    cleared = query.copy()
    for chip in chips:
        cleared.pop(chip.name, None)
    cleared.pop("page", None)
    return chips, _url(cleared)
