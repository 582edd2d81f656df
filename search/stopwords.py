"""Words too common to search for, in Russian, Kazakh and English.

The lists are short on purpose: only function words that carry no topic. A stop word is
dropped both from documents and from queries, so a query like "білім мен тәжірибе" asks for
two words, not three, and a document never has to contain "мен" to match it.

The same list serves index and query: a word dropped from queries could never be found anyway,
so indexing it would only cost space. Because a query has no language, a word that is a stop
word in any language of its script is dropped: Russian "он" ("he") takes Kazakh "он" ("ten")
with it, and Kazakh "мен"/"пен"/"бен"/"және" typed in Latin take English "men", "pen", "Ben"
and "Jane" with them. That is the price of letting "bilim men täjiribe" find Cyrillic text.

Cyrillic words are compared in Cyrillic, so a Russian stop word never hides a Latin word that
transliterates alike (Russian "но" and English "no"); Latin words are compared in canonical
folded form, so "üşin", "ushin" and "uşin" are all recognised.
"""

from __future__ import annotations

from search.translit import to_canonical


def _words(text: str) -> frozenset[str]:
    """A word list written as running text, which keeps long lists short and readable."""
    return frozenset(text.split())


RUSSIAN = _words(
    """
    а без бы был была были было быть в вам вас во вот все всё вы где да для до его ее её
    если есть еще ещё же за и из или им их к как ко когда который которая которое которые
    ли мы на над не нет но о об однако он она они оно от по под при с со так также там те
    тем то того тоже только ты у уже чем что чтобы эта эти это этого этот я
    """
)

# Kazakh function words: conjunctions, particles, pronouns, postpositions, the copula.
KAZAKH = _words(
    """
    ал арқылы бен бірақ бойынша бұл да де әр ең және мен немесе ол олар осы пен сол та те
    туралы үшін өте ма ме ба бе па пе ғана тек еді деп екен болып табылады
    """
)

ENGLISH = _words(
    """
    a about also an and are as at be been but by can do does for from had has have he her
    his how i if in into is its of on or our she so than that the their them then there
    these they this those to was we were what when which will with would you your
    """
)
# Deliberately absent: "it" (IT = information technology), "us" (the US), "who" (WHO).

#: Stop words of Cyrillic script, compared with the case-folded word.
CYRILLIC_STOP = RUSSIAN | KAZAKH
#: Stop words of Latin script (English, and Kazakh in the 2021 alphabet), in canonical form.
LATIN_STOP = frozenset(to_canonical(word) for word in ENGLISH | KAZAKH)
#: Kazakh stop words in canonical form, for Cyrillic words typed with a Latin і (бiз → biz).
KAZAKH_CANONICAL = frozenset(to_canonical(word) for word in KAZAKH)

# Endings written after a number and a hyphen: 2013-тен, 40-тан, 43-ке, 1-ші, 20-го, 90-х.
# Only dropped right after "<digits>-", where they cannot be words of their own (нан, дан...).
NUMBER_SUFFIXES = frozenset(
    to_canonical(word)
    for word in _words(
        """
        ның нің дың дің тың тің ны ні ды ді ты ті ға ге қа ке на не а е да де та те нда нде
        дан ден тан тен нан нен ндан нден мен бен пен дағы дегі тағы тегі ғы гі қы кі
        шы ші ыншы інші ншы нші сы сі ы і
        го ого ому ым ых их ий ый ой ая ое ые ом ем е я х м й
        """
    )
)


def is_stop(folded: str, canonical: str, script: str) -> bool:
    """Whether a word (case-folded original, its canonical form, its script) is a stop word."""
    if script == "latin":
        return canonical in LATIN_STOP
    if script == "cyrillic":
        return folded in CYRILLIC_STOP
    if script == "kazakh":
        # Cyrillic Kazakh (үшін, және) or Latin Kazakh (üşin, jäne) or mixed (бiз).
        return folded in CYRILLIC_STOP or canonical in KAZAKH_CANONICAL
    return False
