"""Country choices as people pick them: the Hub's participating countries first, then every
other country, without the uninhabited territories (Antarctica and the like) nobody works in."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# The Hub's region and partners. Deployments set PARTICIPATING_COUNTRIES (ISO 3166 codes) to
# their own list; this default is what the demo content uses.
DEFAULT_PARTICIPATING = [
    "KZ",
    "AF",
    "AM",
    "AZ",
    "BY",
    "GE",
    "KG",
    "MD",
    "MN",
    "RU",
    "TJ",
    "TM",
    "UA",
    "UZ",
    "CN",
    "KR",
    "JP",
    "MY",
    "SG",
    "TR",
    "AE",
    "PK",
    "ID",
    "PH",
    "VN",
    "TH",
]

# Countries whose flag is vendored (static/vendor/flag-icons/<code>.svg).
FLAGS = frozenset(code.upper() for code in DEFAULT_PARTICIPATING)

# Territories without a civil service of their own.
UNINHABITED = {"AQ", "BV", "GS", "HM", "TF", "UM", "IO"}


def participating() -> list[str]:
    return list(getattr(settings, "PARTICIPATING_COUNTRIES", None) or DEFAULT_PARTICIPATING)


def country_choices(*, empty: str | None = None) -> list:
    """Grouped choices for a select or a list of checkboxes: participating countries first
    (alphabetical in the reader's language), then the others. ``empty`` adds a first, empty
    choice with that label."""
    first = set(participating())
    named = [(code, name) for code, name in countries if code not in UNINHABITED]
    groups = [
        (_("Participating countries"), [(c, n) for c, n in named if c in first]),
        (_("Other countries"), [(c, n) for c, n in named if c not in first]),
    ]
    return ([("", empty)] if empty is not None else []) + groups


def country_codes() -> set[str]:
    """Every code a country field accepts (old data with a now hidden code stays valid)."""
    return {code for code, _name in countries}
