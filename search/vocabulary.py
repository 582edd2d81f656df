"""The words of the indexed texts: which query words are complete, and what a misspelt word
might have meant.

Every word of an indexed document is kept once, case-folded (SearchWord). A query word the
vocabulary knows is matched exactly, on its keys (so "қала" does not find "қалау"); one it does
not know is still being typed and is matched as a prefix ("цифрл" finds цифрлық).

When nothing matches, a word the index has never seen gets a suggestion: the known word most
alike by trigrams (the similarity of PostgreSQL's pg_trgm, on both databases: there by the
extension and its index, on SQLite by the plain Python below over the words with the same first
letter and a similar length).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.functions import Length

from search.models import SearchWord
from search.normalize import tokenize
from search.translit import fold_case, to_canonical

WORD_MAX = 40
WORDS_PER_DOCUMENT = 5000
SIMILARITY_MIN = 0.4
_pg_trgm: dict[str, bool] = {}
TRIGRAM_INDEX = "search_word_trgm"
TRIGRAM_CREATE = f"CREATE INDEX {TRIGRAM_INDEX} ON search_word USING gin (word gin_trgm_ops)"


def spellings(word: str) -> set[str]:
    """The forms of a word the vocabulary keeps: case-folded as written, and in plain Latin
    (мемлекеттік, memlekettik), so that a word typed in either script counts as complete."""
    folded = fold_case(word)
    return {folded, to_canonical(folded)} - {""}


def words_of(*texts: str) -> set[str]:
    """The distinct spellings of the words of ``texts`` (at most WORDS_PER_DOCUMENT)."""
    words: set[str] = set()
    for text in texts:
        for _start, _end, word in tokenize(text or ""):
            for form in spellings(word):
                if 2 <= len(form) <= WORD_MAX and not form.isdigit():
                    words.add(form)
            if len(words) >= WORDS_PER_DOCUMENT:
                return words
    return words


def vocabulary_add(words: Iterable[str]) -> None:
    """Remember these words (already case-folded). Call inside the indexing transaction."""
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in words], ignore_conflicts=True, batch_size=1000
    )


def known(words: Iterable[str]) -> set[str]:
    """Which of these words (as typed) the vocabulary has, in one of their spellings."""
    forms = {word: spellings(word) for word in words}
    wanted = {form for group in forms.values() for form in group if len(form) <= WORD_MAX}
    if not wanted:
        return set()
    have = set(SearchWord.objects.filter(word__in=wanted).values_list("word", flat=True))
    return {word for word, group in forms.items() if group & have}


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: the word padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of both words."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def _has_pg_trgm() -> bool:
    alias = connection.alias
    if alias not in _pg_trgm:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _pg_trgm[alias] = cursor.fetchone() is not None
    return _pg_trgm[alias]


def suggestion(word: str) -> str | None:
    """The known word most like ``word`` (case-folded), if one is alike enough."""
    word = fold_case(word)[:WORD_MAX]
    if len(word) < 3:
        return None
    if connection.vendor == "postgresql" and _has_pg_trgm():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, similarity(word, %s) AS s FROM search_word "
                "WHERE word %% %s AND word <> %s ORDER BY s DESC, word LIMIT 1",
                [word, word, word],
            )
            row = cursor.fetchone()
        return row[0] if row and row[1] >= SIMILARITY_MIN else None
    candidates = (
        SearchWord.objects.filter(word__startswith=word[0])
        .annotate(length=Length("word"))
        .filter(length__gte=len(word) - 2, length__lte=len(word) + 2)
        .values_list("word", flat=True)
    )
    best, best_score = None, 0.0
    for candidate in candidates.iterator(chunk_size=2000):
        score = similarity(word, candidate)
        if candidate == word or score < SIMILARITY_MIN:
            continue
        if best is None or score > best_score or (score == best_score and candidate < best):
            best, best_score = candidate, score
    return best
