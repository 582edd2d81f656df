"""Text people type, checked the same way everywhere (forms, websocket frames, imports).

- Control characters (NUL, escape, bell...) are refused: they mean nothing to a reader and some
  break storage (PostgreSQL refuses NUL) or terminals. Tab and line breaks are text.
- In one-line fields (titles, names), bidirectional controls (right-to-left override and its
  kin) are removed: a title starting with U+202E would show reversed, and could make one link
  look like another. Paragraph text keeps them (a mixed Kazakh/Arabic sentence may need them).
- A one-line field must show something: a title of zero-width spaces is no title.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 controls and DEL, except tab, line feed and carriage return; and lone surrogates,
# which JSON can carry but no database can store as text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Embeddings, overrides, isolates and marks that change the direction of what follows.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Invisible categories: separators, controls, format characters, unassigned, private use.
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs"}


def _refused(message: str, code: str, field: str | None) -> ValidationError:
    """A ValidationError on ``field`` (for services, which name their fields), or a plain one
    (for a form's ``clean_<field>``)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def refuse_controls(value: str, *, field: str | None = None) -> str:
    """``value`` unchanged; ValidationError (on ``field``, code ``control_char``) if it holds a
    control character other than tab or a line break."""
    if _CONTROL.search(value):
        raise _refused(_("The text contains a control character."), "control_char", field)
    return value


def is_visible(value: str) -> bool:
    """Whether ``value`` has at least one character a reader can see."""
    return any(unicodedata.category(char) not in _INVISIBLE for char in value)


def direction_controls_strip(value: str) -> str:
    """``value`` without bidirectional embeddings, overrides, isolates or marks."""
    return _BIDI.sub("", value)


def line_clean(value: str, *, field: str | None = None) -> str:
    """A one-line text (title, name): controls refused, direction overrides removed,
    whitespace collapsed; ValidationError on ``field`` (code ``invisible``) if nothing visible
    is left. An empty value stays empty (whether it is required is the caller's rule)."""
    value = refuse_controls(value or "", field=field)
    value = " ".join(direction_controls_strip(value).split())
    if value and not is_visible(value):
        raise _refused(_("Write something readers can see."), "invisible", field)
    return value
