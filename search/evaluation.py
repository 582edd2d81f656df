"""How well the normaliser makes word forms meet, measured on word lists written apart from it.

A query word *finds* a document word when one of the query word's alternatives is a prefix of
one of the document word's index terms: exactly what the backends do. On lists of inflected
forms of one lexeme (``tests/data/wordforms/kk_heldout.tsv``, written from grammar tables, not
from the stemmer) this gives the **conflation** rate: how many forms the citation form finds,
and is found by. On pairs of different words that look alike (``precision.tsv``) it gives the
**collision** rate: how many pairs find each other. ``bench/stemmer.py`` prints both;
docs/kazakh-stemmer.md keeps the figures; the tests pin floors and ceilings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from search.normalize import index_terms_of, query_terms


@dataclass
class Group:
    key: str
    forms: list[str]
    line: int


@dataclass
class Pair:
    language: str
    first: str
    second: str
    note: str
    line: int


@dataclass
class Report:
    groups: int = 0
    forms: int = 0
    found: int = 0  # forms found by their citation form and finding it back
    whole_groups: int = 0  # groups every form of which met the citation form
    missed: list[tuple[str, str]] = field(default_factory=list)  # (citation, form)
    pairs: int = 0
    collisions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def conflation(self) -> float:
        return self.found / self.forms if self.forms else 1.0

    @property
    def collision(self) -> float:
        return len(self.collisions) / self.pairs if self.pairs else 0.0


class FormatError(ValueError):
    """A malformed line of a word list, with its number."""


def _lines(path: Path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            yield number, line


def groups_read(path: Path) -> list[Group]:
    """``key<TAB>form | form | ...`` lines; FormatError names the line of a malformed one."""
    groups = []
    for number, line in _lines(path):
        key, sep, forms = line.partition("\t")
        words = [w.strip() for w in forms.split("|")]
        if not sep or not key.strip() or not all(words):
            raise FormatError(f"{path.name}, line {number}: expected key<TAB>form | form ...")
        groups.append(Group(key.strip(), words, number))
    return groups


def pairs_read(path: Path) -> tuple[list[Pair], list[Group]]:
    """Precision pairs (``lang<TAB>word<TAB>word<TAB>note``) and the ``ru-same`` groups that
    the same file keeps (``ru-same<TAB>form | form ...<TAB><TAB>note``)."""
    pairs, same = [], []
    for number, line in _lines(path):
        fields = line.split("\t")
        if fields[0] == "ru-same" and len(fields) >= 2:
            words = [w.strip() for w in fields[1].split("|")]
            if not all(words):
                raise FormatError(f"{path.name}, line {number}: an empty form")
            same.append(Group(f"ru-same-{number}", words, number))
        elif len(fields) >= 3 and fields[0] in ("kk", "ru") and fields[1] and fields[2]:
            note = fields[3] if len(fields) > 3 else ""
            pairs.append(Pair(fields[0], fields[1].strip(), fields[2].strip(), note, number))
        else:
            raise FormatError(f"{path.name}, line {number}: expected lang<TAB>word<TAB>word")
    return pairs, same


def finds(query: str, word: str, language: str, *, prefix: bool = False) -> bool:
    """Whether searching ``query`` finds a document of ``language`` containing ``word``. The
    search matches a complete word (one the index knows) exactly, and a word being typed as a
    prefix (``prefix=True``); the lists hold complete words."""
    alternatives = [alt for group in query_terms(query) for alt in group]
    terms = index_terms_of(word, language)
    if prefix:
        return any(term.startswith(alt) for alt in alternatives for term in terms)
    return any(alt == term for alt in alternatives for term in terms)


def measure(
    groups: list[Group], pairs: list[Pair], language: str = "kk", *, prefix: bool = False
) -> Report:
    """Conflation over ``groups`` (documents in ``language``), collisions over ``pairs``, for
    complete words (or, ``prefix=True``, for words matched as prefixes)."""
    report = Report(groups=len(groups))
    for group in groups:
        citation, *others = group.forms
        whole = True
        for form in others:
            report.forms += 1
            if finds(citation, form, language, prefix=prefix) and finds(
                form, citation, language, prefix=prefix
            ):
                report.found += 1
            else:
                whole = False
                report.missed.append((citation, form))
        report.whole_groups += whole
    for pair in pairs:
        report.pairs += 1
        if finds(pair.first, pair.second, pair.language, prefix=prefix) or finds(
            pair.second, pair.first, pair.language, prefix=prefix
        ):
            report.collisions.append((pair.first, pair.second))
    return report
