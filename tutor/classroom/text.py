"""Markdown made into one line of plain text, for tables and chart labels (a cell shows its
text literally, so ``**hash**`` would show its stars).

Uses markdown-it (already the Markdown reader's parser) rather than regular expressions, so
escaped characters, code spans and blanks (``_____``) come out as a reader sees them. Not
handled: tables and images inside the text (their words are kept, their layout is not).
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")


def plain_text(markdown: str, limit: int | None = None) -> str:
    """``"Match **hash** to `h(k)`"`` -> ``"Match hash to h(k)"``; cut at a word boundary with
    "…" when longer than ``limit`` characters."""
    words: list[str] = []
    for block in _MD.parse(str(markdown or "")):
        for token in block.children or []:
            if token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if block.type in ("paragraph_close", "heading_close", "list_item_close", "code_block",
                          "fence"):  # fmt: skip
            words.append(" " + (block.content if block.type in ("code_block", "fence") else ""))
    text = " ".join("".join(words).split())
    if limit is not None and len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
        text = cut.rstrip(" ,;:.") + "\u2026"
    return text
