from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search import thesaurus


class Command(BaseCommand):
    help = (
        "Load the reviewed thesaurus file into the database: new concepts are added, the file's "
        "own concepts updated; concepts added or edited in the admin are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(thesaurus.THESAURUS_FILE), help="a thesaurus file"
        )

    def handle(self, *args, path, **options):
        try:
            counts = thesaurus.load(Path(path))
        except thesaurus.ThesaurusFormatError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        self.stdout.write(
            self.style.SUCCESS(
                "{created} created, {updated} updated, {unchanged} unchanged, "
                "{kept} kept as edited in the admin.".format(**counts)
            )
        )
