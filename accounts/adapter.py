"""allauth customised through its adapter, not by copying its views."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from core.realtime import announce_session_end


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        # "@name" mentions end at the first character that cannot be part of a username, so a
        # username may not itself contain "@".
        if "@" in username:
            raise forms.ValidationError(_("A username cannot contain “@”."))
        return super().clean_username(username, shallow=shallow)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.display_name:
            user.display_name = user.username
        if commit:
            user.save()
        return user

    def logout(self, request):
        # Open websocket connections of this session must stop too (docs/realtime.md).
        user = request.user
        session_key = request.session.session_key
        super().logout(request)
        if user.is_authenticated and session_key:
            announce_session_end(user_id=user.pk, session_key=session_key)
