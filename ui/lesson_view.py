"""Showing a lesson: its Markdown as Streamlit elements, safely.

A lesson (``ingest.lessons``) is Markdown made of whole source blocks: paragraphs, lists,
tables, fenced code, ``Output:`` followed by a fenced block, images stored in the curriculum
(``![alt](teachback-image:<key>)``), math. ``lesson_parts`` splits it into parts (pure, tested
on its own); ``render_lesson`` shows each with the element that fits: ``st.markdown`` with HTML
disabled (Streamlit's default; source text is untrusted), ``st.code``, ``st.image`` with the alt
text as caption, ``st.latex`` for a display-math block. An image link to anything but a stored
image is shown as its alt text, never fetched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from teachback.curricula.images import IMAGE_REF

_FENCE_OPEN = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[ \t]*([\w+#.\-]*)[^\n]*$")
_ANY_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^)\n]*)\)")
_REFERENCE_IMAGE = re.compile(r"!\[([^\]\n]*)\]\[[^\]\n]*\]")  # ![alt][ref]: never fetched
_DISPLAY_MATH = re.compile(r"\A\s*\$\$(.+?)\$\$\s*\Z", re.S)

Part = tuple[str, dict]  # ("markdown", {"text"}) | ("code", {"code", "language", "output"})
# | ("image", {"key", "alt"}) | ("latex", {"body"})


def lesson_parts(text: str) -> list[Part]:
    """The lesson's Markdown as parts to show, in order."""
    parts: list[Part] = []
    lines = (text or "").split("\n")
    buf: list[str] = []
    output_next = False

    def flush() -> None:
        nonlocal output_next
        chunk = "\n".join(buf).strip()
        buf.clear()
        if not chunk:
            return
        for para in re.split(r"\n\s*\n", chunk):
            if para.strip() == "Output:":
                output_next = True
                continue
            parts.extend(_paragraph_parts(para))

    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            buf.append(lines[i])
            i += 1
            continue
        flush()
        fence, language = m.group(1), m.group(2)
        body: list[str] = []
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence[0] * len(fence))
            and set(lines[i].strip()) == {fence[0]}
        ):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence (or the end)
        parts.append(
            ("code", {"code": "\n".join(body), "language": language or None, "output": output_next})
        )
        output_next = False
    flush()
    return parts


def _paragraph_parts(para: str) -> list[Part]:
    math = _DISPLAY_MATH.match(para)
    if math:
        return [("latex", {"body": math.group(1).strip()})]
    images = [("image", {"alt": alt, "key": key}) for alt, key in IMAGE_REF.findall(para)]
    # every image link leaves the text: stored ones become images, others their alt text
    rest = _ANY_IMAGE.sub(lambda m: "" if IMAGE_REF.fullmatch(m.group(0)) else m.group(1), para)
    rest = _REFERENCE_IMAGE.sub(lambda m: m.group(1), rest).strip()
    out: list[Part] = []
    if rest:
        out.append(("markdown", {"text": rest}))
    return out + images


def render_lesson(
    lesson: dict | str,
    load_image: Callable[[str], tuple[str, bytes] | None] | None = None,
) -> None:
    """Show a lesson (its dict from the tutor, or its Markdown text).

    ``load_image(key) -> (mime, bytes) | None`` gives stored figures (default: the app's store).
    """
    import streamlit as st

    text = lesson.get("text", "") if isinstance(lesson, dict) else str(lesson or "")
    if load_image is None:
        load_image = _store_image
    for kind, part in lesson_parts(text):
        if kind == "markdown":
            st.markdown(part["text"])  # HTML stays disabled: sources are untrusted
        elif kind == "code":
            if part["output"]:
                st.caption("Output")
            st.code(part["code"], language=part["language"] or ("text" if part["output"] else None))
        elif kind == "latex":
            st.latex(part["body"])
        elif kind == "image":
            found = load_image(part["key"])
            if found is not None:
                st.image(found[1], caption=part["alt"] or None)
            elif part["alt"]:
                st.caption(f"(Figure not available: {part['alt']})")


def _store_image(key: str) -> tuple[str, bytes] | None:
    from teachback.curricula.images import image
    from teachback.ui import common

    return image(common.get_db(), key)
