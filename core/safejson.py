"""JSON from clients (websocket frames, cursors), parsed within a size and a nesting limit.

``json.loads`` recurses once per level of nesting: a frame of ten thousand ``[`` raises
RecursionError, which is not a ValueError and escaped the callers that expected bad JSON. Here
the depth is measured first, with strings skipped, so such input is refused as plainly as any
other malformed JSON, before the parser sees it.
"""

from __future__ import annotations

import json
import re
from typing import Any

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JSONRefused(ValueError):
    """Not JSON, too large, or nested too deeply; ``reason`` says which."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (0 for a scalar), brackets inside strings
    not counted."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads(text: str | bytes, *, max_bytes: int, max_depth: int) -> Any:
    """``json.loads`` that raises JSONRefused (reason ``too_large``, ``too_deep`` or ``bad_json``)
    for input over ``max_bytes`` bytes, nested over ``max_depth`` levels, or not JSON."""
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            raise JSONRefused("too_large", "too large")
        try:
            text = text.decode()
        except UnicodeDecodeError:
            raise JSONRefused("bad_json", "not UTF-8") from None
    elif len(text) > max_bytes or len(text.encode(errors="surrogatepass")) > max_bytes:
        raise JSONRefused("too_large", "too large")
    if nesting_depth(text) > max_depth:
        raise JSONRefused("too_deep", "nested too deeply")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise JSONRefused("bad_json", str(exc)) from None
