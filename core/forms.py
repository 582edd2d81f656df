from functools import cache
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.params import MAX_ID


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one, else on top.

    The form keeps what the user typed, since it is re-rendered with its bound data."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A choice of several objects by id. Django looks each value up as given; an id longer than
    the database can hold then overflowed inside the driver (a 500). Here it is what any unknown
    id is: "not one of the available choices"."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                text = str(pk)
                if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


class FormRenderer(TemplatesSetting):
    """Django's renderer with the site's field layout (templates/forms/field.html): label,
    error, control, help below. Uses the project's template settings, so "django.forms" is an
    installed app (its widget templates).

    Django's own small templates for inputs, selects, checkbox and radio groups, labels and
    error lists are written in Python here (``STOCK``), to the byte of what those templates
    write (tests/core/test_forms.py renders every form of the site both ways): each is a chain
    of two to four included templates per control or per option, which made a country picker
    of 250 options, or the ten fields of the library's filters, most of a page's time. A
    template the project overrides under templates/ is rendered as a template."""

    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        write = STOCK.get(template_name)
        if write is not None and template_name not in _overridden():
            return write(context).strip()  # as Django's renderers strip a rendered template
        return super().render(template_name, context, request=request)


# --- Django's stock form templates, written in Python (FormRenderer) -------------------------


def html_attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves an attribute out, True writes it bare."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{html_attrs(widget["attrs"])}>'
    )


def _input_option(option: dict) -> str:
    """django/forms/widgets/input_option.html (a checkbox or radio of a group)."""
    # (checkbox_option.html and radio_option.html include it; each file's final newline is
    # part of what Django writes.)
    if not option["wrap_label"]:
        return f"{_input(option)}\n\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    label = conditional_escape(option["label"])
    return f"<label{label_for}>{_input(option)}\n {label}</label>\n\n"


def _select(context: dict) -> str:
    """django/forms/widgets/select.html with its select_option.html per option."""
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{html_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _multiple_input(context: dict) -> str:
    """django/forms/widgets/multiple_input.html (checkbox_select.html, radio.html)."""
    widget = context["widget"]
    target = widget["attrs"].get("id")
    classes = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{conditional_escape(target)}"' if target else "",
        f' class="{conditional_escape(classes)}"' if classes else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        parts.extend(f"<div>\n    {_input_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _label(context: dict) -> str:
    """django/forms/label.html."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{html_attrs(context['attrs'])}>{label}</{tag}>"


def _error_list(context: dict) -> str:
    """django/forms/errors/list/ul.html (and default.html, which includes it)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    shown_id = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<ul class="{conditional_escape(context["error_class"])}"{shown_id}>{items}</ul>'
    )


_INPUTS = (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password",
    "search", "tel", "text", "time", "url",
)  # fmt: skip


def _input_template(context: dict) -> str:
    return _input(context["widget"])


STOCK = {
    **{f"django/forms/widgets/{name}.html": _input_template for name in _INPUTS},
    "django/forms/widgets/input.html": _input_template,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
}


@cache
def _overridden() -> frozenset[str]:
    """The stock templates the project itself overrides (rendered as templates, then)."""
    folders = [Path(folder) for config in settings.TEMPLATES for folder in config.get("DIRS", [])]
    return frozenset(name for name in STOCK for folder in folders if (folder / name).exists())


class CommunityCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of communities, each described by the paragraph the template writes under
    it (``<id>_description``), so that a screen reader reads what the community is about
    with the box."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class CommunityChoiceForm(forms.Form):
    """Which communities a person takes part in (the welcome's second step): every community,
    ticked where they are a member. ``communities`` is a queryset of communities, ordered as
    shown, optionally with ``member_count`` annotated for the template."""

    communities = forms.ModelMultipleChoiceField(
        label=_("Your communities"),
        queryset=None,
        to_field_name="slug",
        widget=CommunityCheckboxes,
        required=False,
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities
