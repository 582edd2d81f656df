"""Every user-facing string has a Kazakh and a Russian translation in the project's catalogues.

Strings are collected the way makemessages sees them: templates through Django's templatize
(translate, blocktranslate with plurals and contexts), Python sources through their gettext
calls (ast), JavaScript through its gettext calls. Each must have a non-empty translation in
the compiled catalogues locale/<lang>/LC_MESSAGES/{django,djangojs}.mo.
"""

from __future__ import annotations

import ast
import gettext as gettext_module
import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

from tests.conftest import BASE_DIR

LANGUAGES = ["kk", "ru"]
PYTHON_APPS = ["core", "accounts", "search", "resources", "forums", "project"]


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None
    where: str = ""

    @property
    def key(self) -> tuple:
        return (self.context, self.msgid, self.plural)


# name -> (index of context, index of msgid, index of plural) among the positional arguments
GETTEXT_FUNCTIONS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _message(name: str, args: list, where: str) -> Message | None:
    context_at, msgid_at, plural_at = GETTEXT_FUNCTIONS[name]
    needed = max(i for i in (context_at, msgid_at, plural_at) if i is not None)
    if len(args) <= needed:
        return None
    values = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
              for a in args]  # fmt: skip
    msgid = values[msgid_at]
    if msgid is None:
        return None  # a variable: nothing to extract (makemessages cannot either)
    return Message(
        msgid=msgid,
        plural=values[plural_at] if plural_at is not None else None,
        context=values[context_at] if context_at is not None else None,
        where=where,
    )


def _where(path: Path) -> str:
    return str(path.relative_to(BASE_DIR)) if path.is_relative_to(BASE_DIR) else str(path)


def python_messages(path: Path) -> list[Message]:
    tree = ast.parse(path.read_text(), filename=str(path))
    aliases = {name: name for name in GETTEXT_FUNCTIONS}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS:
                    aliases[alias.asname or alias.name] = alias.name
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in aliases:
            continue
        message = _message(aliases[name], node.args, f"{_where(path)}:{node.lineno}")
        if message:
            found.append(message)
    return found


_CALL_START = re.compile(r"\b(" + "|".join(GETTEXT_FUNCTIONS) + r")\(")


def _calls(source: str):
    """Each gettext(...) call in ``source`` as text, parentheses and string quotes respected."""
    for match in _CALL_START.finditer(source):
        depth, quote, index = 0, None, match.end() - 1
        while index < len(source):
            char = source[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = None
            elif char in "'\"":
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    yield match.group(1), source[match.start() : index + 1]
                    break
            index += 1


def template_messages(path: Path) -> list[Message]:
    found = []
    for name, call in _calls(templatize(path.read_text(), origin=str(path))):
        expression = ast.parse(call, mode="eval").body
        message = _message(name, expression.args, _where(path))
        if message:
            found.append(message)
    return found


def javascript_messages(path: Path) -> list[Message]:
    found = []
    for name, call in _calls(path.read_text()):
        try:
            expression = ast.parse(call, mode="eval").body
        except SyntaxError:
            continue  # JavaScript that is not a plain call with literals
        message = _message(name, expression.args, _where(path))
        if message:
            found.append(message)
    return found


def django_domain_messages() -> list[Message]:
    messages = []
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        messages += template_messages(path)
    for app in PYTHON_APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            messages += python_messages(path)
    return _unique(messages)


def djangojs_domain_messages() -> list[Message]:
    messages = []
    for path in sorted((BASE_DIR / "static" / "js").glob("*.js")):
        messages += javascript_messages(path)
    return _unique(messages)


def _unique(messages: list[Message]) -> list[Message]:
    return list({m.key: m for m in messages}.values())


def catalogue(lang: str, domain: str) -> dict:
    path = BASE_DIR / "locale" / lang / "LC_MESSAGES" / f"{domain}.mo"
    if not path.exists():
        pytest.fail(
            f"{path.relative_to(BASE_DIR)} does not exist: write locale/{lang}/LC_MESSAGES/"
            f"{domain}.po and compile it (make messages)",
            pytrace=False,
        )
    with path.open("rb") as handle:
        return gettext_module.GNUTranslations(handle)._catalog


def untranslated(messages: list[Message], entries: dict) -> list[str]:
    missing = []
    for message in messages:
        msgid = f"{message.context}\x04{message.msgid}" if message.context else message.msgid
        if message.plural is None:
            ok = bool(entries.get(msgid))
        else:
            forms = [entries.get((msgid, n)) for n in range(3)]
            ok = bool(forms[0]) and bool(forms[1])
        if not ok:
            missing.append(f"{message.where}: {message.msgid!r}")
    return missing


# --- The extraction itself (holds now) ----------------------------------------------------------


def test_extraction_finds_strings_of_every_kind():
    messages = {m.key: m for m in django_domain_messages()}
    # {% translate %} in a template
    assert (None, "Communities of practice", None) in messages
    # {% blocktranslate count %} with a plural
    assert (None, "%(counter)s member", "%(counter)s members") in messages
    # {% blocktranslate with %}
    assert (None, "Page %(number)s of %(total)s", None) in messages
    # gettext_lazy as _ in Python, and gettext imported under another name
    assert (None, "Please sign in first.", None) in messages
    assert (None, "%(actor)s replied in “%(title)s”", None) in messages
    # Not extracted: migrations and tests
    assert not any(
        "migrations" in m.where or m.where.startswith("tests") for m in messages.values()
    )
    assert len(messages) > 300


def test_translation_functions_go_by_names_makemessages_knows():
    # makemessages (xgettext) finds gettext(...), _(...), ngettext(...)... by name: a string
    # passed to "gettext as _t" would never reach the catalogues.
    renamed = []
    for app in PYTHON_APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    renamed += [
                        f"{_where(path)}:{node.lineno}: {alias.name} as {alias.asname}"
                        for alias in node.names
                        if alias.name in GETTEXT_FUNCTIONS and alias.asname not in (None, "_")
                    ]
    assert not renamed, renamed


def test_extraction_handles_contexts_and_plurals_in_templates(tmp_path):
    template = tmp_path / "sample.html"
    template.write_text(
        "{% load i18n %}{% translate 'May' context 'month' %}"
        "{% blocktranslate count n=3 context 'people' %}{{ n }} person{% plural %}"
        "{{ n }} people{% endblocktranslate %}"
        "{% blocktranslate trimmed %}\n  Two\n  lines\n{% endblocktranslate %}"
    )
    messages = {m.key for m in template_messages(template)}
    assert messages == {
        ("month", "May", None),
        ("people", "%(n)s person", "%(n)s people"),
        (None, "Two lines", None),
    }


def test_extraction_finds_javascript_strings(tmp_path):
    script = tmp_path / "sample.js"
    script.write_text(
        "var gettext = window.gettext || function (s) { return s; };\n"
        'el.title = gettext("Connecting…");\n'
        "label = interpolate(ngettext('%(n)s reply', '%(n)s replies', n), {n: n});\n"
        'x = pgettext("verb", "Post");\n'
    )
    assert {m.key for m in javascript_messages(script)} == {
        (None, "Connecting…", None),
        (None, "%(n)s reply", "%(n)s replies"),
        ("verb", "Post", None),
    }
    assert len(djangojs_domain_messages()) > 10  # static/js/*.js


# --- The catalogues (complete after the translation pass) ---------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(lang):
    missing = untranslated(django_domain_messages(), catalogue(lang, "django"))
    assert not missing, f"{len(missing)} strings without a {lang} translation:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_javascript_string_is_translated(lang):
    missing = untranslated(djangojs_domain_messages(), catalogue(lang, "djangojs"))
    assert not missing, f"{len(missing)} strings without a {lang} translation:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_the_javascript_catalogue_is_served_in_each_language(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/jsi18n/")
    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert "django.gettext = function" in response.content.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_javascript_catalogue_carries_our_translations(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    catalog = client.get("/jsi18n/").content.decode()
    message = next(m for m in djangojs_domain_messages() if m.plural is None)
    assert json.dumps(message.msgid)[1:-1] in catalog.split("const newcatalog = ", 1)[1]
