"""Tidying an HTML page before its text is extracted, so words stay apart and permalink marks
and page-to-page navigation stay out.

* **Navigation lines** are dropped: a paragraph or block made of links to the next, previous
  or parent page (``rel="next"``, ``rel="prev"``, ``rel="up"``...), with at most a few words of
  its own ("Next: ..., Up: ... [Index]" heads every page of a texinfo manual), and anything
  marked ``role="navigation"``.
* **Permalink anchors** are dropped: the ``¶`` that Sphinx (``a.headerlink``), texinfo
  (``a.copiable-anchor``), MkDocs and similar generators put after a heading or a definition is
  a link to that spot, not text. An in-page link (``href="#..."``) whose text has no letter or
  digit is one, whatever its class; a footnote mark such as ``[1]`` is kept.
* **Whitespace between inline elements** is kept: texinfo writes a definition as
  ``<strong>void</strong> <em>ffi_call (...)</em>``, and the text extractor drops a tail that is
  only whitespace, which glued the two into "voidffi_call". That space is moved inside the first
  element, after its last word, where it survives (``<strong>void </strong><em>...``).

Worked example::

    <dt><strong>void</strong> <em>ffi_call ()</em><a class="copiable-anchor" href="#f"> ¶</a></dt>
    -> <dt><strong>void </strong><em>ffi_call ()</em></dt>

Not handled: whitespace that CSS alone puts between elements (``display: inline-block``
margins); a permalink whose mark is a word ("link").
"""

from __future__ import annotations

import re

from lxml import etree

# Elements that flow inside a line of text: a whitespace-only tail between two of them is a
# word break.
_INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark q s samp small span "
    "strong sub sup time tt u var".split()
)
# Classes generators give permalink anchors.
_PERMALINK_CLASSES = frozenset(
    {"headerlink", "copiable-anchor", "anchor-link", "hash-link", "permalink", "anchorjs-link"}
)


# Link relations between the pages of a manual or site (HTML's rel="next" and friends).
_NAV_RELS = frozenset({"next", "prev", "previous", "up", "index", "contents", "start", "home"})
NAV_OWN_WORDS = 4  # "Next:", "Previous:", "Up:": a navigation line's words outside its links


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def is_permalink(el) -> bool:
    """Whether ``el`` is a link to its own spot on the page, shown as a mark (``¶``, ``#``)."""
    if _tag(el) != "a":
        return False
    if _PERMALINK_CLASSES & set((el.get("class") or "").split()):
        return True
    href = (el.get("href") or "").strip()
    text = "".join(el.itertext())
    return href.startswith("#") and not any(ch.isalnum() for ch in text)


def is_navigation(el) -> bool:
    """Whether block ``el`` is a navigation line or landmark, not content."""
    if (el.get("role") or "").lower() == "navigation":
        return True
    if _tag(el) not in ("p", "div"):
        return False
    links = [a for a in el.iter("a") if isinstance(a.tag, str)]
    if not any(_NAV_RELS & set((a.get("rel") or "").lower().split()) for a in links):
        return False
    own = " ".join(el.itertext())
    for a in links:
        own = own.replace("".join(a.itertext()), " ", 1)
    return len(re.findall(r"\w+", own)) <= NAV_OWN_WORDS


def _text_slots(el):
    """``(node, "text" | "tail")`` for every text run inside ``el``, in reading order (``el``'s
    own tail excluded)."""
    if isinstance(el.tag, str):
        yield el, "text"
    for child in el:
        yield from _text_slots(child)
        yield child, "tail"


def _end_with_space(el) -> bool:
    """Put a space after the last word inside ``el``; False when ``el`` holds no words."""
    for node, slot in reversed(list(_text_slots(el))):
        value = getattr(node, slot) or ""
        if value.strip():
            if not value[-1].isspace():
                setattr(node, slot, value + " ")
            return True
    return False


def _keep_word_breaks(root) -> None:
    for el in root.iter():
        tail = el.tail
        if not tail or tail.strip() or _tag(el) not in _INLINE:
            continue
        after = el.getnext()
        if after is not None and _tag(after) in _INLINE and _end_with_space(el):
            el.tail = None


def tidy_inline(root) -> None:
    """Drop navigation lines and permalink anchors and keep word breaks between inline
    elements, in place."""
    for el in [el for el in root.iter("p", "div", "ul", "section", "nav") if is_navigation(el)]:
        if el.getparent() is not None:
            el.drop_tree()
    for el in [el for el in root.iter("a", "A") if is_permalink(el)]:
        if el.getparent() is not None:
            el.drop_tree()  # (its tail stays)
    _keep_word_breaks(root)


def tidied(markup: str) -> str:
    """``markup`` with ``tidy_inline`` applied; unchanged when lxml cannot parse it."""
    from lxml import html as lxml_html

    try:
        doc = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return markup
    tidy_inline(doc)
    return lxml_html.tostring(doc, encoding="unicode")
