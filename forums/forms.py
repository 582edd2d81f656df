from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import ModelIdsField
from core.models import CONTENT_LANGUAGES, Community
from core.params import MAX_ID
from forums.models import BODY_MAX, TAG_MAX_PER_THREAD, TITLE_MAX, TITLE_MIN, Report, Tag


def _default_language() -> str:
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in {"kk", "ru", "en"} else "other"


class BodyField(forms.CharField):
    def __init__(self, *, max_length=BODY_MAX, draft_key="", **kwargs):
        attrs = {"rows": 8, "maxlength": max_length, "class": "markdown-input"}
        if draft_key:
            attrs["data-draft-key"] = draft_key
        kwargs.setdefault("label", _("Text"))
        kwargs.setdefault(
            "help_text",
            _(
                "Markdown: **bold**, *italic*, [link](https://…), > quote, - list. "
                "Up to %(max)s characters."
            )
            % {"max": f"{max_length:,}".replace(",", " ")},
        )
        super().__init__(
            max_length=max_length,
            strip=True,
            widget=forms.Textarea(attrs=attrs),
            error_messages={
                "required": _("Please write something first."),
                "max_length": _(
                    "The text is too long: %(show_value)d characters, at most %(limit_value)d."
                ),
            },
            **kwargs,
        )


def _title_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Title"),
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text=_("Between %(min)d and %(max)d characters.")
        % {"min": TITLE_MIN, "max": TITLE_MAX},
        error_messages={
            "required": _("Please give the thread a title."),
            "min_length": _("A title needs at least %(limit_value)d characters."),
            "max_length": _("A title can have at most %(limit_value)d characters."),
        },
        **kwargs,
    )


class ThreadForm(forms.Form):
    title = _title_field()
    body = BodyField()
    tags = ModelIdsField(
        label=_("Tags"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to %(max)d tags from this community's list.") % {"max": TAG_MAX_PER_THREAD},
        error_messages={"invalid_choice": _("Choose tags from this community's list.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=CONTENT_LANGUAGES, initial=_default_language
    )

    def __init__(self, *args, community: Community, draft_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(community=community)
        if draft_key:
            self.fields["body"].widget.attrs["data-draft-key"] = draft_key
        self.fields["language"].initial = _default_language()

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > TAG_MAX_PER_THREAD:
            raise forms.ValidationError(
                _("At most %(max)d tags per thread.") % {"max": TAG_MAX_PER_THREAD}
            )
        return tags


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, draft_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if draft_key:
            self.fields["body"].widget.attrs["data-draft-key"] = draft_key


class PostEditForm(forms.Form):
    title = _title_field(required=False)
    body = BodyField()

    def __init__(self, *args, with_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_title:
            self.fields["title"].required = True
        else:
            del self.fields["title"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this post?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    comment = forms.CharField(
        label=_("Anything moderators should know (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )


class MessageReportForm(ReportForm):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this message?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class MoveForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Move to"), queryset=Community.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = choices


class TagForm(forms.Form):
    name = forms.CharField(label=_("New tag"), max_length=50)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), min_length=2, max_length=80)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    archived = forms.BooleanField(
        label=_("Archived (read-only)"),
        required=False,
        help_text=_("An archived room keeps its history but takes no new messages."),
    )


class MessageForm(forms.Form):
    """The room page's composer without JavaScript (chat.js sends the same fields as a frame)."""

    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, not at import: the limit is a setting.
        self.fields["body"] = BodyField(
            label=_("Message"), max_length=settings.CHAT_MESSAGE_MAX_CHARS, help_text=""
        )


class MuteForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    minutes = forms.TypedChoiceField(
        label=_("For"),
        coerce=int,
        choices=[
            (10, _("10 minutes")),
            (60, _("1 hour")),
            (60 * 24, _("1 day")),
            (60 * 24 * 7, _("1 week")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ChatToThreadForm(forms.Form):
    title = _title_field()
    through_seq = forms.IntegerField(
        label=_("Include the following messages up to number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to take only this message (at most 50 messages)."),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=CONTENT_LANGUAGES)
    tags = ModelIdsField(
        label=_("Tags"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(community=community)
        self.fields["language"].initial = _default_language()


class UnmuteForm(forms.Form):
    """The moderation page's "unmute" button: the id of the person."""

    unmute = forms.IntegerField(min_value=1, max_value=MAX_ID)


class TagDeleteForm(forms.Form):
    """The tag page's "remove" button: the id of the tag."""

    delete = forms.IntegerField(min_value=1, max_value=MAX_ID)


class QuestionForm(forms.Form):
    """ "Ask this expert": a subject, the question (Markdown), what it is about, its language."""

    subject = forms.CharField(
        label=_("Subject"),
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text=_("Between %(min)d and %(max)d characters.")
        % {"min": TITLE_MIN, "max": TITLE_MAX},
        error_messages={
            "required": _("Please give your question a subject."),
            "min_length": _("A subject needs at least %(limit_value)d characters."),
            "max_length": _("A subject can have at most %(limit_value)d characters."),
        },
    )
    body = BodyField(label=_("Your question"))
    community = forms.ModelChoiceField(
        label=_("Community it is about (optional)"),
        queryset=Community.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("None in particular"),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=CONTENT_LANGUAGES, initial=_default_language
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = _default_language()


class QuestionReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))
