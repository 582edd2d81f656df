from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import deletion, export
from accounts.models import DataExport, ExpertiseArea, Notification, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Practitioner profile"),
            {
                "fields": (
                    "display_name",
                    "country",
                    "organisation",
                    "position",
                    "languages",
                    "expertise",
                    "bio",
                    "is_expert",
                )
            },
        ),
    )
    list_display = ("username", "email", "display_name", "country", "is_expert", "is_staff")
    list_filter = (*BaseUserAdmin.list_filter, "is_expert", "country")
    search_fields = ("username", "email", "display_name", "organisation")
    filter_horizontal = (*BaseUserAdmin.filter_horizontal, "expertise")
    actions = ["export_data", "delete_account", "erase_now"]

    # Data-subject requests, each written to the audit log with the staff member as actor.

    @admin.action(description=_("Export their data (data-subject request)"))
    def export_data(self, request, queryset):
        for user in queryset:
            export.export_request(user=user, requested_by=request.user)
        self.message_user(
            request,
            _("Exports are being prepared; each person is notified with a download link."),
            messages.SUCCESS,
        )

    @admin.action(description=_("Delete their account after the grace period (request)"))
    def delete_account(self, request, queryset):
        for user in queryset.filter(deleted__isnull=True):
            deletion.deletion_request(user=user, remove_content=False, actor=request.user)
        self.message_user(
            request, _("The accounts are scheduled for deletion and signed out."), messages.SUCCESS
        )

    @admin.action(description=_("Erase their account now (request)"))
    def erase_now(self, request, queryset):
        for user in queryset.filter(deleted__isnull=True).exclude(pk=request.user.pk):
            deletion.account_erase(user=user, actor=request.user)
        self.message_user(request, _("The accounts are erased."), messages.SUCCESS)


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_ru", "name_kk")
    search_fields = ("slug", "name_en", "name_ru", "name_kk")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "title", "created", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor")

    def get_queryset(self, request):
        # Entries about private questions quote a conversation only its two people may read
        # (docs/privacy.md): staff do not see them here either.
        return super().get_queryset(request).exclude(kind=Notification.Kind.QUESTION)


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ("user", "status", "requested_by", "size", "created", "finished")
    list_filter = ("status",)
    raw_id_fields = ("user", "requested_by")
    # The archive is the person's to download (it holds their private questions, which no
    # one else reads: docs/privacy.md); staff see that it exists, not a link to its bytes.
    exclude = ("file",)
