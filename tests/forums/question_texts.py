"""The words of the private question the tests ask (tests/forums/conftest.py ``question``),
in Kazakh after the hub's own texts (tests/data)."""

from __future__ import annotations

QUESTION_SUBJECT = "Цифрлық мүмкіндіктерді енгізу"
QUESTION_BODY = (
    "Мемлекеттік басқару саласында жаңа **цифрлық мүмкіндіктерді** дамыту мен енгізуді "
    "қалай бастадыңыздар?"
)
QUESTION_ANSWER = (
    "Алдымен ішкі коммуникацияларды реттедік, содан кейін *бір терезе* қағидатын енгіздік."
)
