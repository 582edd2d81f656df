from django.core.management.base import BaseCommand

from core.progress import Progress
from search.index import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every app's documents (library, threads, chat)."

    def handle(self, *args, **options):
        count = index_rebuild(progress=Progress("reindex", self.stderr._out))
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} objects."))
