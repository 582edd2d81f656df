"""A light suffix stemmer for Kazakh, working on canonical folded Latin (see translit.py).

Kazakh is agglutinative: a noun takes, in this order, derivation, plural, possessive and case
endings (мемлекет-тер-і-нің "of their states"). Search only needs inflected forms of one word
to meet, so the stemmer removes endings from the outside in, one "slot" at a time:

    1. case (and a few predicate endings: present tense -ады/-еді, past -ды/-ді)
       — or one of the fused possessive+case endings -ын/-ін/-сын, -ында, -ынан, -ындағы...
    2. possessive (-ы/-і/-сы/-сі, -ымыз/-іміз, -ыңыз/-іңіз)
    3. plural (-лар/-лер/-дар/-дер/-тар/-тер)
    4. derivation, up to two endings (-лық/-лік, -шы/-ші, -ғы/-гі, -ған/-ген, -атын/-етін,
       -лы/-лі)

Each slot strips at most one ending, the longest that fits. An ending only fits after the
sounds Kazakh allows before it (-тың after a voiceless consonant, -ның after a vowel or a
nasal, ...), which is what keeps roots like қатар (not қа+тар) and бағдар intact.

Length limits keep short roots whole: a stem is never shorter than two letters, never two
letters ending in a vowel, and never shorter than three letters after a possessive or a
derivational ending (so ел-дер-дің → ел, but үлгі does not become ұл+гі). A short list of
common roots that look inflected (елорда, тұлға, сауда, аудан, ...) is never cut.

Two ambiguities are settled by spelling the stem so that both readings meet: a long stem loses
a final -ш (өтініш-і vs. сарап-шы) and a final -с after а/е/о (кеңес-і vs. тәжірибе-сі). Last,
a final g or b is spelled k or p (көмегі → көмек, кітабы → кітап, холдингі → холдинк),
because Kazakh voices those consonants before a vowel ending; stem_raw() gives the stem
without this respelling, which a query needs for a half-typed word like "бағ".

The verbal noun -у (басқару, цифрландыру, зерттеу) is deliberately kept: it is how public
administration words are cited and searched, and stripping it would merge қалау "to wish" with
қала "city". The folded alphabet has lost vowel harmony (ә=а, ө=о, ү=ұ=у), so endings are
listed in both their back and front forms. docs/kazakh-stemmer.md has the measurements.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = frozenset("aeiouy")

# What may come right before an ending: sets of "last sounds" of the stem, see _last(). The
# folded alphabet spells й as i and у as u; both are consonants to Kazakh endings (ойдың,
# басқарудың, басқаруы), so _last() reports them as "J" and "w".
_V = "aeioy"  # vowels (у is almost always the consonant-like у, not ұ/ү, at the end of a stem)
_SONORANT = "jzlrmnwJ"  # voiced consonants, й, у
_VOICED = _V + _SONORANT  # take -ға, -да, -дағы, -ған
_T = "ptkshfcxbgdv"  # voiceless consonants, and б в г д which take voiceless endings
_ANY = None  # anything at all
_CONSONANT = ""  # any consonant (anything but _V)
_Rule = tuple[str, frozenset[str] | None]
_Rules = dict[str, list[_Rule]]


def _rules(spec: list[tuple[tuple[str, ...], str | None]]) -> _Rules:
    """Flatten (endings, allowed-before) pairs into longest-first lists keyed by the last
    letter of the ending, so that a word is only compared with endings it could have."""
    rules = sorted(
        (
            (ending, None if before is None else frozenset(before))
            for endings, before in spec
            for ending in endings
        ),
        key=lambda rule: -len(rule[0]),
    )
    by_last: _Rules = {}
    for rule in rules:
        by_last.setdefault(rule[0][-1], []).append(rule)
    return by_last


# Possessive 3rd person fused with a case ending that only follows it (-ын acc., -ына dat.,
# -ында loc., -ынан abl., -ындағы attr.). Written as one ending so that a root that happens
# to end in н (бүгін, орын) is only touched when a possessive really precedes it. -сы/-сі
# follows a vowel, but not ы/і: жұмыс-ы-нда, not жұмы-сы-нда (stems in ы/і are rare, in -ыс
# common).
_TAILS_BACK = ("n", "na", "nda", "nan", "ndan", "ndagy")
_TAILS_FRONT = ("n", "ne", "nde", "nen", "nden", "ndegi")
_POSS3_CASE = [
    (tuple("y" + t for t in _TAILS_BACK), _CONSONANT),
    (tuple("i" + t for t in _TAILS_FRONT), _CONSONANT),
    (tuple("sy" + t for t in _TAILS_BACK), "aeo"),
    (tuple("si" + t for t in _TAILS_FRONT), "aeo"),
]
_FUSED = {ending for endings, _ in _POSS3_CASE for ending in endings}

_CASE = _rules(
    [
        (("nyn", "nin"), _V + "mn"),  # genitive
        (("dyn", "din"), "jzlrwJi"),  # (i: и, which is ый/ій)
        (("tyn", "tin"), _T),
        (("ny", "ni"), _V),  # accusative (-ды/-ді is also the past tense)
        (("dy", "di"), "jzlrmnwJi"),
        (("ty", "ti"), _T),
        (("ga", "ge"), _VOICED),  # dative
        (("ka", "ke"), _T),
        (("da", "de"), _VOICED),  # locative
        (("ta", "te"), _T),
        (("dan", "den"), _V + "jzlrwJ"),  # ablative
        (("nan", "nen"), "mn"),
        (("tan",), _T.replace("s", "")),  # not after s: Қазақстан, Өзбекстан are not -тан
        (("ten",), _T),
        (("men",), _V + "mnlrwJ"),  # instrumental
        (("ben",), "jzmn"),
        (("pen",), _T),
        (("dagy", "degi"), _VOICED),  # locative + attributive -ғы
        (("tagy", "tegi"), _T),
        (("dai", "dei"), _VOICED),  # similative -дай
        (("tai", "tei"), _T),
        (("ady", "edi"), _CONSONANT),  # present/future 3rd person: басқарады, көрсетеді
        (("idy", "idi"), _V),  # ... after a vowel: талқылайды
        *_POSS3_CASE,
    ]
)

_POSSESSIVE = _rules(
    [
        (("ymyz", "imiz"), _CONSONANT),
        (("myz", "miz"), _V),
        (("ynyz", "iniz"), _CONSONANT),
        (("nyz", "niz"), _V),
        (("sy", "si"), "aeo"),  # see _POSS3_CASE
        (("y", "i"), _CONSONANT),
    ]
)

_PLURAL = _rules(
    [
        (("lar", "ler"), _V + "rwJ"),
        (("dar", "der"), "jzlmn"),
        (("tar", "ter"), _T),
    ]
)

_DERIVATION = _rules(
    [
        (("lyk", "lik", "lyg", "lig"), _V + "rwJ"),  # -лық, -лығ- before a vowel
        (("dyk", "dik", "dyg", "dig"), _V + "jzlmn"),  # also past 1pl after a vowel: жасадық
        (("tyk", "tik", "tyg", "tig"), _T),
        (("shy", "shi"), _ANY),  # agent: қызметші, басқарушы
        (("gy", "gi"), _VOICED),  # attributive: қазіргі, бүгінгі
        (("ky", "ki"), _T),  # ішкі, алғашқы
        (("gan", "gen"), _VOICED),  # past participle
        (("kan", "ken"), _T),
        (("atyn", "etin"), _CONSONANT),  # habitual participle: атқаратын, өтетін
        (("ityn", "itin"), _V),
        (("ly", "li"), _V + "rwJ"),  # "having": пайдалы, тәжірибелі
        (("dy", "di"), "jzlmn"),  # маңызды, білімді
        (("ty", "ti"), _T),
    ]
)

# The agent ending -шы/-ші, and the shortest stem it may leave (басшы stays whole: бас "head").
_AGENT = ("shy", "shi")
_AGENT_MIN_STEM = 4

# Common roots that look inflected. Stripping stops as soon as the stem is one of them.
PROTECTED = frozenset(
    {
        "audan",  # аудан "district", not ау-дан
        "elorda",  # елорда "capital", not ел-ор-да
        "orda",
        "paida",  # пайда "benefit", not пай-да "share"
        "sauda",  # сауда "trade", not сау-да "healthy"
        "tulga",  # тұлға "person" (заңды тұлға), not тұл-ға
        "toraga",  # төраға "chair", not төра-ға
        "zerde",  # «Зерде» holding
        "karagandy",  # Қарағанды, not қара-ған-ды
        "kyzylorda",
        "oskemen",  # Өскемен, not өске-мен
    }
)


def _last(stem: str) -> str:
    """The last sound of a stem as the ending rules see it: "w" for у, "J" for й, else the
    letter. A final i after a vowel can only be й (ай, ей, ой, ұй, үй, ый)."""
    last = stem[-1]
    if last == "u":
        return "w"
    if last == "i" and len(stem) > 1 and stem[-2] in "aeouy":
        return "J"
    return last


def _acceptable(stem: str, min_len: int) -> bool:
    """Whether `stem` may remain after an ending is cut off."""
    if len(stem) < min_len or not any(ch in VOWELS for ch in stem):
        return False
    # Two letters are enough for a consonant-final root (ел, іс, ой) but not for a
    # vowel-final one: мәні is мән-і, not мә-ні.
    return len(stem) >= 3 or _last(stem) not in _V


def _strip(word: str, rules: _Rules, min_len: int) -> tuple[str, str]:
    """Remove the longest ending of `rules` that fits; return (stem, ending or "")."""
    for ending, before in rules.get(word[-1], ()):
        if len(word) <= len(ending) or not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        last = _last(stem)
        if before is not None and (last in _V if not before else last not in before):
            continue
        # Endings that start with a vowel, and the fused possessive endings, need a longer
        # remainder: single letters like -ы/-і occur at the end of many short roots.
        need = 3 if (ending[0] in VOWELS or ending in _FUSED) else min_len
        if ending in _AGENT:
            need = _AGENT_MIN_STEM
        if _acceptable(stem, need):
            return stem, ending
    return word, ""


@lru_cache(maxsize=100_000)
def stem_raw(word: str) -> str:
    """The stem before the final g/b → k/p respelling (see stem())."""
    if word in PROTECTED or len(word) < 3:
        return word
    stem, ending = _strip(word, _CASE, 2)
    fused = ending in _FUSED  # the fused ending already used the possessive slot
    # A final -шы/-ші is taken for the agent ending (қатысушы, сарапшы) and left to the
    # derivation slot, unless what precedes it is short (іші "its inside" = іш-і).
    agent = stem[-3:] in _AGENT and _acceptable(stem[:-3], _AGENT_MIN_STEM)
    if not fused and not agent and stem not in PROTECTED:
        stem, _ = _strip(stem, _POSSESSIVE, 3)
    if stem not in PROTECTED:
        stem, _ = _strip(stem, _PLURAL, 2)
    for _pass in range(2):
        if stem in PROTECTED:
            break
        stem, ending = _strip(stem, _DERIVATION, 3)
        if not ending:
            break
    # өтініш-і (its request) looks like the agent ending -ші taken off above; dropping the
    # final ш of long stems makes өтініш, өтініші and өтініштер meet at "otini", just as the
    # -ші of сарапшы is gone. Same length limit as the agent ending, so both agree.
    if stem[-2:] == "sh" and len(stem) - 2 >= _AGENT_MIN_STEM and stem not in PROTECTED:
        stem = stem[:-2]
    # кеңес-і and тәжірибе-сі look alike: -ас/-ес/-ос + ы/і could be either a stem in -с with
    # -ы, or a stem in a vowel with -сы. Dropping that final с from long stems makes both
    # readings (and the bare кеңес) meet at "kene"; short roots (бас, жас, ес) keep it.
    if len(stem) >= 5 and stem[-1] == "s" and stem[-2] in "aeo" and stem not in PROTECTED:
        stem = stem[:-1]
    return stem


def stem(word: str) -> str:
    """Stem of a canonical folded Latin word (lower case, [a-z0-9]): мемлекеттердің → memleket.

    Words shorter than three letters, protected roots and words with no Kazakh ending come back
    unchanged (apart from a final g/b, spelled k/p).
    """
    return respell(stem_raw(word))


def respell(stem: str) -> str:
    """Final ğ/g → k and b → p: the stem as it sounds before a consonant (көмек, кітап)."""
    if len(stem) > 2 and stem[-1] in "gb":
        return stem[:-1] + ("k" if stem[-1] == "g" else "p")
    return stem
