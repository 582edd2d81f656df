"""Highlighted snippets, cut from the original text in Python for both databases.

PostgreSQL's ts_headline would have to re-apply our normaliser inside the database to know
that "мемлекеттердің" matches the stem "memleket"; doing it here, with the same normaliser that
built the index, highlights exactly the words that matched, in every language and script.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.normalize import tokenize, word_keys

SNIPPET_CHARS = 240


def _alternatives(terms: list[list[str]]) -> tuple[str, ...]:
    return tuple(alt for group in terms for alt in group)


@lru_cache(maxsize=100_000)
def _is_hit(word: str, alternatives: tuple[str, ...]) -> bool:
    return any(key.startswith(alt) for key in word_keys(word) for alt in alternatives)


def _render(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out, pos = [], 0
    for start, end in spans:
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def highlight(text: str, terms: list[list[str]]) -> SafeString:
    """The whole ``text`` escaped, with the words that match the query in <mark>."""
    alternatives = _alternatives(terms)
    spans = [(s, e) for s, e, word in tokenize(text) if _is_hit(word, alternatives)]
    return _render(text, spans)


def snippet(text: str, terms: list[list[str]], length: int = SNIPPET_CHARS) -> SafeString:
    """About ``length`` characters of ``text`` around its densest cluster of matches."""
    text = " ".join((text or "").split())
    if not terms:
        cut = text[:length].rsplit(" ", 1)[0] if len(text) > length else text
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))  # noqa: S308
    alternatives = _alternatives(terms)
    hits = [(s, e) for s, e, word in tokenize(text) if _is_hit(word, alternatives)]
    if not hits:
        return snippet(text, [], length)
    # The window starting at a hit that holds the most hits within ``length`` characters.
    best_start, best_count = hits[0][0], 0
    for i, (start, _end) in enumerate(hits):
        count = sum(1 for s, e in hits[i:] if e <= start + length)
        if count > best_count:
            best_start, best_count = start, count
    start = max(0, best_start - length // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = [(s - start, e - start) for s, e in hits if s >= start and e <= end]
    body = _render(text[start:end], window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is escaped by _render
