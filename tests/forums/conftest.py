"""Fixtures of the thread tests: a community with people in every role, threads made through the
services (the same path a form takes), and a small HTML reader for asserting page content."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from forums import services

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


# --- Reading pages --------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join(" ".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | list[str] | None = None, **attrs) -> list[Node]:
        """Descendants with this tag (or one of these tags; any if None) whose attributes have
        the given values (``aria_label`` for aria-label); ``class_`` matches one class."""
        wanted_class = attrs.pop("class_", None)
        tags = [tag] if isinstance(tag, str) else tag
        found = []
        for node in self.iter():
            if tags and node.tag not in tags:
                continue
            if wanted_class and wanted_class not in node.attrs.get("class", "").split():
                continue
            if all(node.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in the page"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response_or_html) -> Node:
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def assert_inert(html: str) -> None:
    """No script a user could have injected runs on this page: no inline <script>, no event
    handler attributes, no javascript: links."""
    for node in parse(html).iter():
        if node.tag == "script":
            assert node.attrs.get("src"), f"inline script: {node.text[:80]}"
        for name, value in node.attrs.items():
            assert not name.startswith("on"), f"<{node.tag} {name}={value!r}>"
            assert not value.strip().lower().startswith("javascript:"), f"<{node.tag} {name}>"
        assert node.tag not in {"img", "iframe", "svg", "object", "embed"}, node


# --- Data -----------------------------------------------------------------------------------------


@pytest.fixture
def community(communities):
    return communities["one-stop-shop"]


@pytest.fixture
def elsewhere(communities):
    return communities["e-government"]


@pytest.fixture
def start_thread():
    """Start a thread through the service, as the form would."""

    def make(community, author, *, title="How do you run a one-stop shop?", body="Opening post.",
             tags=(), language="en"):  # fmt: skip
        return services.thread_create(
            community=community,
            author=author,
            title=title,
            body=body,
            language=language,
            tags=tags,
        )

    return make


# --- Translations ---------------------------------------------------------------------------------


@pytest.fixture
def russian(translations):
    """Give a few messages a Russian translation for the duration of a test (independent of
    the translator's wording: proves the messages go through gettext)."""
    return lambda messages: translations("ru", messages)
