"""The task API: Django 6's ``django.tasks`` where it exists, its backport ``django_tasks``
before (the same names), so moving to Django 6 changes nothing here but this import."""

try:  # pragma: no cover - Django 6
    from django.tasks import TaskResultStatus, task, task_backends
except ImportError:
    from django_tasks import TaskResultStatus, task, task_backends

__all__ = ["TaskResultStatus", "task", "task_backends"]
