"""Text → search terms, the same way for documents and queries, in Kazakh, Russian and English.

Both search backends (PostgreSQL ``tsvector`` with the 'simple' configuration, SQLite FTS5 with
'unicode61') index the string :func:`index_text` returns and match the keys of
:func:`query_terms`: exactly for a complete word, as a prefix for one still being typed
(search/expression.py, search/vocabulary.py). Everything language-specific therefore happens
here, in plain Python, and both backends behave alike.

A word becomes one term:

1. split out of the text (:func:`tokenize`: runs of letters and digits),
2. dropped if it is a stop word (stopwords.py) or a single letter or digit (from documents
   too: no query can ask for one), or if it is a Kazakh ending after a number (40-тан),
3. stemmed by the stemmer of its language, then spelled in Latin (translit.py): Cyrillic and
   2021 Latin Kazakh meet on precise keys, which keep Kazakh letters apart (қол is not көл);
   a document's Kazakh words also get folded keys (marked FOLDED_MARK) for queries in plain
   Latin, which cannot write those letters ("kol" finds both):

   =================  ===============================================================
   Kazakh             Kazakh letters (ә ғ қ ң ө ұ ү һ і / ä ğ ı ñ ö ş ū ü ç q), or any
                      Cyrillic/Latin word in a Kazakh document: transliterate, then
                      the Kazakh suffix stemmer (kazakh.py) — one stemmer for both scripts.
                      A document without a language is Kazakh when its letters say so.
   Russian            other Cyrillic words: Snowball Russian on the Cyrillic, then
                      transliterate
   English            other Latin words: Snowball English, then fold
   numbers, others    kept as they are (other scripts as x<hex> codes, see translit.py)
   =================  ===============================================================

A query has no language, so each query word gets the terms of every path it could have been
indexed under (Cyrillic: Russian and Kazakh; Latin: English and Kazakh), and the backends OR
them. A Kazakh word may have several readings (a noun, or a verb form down to its stem: see
kazakh.py), each a key; Russian words get their fleeting vowel put back and irregular forms
their lemma. Terms contain only [a-z0-9], so they are safe in both query syntaxes, and are at most
40 characters long.

Every per-word result is cached (the vocabulary of a site is small compared with its text),
which is what makes a 5,000-word document take a few milliseconds.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

from search import kazakh
from search.kazakh import analyses as kazakh_analyses
from search.kazakh import stem_raw as kazakh_stem_raw
from search.stopwords import NUMBER_SUFFIXES, is_stop
from search.translit import (
    PRECISE_RESPELLED,
    analyse,
    fold_case,
    for_kazakh_stemmer,
    pieces,
    to_canonical,
    to_precise,
)

__all__ = [
    "MAX_TERM_LENGTH",
    "index_terms_of",
    "index_text",
    "query_terms",
    "query_words",
    "shortest_prefixes",
    "token_keys",
    "tokenize",
]

#: Longer terms are cut to this length (both backends then still match them by prefix).
MAX_TERM_LENGTH = 40
_LANGUAGES = {"kk": "kk", "kz": "kk", "kaz": "kk", "ru": "ru", "rus": "ru", "en": "en", "eng": "en"}
# Hyphens between a number and its Kazakh/Russian ending (2013-тен, 20-го).
_NUMBER_HYPHENS = frozenset({"-", "\u2010", "\u2011", "\u2013"})

# Snowball stemmers keep the word being stemmed in instance attributes, so one instance must
# not be used by two threads at once (Django serves requests from several threads). Stemming
# only happens on a cache miss, so one lock costs nothing measurable.
_RUSSIAN = snowballstemmer.stemmer("russian")
_ENGLISH = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()


def _mark_class() -> str:
    """Regex class of all combining marks (Unicode category M) of planes 0 and 1.

    Python's ``\\w`` does not include them, so a word typed in decomposed form (и + ◌̆ for й,
    e + ◌́) would otherwise be cut in two. Soft hyphen and zero-width (non-)joiner are added:
    they sit inside words copied from web pages. Built once at import (about 20 ms).
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x20000):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    ranges += [(0xAD, 0xAD), (0x200C, 0x200D), (0xE0100, 0xE01EF)]
    return "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)


# A word: a letter or digit, then letters, digits and combining marks. Apostrophes, hyphens
# and underscores split words (Іс-шара → Іс, шара; don't → don, t).
_WORD = re.compile(f"[^\\W_](?:[^\\W_]|[{_mark_class()}])*")


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) spans of the words of `text`, for highlighting the original words."""
    if not text:
        return []
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _language(language: str | None) -> str | None:
    """'kk' | 'ru' | 'en' | 'other' from a hint such as 'kk' or 'ru-RU'; None without one."""
    if not language or not language.strip():
        return None
    code = language.strip().lower().replace("_", "-").split("-", 1)[0]
    return _LANGUAGES.get(code, "other")


# Share of a text's words with letters only Kazakh uses, from which it is taken to be Kazakh.
# Kazakh prose has 60-70 % such words (the hub's texts), Russian and English next to none.
_KAZAKH_SHARE = 0.2


def _guess_language(words: list[str]) -> str:
    """'kk' for a text that is evidently Kazakh, else 'other' (Russian/English paths).

    Only used when the caller gives no language: an untagged Kazakh text would otherwise send
    its words without Kazakh letters (жоба, мемлекеттер) through the Russian stemmer.
    """
    scripts = [_analyse(word)[2] for word in words]
    lettered = sum(1 for script in scripts if script in ("kazakh", "cyrillic", "latin"))
    kazakh = sum(1 for script in scripts if script == "kazakh")
    return "kk" if lettered and kazakh >= _KAZAKH_SHARE * lettered else "other"


@lru_cache(maxsize=200_000)
def _analyse(word: str) -> tuple[str, str, str, bool]:
    """(case-folded word, canonical form, script, droppable) of one word of running text.

    Droppable: a stop word, or a single letter/digit (never a useful query on its own).
    """
    folded = fold_case(word)
    canonical, script = analyse(folded)
    letters = (
        len(folded)
        if folded.isalnum()
        else sum(1 for ch in folded if unicodedata.category(ch)[0] != "M")
    )
    # A one-character term would match, as a prefix, a 26th of the index.
    droppable = len(canonical) < 2 or letters < 2 or is_stop(folded, canonical, script)
    return folded, canonical, script, droppable


def _snowball(stemmer, word: str) -> str:
    with _STEMMER_LOCK:
        return stemmer.stemWord(word)


# Folded keys of Kazakh words are written after this mark in the index, so that only a query
# that cannot tell қ from к (Latin without diacritics) meets them (see _kazakh_keys).
FOLDED_MARK = "0"


def _key(folded: str, canonical: str, path: str) -> str:
    """The term of a word under the 'ru', 'en' or 'raw' path (one key each)."""
    if len(canonical) > MAX_TERM_LENGTH:
        # Not a real word (a URL, a hash, a chemical name): no stemmer applies. Cutting the
        # unstemmed form keeps every prefix of it a prefix of the term.
        return canonical[:MAX_TERM_LENGTH]
    if path == "ru":
        key = to_canonical(_russian_stem(folded))
    elif path == "en":
        key = to_canonical(_snowball(_ENGLISH, folded))
    else:
        key = canonical
    if len(key) < 2:  # a stemmer must not leave a word one letter long
        key = canonical
    return key[:MAX_TERM_LENGTH]


def _russian_stem(folded: str) -> str:
    """Snowball Russian, made to meet across fleeting vowels and irregular plurals."""
    lemma = RUSSIAN_IRREGULAR.get(folded.replace("ё", "е"))
    if lemma is not None:
        folded = lemma
    stem = _snowball(_RUSSIAN, folded)
    if len(stem) < 3 < len(folded):
        # Snowball reads some short nouns as verb forms (опыт → оп, like мыть/мыт), and
        # then "опыта" (→ опыт) no longer finds "опыт". Such a word stays whole.
        stem = folded
    # A vowel that comes and goes before the last consonant (закупок/закупки, отец/отца,
    # заявок/заявка): the stem is spelled without it, so both forms meet.
    match = _FLEETING.match(stem)
    if match and len(stem) >= 4:
        stem = match.group(1) + match.group(2)
    return stem


# Consonant, fleeting о/е/ё, then к/ц/н/л at the end of a Snowball stem.
_FLEETING = re.compile("^(.*[бвгджзйклмнпрстфхцчшщ])[оеёь]([кцнл])$")


# Forms Snowball cannot relate to their lemma.
def _forms(lemma: str, forms: str) -> dict[str, str]:
    return dict.fromkeys(forms.split(), lemma)


# Forms Snowball cannot relate to their lemma (suppletive plurals, stems that change).
RUSSIAN_IRREGULAR = {
    **_forms("человек", "люди людей людям людьми людях"),
    **_forms("ребенок", "дети детей детям детьми детях ребенка ребенку ребенком ребенке"),
    **_forms("год", "лет"),
    **_forms("день", "дня дню днем дне дни дней дням днями днях"),
    **_forms("заем", "займа займу займом займе займы займов займам займами займах"),
    **_forms("гражданин", "граждане граждан гражданам гражданами гражданах"),
    **_forms("друг", "друзья друзей друзьям друзьями друзьях"),
    **_forms("мать", "матери матерью матерей матерям матерями матерях"),
    **_forms("дочь", "дочери дочерью дочерей дочерям дочерями дочерях"),
    **_forms("время", "времени временем времена времен временам временами временах"),
    **_forms("имя", "имени именем имена имен именам именами именах"),
    **_forms("знамя", "знамени знаменем знамена знамен"),
    **_forms("письмо", "писем"),
    **_forms("деньги", "денег"),
}


def _kazakh_keys(folded: str, canonical: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(precise keys, folded keys) of a word read as Kazakh: one per reading (kazakh.py),
    precise keys keeping the letters only Kazakh has apart (translit.to_precise), folded keys
    marked with FOLDED_MARK and kept only where they differ from the precise one."""
    if len(canonical) > MAX_TERM_LENGTH:
        cut = canonical[:MAX_TERM_LENGTH]
        return (cut,), ()
    letters = pieces(folded)
    precise_keys, folded_keys = [], []
    for kept, added in _readings(folded):
        if kept == 0:  # a root put back whole (орны → орын)
            root = kazakh.DROPPED_VOWEL_ROOTS[added]
            precise, plain = to_precise(root), added
        else:
            precise, plain = _aligned(letters, kept, added)
        precise_keys.append(precise[:MAX_TERM_LENGTH])
        if plain != precise:
            folded_keys.append((FOLDED_MARK + plain)[:MAX_TERM_LENGTH])
    return tuple(dict.fromkeys(precise_keys)), tuple(dict.fromkeys(folded_keys))


def _readings(folded: str) -> tuple[tuple[int, str], ...]:
    """The Kazakh stemmer's readings of a word. A word in plain Latin letters may have meant
    ң by its n (memleketterdin for мемлекеттердің): near its end, that reading is tried too."""
    word = for_kazakh_stemmer(folded)
    readings = kazakh_analyses(word)
    if folded.isascii() and "n" in word[-6:]:
        tail = word[-6:].replace("n", "N")
        readings = tuple(dict.fromkeys(readings + kazakh_analyses(word[:-6] + tail)))
    return readings


def _aligned(
    letters: list[tuple[str, str, str]], kept: int, added: str, *, respell: bool = True
) -> tuple[str, str]:
    """(precise key, folded key) keeping the letters that make up the first ``kept``
    characters of the folded word, then ``added`` (a verb's -у), or, for a noun stem (unless
    ``respell`` is off), the final g/b respelled k/p as Kazakh says it before a consonant."""
    precise, plain, length = [], [], 0
    last = ""
    for letter, canonical, exact in letters:
        if length >= kept:
            break
        take = canonical[: kept - length]
        length += len(canonical)
        plain.append(take)
        precise.append(exact if take == canonical else take)
        last = letter
    plain_key, precise_key = "".join(plain), "".join(precise)
    if added:
        return precise_key + added, plain_key + added
    if not respell:
        return precise_key, plain_key
    respelled = kazakh.respell(plain_key)
    if respelled != plain_key:
        precise_key = precise_key[: -len(precise[-1])] + PRECISE_RESPELLED.get(last, respelled[-1])
    return precise_key, respelled


def _index_path(script: str, language: str) -> str:
    """Which stemmer a word of `script` gets in a document of `language`."""
    if script == "kazakh":
        return "kk"
    if script in ("cyrillic", "latin"):
        if language == "kk":
            return "kk"
        return "ru" if script == "cyrillic" else "en"
    return "raw"


def _query_paths(script: str) -> tuple[str, ...]:
    """Every path a word of `script` may have been indexed under."""
    if script == "kazakh":
        return ("kk",)
    if script == "cyrillic":
        return ("ru", "kk")
    if script == "latin":
        return ("en", "kk")
    return ("raw",)


@lru_cache(maxsize=200_000)
def _index_terms(word: str, language: str) -> tuple[str, ...]:
    """The keys of a word, and its whole spelling when that is longer: queries match a word
    being typed by prefix, and a typed prefix may run past the stem ("цифрл" for цифрлық)."""
    folded, canonical, script, droppable = _analyse(word)
    if droppable:
        return ()
    path = _index_path(script, language)
    whole = canonical[:MAX_TERM_LENGTH]
    if path != "kk":
        stem = _key(folded, canonical, path)
        return (stem,) if whole == stem else (stem, whole)
    precise, marked = _kazakh_keys(folded, canonical)
    exact = to_precise(word)[:MAX_TERM_LENGTH]
    terms = [*precise, exact]
    if marked:  # the word has letters only Kazakh has: its folded spelling too, marked
        terms += [*marked, (FOLDED_MARK + whole)[:MAX_TERM_LENGTH]]
    elif script in ("cyrillic", "latin"):
        # A Russian or English word in a Kazakh text (государственное, digital) is also
        # indexed the way its own language would be.
        terms.append(_key(folded, canonical, "ru" if script == "cyrillic" else "en"))
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=50_000)
def _query_alternatives(word: str) -> tuple[str, ...]:
    """Every key a query word may meet documents under (see _query_paths): a word written with
    letters only Kazakh has meets precise keys only; one in plain Latin letters, which cannot
    write them, also meets the folded keys (қол and көл both, for "kol")."""
    folded, canonical, script, droppable = _analyse(word)
    if droppable:
        return ()
    paths = _query_paths(script)
    alternatives = {_key(folded, canonical, path) for path in paths if path != "kk"}
    if "kk" in paths:
        precise, _marked = _kazakh_keys(folded, canonical)
        alternatives.update(precise)
        if script == "latin":
            alternatives.update(FOLDED_MARK + key for key in precise)
        if len(canonical) <= MAX_TERM_LENGTH:
            # The stem before its final g/b → k/p respelling: a partial word like "бағ"
            # (for бағдарлама) must not turn into "bak".
            raw = kazakh_stem_raw(for_kazakh_stemmer(folded)).lower()
            if len(raw) >= 2 and raw != canonical[: len(raw)]:
                raw = ""
            if len(raw) >= 2:
                exact_raw = _aligned(pieces(folded), len(raw), "", respell=False)[0]
                alternatives.add(exact_raw if script != "latin" else raw)
                if script == "latin":
                    alternatives.add(FOLDED_MARK + raw)
    if "ts" in canonical:
        # Russian-style "ts" for ц (tsifrlandyru); the index folds ц to the 2021 "s".
        respelled = canonical.replace("ts", "s")
        respelled_keys = [key.lower() for key in kazakh.keys(respelled)]
        alternatives.update(respelled_keys)
        alternatives.update(FOLDED_MARK + key for key in respelled_keys)
    if "c" in canonical.replace("ch", ""):
        # "konferenciia", "licenziia": a Latin c for ц, which the index spells s.
        respelled = re.sub("c(?!h)", "s", canonical)
        alternatives.update(key.lower() for key in kazakh.keys(respelled))
        alternatives.add(_key(folded, respelled, "raw"))
    return tuple(sorted(alternatives, key=lambda alt: (-len(alt), alt)))


def shortest_prefixes(alternatives) -> list[str]:
    """For a word matched as a prefix: "ab" already matches everything "abc" would, so only
    the shortest of alternatives that start one another are kept."""
    return sorted(
        (
            alt
            for alt in alternatives
            if not any(other != alt and alt.startswith(other) for other in alternatives)
        ),
        key=lambda alt: (-len(alt), alt),
    )


@lru_cache(maxsize=50_000)
def _keys(word: str) -> frozenset[str]:
    """Every key a word of a document could be indexed under, whatever its language."""
    _folded, canonical, _script, droppable = _analyse(word)
    if droppable:
        return frozenset()
    keys = set()
    for language in ("kk", "ru", "en", "other"):
        keys.update(_index_terms(word, language))
    keys.add(canonical[:MAX_TERM_LENGTH])
    return frozenset(keys)


def _words(text: str):
    """Words of `text`, without the endings written after a number and a hyphen (40-тан)."""
    previous_end = -1
    previous_is_number = False
    for match in _WORD.finditer(text):
        word = match.group()
        if (
            previous_is_number
            and text[previous_end : match.start()] in _NUMBER_HYPHENS
            and _analyse(word)[1] in NUMBER_SUFFIXES
        ):
            previous_is_number = False
            continue
        previous_end = match.end()
        previous_is_number = word.isdigit()
        yield word


def index_text(text: str, language: str | None = None) -> str:
    """Space-separated canonical terms of `text` for the index, in order (duplicates kept,
    stop words dropped). language: 'kk' | 'ru' | 'en' | 'other' | None.

    With None the text itself decides: Kazakh if at least a fifth of its words have letters only
    Kazakh uses, otherwise treated like 'other'."""
    if not text:
        return ""
    words = list(_words(text))
    language = _language(language) or _guess_language(words)
    return " ".join(term for word in words for term in _index_terms(word, language))


def query_words(query: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each meaningful word of the query (stop words and single letters dropped) as written,
    with the keys it may be indexed under (deduplicated, longest first). A word repeated in the
    query is asked for once."""
    if not query:
        return []
    result: list[tuple[str, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    for word in _words(query):
        alternatives = _query_alternatives(word)
        if alternatives and alternatives not in seen:
            seen.add(alternatives)
            result.append((word, alternatives))
    return result


def query_terms(query: str) -> list[list[str]]:
    """For each meaningful word of the query, the list of keys it may be indexed under.
    [] when nothing is left. The backends AND the words and OR the keys of a word."""
    return [list(alternatives) for _word, alternatives in query_words(query)]


def index_terms_of(word: str, language: str | None) -> tuple[str, ...]:
    """The index terms of one word in a document of ``language`` (for measurements)."""
    return _index_terms(word, _language(language) or "other")


def token_keys(token: str) -> set[str]:
    """All canonical keys a single word of running text could have been indexed under (every
    path), used to highlight words in snippets: a word is highlighted if any of its keys
    starts with any query alternative. Stop words and single letters have no keys."""
    keys: set[str] = set()
    for _start, _end, word in tokenize(token):
        keys |= _keys(word)
    return keys


def word_keys(word: str) -> frozenset[str]:
    """token_keys for one word already cut out by tokenize() (cached; no re-tokenising)."""
    return _keys(word)
