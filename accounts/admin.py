from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ExpertiseArea, Notification, User


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


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_ru", "name_kk")
    search_fields = ("slug", "name_en", "name_ru", "name_kk")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "title", "created", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor")
