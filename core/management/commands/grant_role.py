from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import services
from core.models import Community, Membership


class Command(BaseCommand):
    help = "Make a user a member or a moderator of a community."

    def add_arguments(self, parser):
        parser.add_argument("user", help="username or e-mail address")
        parser.add_argument("community", help="community slug, e.g. e-government")
        parser.add_argument("role", choices=Membership.Role.values)

    def handle(self, *args, user, community, role, **options):
        User = get_user_model()
        # A username is matched exactly first; only then an e-mail address (in any case), so
        # that one person's username cannot be mistaken for another person's address.
        people = list(User.objects.filter(username=user)) or list(
            User.objects.filter(email__iexact=user)[:2]
        )
        if not people:
            raise CommandError(f"No user with username or e-mail “{user}”.")
        if len(people) > 1:
            raise CommandError(f"Several users have the e-mail “{user}”: give the username.")
        person = people[0]
        try:
            place = Community.objects.get(slug=community)
        except Community.DoesNotExist:
            slugs = ", ".join(Community.objects.values_list("slug", flat=True))
            raise CommandError(f"No community “{community}”. Known: {slugs}.") from None
        services.role_grant(actor=None, user=person, community=place, role=role)
        self.stdout.write(self.style.SUCCESS(f"{person.username} is now {role} of {place.slug}."))
