"""One spelling for every word: any script → "canonical folded Latin".

Kazakh is written in Cyrillic today and in the 2021 Latin alphabet tomorrow, and people type
either with or without diacritics. The search index stores only the canonical form, so all of
these meet in one key::

    мемлекеттік  memlekettık  memlekettik  MEMLEKETTİK   →  memlekettik
    қызмет       qyzmet       kyzmet                     →  kyzmet

The canonical form is the 2021 Kazakh Latin transliteration with the diacritics folded away:

    ä→a  ğ→g  ı→i  ñ→n  ö→o  ş→sh  ū→u  ü→u  ç→ch  q→k

(q folds to k because a user without a Kazakh keyboard types "k"; ş and ç fold to the
digraphs sh/ch that everybody types.) The letters that Kazakh Cyrillic shares with Russian use
the same table, so a Russian stem transliterates to the same key a Kazakh stem would.
The only deliberate departure from the 2021 table is ё→e (not "io"): Russian writers drop the
dots, and "елка" must find "ёлка".

That folded form is what the stemmer works on, and what a query in plain Latin (which cannot
write қ, ө, ү...) is matched with. The keys the index stores are *precise*: the same letters
with each Kazakh-only letter marked by a digit (:func:`to_precise`: көл → ko1l, қол → qol,
үкімет → u2kimet), so that a Cyrillic or 2021 Latin query does not find the look-alike word
(қол "hand" is not көл "lake"). search/normalize.py decides which keys a query asks for.

Letters of other Latin-based languages lose their diacritics (é→e, ø→o, ß→ss). Letters of
scripts with no Latin reading here (Chinese, Arabic, Greek, ...) are kept as "x<hex code
point>" so they stay searchable by exact word and prefix without any character outside
[a-z0-9]. Everything else (marks, soft hyphens, symbols) is dropped.
"""

from __future__ import annotations

import unicodedata

# Kazakh Cyrillic → 2021 Latin, already folded. Letters shared with Russian follow the same
# table, with the Russian-only letters spelled the way the 2021 rules (and most users) do.
_CYRILLIC: dict[str, str] = {
    "а": "a",
    "ә": "a",  # Ä
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",  # Ğ
    "д": "d",
    "е": "e",
    "ё": "e",  # Russian writers drop the dots; see module docstring
    "ж": "j",
    "з": "z",
    "и": "i",  # İ
    "й": "i",  # İ
    "к": "k",
    "қ": "k",  # Q
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",  # Ñ
    "о": "o",
    "ө": "o",  # Ö
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",  # Ū
    "ү": "u",  # Ü
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "s",  # the 2021 alphabet writes loanwords' ц as s (Sifrlyq Qazaqstan)
    "ч": "ch",  # Ç
    "ш": "sh",  # Ş
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "і": "i",  # I ı
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Neighbouring Cyrillic alphabets, so that stray letters still land somewhere sensible.
    "ї": "i",
    "є": "e",
    "ґ": "g",
    "ў": "u",
    "ј": "j",
    "ӧ": "o",
    "ӱ": "u",
}

# Kazakh 2021 Latin letters with diacritics, and Latin letters that NFKD cannot take apart.
_LATIN: dict[str, str] = {
    "ä": "a",
    "ğ": "g",
    "ı": "i",
    "ñ": "n",
    "ö": "o",
    "ş": "sh",
    "ū": "u",
    "ü": "u",
    "ç": "ch",
    "q": "k",
    "ə": "a",  # schwa: Azerbaijani, and 1929-1940 Kazakh Latin (Jañalif) for ә
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ð": "d",
    "þ": "th",
    "ł": "l",
    "đ": "d",
    "ħ": "h",
    "ŋ": "n",
}

#: Letters that only Kazakh uses (after case folding). A word containing one is Kazakh
#: whatever the document language says.
KAZAKH_CYRILLIC_LETTERS = frozenset("әғқңөұүһі")
#: The 2021 Latin letters that English does not use. "q" is special-cased, see script_of().
KAZAKH_LATIN_LETTERS = frozenset("äğıñöşūüç")

# Character classes returned by _char().
_DROP, _DIGIT, _ASCII, _LATIN_X, _KZ_LATIN, _CYR, _KZ_CYR, _FOREIGN = range(8)


_CHAR_CACHE: dict[str, tuple[str, int]] = {}


def _char(ch: str) -> tuple[str, int]:
    """Canonical spelling and class of one case-folded character (cached: texts reuse few)."""
    info = _CHAR_CACHE.get(ch)
    if info is None:
        info = _CHAR_CACHE[ch] = _char_uncached(ch)
        if len(_CHAR_CACHE) > 20_000:  # bounded: arbitrary input must not grow it forever
            _CHAR_CACHE.clear()
    return info


def _char_uncached(ch: str) -> tuple[str, int]:
    if "a" <= ch <= "z":
        return ("k" if ch == "q" else ch), _ASCII
    if "0" <= ch <= "9":
        return ch, _DIGIT
    if ch in _CYRILLIC:
        return _CYRILLIC[ch], (_KZ_CYR if ch in KAZAKH_CYRILLIC_LETTERS else _CYR)
    if ch in _LATIN:
        return _LATIN[ch], (_KZ_LATIN if ch in KAZAKH_LATIN_LETTERS else _LATIN_X)
    if ch.isdecimal():  # other digit systems (Arabic-Indic, fullwidth, ...) → 0-9
        return str(unicodedata.decimal(ch)), _DIGIT
    if unicodedata.category(ch)[0] == "M":  # combining marks, e.g. the dot of casefold("İ")
        return "", _DROP
    # é, ñ, ﬁ, ², ａ: whatever ASCII letters and digits the compatibility decomposition holds.
    ascii_part = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if "a" <= c <= "z" or "0" <= c <= "9"
    )
    if ascii_part:
        return ascii_part.replace("q", "k"), _LATIN_X
    if ch.isalnum():
        # A letter of another script: keep it searchable as an [a-z0-9] code, accents
        # removed (ά and α are one letter to a reader). "x" never appears inside a hex
        # number, so one code cannot run into the next.
        base = [c for c in unicodedata.normalize("NFKD", ch) if unicodedata.category(c)[0] != "M"]
        return "".join(f"x{ord(c):x}" for c in base or ch), _FOREIGN
    return "", _DROP


def fold_case(word: str) -> str:
    """NFC + casefold: the lower-case form every comparison starts from."""
    return unicodedata.normalize("NFC", word).casefold()


def to_canonical(word: str) -> str:
    """Any script → folded canonical Latin ([a-z0-9] only), before stemming.

    >>> to_canonical("Мемлекеттік"), to_canonical("memlekettık"), to_canonical("Qyzmet")
    ('memlekettik', 'memlekettik', 'kyzmet')
    """
    return "".join(_char(ch)[0] for ch in fold_case(word))


def script_of(folded: str) -> str:
    """Which stemmer family a case-folded word belongs to (see analyse())."""
    return analyse(folded)[1]


def analyse(folded: str) -> tuple[str, str]:
    """(canonical form, script) of a case-folded word, in one pass over its letters.

    The script is "kazakh" (has letters only Kazakh uses), "cyrillic", "latin", "digits" (only
    digits) or "other" (has letters of a script we cannot transliterate: left unstemmed).

    "q" marks Kazakh only when it is not followed by "u": English spells q as "qu"
    (question, quality, require), which must stay with the English stemmer, while Kazakh
    Latin rarely has "qu" without an ū (qūqyq) that marks it anyway. A Latin "i" inside a
    Cyrillic word is the old habit of typing the Kazakh і with the Latin key (мемлекеттiк),
    so it marks Kazakh too.
    """
    parts = []
    classes = set()
    for ch in folded:
        text, kind = _char(ch)
        parts.append(text)
        classes.add(kind)
    canonical = "".join(parts)
    kazakh_q = "q" in folded and any(
        ch == "q" and folded[i + 1 : i + 2] != "u" for i, ch in enumerate(folded)
    )
    if _FOREIGN in classes:
        script = "other"
    elif _KZ_CYR in classes or _KZ_LATIN in classes or kazakh_q:
        script = "kazakh"
    elif _CYR in classes:
        script = "kazakh" if "i" in folded else "cyrillic"
    elif _ASCII in classes or _LATIN_X in classes:
        script = "latin"
    elif _DIGIT in classes:
        script = "digits"
    else:
        script = "other"
    return canonical, script


# --- Precise spelling: Kazakh letters kept apart -----------------------------------------------
# The canonical form folds қ/к, ө/о, ә/а... together, which makes қол "hand" and көл "lake" one
# word. A word read as Kazakh is also given a *precise* key in which every letter only Kazakh
# has stays distinct, written with a digit after its plain counterpart (still [a-z0-9]). Only
# і stays with и: people type "i" for both in Latin, and the two seldom tell words apart.
_PRECISE: dict[str, str] = {
    "ә": "a1",
    "ғ": "g1",
    "қ": "q",
    "ң": "n1",
    "ө": "o1",
    "ұ": "u1",
    "ү": "u2",
    "һ": "h1",
    "ä": "a1",
    "ğ": "g1",
    "ñ": "n1",
    "ö": "o1",
    "ū": "u1",
    "ü": "u2",
    "q": "q",
}
# What a precise stem ends with when the folded stem's final g/b is respelled k/p.
PRECISE_RESPELLED = {"ғ": "q", "ğ": "q", "г": "k", "g": "k", "б": "p", "b": "p"}


def pieces(folded: str) -> list[tuple[str, str, str]]:
    """(letter, canonical spelling, precise spelling) for each letter of a case-folded word."""
    out = []
    for ch in folded:
        canonical = _char(ch)[0]
        out.append((ch, canonical, _PRECISE.get(ch, canonical)))
    return out


def to_precise(word: str) -> str:
    """The precise spelling of a word (see _PRECISE): көл → ko1l, қол → qol, кол → kol."""
    return "".join(precise for _ch, _canonical, precise in pieces(fold_case(word)))


def for_kazakh_stemmer(folded: str) -> str:
    """The canonical spelling, but with ң (ñ) written "N": the Kazakh endings -ың "your" and -ын
    (accusative), -сың and -атын differ only by it (search/kazakh.py)."""
    return "".join("N" if ch in "ңñ" else canonical for ch, canonical, _exact in pieces(folded))
