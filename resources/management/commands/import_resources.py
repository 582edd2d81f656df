from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.progress import Progress
from resources.importer import FileFormatError, import_file

# Exit status: 0 every line imported, 1 some lines rejected (the others are imported),
# 2 the file itself could not be read (nothing imported).
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "Import library resources from a JSON Lines or CSV file (format: docs/import-format.md). "
        "Good lines are imported, or update the resource with the same external_id; bad lines "
        "are reported with their line number, field and reason. Exit status 1 if any line was "
        "rejected, 2 if the file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["jsonl", "csv"], default=None)

    def handle(self, *args, file: Path, format: str | None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}", returncode=EXIT_UNREADABLE)
        try:
            report = import_file(file, fmt=format, progress=Progress("import", self.stderr._out))
        except (FileFormatError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}", returncode=EXIT_UNREADABLE) from None
        for problem in report.problems:
            self.stderr.write(str(problem))
        summary = (
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.rejected_lines} rejected of {report.lines} lines."
        )
        if report.problems:
            self.stderr.write(self.style.WARNING(summary))
            raise SystemExit(EXIT_REJECTED)
        self.stdout.write(self.style.SUCCESS(summary))
