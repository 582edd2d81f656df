"""What a query asks the full-text index, and how each backend writes it.

A query is an AND of *slots*, one per query word, or per group of words that name a thesaurus
concept. A slot is an OR of *phrases*: the words as typed, and the concept's other terms. A
phrase is an AND of *words*, and a word an OR of the keys it may be indexed under (search/
normalize.py). A word is matched exactly when it is a complete word (the index's vocabulary
knows it) and as a prefix when it is still being typed ("цифрл").

The keys contain only [a-z0-9], so nothing a user types reaches either query syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.normalize import shortest_prefixes


@dataclass(frozen=True)
class Word:
    keys: tuple[str, ...]
    prefix: bool = False

    def alternatives(self) -> list[str]:
        return shortest_prefixes(self.keys) if self.prefix else sorted(set(self.keys))


Phrase = tuple[Word, ...]
Slot = tuple[Phrase, ...]


@dataclass(frozen=True)
class Expression:
    slots: tuple[Slot, ...]
    any_slot: bool = False  # OR the slots instead of AND (the "any of the words" fallback)

    def __bool__(self) -> bool:
        return bool(self.slots)


def _pg_word(word: Word) -> str:
    suffix = ":*" if word.prefix else ""
    return "(" + " | ".join(f"{key}{suffix}" for key in word.alternatives()) + ")"


def _fts_word(word: Word) -> str:
    suffix = "*" if word.prefix else ""
    return "(" + " OR ".join(f'"{key}"{suffix}' for key in word.alternatives()) + ")"


def _render(expression: Expression, word, conj: str, disj: str) -> str:
    slots = []
    for slot in expression.slots:
        phrases = [
            "(" + f" {conj} ".join(word(w) for w in phrase) + ")" for phrase in slot if phrase
        ]
        slots.append("(" + f" {disj} ".join(phrases) + ")")
    return f" {disj if expression.any_slot else conj} ".join(slots)


@dataclass(frozen=True)
class Match:
    """Which documents a ranked tier holds: those where ``expression`` matches (in the title and
    summary only, if ``head``), less those where each of ``excluding`` does (an (expression,
    head) pair). Ranked by the part matched: the title and summary, or the whole text."""

    expression: Expression
    head: bool = False
    excluding: tuple[tuple[Expression, bool], ...] = ()


def tsquery(expression: Expression) -> str:
    """PostgreSQL ``to_tsquery('simple', ...)`` text."""
    return _render(expression, _pg_word, "&", "|")


HEAD_COLUMNS = "{title_norm summary_norm}"


def _fts5_part(expression: Expression, head: bool) -> str:
    text = _render(expression, _fts_word, "AND", "OR")
    return f"{HEAD_COLUMNS} : ({text})" if head else f"({text})"


def fts5(match: Match | Expression) -> str:
    """SQLite FTS5 ``MATCH`` text."""
    if isinstance(match, Expression):
        match = Match(match)
    text = _fts5_part(match.expression, match.head)
    for expression, head in match.excluding:
        text = f"{text} NOT {_fts5_part(expression, head)}"
    return text
