from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
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
    installed app (its widget templates)."""

    field_template_name = "forms/field.html"


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
