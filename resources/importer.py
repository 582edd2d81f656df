"""Bulk import of library resources from JSON Lines or CSV (docs/import-format.md).

Each line is validated on its own; good lines are imported (or update the resource with the
same external_id), bad lines are reported with their line number, field and reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_countries import countries as country_list

from core import markup
from core.models import CONTENT_LANGUAGES, Community
from core.text import direction_controls_strip, is_visible, refuse_controls
from resources.models import Resource
from resources.services import resource_import

FIELDS = (
    "external_id",
    "title",
    "summary",
    "body",
    "kind",
    "communities",
    "countries",
    "year",
    "language",
    "tags",
    "url",
    "source",
    "authors",
    "licence",
    "collection",
    "status",
)
LIST_FIELDS = ("communities", "countries", "tags")
LANGUAGES = [code for code, _label in CONTENT_LANGUAGES]
STATUSES = ("published", "draft")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass
class Problem:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"field “{self.field}”: " if self.field else ""
        return f"line {self.line}: {where}{self.reason}"


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0

    @property
    def rejected_lines(self) -> int:
        return len({p.line for p in self.problems})


class FileFormatError(Exception):
    pass


def _read_lines(path: Path, fmt: str) -> Iterator[tuple[int, dict | None, str]]:
    """(line number, record or None, parse error) for each non-empty line of the file."""
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "jsonl":
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(record, dict):
                yield number, None, "a line must be a JSON object"
                continue
            yield number, record, ""
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "external_id" not in reader.fieldnames:
            raise FileFormatError("the CSV header must name the fields, including external_id")
        for record in reader:
            # line_num is the physical line where the record ended (quoted cells may span lines).
            if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
                continue
            extra = record.pop(None, None)
            if extra:
                yield reader.line_num, None, "more cells than header columns"
                continue
            yield reader.line_num, record, ""


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise FileFormatError(f"cannot tell the format of {path.name}: use .jsonl or .csv, or --format")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[;,]", str(value)) if part.strip()]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def validate(record: dict, line: int, communities: dict[str, Community]) -> tuple[dict, list]:
    """Clean one record. Returns (data, problems); the line is imported only without problems."""
    problems: list[Problem] = []

    def bad(name: str, reason: str) -> None:
        problems.append(Problem(line, name, reason))

    unknown = sorted(k for k in record if k not in FIELDS)
    if unknown:
        bad(unknown[0], f"unknown field (known: {', '.join(FIELDS)})")
    data: dict = {}
    external_id = _text(record.get("external_id"))
    if not external_id:
        bad("external_id", "required")
    elif len(external_id) > 120:
        bad("external_id", "longer than 120 characters")
    data["external_id"] = external_id
    title = _text(record.get("title"))
    if not title:
        bad("title", "required")
    elif len(title) > 300:
        bad("title", "longer than 300 characters")
    data["title"] = title
    data["summary"] = _text(record.get("summary"))
    if len(data["summary"]) > 2000:
        bad("summary", "longer than 2000 characters")
    data["body"] = _text(record.get("body"))
    kind = _text(record.get("kind")).lower()
    if kind not in Resource.Kind.values:
        bad("kind", f"unknown kind “{kind}” (known: {', '.join(Resource.Kind.values)})")
    data["kind"] = kind
    slugs = [s.lower() for s in _as_list(record.get("communities"))]
    if not slugs:
        bad("communities", "at least one community slug is required")
    for slug in slugs:
        if slug not in communities:
            bad("communities", f"unknown community “{slug}” (known: {', '.join(communities)})")
    data["communities"] = [communities[s] for s in slugs if s in communities]
    codes = [c.upper() for c in _as_list(record.get("countries"))]
    for code in codes:
        if code not in dict(country_list):
            bad("countries", f"“{code}” is not an ISO 3166 alpha-2 country code")
    data["countries"] = codes
    year_raw = _text(record.get("year"))
    data["year"] = None
    if year_raw:
        try:
            year = int(year_raw)
        except ValueError:
            bad("year", f"“{year_raw}” is not a year")
        else:
            if not 1900 <= year <= timezone.now().year + 1:
                bad("year", f"{year} is out of range (1900 to next year)")
            data["year"] = year
    language = _text(record.get("language")).lower() or "other"
    if language not in LANGUAGES:
        bad("language", f"unknown language “{language}” (known: {', '.join(LANGUAGES)})")
    data["language"] = language
    data["tags"] = _as_list(record.get("tags"))
    url = _text(record.get("url"))
    if url and (not _URL.match(url) or len(url) > 500):
        bad("url", "must be an http(s) address of at most 500 characters")
    data["url"] = url
    for name, limit in (("source", 200), ("authors", 500), ("licence", 200)):
        data[name] = _text(record.get(name))
        if len(data[name]) > limit:
            bad(name, f"longer than {limit} characters")
    collection = _text(record.get("collection"))
    if collection and not re.match(r"^[-a-z0-9]{1,80}$", collection):
        bad("collection", "must be a collection slug (lower-case letters, digits, hyphens)")
    data["collection"] = collection
    status = _text(record.get("status")).lower() or "published"
    if status not in STATUSES:
        bad("status", f"unknown status “{status}” (known: {', '.join(STATUSES)})")
    data["status"] = status
    for name in ("external_id", "title", "summary", "body", "source", "authors", "licence"):
        try:
            refuse_controls(data[name], field=name)
        except ValidationError:
            bad(name, "contains a control character")
    data["title"] = title = direction_controls_strip(title)
    if title and not is_visible(title):
        bad("title", "has no visible character")
    if not data["summary"] and title:
        data["summary"] = markup.excerpt(markup.render(data["body"]), 300) or title
    return data, problems


def import_file(
    path: Path, *, fmt: str | None = None, progress: Callable[[int, int], None] | None = None
) -> Report:
    fmt = detect_format(path, fmt)
    communities = {c.slug: c for c in Community.objects.all()}
    rows = list(_read_lines(path, fmt))
    report = Report(lines=len(rows))
    seen: dict[str, int] = {}
    for done, (line, record, parse_error) in enumerate(rows, start=1):
        if parse_error:
            report.problems.append(Problem(line, "", parse_error))
        else:
            data, problems = validate(record, line, communities)
            first = seen.get(data["external_id"])
            if first and not problems:
                problems.append(Problem(line, "external_id", f"repeats line {first} of this file"))
            if problems:
                report.problems.extend(problems)
            else:
                seen[data["external_id"]] = line
                try:
                    outcome = resource_import(data=data)
                    setattr(report, outcome, getattr(report, outcome) + 1)
                except Exception as exc:  # one bad line must not stop the others
                    report.problems.append(Problem(line, "", f"could not be saved: {exc}"))
        if progress:
            progress(done, len(rows))
    return report
