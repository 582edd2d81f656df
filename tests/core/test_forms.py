"""The site's form renderer writes Django's stock widget, label and error templates in Python
(core.forms.STOCK); what it writes must be, byte for byte, what those templates write, for
every form of the site and for every kind of control."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from core.forms import STOCK, FormRenderer

FORM_MODULES = [
    "core.forms",
    "accounts.forms",
    "forums.forms",
    "resources.forms",
    "mail.forms",
    "events.forms",
]


class Templates(TemplatesSetting):
    """Django's own templates for everything (the reference)."""

    field_template_name = "forms/field.html"


class EveryControl(forms.Form):
    text = forms.CharField(label="Name <b>", help_text="Help & more", initial='say "hi"')
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h&v")
    agree = forms.BooleanField(label="I agree")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField(required=False)
    body = forms.CharField(widget=forms.Textarea)
    kind = forms.ChoiceField(
        choices=[("", "—"), ('a"b', "<A & B>"), ("Group <g>", [("x", "Ex"), ("y", "Why")])]
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    boxes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns", "data-filterable": ""}),
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("Other", [("en", "English")])],
    )
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("1", "One"), ("2", "Two")])


def _both(form_class, *args, **kwargs) -> tuple[str, str]:
    ours = form_class(*args, renderer=FormRenderer(), **kwargs)
    theirs = form_class(*args, renderer=Templates(), **kwargs)
    for form in (ours, theirs):
        form.is_valid() if form.is_bound else None
    return str(ours), str(theirs)


@pytest.mark.parametrize(
    "data",
    [
        None,  # unbound, initial values
        {"text": "x<y", "number": "0", "kind": "y", "many": ["1", "3"], "boxes": ["ru", "en"]},
        {"radio": "2", "agree": "on", "hidden": "", "body": "two\nlines & <b>"},
    ],
)
def test_every_control_renders_as_djangos_templates_write_it(data):
    ours, theirs = _both(EveryControl, data) if data is not None else _both(EveryControl)
    assert ours == theirs
    assert 'value="say &quot;hi&quot;"' in ours or data is not None
    assert "<optgroup" in ours
    assert ours.count('type="checkbox"') == 4


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                yield pytest.param(value, id=f"{module_name}.{name}")


def _arguments(name: str) -> dict:
    """What the forms that take arguments are given by their views."""
    from core.models import Community

    community = Community.objects.order_by("pk").first()
    communities = Community.objects.all()
    return {
        "CommunityChoiceForm": {"communities": communities},
        "ThreadForm": {"community": community},
        "MoveForm": {"choices": communities},
        "ChatToThreadForm": {"community": community},
        "PostEditForm": {"with_title": True},
        "ResourceForm": {"communities": communities, "upload_limit": "20 MB"},
        "CollectionForm": {"communities": communities},
        "CommunityMailForm": {
            "communities": communities,
            "chosen": {c.pk: "daily" for c in communities},
        },
    }.get(name, {})


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", list(_form_classes()))
def test_every_form_of_the_site_renders_as_djangos_templates_write_it(form_class, communities):
    kwargs = _arguments(form_class.__name__)
    unbound = _both(form_class, **kwargs)
    bound = _both(form_class, {}, **kwargs)  # every required field in error
    assert unbound[0] == unbound[1]
    assert bound[0] == bound[1]


def test_the_stock_templates_written_in_python_exist_in_django():
    from django.template.loader import get_template

    for name in STOCK:
        assert get_template(name, using=None) is not None
