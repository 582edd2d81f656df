import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.avatars import avatar_from_upload
from accounts.models import SPOKEN_LANGUAGES, ExpertiseArea, User
from core.countries import country_choices
from core.forms import ModelIdsField
from core.models import Community
from core.text import line_clean

# Region/City zones, as people look for them (no "Etc/GMT+5" or legacy aliases).
_REGIONS = {"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
TIME_ZONES = [
    (name, name.replace("_", " "))
    for name in sorted(zoneinfo.available_timezones())
    if name.split("/")[0] in _REGIONS and "/" in name
] + [("UTC", "UTC")]


class ProfileForm(forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "A JPEG, PNG or WebP image up to 5 MB. It is cropped to a square and stripped of "
            "its metadata (such as where it was taken). Without one, your initials are shown."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expertise = ModelIdsField(
        label=_("Expertise areas"),
        queryset=ExpertiseArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=lambda: [("", _("My browser's time zone")), *TIME_ZONES],
        required=False,
        help_text=_("Event times, chat and threads are shown in this zone."),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "country",
            "organisation",
            "position",
            "languages",
            "expertise",
            "bio",
            "timezone",
            "is_expert",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 1000})}
        help_texts = {
            "display_name": _("How other members see you, e.g. “Aigerim Nurlanovna”."),
            "bio": _("Up to 1,000 characters."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Participating countries first, no Antarctica (the stored code stays valid anyway).
        self.fields["country"].widget.choices = country_choices(empty=_("Not given"))

    def clean_photo(self):
        """The processed photo (a ContentFile), False to remove the current one, or None to
        keep it."""
        upload = self.cleaned_data.get("photo")
        if upload is False or upload is None:
            return upload
        return avatar_from_upload(upload)

    def clean_display_name(self):
        name = line_clean(self.cleaned_data["display_name"])
        if name and len(name) < 2:
            raise forms.ValidationError(_("A display name needs at least 2 characters."))
        return name


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All communities"),
    )
    expertise = forms.ModelChoiceField(
        label=_("Expertise"),
        queryset=ExpertiseArea.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any expertise"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(empty=_("All countries"))


class PrivacyForm(forms.ModelForm):
    """Who sees the profile, the e-mail address, the country and the organisation; whether
    members may ask the person private questions."""

    AUDIENCES = ("profile_audience", "email_audience", "country_audience", "organisation_audience")

    class Meta:
        model = User
        fields = [
            "profile_audience",
            "email_audience",
            "country_audience",
            "organisation_audience",
            "accepts_questions",
        ]
        widgets = {
            "profile_audience": forms.RadioSelect,
            "email_audience": forms.RadioSelect,
            "country_audience": forms.RadioSelect,
            "organisation_audience": forms.RadioSelect,
        }

    def audience_fields(self):
        """The bound fields of the "who sees" choices (the template lays them out as groups)."""
        return [self[name] for name in self.AUDIENCES]


class DeletionForm(forms.Form):
    """What happens to the person's posts, messages and submissions when the account goes."""

    content = forms.ChoiceField(
        label=_("Your posts, chat messages and library submissions"),
        choices=[
            ("keep", _("Keep them, signed “former member”")),
            ("remove", _("Remove them where the rules allow")),
        ],
        initial="keep",
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I understand that after 14 days my account cannot be restored."),
        required=True,
    )


class WelcomeProfileForm(ProfileForm):
    """The welcome's first step: the profile form's fields that introduce a person (name,
    where they work, languages, time zone, photo), with its validation; expertise, the bio
    and the expert roster wait for the full profile page."""

    expertise = None
    field_order = ["display_name", "photo"]

    class Meta(ProfileForm.Meta):
        fields = ["display_name", "country", "organisation", "position", "languages", "timezone"]
