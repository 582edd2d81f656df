from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import line_clean
from mail.models import Frequency, MailSettings, SavedSearch, When


class MailSettingsForm(forms.ModelForm):
    class Meta:
        model = MailSettings
        fields = ("replies", "mentions", "questions", "moderation", "events", "digests")
        widgets = {
            "replies": forms.RadioSelect,
            "mentions": forms.RadioSelect,
            "questions": forms.RadioSelect,
            "moderation": forms.RadioSelect,
            "events": forms.RadioSelect,
        }


class CommunityMailForm(forms.Form):
    """One choice per community the person belongs to: ``community_<id>``."""

    def __init__(self, *args, communities, chosen: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = communities
        for community in communities:
            self.fields[f"community_{community.pk}"] = forms.ChoiceField(
                label=community.name,
                choices=Frequency.choices,
                initial=chosen.get(community.pk, Frequency.WEEKLY),
                widget=forms.Select,
            )

    def choices(self):
        return [
            (community, self.cleaned_data[f"community_{community.pk}"])
            for community in self.communities
        ]


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ("name", "alert")
        widgets = {"alert": forms.RadioSelect}
        labels = {"alert": _("E-mail me new results")}

    def clean_name(self):
        return line_clean(self.cleaned_data["name"])


ALERT_CHOICES = When.choices
