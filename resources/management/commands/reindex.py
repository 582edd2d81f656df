from django.core.management.base import BaseCommand

from cop.progress import Progress
from resources.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of resources, threads, posts and chat messages."

    def handle(self, *args, **options):
        count = reindex_all(progress=Progress("reindex", self.stderr._out))
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} objects."))
