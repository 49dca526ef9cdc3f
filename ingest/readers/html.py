"""HTML reader: the main text of an article, without navigation, scripts or boilerplate.

trafilatura finds the main content (dropping menus, headers, footers, cookie banners, scripts
and comments) and returns it as XML with headings, paragraphs, lists, code and emphasis. When
it finds nothing (a short page, a bare fragment), lxml reads the page's block elements after
removing ``script``, ``style``, ``nav``, ``header``, ``footer``, ``aside``, ``form`` and the
like. Either way ``Document.text`` is the extracted text: one block per paragraph, heading,
list item or code block, separated by blank lines, and each section points into it.

Sections: ``heading`` (with ``signals["level"]``), ``prose``, ``code``. Signals as for Markdown:
``emphasis``, ``strong``, ``code_spans``, ``links`` (targets), ``link_texts``. ``locator``:
``"<h2> 3"``, ``"<p> 14"`` - the element and its 1-based position among the extracted blocks.

Nothing in the page is executed or rendered; the HTML is only parsed.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from teachback.core.document import Document, Section
from teachback.errors import SourceError
from teachback.ingest.readers.decoding import decode_text
from teachback.ingest.readers.html_tidy import tidied
from teachback.ingest.readers.registry import register_reader
from teachback.ingest.readers.spans import sha256, stem_title

_DROP = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "menu",
)
_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "pre",
    "blockquote",
    "dd",
    "dt",
    "td",
    "th",
    "figcaption",
    "caption",
}


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.sections: list[Section] = []
        self.path: list[str] = []
        self.levels: list[int] = []
        self.count = 0

    def add(self, kind: str, text: str, tag: str, signals: dict, level: int = 0) -> None:
        text = text.strip() if kind == "code" else " ".join(text.split())
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.pos += 2
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        self.count += 1
        if kind == "heading":
            while self.levels and self.levels[-1] >= level:
                self.levels.pop()
                self.path.pop()
            self.path.append(text)
            self.levels.append(level)
            signals = {**signals, "level": level}
        self.sections.append(
            Section(
                kind=kind,
                start=start,
                end=start + len(text),
                text=text,
                heading_path=tuple(self.path),
                locator=f"<{tag}> {self.count}",
                signals=signals,
            )
        )

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _signals(el, emph_tags, strong_tags, code_tags, link_tag, href_attr) -> dict:
    out: dict[str, list[str]] = {}

    def put(key, value):
        value = " ".join((value or "").split())
        if value:
            out.setdefault(key, []).append(value)

    for sub in el.iter():
        if sub is el or not isinstance(sub.tag, str):
            continue
        tag = sub.tag
        rend = sub.get("rend", "")
        content = "".join(sub.itertext())
        if tag in strong_tags or (tag == "hi" and rend in ("#b", "#strong")):
            put("emphasis", content)
            put("strong", content)
        elif tag in emph_tags or (tag == "hi" and rend in ("#i", "#em", "#u")):
            put("emphasis", content)
        elif tag in code_tags:
            put("code_spans", content)
        elif tag == link_tag:
            put("links", sub.get(href_attr))
            put("link_texts", content)
    return out


def _from_trafilatura(markup: str) -> _Builder | None:
    import trafilatura

    xml = trafilatura.extract(
        markup,
        output_format="xml",
        include_formatting=True,
        include_links=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    b = _Builder()
    _walk_tei(b, root if main is None else main)
    return b if b.sections else None


def _tei_signals(el) -> dict:
    return _signals(el, (), (), ("code",), "ref", "target")


def _walk_tei(b: _Builder, el) -> None:
    """trafilatura's XML (TEI-like) as sections, in document order."""
    for child in el:
        if isinstance(child.tag, str) and not _add_tei(b, child):
            _walk_tei(b, child)


def _add_tei(b: _Builder, child) -> bool:
    """Add one element's sections; False for a container to walk into instead."""
    tag = child.tag
    if tag == "head":
        rend = child.get("rend", "h2")
        level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
        b.add("heading", "".join(child.itertext()), rend, _tei_signals(child), level)
    elif tag == "code":
        b.add("code", "".join(child.itertext()), "pre", {})
    elif tag == "list":
        for item in child.iter("item"):
            b.add("prose", "".join(item.itertext()), "li", _tei_signals(item))
    elif tag == "table":
        for row in child.iter("row"):
            cells = [" ".join("".join(c.itertext()).split()) for c in row]
            b.add("prose", " | ".join(c for c in cells if c), "tr", _tei_signals(row))
    elif tag not in ("p", "quote") and len(child):
        return False
    else:
        b.add("prose", "".join(child.itertext()), tag, _tei_signals(child))
    return True


def _from_lxml(markup: str) -> _Builder:
    try:
        doc = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return _Builder()
    for el in [*doc.iter(*_DROP), *doc.iter(etree.Comment)]:
        if el.getparent() is not None:
            el.drop_tree()
    body = doc.find("body")
    b = _Builder()
    _walk_html(b, doc if body is None else body)
    return b


def _html_signals(el) -> dict:
    return _signals(el, ("em", "i"), ("strong", "b"), ("code", "kbd", "samp"), "a", "href")


_CONTAINERS = ("div", "section", "article", "main", "body")


def _walk_html(b: _Builder, el) -> None:
    """An HTML tree's block elements as sections, in document order; text directly inside a
    container is a paragraph of its own."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag in _BLOCKS and not (tag == "li" and child.find(".//li") is not None):
            _add_html_block(b, child, tag)
            continue
        if tag not in _BLOCKS and (child.text or "").strip() and tag in _CONTAINERS:
            b.add("prose", child.text, tag, {})
        _walk_html(b, child)  # (a list item holding a list: its items are read one by one)


def _add_html_block(b: _Builder, child, tag: str) -> None:
    if tag == "pre":
        b.add("code", child.text_content(), "pre", {})
    elif tag[0] == "h" and tag[1:].isdigit():
        b.add("heading", child.text_content(), tag, _html_signals(child), int(tag[1]))
    else:
        b.add("prose", child.text_content(), tag, _html_signals(child))


def read_html(name: str, data: bytes, hints: dict | None = None) -> Document:
    markup, encoding = decode_text(name, data)
    markup = markup.lstrip("\ufeff")
    text_markup = tidied(markup)
    builder = _from_trafilatura(text_markup) or _from_lxml(text_markup)
    if not builder.sections:
        raise SourceError(name, "no readable text in this HTML page")
    title = ""
    try:
        import trafilatura

        meta = trafilatura.extract_metadata(markup)
        title = (meta.title or "") if meta else ""
    except Exception:  # noqa: BLE001 - a title is optional
        title = ""
    if not title:
        first = next((s for s in builder.sections if s.kind == "heading"), None)
        title = first.text if first else stem_title(name)
    return Document(
        path=name,
        format="html",
        title=title,
        text=builder.text,
        sections=builder.sections,
        sha256=sha256(data),
        meta={"encoding": encoding},
    )


register_reader("html", (".html", ".htm", ".xhtml"), read_html)
