"""A small HTML tree for page assertions (the standard library's parser; no extra package),
shared by every test that reads a page.

Good enough for our own templates: void elements close themselves, an end tag closes everything
opened since its start tag, and unclosed elements end with their parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | list[str] | None = None, **attrs: str) -> list[Node]:
        """Descendants with this tag (or one of these tags; any if None) whose attributes equal
        ``attrs`` (``aria_label`` for aria-label; ``class_`` matches one class among several; a
        callable is a test of the value)."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        tags = [tag] if isinstance(tag, str) else tag
        found = []
        for node in self.iter():
            if tags and node.tag not in tags:
                continue
            if all(node.has(name, value) for name, value in wanted.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag}> {attrs}, found {len(found)}"
        return found[0]

    def has(self, name: str, value) -> bool:
        if callable(value):  # a test of the attribute's value (None when it is absent)
            return bool(value(self.attrs.get(name)))
        if name == "class":
            return value in self.attrs.get("class", "").split()
        return self.attrs.get(name) == value

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response_or_html) -> Node:
    """The tree of a page: a response (its content), bytes or text."""
    content = getattr(response_or_html, "content", response_or_html)
    builder = _Builder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
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
        if _trusted(node):
            continue
        assert node.tag not in {"img", "iframe", "svg", "object", "embed"}, node


# The site's own pictures: icons from the static sprite, images from static files or uploads.
TRUSTED_SOURCES = ("/static/", "/media/")


def _trusted(node: Node) -> bool:
    if node.tag == "img":
        return node.attrs.get("src", "").startswith(TRUSTED_SOURCES)
    if node.tag == "svg":
        children = [c for c in node.children if not isinstance(c, str)]
        return "icon" in node.attrs.get("class", "").split() and all(
            c.tag == "use" and c.attrs.get("href", "").startswith(TRUSTED_SOURCES) for c in children
        )
    return False
