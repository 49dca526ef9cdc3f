"""PDF reader on real PDFs written byte by byte here (no PDF library needed to make them)."""

import pytest

from teachback.errors import SourceError
from teachback.ingest.readers import load_sources, read_bytes


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str] | None], title: str | None = None) -> bytes:
    """A valid PDF: one page per entry, each a list of text lines (Helvetica, one per line),
    or ``None`` for a page holding only an image and a filled rectangle (no text layer)."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x80\x80\xff\nendstream",
    }
    kids = []
    next_id = 5
    for lines in pages:
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        if lines is None:
            stream = b"q 200 0 0 200 100 400 cm /Im1 Do Q 0 0 1 rg 100 100 200 150 re f"
        else:
            ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
            ops += [f"({_escape(line)}) Tj T*" for line in lines]
            ops.append("ET")
            stream = "\n".join(ops).encode("latin-1")
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
            b"/F1 3 0 R >> /XObject << /Im1 4 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        kids.append(page_id)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info_ref = b""
    if title:
        objects[next_id] = b"<< /Title (%s) >>" % _escape(title).encode("latin-1")
        info_ref = b" /Info %d 0 R" % next_id
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        info_ref,
        xref,
    )
    return bytes(out)


PAPER = [
    [
        "Open Addressing Revisited",
        "",
        "Open addressing stores every entry in the bucket array itself.",
        "A key whose bucket is taken moves to the next free bucket.",
        "This is called linear probing.",
        "",
        "Load factor",
        "The load factor is the number of entries divided by the buckets.",
    ],
    [
        "Tombstones mark deleted entries so probe sequences stay intact.",
        "A lookup walks past a tombstone (and keeps probing).",
    ],
]


def test_pdf_pages_become_sections_with_page_locators():
    doc = read_bytes("paper.pdf", make_pdf(PAPER, title="Open Addressing Revisited"))
    assert doc.format == "pdf"
    assert doc.title == "Open Addressing Revisited"
    assert doc.meta["pages"] == 2
    assert doc.section_text_matches()
    assert "linear probing" in doc.text and "Tombstones mark deleted" in doc.text
    texts = [s.text for s in doc.sections]
    assert texts[0] == "Open Addressing Revisited"
    assert doc.sections[0].kind == "heading"
    load = next(s for s in doc.sections if s.text.startswith("The load factor is"))
    assert load.kind == "prose"
    assert load.locator == "page 1" and load.signals["page"] == 1
    tomb = next(s for s in doc.sections if "Tombstones" in s.text)
    assert tomb.locator == "page 2" and tomb.signals["page"] == 2
    # Sections are in reading order and do not overlap.
    assert all(a.end <= b.start for a, b in zip(doc.sections, doc.sections[1:], strict=False))
    # A short line without closing punctuation is a heading and opens a heading path.
    assert [s.text for s in doc.sections if s.kind == "heading"] == [
        "Open Addressing Revisited",
        "Load factor",
    ]
    assert load.heading_path == ("Load factor",)


def test_pdf_with_no_text_layer_is_a_clear_error():
    with pytest.raises(SourceError) as info:
        read_bytes("scan.pdf", make_pdf([None, None]))
    message = str(info.value)
    assert message.startswith("scan.pdf: ")
    assert "no text layer" in message and "2 page(s)" in message
    assert "\n" not in message


def test_pdf_without_text_layer_does_not_stop_the_batch(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(make_pdf([None]))
    (tmp_path / "paper.pdf").write_bytes(make_pdf(PAPER))
    (tmp_path / "notes.md").write_text("# Notes\n\nA **bucket** is one slot.\n")
    result = load_sources(tmp_path)
    assert sorted(d.path.rsplit("/", 1)[-1] for d in result.documents) == ["notes.md", "paper.pdf"]
    assert len(result.errors) == 1
    assert result.errors[0].where == str(tmp_path / "scan.pdf")
    assert "no text layer" in result.errors[0].problem


def test_truncated_and_fake_pdfs_are_errors():
    good = make_pdf(PAPER)
    with pytest.raises(SourceError) as info:
        read_bytes("cut.pdf", good[: len(good) // 3])
    assert info.value.where == "cut.pdf"
    with pytest.raises(SourceError) as info:
        read_bytes("fake.pdf", b"this is plain text pretending to be a PDF")
    assert "not a PDF" in info.value.problem


def test_running_heads_and_page_numbers_are_not_sections():
    pages = [
        [
            "Journal of Hashing, Vol. 3",
            "",
            f"Section {n} says that a probe sequence visits buckets in a fixed order.",
            "Each lookup follows the same sequence as the insert that placed the key.",
            "",
            f"{n}",
        ]
        for n in range(1, 5)
    ]
    doc = read_bytes("journal.pdf", make_pdf(pages))
    assert doc.section_text_matches()
    assert doc.text.count("Journal of Hashing, Vol. 3") == 4  # kept in the text ...
    texts = [s.text for s in doc.sections]
    assert not any("Journal of Hashing" in t for t in texts)  # ... but not a section
    assert not any(t.strip().isdigit() for t in texts)
    assert len(texts) == 4 and all(t.startswith("Section ") for t in texts)
    assert [s.locator for s in doc.sections] == ["page 1", "page 2", "page 3", "page 4"]
