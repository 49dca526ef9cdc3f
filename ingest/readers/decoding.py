"""Turning a source's bytes into text, or a clear reason why they are not text.

Order of checks (first that applies wins):

1. empty (or whitespace-only) -> ``SourceError("empty file")``;
2. a byte-order mark: UTF-8 (the mark stays in the text as U+FEFF, which readers skip),
   UTF-16 LE/BE and UTF-32 LE/BE (the mark is dropped, as Python's codecs do);
3. NUL bytes: UTF-16 without a BOM when every other byte is NUL in an ASCII-ish way,
   else a binary file -> ``SourceError("binary file ...")``;
4. many control characters (more than 2 % of the first 8 KB) -> binary;
5. valid UTF-8 (the common case);
6. charset-normalizer's best guess (Latin-1, cp1252, ...; on a tie the Western code pages
   win); no guess -> binary.

Not handled: mixed encodings inside one file (decoded with the best single guess).
"""

from __future__ import annotations

import codecs

from teachback.errors import SourceError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_WESTERN = ("cp1252", "latin_1", "iso8859_15")

# Control bytes that never appear in text (TAB, LF, FF, CR and ESC are allowed).
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13, 27}


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any common encoding (a quick sniff)."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return _utf16_without_bom(sample) is None
    if not sample:
        return False
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > 0.02


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess UTF-16 LE/BE for BOM-less text: most odd (or even) bytes are NUL."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise ``SourceError`` naming ``name``."""
    if not data.strip():
        raise SourceError(name, "empty file (nothing to read)")
    found = _by_bom(name, data)
    if found is not None:
        return found
    # NUL and other control bytes are valid UTF-8, so look for them before trusting UTF-8.
    sample = data[:65536]
    if b"\x00" in sample:
        return _utf16_or_binary(name, data, sample)
    if looks_binary(data):
        raise SourceError(name, "binary file, not text (it contains control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _by_guess(name, data)


def _by_bom(name: str, data: bytes) -> tuple[str, str] | None:
    """The text when ``data`` starts with a byte-order mark (it must then decode as that)."""
    for bom, enc in _BOMS:
        if not data.startswith(bom):
            continue
        try:
            if enc == "utf-8":
                # Kept as U+FEFF at offset 0, as Python's "utf-8" codec (and so
                # ``Path.read_text()``) reads it: offsets then match the file read that way.
                return data.decode("utf-8"), "utf-8 (BOM)"
            return data[len(bom) :].decode(enc), enc + " (BOM)"
        except UnicodeDecodeError as exc:
            raise SourceError(
                name,
                f"starts with a {enc} byte-order mark but is not {enc}: "
                f"{exc.reason} at byte {exc.start}",
            ) from None
    return None


def _utf16_or_binary(name: str, data: bytes, sample: bytes) -> tuple[str, str]:
    """Text with NUL bytes: UTF-16 without a byte-order mark, else a binary file."""
    enc = _utf16_without_bom(sample)
    if enc:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    raise SourceError(name, "binary file, not text (it contains NUL bytes)")


def _by_guess(name: str, data: bytes) -> tuple[str, str]:
    """Text in another encoding, as charset-normalizer guesses it."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None:
        raise SourceError(name, "binary file, not text (no text encoding fits)")
    enc = best.encoding
    # Short Western text often fits several single-byte code pages equally well (cp1250 and
    # cp1252 tie on "café"); among equally good guesses prefer the far more common Western ones.
    tied = {
        m.encoding
        for m in matches
        if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.02
    }
    enc = next((preferred for preferred in _WESTERN if preferred in tied), enc)
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        # The guess fitted the sample but not the whole file; cp1252 fails only on 5 bytes,
        # latin-1 never does.
        for fallback in ("cp1252", "latin-1"):
            try:
                return data.decode(fallback), fallback
            except UnicodeDecodeError:
                continue
    raise SourceError(name, "could not decode the file as text")  # pragma: no cover
