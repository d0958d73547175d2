"""Reading an import file nobody checked: encoding detected or refused, lines bounded, file streamed.

Encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM. Anything else is refused before a
line is imported, with the first line that is not UTF-8: guessing cp1252 would import every
Latin-1 file right but would also turn a UTF-8 file damaged on one line into silent mojibake, and
no test on the bytes tells the two apart reliably; the person importing knows the file and can
convert it (`iconv -f cp1252 -t utf-8`).
"""

import codecs
import contextlib
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_LINE_CHARS = 1_000_000  # about 1 MB; a platform's longest comment is 10,000 characters
MAX_FILE_BYTES = 2 * 1024**3
CHUNK_CHARS = 64 * 1024

TOO_LONG = f"ligne trop longue (plus de {MAX_LINE_CHARS:,} caractères) : ignorée".replace(",", " ")
UNCLOSED_QUOTE = "guillemet non fermé : ligne ignorée, les suivantes sont lues à part"
RECORD_TOO_LONG = (
    f"guillemet non fermé ou enregistrement trop long (plus de {MAX_LINE_CHARS:,} caractères) : ignoré"
).replace(",", " ")


class UnreadableFile(Exception):
    """The whole file is refused (size, encoding) before anything is imported. Message in French."""


@dataclass(frozen=True)
class Line:
    number: int
    text: str | None  # None: over MAX_LINE_CHARS, skipped without being held in memory


@contextlib.contextmanager
def open_text(path: Path) -> Iterator[io.TextIOWrapper]:
    """The file as text in its detected encoding; UnreadableFile when it is refused."""
    _check_size(path)
    encoding = detect_encoding(path)
    if encoding.startswith("utf-8"):
        _check_utf8(path)
    with path.open(encoding=encoding, errors="strict", newline="") as stream:
        yield stream


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"Fichier trop volumineux ({size // 1024**2} Mo, au plus {MAX_FILE_BYTES // 1024**2} Mo) : "
            "découpez-le en plusieurs fichiers."
        )


def detect_encoding(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnreadableFile("Fichier en UTF-32, non pris en charge : enregistrez-le en UTF-8.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise UnreadableFile(
            "Le fichier contient des octets nuls : UTF-16 sans BOM, ou pas un fichier texte ? Enregistrez-le en UTF-8."
        )
    return "utf-8"


def _check_utf8(path: Path) -> None:
    number = first_line_not_utf8(path)
    if number is not None:
        raise UnreadableFile(
            f"Le fichier n'est pas en UTF-8 (ligne {number}, sans doute du Latin-1 ou du Windows-1252) : "
            "rien n'a été importé. Enregistrez-le en UTF-8, par exemple avec « iconv -f cp1252 -t utf-8 »."
        )


def first_line_not_utf8(path: Path) -> int | None:
    """The number of the first line that is not UTF-8, reading the file in bounded pieces."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    number = 1
    with path.open("rb") as stream:
        for piece in iter(lambda: stream.readline(CHUNK_CHARS), b""):
            try:
                decoder.decode(piece)
            except UnicodeDecodeError:
                return number
            number += piece.endswith(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return number
    return None


def bounded_lines(stream: io.TextIOBase) -> Iterator[Line]:
    """Each line with its number; a line over MAX_LINE_CHARS comes as Line(number, None)."""
    number = 0
    while True:
        try:
            text = stream.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"Fichier endommagé après la ligne {number} : {exc.reason}.") from exc
        if not text:
            return
        number += 1
        if len(text) > MAX_LINE_CHARS and not _ends_a_line(text):
            _skip_rest_of_line(stream)
            text = None
        yield Line(number, text)


def _ends_a_line(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def _skip_rest_of_line(stream: io.TextIOBase) -> None:
    for piece in iter(lambda: stream.readline(CHUNK_CHARS), ""):
        if _ends_a_line(piece):
            return


# CSV: a quoted field may hold line breaks, so a record may span lines; it ends where the number of
# quotes seen is even (an escaped quote is two). A quote left open is caught when the record runs into
# a line that is itself a message row, into the size limit or into the end of the file: that record
# is reported and the lines after its first one are read again on their own.


@dataclass(frozen=True)
class CsvRecord:
    number: int  # the record's first line
    fields: list[str] | None
    error: str = ""


def csv_records(lines: Iterator[Line], is_a_row: Callable[[list[str], list[str]], bool]) -> Iterator[CsvRecord]:
    """The header first, then each record. `is_a_row(header, fields)`: does this line look like a
    message row of its own (it tells a quote left open from a field on several lines)?"""
    source = _Rewindable(lines)
    header = next(_csv_texts(source, lambda text: False), None)
    if header is None:
        return
    yield header
    columns = header.fields or []
    yield from _csv_texts(source, lambda text: _looks_like(columns, text, is_a_row))


def _looks_like(header: list[str], text: str, is_a_row) -> bool:
    if text.count('"') % 2:
        return False
    fields = _split(text)
    return fields is not None and is_a_row(header, fields)


def _csv_texts(source: "_Rewindable", looks_like_a_row: Callable[[str], bool]) -> Iterator[CsvRecord]:
    for line in source:
        if line.text is None:
            yield CsvRecord(line.number, None, TOO_LONG)
        elif not line.text.strip():
            continue
        elif line.text.count('"') % 2 == 0:
            yield _parsed(line.number, line.text)
        else:
            yield _quoted_record(line, source, looks_like_a_row)


def _quoted_record(first: Line, source: "_Rewindable", looks_like_a_row) -> CsvRecord:
    parts, size = [first], len(first.text)
    for line in source:
        if line.text is None or size + len(line.text) > MAX_LINE_CHARS:
            source.push_back([*parts[1:], line])
            return CsvRecord(first.number, None, RECORD_TOO_LONG)
        if looks_like_a_row(line.text):
            source.push_back([*parts[1:], line])
            return CsvRecord(first.number, None, UNCLOSED_QUOTE)
        parts.append(line)
        size += len(line.text)
        if line.text.count('"') % 2:
            return _parsed(first.number, "".join(part.text for part in parts))
    source.push_back(parts[1:])
    return CsvRecord(first.number, None, UNCLOSED_QUOTE)


def _parsed(number: int, text: str) -> CsvRecord:
    try:
        return CsvRecord(number, next(csv.reader(io.StringIO(text, newline="")), []))
    except csv.Error as exc:
        return CsvRecord(number, None, _csv_error(exc))


def _split(text: str) -> list[str] | None:
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return None


def _csv_error(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"champ trop long (plus de {csv.field_size_limit():,} caractères)".replace(",", " ")
    return f"CSV illisible : {exc}"


class _Rewindable:
    """An iterator of lines that lines already read can be pushed back into."""

    def __init__(self, lines: Iterator[Line]):
        self._lines = iter(lines)
        self._back: list[Line] = []

    def __iter__(self):
        return self

    def __next__(self) -> Line:
        return self._back.pop() if self._back else next(self._lines)

    def push_back(self, lines: list[Line]) -> None:
        self._back.extend(reversed(lines))
