from django.contrib import admin

from core import services
from core.models import AuditEntry, Community, Membership


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_ru", "name_kk", "position")
    search_fields = ("slug", "name_en", "name_ru", "name_kk")
    ordering = ("position",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles granted here go through the same service as ``grant_role`` (and are audited)."""

    list_display = ("user", "community", "role", "created")
    list_filter = ("community", "role")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user", "community")

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person in one community: to move it, remove it and grant anew
        # (role_grant would otherwise create a second membership and leave this one behind).
        return ("user", "community", "created") if obj else ("created",)

    def save_model(self, request, obj, form, change):
        membership = services.role_grant(
            actor=request.user, user=obj.user, community=obj.community, role=obj.role
        )
        obj.pk = membership.pk

    def delete_model(self, request, obj):
        services.membership_remove(actor=request.user, user=obj.user, community=obj.community)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "community"):
            self.delete_model(request, membership)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created", "community", "actor", "action", "target_repr")
    list_filter = ("community", "action")
    search_fields = ("target_repr", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
