"""The trilingual thesaurus: a query in one language also finds documents in the other two.

The reviewed file ``search/thesaurus/public_administration.tsv`` (one concept a line: key, then
its Kazakh, Russian and English terms separated by " | ") is loaded into the database by a
migration and by ``manage.py thesaurus_load``; moderators add and edit concepts in the admin
without a deploy (a concept edited there is no longer overwritten by the file).

A query is matched against the terms word by word, on the normaliser's keys (so inflected
forms of a term match too): "public procurement" finds the concept whose English term it is,
and the query is widened with that concept's other terms, "мемлекеттік сатып алу" and
"государственные закупки" among them. Documents matching the words as typed still rank above
those found only through the thesaurus (search.query).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from core import versions
from search.models import ThesaurusConcept, ThesaurusTerm
from search.normalize import query_terms, tokenize

THESAURUS_FILE = Path(__file__).resolve().parent / "thesaurus" / "public_administration.tsv"
LANGUAGES = ("kk", "ru", "en")
TERM_MAX = 80
_KEY = re.compile(r"^[a-z0-9-]{1,80}$")
_VERSION_KEY = "search:thesaurus-version"
FROM_FILE = ThesaurusConcept.Source.FILE.value


class ThesaurusFormatError(ValueError):
    """A malformed line of the thesaurus file; the message names the line."""


@dataclass
class ConceptLine:
    key: str
    terms: dict[str, list[str]]  # language -> terms, the preferred first
    line: int


def read(path: Path = THESAURUS_FILE) -> list[ConceptLine]:
    """Every concept of the file, checked; ThesaurusFormatError names a malformed line."""
    concepts: list[ConceptLine] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue

        def bad(reason: str, number: int = number) -> ThesaurusFormatError:
            return ThesaurusFormatError(f"{path.name}, line {number}: {reason}")

        fields = line.split("\t")
        if len(fields) != 1 + len(LANGUAGES):
            raise bad(f"expected 4 fields separated by tabs, found {len(fields)}")
        key, *columns = fields
        if not _KEY.match(key):
            raise bad(f"the key {key!r} is not lower-case letters, digits and hyphens")
        if key in seen:
            raise bad(f"the key {key!r} is already on line {seen[key]}")
        seen[key] = number
        terms: dict[str, list[str]] = {}
        for language, column in zip(LANGUAGES, columns, strict=True):
            words = [term.strip() for term in column.split("|")]
            if not all(words):
                raise bad(f"an empty {language} term")
            if len(set(words)) != len(words):
                raise bad(f"a {language} term twice")
            if any(len(term) > TERM_MAX for term in words):
                raise bad(f"a {language} term longer than {TERM_MAX} characters")
            terms[language] = words
        concepts.append(ConceptLine(key, terms, number))
    return concepts


@transaction.atomic
def load(
    path: Path = THESAURUS_FILE, *, concepts=ThesaurusConcept, terms=ThesaurusTerm
) -> dict[str, int]:
    """Put the file's concepts in the database: new ones created, the file's own ones updated,
    those a moderator edited (or added) left as they are. Returns counts by outcome.
    ``concepts`` and ``terms``: the models (a migration passes its historical ones)."""
    counts = {"created": 0, "updated": 0, "kept": 0, "unchanged": 0}
    existing = {c.key: c for c in concepts.objects.prefetch_related("terms")}
    wanted: dict[str, list[tuple[str, str, int]]] = {}
    for line in read(path):
        concept = existing.get(line.key)
        if concept is not None and (concept.edited or concept.source != FROM_FILE):
            counts["kept"] += 1
            continue
        terms_wanted = [
            (language, text, position)
            for language in LANGUAGES
            for position, text in enumerate(line.terms[language])
        ]
        if concept is not None:
            have = [(t.language, t.text, t.position) for t in concept.terms.all()]
            if sorted(have) == sorted(terms_wanted):
                counts["unchanged"] += 1
                continue
            counts["updated"] += 1
        else:
            counts["created"] += 1
        wanted[line.key] = terms_wanted
    terms.objects.filter(concept__key__in=list(wanted)).delete()
    new = [concepts(key=key, source=FROM_FILE) for key in wanted if key not in existing]
    concepts.objects.bulk_create(new, batch_size=500)
    ids = dict(concepts.objects.filter(key__in=list(wanted)).values_list("key", "pk"))
    terms.objects.bulk_create(
        (
            terms(concept_id=ids[key], language=language, text=text, position=position)
            for key, rows in wanted.items()
            for language, text, position in rows
        ),
        batch_size=1000,
    )
    changed()
    return counts


def changed() -> None:
    """The concepts changed: every process compiles them again before its next query."""
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, version() + 1, None))
    versions.bump(versions.SEARCH)  # results found through the concepts are cached


def version() -> int:
    """The concepts' version; -1 while the cache is away."""
    try:
        return int(cache.get(_VERSION_KEY) or 0)
    except Exception:  # the cache is down: keep what this process has
        return -1


# --- Matching queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    concept: int
    language: str
    text: str
    words: tuple[frozenset[str], ...]  # per word of the term, the keys it is indexed under


@dataclass
class Compiled:
    version: int
    by_first_key: dict[str, list[Term]] = field(default_factory=dict)
    by_concept: dict[int, list[Term]] = field(default_factory=dict)


_compiled: Compiled | None = None
_lock = threading.Lock()


def _term_words(text: str) -> tuple[frozenset[str], ...]:
    """The keys of each word of a term that is not a stop word: what a query word must share
    to be that word, and what a document of any language is searched for."""
    return tuple(frozenset(group) for group in query_terms(text))


def _has_single_letter(text: str) -> bool:
    """Whether a word of one letter is part of the term ("e-government", "e-gov"). Search
    drops such letters, so the term would stand for its other words alone ("government"), far
    wider than the concept: such terms are left out of matching."""
    return any(len(word) == 1 and word.isalpha() for _start, _end, word in tokenize(text))


def compiled() -> Compiled:
    """The concepts, ready to match queries; compiled once per process and again when a
    moderator or a load changed them."""
    global _compiled
    now = version()
    current = _compiled
    if current is not None and (current.version == now or now == -1):
        return current
    with _lock:
        if _compiled is not None and _compiled.version == now:
            return _compiled
        fresh = Compiled(version=now)
        for term in ThesaurusTerm.objects.order_by("concept_id", "language", "position"):
            words = _term_words(term.text)
            if not words or _has_single_letter(term.text):
                continue
            entry = Term(term.concept_id, term.language, term.text, words)
            fresh.by_concept.setdefault(term.concept_id, []).append(entry)
            for key in words[0]:
                fresh.by_first_key.setdefault(key, []).append(entry)
        _compiled = fresh
        return fresh


@dataclass(frozen=True)
class Expansion:
    """Query words ``start``..``end`` (exclusive) are a term of a concept; ``others`` are the
    concept's other terms, each as its words' index keys, to search for instead."""

    start: int
    end: int
    matched: Term
    others: tuple[Term, ...]


def expansions(words: list[list[str]]) -> list[Expansion]:
    """The concepts the query's words name, longest terms first, not overlapping. ``words``
    are query_terms(), one list of alternatives per word."""
    thesaurus = compiled()
    found: list[Expansion] = []
    taken: set[int] = set()
    candidates: list[tuple[int, int, Term]] = []
    for start, alternatives in enumerate(words):
        for key in alternatives:
            for term in thesaurus.by_first_key.get(key, ()):
                end = start + len(term.words)
                if end <= len(words) and all(
                    set(words[start + i]) & term.words[i] for i in range(len(term.words))
                ):
                    candidates.append((start, end, term))
    for start, end, term in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if taken & set(range(start, end)):
            continue
        taken |= set(range(start, end))
        seen = {term.words}
        others = []
        for other in thesaurus.by_concept.get(term.concept, ()):
            if other.words not in seen:  # "реформа" is a Kazakh and a Russian term
                seen.add(other.words)
                others.append(other)
        if others:
            found.append(Expansion(start, end, term, tuple(others)))
    return sorted(found, key=lambda e: e.start)
