import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.countries import country_choices
from core.models import CONTENT_LANGUAGES, Community
from core.params import MAX_ID
from resources.models import Collection, Resource
from resources.uploads import check_upload
from search.query import QUERY_MAX

_RESOURCE_LINK = re.compile(r"/library/([0-9]+)(?:/|$)")


def resource_ids_from_lines(text: str) -> list[int]:
    """Resource ids from lines holding a number or a link ending in /library/<id>/."""
    ids = []
    for line in text.splitlines():
        if not line.strip():
            continue
        line = line.strip()
        match = re.fullmatch(r"#?([0-9]+)", line) or _RESOURCE_LINK.search(line)
        if not match or not 0 < int(match.group(1)) <= MAX_ID:
            raise ValidationError(
                _("“%(line)s” is not a resource number or link.") % {"line": line}
            )
        ids.append(int(match.group(1)))
    return ids


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Two or three sentences: what practitioners will find here."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Optional, in Markdown: the case itself, findings, lessons learned."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        queryset=Community.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one community.")},
    )
    language = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900)
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=country_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"data-filterable": ""}),
        help_text=_("The countries the material is about: tick as many as apply."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas, e.g. “digital services, one-stop shop”."),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    source = forms.CharField(label=_("Source organisation"), required=False, max_length=200)
    authors = forms.CharField(label=_("Authors"), required=False, max_length=500)
    licence = forms.CharField(label=_("Licence"), required=False, max_length=200)
    related = forms.CharField(
        label=_("Related resources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Resource numbers or links, one per line (e.g. /library/12/)."),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument or images, up to %(limit)s each."),
    )

    def __init__(self, *args, communities, upload_limit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities
        # The limit moves with the calendar, so it is set per form, validator included.
        year = self.fields["year"]
        year.max_value = timezone.now().year + 1
        year.validators.append(MaxValueValidator(year.max_value))
        year.widget.attrs["max"] = year.max_value
        self.fields["files"].help_text = self.fields["files"].help_text % {"limit": upload_limit}

    def clean_files(self):
        """Refuse a wrong file here, on its field, so the rest of the form is shown again as
        typed (the service checks again: it is the rule, this is the courtesy)."""
        files = self.cleaned_data["files"]
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean_related(self):
        return resource_ids_from_lines(self.cleaned_data["related"])

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()][:10]

    def resource_data(self) -> dict:
        data = self.cleaned_data
        keys = ("title", "summary", "body", "kind", "language", "year", "countries", "url")
        return {
            **{key: data.get(key) for key in keys},
            "source": data.get("source", ""),
            "authors": data.get("authors", ""),
            "licence": data.get("licence", ""),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("publish", _("Publish")),
            ("changes", _("Ask for changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the submitter"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when asking for changes or rejecting."),
    )


class LibraryFilterForm(forms.Form):
    # A longer query is cut, not refused (the search takes its first QUERY_MAX characters).
    q = forms.CharField(
        label=_("Words"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": QUERY_MAX}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All communities"),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900, max_value=2100)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    collection = forms.ModelChoiceField(
        label=_("Collection"),
        queryset=Collection.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any collection"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest")),
            ("oldest", _("Oldest")),
            ("title", _("Title")),
            ("relevance", _("Relevance")),
        ],
    )

    def clean_q(self):
        return self.cleaned_data["q"][:QUERY_MAX]

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        # "2024 to 2019" meant 2019 to 2024: swap, and the page says so (self.notice).
        self.notice = ""
        if first and last and first > last:
            data["year_from"], data["year_to"] = last, first
            self.notice = _(
                "The years were the wrong way round; showing %(first)s to %(last)s."
            ) % {
                "first": last,
                "last": first,
            }
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Resource.Kind.choices]
        self.fields["country"].choices = country_choices(empty=_("All countries"))
        self.fields["language"].choices = [("", _("All languages")), *CONTENT_LANGUAGES]


class CollectionForm(forms.ModelForm):
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        queryset=Community.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Collection
        fields = [
            "title_en",
            "title_ru",
            "title_kk",
            "description_en",
            "description_ru",
            "description_kk",
        ]

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities


class CandidateSearchForm(forms.Form):
    """The collection editor's search: words of a title, or a resource's number or link."""

    q = forms.CharField(
        label=_("Find library resources by title"),
        required=False,
        max_length=QUERY_MAX,
        help_text=_(
            "Part of a title in any language, or a resource's number or link (/library/12/)."
        ),
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    @property
    def resource_id(self) -> int | None:
        """The resource a number ("12", "#12") or a link (".../library/12/") names, if any."""
        q = self.cleaned_data.get("q", "") if hasattr(self, "cleaned_data") else ""
        match = re.fullmatch(r"#?([0-9]+)", q) or _RESOURCE_LINK.search(q)
        if match and 0 < int(match.group(1)) <= MAX_ID:
            return int(match.group(1))
        return None


class CollectionItemForm(forms.Form):
    """One of the collection editor's buttons: add, remove, move up, move down."""

    ACTIONS = ("add", "remove", "up", "down")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    resource = forms.IntegerField(min_value=1, max_value=MAX_ID)
    q = forms.CharField(required=False, max_length=QUERY_MAX)


class CollectionMoveForm(forms.Form):
    """A drag-and-drop (or keyboard) move of one item to a position, 1 being the first."""

    resource = forms.IntegerField(min_value=1, max_value=MAX_ID)
    position = forms.IntegerField(min_value=1, max_value=10_000)
