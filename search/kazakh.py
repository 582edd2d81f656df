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

Verbs meet at their verbal noun, the form they are cited and searched by (айту, басқару,
зерттеу): :func:`analyses` recognises the finite and participial endings (present and past
tense with every person, negation, participles -ған and -атын, converbs, conditional,
intention) and spells the verb stem with -у (айтпайды, айтқан, айтып → айту). A form that
could also be a noun (айтты: "said", or айт "feast" + accusative) gets both readings. Keeping
the -у is also what keeps қалау "to wish" apart from қала "city".

A few roots lose a vowel before an ending (орын → орны, халық → халқы): a short list puts it
back. The folded alphabet has lost vowel harmony (ә=а, ө=о, ү=ұ=у), so endings are listed in
both their back and front forms. docs/kazakh-stemmer.md has the measurements.
"""

from __future__ import annotations

from functools import lru_cache

from search.translit import to_canonical

VOWELS = frozenset("aeiouy")

# What may come right before an ending: sets of "last sounds" of the stem, see _last(). The
# folded alphabet spells й as i and у as u; both are consonants to Kazakh endings (ойдың,
# басқарудың, басқаруы), so _last() reports them as "J" and "w".
_V = "aeioy"  # vowels (у is almost always the consonant-like у, not ұ/ү, at the end of a stem)
_SONORANT = "jzlrmnNwJ"  # voiced consonants (N: ң), й, у
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
        (("nyN", "niN"), _V + "mnN"),  # genitive (N: ң, kept apart from н for the stemmer)
        (("dyN", "diN"), "jzlrwJi"),  # (i: и, which is ый/ій)
        (("tyN", "tiN"), _T),
        (("ny", "ni"), _V),  # accusative (-ды/-ді is also the past tense)
        (("dy", "di"), "jzlrmnNwJi"),
        (("ty", "ti"), _T),
        (("ga", "ge"), _VOICED),  # dative
        (("ka", "ke"), _T),
        (("da", "de"), _VOICED),  # locative
        (("ta", "te"), _T),
        (("dan", "den"), _V + "jzlrwJ"),  # ablative
        (("nan", "nen"), "mnN"),
        (("tan", "ten"), _T),  # Қазақстан, Өзбекстан are protected roots
        # 1sg possessive + dative: құжатыма. (After a vowel, -ма and -на would cut the many
        # nouns in -ма/-на: бағдарлама, басқарма, сахна.)
        (("yma", "ime"), _CONSONANT),
        (("men",), _V + "mnNlrwJ"),  # instrumental
        (("ben",), "jzmnN"),
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
        (("yNyz", "iNiz"), _CONSONANT),
        (("Nyz", "Niz"), _V),
        (("sy", "si"), _V),  # see _POSS3_CASE; after ы/і only a long stem (қаржысы)
        # 1sg after a plural (құжаттарым). Alone, -ым/-ім would cut the many nouns made
        # with it (шешім, келісім, бөлім, білім, тізім); first-person forms are rare in the
        # texts searched here.
        (("larym", "lerim"), _V + "rwJ"),
        (("darym", "derim"), "jzlmnN"),
        (("tarym", "terim"), _T),
        (("yN", "iN"), _CONSONANT),  # 2sg: құжатың
        (("m",), _V),  # ... after a vowel: бағдарламам (long stems only, see below)
        (("N",), _V),  # 2sg after a vowel: бағдарламаң
        (("y", "i"), _CONSONANT),
    ]
)
# Possessive -м and -ң after a vowel cut only a stem of this length (бағдарлама-м): roots in
# -ам/-ем are common (қоғам, адам, тағам, әлем, кілем, қадам) and first-person forms rare.
_SHORT_AFTER_VOWEL = frozenset({"m", "N"})
_SHORT_MIN_STEM = 6
# Two-letter roots that do take vowel-initial possessives (ел-ім, үй-ің, ой-ы, іс-і).
SHORT_ROOTS = frozenset({"el", "ui", "oi", "is", "ai", "at", "as", "iz", "ot", "an", "tu", "su"})
# -сы/-сі after ы/і: only a stem this long (қаржы-сы; but жұмыс-ы, not жұмы-сы).
_SY_AFTER_HIGH_MIN_STEM = 5

_PLURAL = _rules(
    [
        (("lar", "ler"), _V + "rwJ"),
        (("dar", "der"), "jzlmnN"),
        (("tar", "ter"), _T),
    ]
)

_DERIVATION = _rules(
    [
        (("lyk", "lik", "lyg", "lig"), _V + "rwJ"),  # -лық, -лығ- before a vowel
        (("dyk", "dik", "dyg", "dig"), _V + "jzlmnN"),  # also past 1pl after a vowel: жасадық
        (("tyk", "tik", "tyg", "tig"), _T),
        (("shy", "shi"), _ANY),  # agent: қызметші, басқарушы
        (("gy", "gi"), _VOICED),  # attributive: қазіргі, бүгінгі
        (("ky", "ki"), _T),  # ішкі, алғашқы
        (("ly", "li"), _V + "rwJ"),  # "having": пайдалы, тәжірибелі
        (("dy", "di"), "jzlmnN"),  # маңызды, білімді
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
        # Roots in -ын/-ін, -ым/-ім and -ам that look like an ending on a shorter word.
        "turgyn",  # тұрғын "resident", not тұрғ-ын
        "shygyn",  # шығын "expense"
        "oiyn",  # ойын "game", not ой-ын
        "agyn",  # ағын "flow"
        "jiyn",  # жиын "meeting"
        "bugin",  # бүгін "today"
        "oryn",  # орын "place"
        "tolkyn",  # толқын "wave"
        "uiym",  # ұйым "organisation", not ұй-ым
        "onim",  # өнім "product", not он-ім
        "ilim",  # ілім "science"
        "alym",  # алым "fee"
        "salym",  # салым "deposit"
        "kogam",  # қоғам "society"
        "tagam",  # тағам "food"
        "kadam",  # қадам "step"
        "kisi",  # кісі "person", not кіс-і
        "ulgi",  # үлгі "model"
        "karjy",  # қаржы "finance", not қарж-ы
        "aky",  # ақы "fee"
        # Country names in -стан, not -тан "from" (Қазақ-тан).
        "kazakstan",
        "ozbekstan",
        "kyrgyzstan",
        "tajikstan",
        "turikmenstan",
        "turkmenstan",
        "auganstan",
        "pakistan",
        "undistan",
        "tatarstan",
        "dagystan",
    }
)

# Roots that lose their second vowel before a vowel ending (орын → орны, халық → халқы): the
# shortened stem is put back to the whole root. DROPPED_VOWEL_ROOTS keeps the written root, for
# the precise key (normalize.py).
_DROPPING_ROOTS = ("орын", "халық", "ауыз", "мұрын", "қарын", "ерін", "ерік", "қырық", "қойын")
DROPPED_VOWEL_ROOTS = {to_canonical(root): root for root in _DROPPING_ROOTS}
DROPPED_VOWEL = {folded[:-2] + folded[-1]: folded for folded in DROPPED_VOWEL_ROOTS}


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


def _strip(word: str, rules: _Rules, min_len: int, floor: int = 0) -> tuple[str, str]:
    """Remove the longest ending of `rules` that fits, leaving at least ``floor`` letters;
    return (stem, ending or "")."""
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
        elif ending in _SHORT_AFTER_VOWEL and last in _V:
            # Only after -а/-е/-о: a stem in -ы/-і with -м is a noun in -ым/-ім (шешім).
            need = _SHORT_MIN_STEM if last in "aeo" else len(word)
        elif ending in ("sy", "si") and last in "yi":
            # Only onto a protected root in -ы/-і (қаржы-сы) or an agent noun (басшы-сы);
            # elsewhere -ыс/-іс + -ы (тапсырыс-ы, ұсыныс-ы) is far more common.
            need = 0 if len(stem) == floor or stem[-3:] in _AGENT else len(word)
        elif stem in SHORT_ROOTS and ending[0] in "yi":
            need = 2
        if _acceptable(stem, need) and len(stem) >= floor:
            return stem, ending
    return word, ""


@lru_cache(maxsize=100_000)
def stem_raw(word: str) -> str:
    """The stem before the final g/b → k/p respelling (see stem())."""
    if word in PROTECTED or len(word) < 3:
        return word
    # Never cut into a protected root the word starts with (аудан-ы, not ауда-ны), nor into
    # the -ушы/-уші of a verb's agent noun (оқушы-ңыз, not оқуш-ыңыз).
    floor = max((len(root) for root in PROTECTED if word.startswith(root)), default=0)
    agent_at = max(word.rfind("ushy"), word.rfind("ushi"))
    if agent_at > 0:
        floor = max(floor, agent_at + 4)
    stem, ending = _strip(word, _CASE, 2, floor)
    fused = ending in _FUSED  # the fused ending already used the possessive slot
    # A final -шы/-ші is taken for the agent ending (қатысушы, сарапшы) and left to the
    # derivation slot, unless what precedes it is short (басшы). The agent noun of a verb
    # (оқушы, басқарушы: -у + -шы) is a word of its own and keeps it whole.
    agent = stem[-3:] in _AGENT and _acceptable(stem[:-3], _AGENT_MIN_STEM)
    of_verb = stem[-4:] in ("ushy", "ushi")
    # A possessive -ы/-і right after ш is taken off only a long stem (өтініш-і): in short
    # words -шы/-ші is the word's own (басшы, not басш-ы).
    after_sh = stem[-3:-1] == "sh" and stem[-1] in "yi" and len(stem) < 7
    if not (fused or agent or of_verb or after_sh) and stem not in PROTECTED:
        stem, _ = _strip(stem, _POSSESSIVE, 3, floor)
    if stem not in PROTECTED:
        stem, _ = _strip(stem, _PLURAL, 2, floor)
    for _pass in range(2):
        if stem in PROTECTED or stem[-4:] in ("ushy", "ushi"):
            break
        stem, ending = _strip(stem, _DERIVATION, 3, floor)
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
    return DROPPED_VOWEL.get(stem, stem)


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


# --- Verbs ----------------------------------------------------------------------------------------
# Endings of finite and participial verb forms, after the verb stem. Each rule: the endings,
# what may come before them, whether the form is unambiguous (an ambiguous one also reads as a
# noun form, e.g. айтты "said" or айт + accusative, and keeps its noun stem too), and which verb
# stems it gives ("": the letters before the ending; "+vowel": also with the ending's first
# vowel, for -ады which is present tense after a consonant stem or past tense after a stem in
# -а; "+y": the stem in -ы/-і that writes ы + й as и, оқи-тын from оқы-).
_PERSONS = ("myn", "min", "syN", "siN", "syz", "siz", "myz", "miz", "dy", "di")
_PERSONS_PLURAL = ("syNdar", "siNder", "syzdar", "sizder")
_NEGATION = ("ma", "me", "ba", "be", "pa", "pe")
_PAST_PERSON = ("m", "Nyz", "Niz", "Ndar", "Nder")
# The 1pl and polite forms also read as a noun in -а/-е with -мыз "our" or -сыз "without".
_SHARED_WITH_NOUNS = ("myz", "miz", "syz", "siz", "syzdar", "sizder")
_ALL_PERSONS = _PERSONS + _PERSONS_PLURAL
_VERB_RULES: list[tuple[tuple[str, ...], str | None, bool, str]] = [
    # Present/future: -а/-е (after a consonant) or -й (after a vowel) + person.
    (tuple(t + p for t in "ae" for p in _ALL_PERSONS if p not in _SHARED_WITH_NOUNS), _CONSONANT,
     True, "+vowel"),
    (tuple(t + p for t in "ae" for p in _SHARED_WITH_NOUNS), _CONSONANT, False, "+vowel"),
    (tuple("i" + p for p in _ALL_PERSONS), _V, True, ""),
    # Negative present: -ма/-ба/-па + й + person.
    (tuple(n + "i" + p for n in _NEGATION for p in _ALL_PERSONS), None, True, ""),
    # Past: -ды/-ты + person; the bare 3rd person also reads as an accusative (айтты, жазды).
    # (-дың "you did" and -дық "we did" are left out: the genitive and -лық/-дық/-тық
    # adjectives are far more common.)
    (tuple(t + p for t in ("dy", "di") for p in _PAST_PERSON), _V + "jzlrmnNwJ", True, ""),
    (tuple(t + p for t in ("ty", "ti") for p in _PAST_PERSON), _T, True, ""),
    (("dy", "di"), _V + "jzlrmnNwJ", False, ""),
    (("ty", "ti"), _T, False, ""),
    (tuple(n + t + p for n in _NEGATION for t in ("dy", "di") for p in (*_PAST_PERSON, "")),
     None, True, ""),
    # Participles: past -ған/-ген/-қан/-кен; habitual -атын/-етін (also a noun in -ат/-ет with
    # -ы + -н: мемлекетін, қызметін), -йтын/-йтін, -итын; negated.
    (("gan", "gen"), _VOICED, True, ""),
    (("kan", "ken"), _T, True, ""),
    (("atyn", "etin"), _CONSONANT, False, "+vowel"),
    (("ityn", "itin"), _V, True, ""),
    (("ityn", "itin"), _CONSONANT, True, "+y"),
    (tuple(n + e for n in _NEGATION for e in ("gan", "gen", "ityn", "itin")), None, True, ""),
    # Converb -ып/-іп; conditional -са/-се + person; intention -мақ/-мек/-бақ/-пақ...
    (("yp", "ip"), _CONSONANT, True, ""),
    (("sa", "se", "sam", "sem", "saN", "seN", "sak", "sek", "saNyz", "seNiz"), None, True, ""),
    (("mak", "mek", "bak", "bek", "pak", "pek"), None, True, ""),
    # Polite imperative -ыңыз/-іңіз/-ңыз also reads as the polite possessive ("your ...").
    (("yNyz", "iNiz"), _CONSONANT, False, ""),
    (("Nyz", "Niz"), _V, False, ""),
]  # fmt: skip
_VERB_BY_LAST: dict[str, list[tuple[str, str | None, bool, str]]] = {}
for _endings, _before, _plain, _gives in _VERB_RULES:
    for _ending in _endings:
        _VERB_BY_LAST.setdefault(_ending[-1], []).append((_ending, _before, _plain, _gives))
for _rules_list in _VERB_BY_LAST.values():
    _rules_list.sort(key=lambda rule: -len(rule[0]))
_PARTICIPLES = frozenset(
    {"gan", "gen", "kan", "ken", "atyn", "etin", "ityn", "itin"}
    | {n + e for n in _NEGATION for e in ("gan", "gen", "ityn", "itin")}
)
# The converb -п after a vowel (зерттеп, талқылап) only ends a long word: жауап, кітап, талап
# and есеп are nouns.
_CONVERB_P_MIN_WORD = 7
# A verb stem is at least this long (ал, бер, оқы: two letters and a vowel are enough).
_VERB_MIN_STEM = 2


def verbal_noun(stem: str) -> str:
    """The verbal noun (the citation form) of a folded verb stem: айт → aitu, оқы → oku
    (-ы/-і merge into the -у), сөйле → soileu, жой → joiu."""
    if stem[-1] in "yi" and _last(stem) != "J":
        return stem[:-1] + "u"
    return stem + "u"


def verb_stems(word: str) -> tuple[list[str], bool]:
    """The verb stems ``word`` may be a form of, and whether it can only be a verb form. A
    participle may also carry noun endings (айтқанда, айтқанын). ([], False) for no verb."""
    if word in PROTECTED or len(word) < 3:
        return [], False
    found = _verb_ending(word)
    if found[0]:
        return found
    # A participle declined like a noun: take the noun endings off one slot at a time, and
    # look for a participle after each.
    stem = word
    for rules, min_len in ((_CASE, 2), (_POSSESSIVE, 3), (_PLURAL, 2)):
        stem, ending = _strip(stem, rules, min_len)
        if ending:
            found = _verb_ending(stem, participles_only=True)
            if found[0]:
                return found
    return [], False


def _verb_ending(word: str, participles_only: bool = False) -> tuple[list[str], bool]:
    for ending, before, unambiguous, gives in _VERB_BY_LAST.get(word[-1], ()):
        if participles_only and ending not in _PARTICIPLES:
            continue
        if len(word) <= len(ending) or not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        last = _last(stem)
        if before is not None and (last in _V if not before else last not in before):
            continue
        if len(stem) < _VERB_MIN_STEM or not any(ch in VOWELS for ch in stem):
            continue
        if gives == "+y":
            return [stem + "y"], unambiguous
        if gives == "+vowel":
            return [stem, stem + ending[0]], unambiguous
        return [stem], unambiguous
    # Converbs: -п after a vowel (long words only).
    if (
        not participles_only
        and word[-1] == "p"
        and len(word) >= _CONVERB_P_MIN_WORD
        and word[-2] in "aeio"
    ):
        return [word[:-1]], True
    return [], False


@lru_cache(maxsize=100_000)
def analyses(word: str) -> tuple[tuple[int, str], ...]:
    """Every reading of a canonical folded word, as (how many of its letters the key keeps,
    what the key adds after them). A noun reading keeps a prefix (мемлекеттердің: 8, "");
    a verb reading keeps its stem and spells it as the verbal noun (айтпайды: 3, "u";
    оқиды: 2, "u"). Keys built from these are :func:`keys` (folded) and, aligned to the
    original letters, normalize's precise keys."""
    readings: list[tuple[int, str]] = []
    stems, unambiguous = verb_stems(word)
    for stem in stems:
        key = verbal_noun(stem)
        common = len(key) - 1  # the key is the stem's first letters, then -у
        while common and key[:common] != word[:common]:
            common -= 1
        readings.append((common, key[common:]))
    if stems and unambiguous:
        return tuple(dict.fromkeys(readings))
    raw = stem_raw(word)
    if raw == word[: len(raw)]:
        readings.append((len(raw), ""))
    else:  # a root put back whole (орны → орын)
        readings.append((0, raw))
    return tuple(dict.fromkeys(readings))


def keys(word: str) -> tuple[str, ...]:
    """The folded keys of a word (see :func:`analyses`), final g/b respelled on noun stems."""
    out = []
    for kept, added in analyses(word):
        out.append(word[:kept] + added if added else respell(word[:kept]))
    return tuple(dict.fromkeys(out))
