"""The Django template backend, releasing each render's context when the render is done.

Django's ``Context`` and the ``ContextDict`` frames it pushes point at each other
(``ContextDict.context``), so every rendered page leaves a reference cycle holding everything
its context reached: the request, the page's model instances, forms. Only the cycle collector
frees that, and a signed-in thread page left about 200 KB of it per request, which under load
grew the heap faster than full collections ran (docs/benchmarks.md, "Memory").

Emptying the context's stacks after the render breaks those cycles, so the page's objects are
freed by reference counting as soon as the response is built. Nothing reads a context after
its render: the test client's instrumentation keeps a copy (``Context.__copy__`` copies the
stacks).
"""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            release(context)


def release(context) -> None:
    """Drop the frames of a finished render (see the module's docstring)."""
    context.dicts.clear()
    render_context = getattr(context, "render_context", None)
    if render_context is not None:
        render_context.dicts.clear()


class DjangoTemplates(django_backend.DjangoTemplates):
    """Django's backend, with templates that release their context after rendering."""

    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)
