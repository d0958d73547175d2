"""`vigie import` on files nobody checked: hostile lines, other encodings, huge lines, broken CSV quotes."""

import json
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from vigie.inbox.models import Message
from vigie.pipeline import reading
from vigie.pipeline.importer import import_file
from vigie.pipeline.reading import UnreadableFile
from vigie.pipeline.tests.test_importer import record

pytestmark = pytest.mark.django_db

CSV_HEADER = "platform,kind,id,thread_id,parent_id,author_id,author_name,text,created_at\n"


def csv_row(n: int, text: str = "Bonjour") -> str:
    return f"facebook,comment,c{n},t1,,a{n},Marc,{text},2026-03-02T09:15:00+01:00\n"


def jsonl(lines) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines)


def reasons(report) -> dict[int, str]:
    return {error.line: error.reason for error in report.errors}


def test_a_deeply_nested_line_is_reported_and_the_lines_after_it_are_kept(tmp_path):
    lines = [record(n) for n in range(1, 701)]
    lines[599] = '{"platform": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "m.jsonl"
    path.write_text(jsonl(lines))
    report = import_file(path, progress=False)
    assert report.imported == 699 and Message.objects.count() == 699
    assert "trop imbriqué" in reasons(report)[600]


def test_a_number_over_4300_digits_is_reported_and_the_lines_after_it_are_kept(tmp_path):
    lines = [record(1), '{"id": ' + "9" * 5000 + "}", record(3)]
    path = tmp_path / "m.jsonl"
    path.write_text(jsonl(lines))
    report = import_file(path, progress=False)
    assert report.imported == 2
    assert "nombre trop long" in reasons(report)[2]


def test_a_latin1_file_is_refused_up_front_with_its_first_bad_line(tmp_path):
    path = tmp_path / "m.jsonl"
    lines = [record(1, text="Bonjour"), record(2, text="Merci"), record(3, text="Très énervé")]
    path.write_bytes(jsonl(lines).encode("latin-1"))
    with pytest.raises(UnreadableFile, match="pas en UTF-8.*ligne 3"):
        import_file(path, progress=False)
    assert Message.objects.count() == 0


def test_the_import_command_says_why_it_refuses_a_file(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes((CSV_HEADER + csv_row(1, "Très énervé")).encode("cp1252"))
    with pytest.raises(CommandError, match="ligne 2.*UTF-8"):
        call_command("import_messages", str(path))


@pytest.mark.parametrize("bom_and_encoding", [("", "utf-8-sig"), ("", "utf-16"), ("\ufeff", "utf-16-be")])
@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_utf8_with_a_bom_and_utf16_are_read(tmp_path, bom_and_encoding, suffix):
    bom, encoding = bom_and_encoding
    text = jsonl([record(1, text="Très énervé")]) if suffix == "jsonl" else CSV_HEADER + csv_row(1, "Très énervé")
    path = tmp_path / f"m.{suffix}"
    path.write_bytes((bom + text).encode(encoding))
    report = import_file(path, progress=False)
    assert report.errors == [] and Message.objects.get().text == "Très énervé"


def test_utf16_without_a_bom_is_refused_clearly(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(jsonl([record(1)]).encode("utf-16-le"))
    with pytest.raises(UnreadableFile, match="UTF-16 sans BOM"):
        import_file(path, progress=False)


def test_a_line_over_the_limit_is_skipped_without_being_read_whole(tmp_path):
    path = tmp_path / "m.jsonl"
    with path.open("w") as out:
        out.write(json.dumps(record(1)) + "\n")
        out.write('{"text": "')
        for _ in range(50):
            out.write("x" * 1_000_000)  # a 50 MB line
        out.write('"}\n')
        out.write(json.dumps(record(3)) + "\n")
    tracemalloc.start()
    try:
        report = import_file(path, progress=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.imported == 2
    assert "trop longue" in reasons(report)[2]
    assert peak < 20_000_000


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "m.jsonl"
    path.write_text(jsonl([record(n) for n in range(1, 20)]))
    with pytest.raises(UnreadableFile, match="trop volumineux"):
        import_file(path, progress=False)


def test_a_csv_quote_left_open_does_not_swallow_the_next_rows(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(CSV_HEADER + csv_row(1, '"Bonjour, à quand') + csv_row(2) + csv_row(3) + csv_row(4, '"Fin"'))
    report = import_file(path, progress=False)
    assert sorted(Message.objects.values_list("external_id", flat=True)) == ["c2", "c3", "c4"]
    assert "guillemet non fermé" in reasons(report)[2]


def test_a_quote_left_open_on_the_last_row_is_reported(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(CSV_HEADER + csv_row(1) + csv_row(2, '"Bonjour'))
    report = import_file(path, progress=False)
    assert report.imported == 1
    assert "guillemet non fermé" in reasons(report)[3]


def test_a_csv_text_on_several_lines_is_still_one_message(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(CSV_HEADER + csv_row(1, '"Bonjour,\nune question\n""urgente"""') + csv_row(2))
    report = import_file(path, progress=False)
    assert report.errors == [] and report.imported == 2
    assert Message.objects.get(external_id="c1").text == 'Bonjour,\nune question\n"urgente"'


def test_a_csv_field_over_the_csv_module_limit_is_reported(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(CSV_HEADER + csv_row(1, '"' + "x" * 200_000 + '"') + csv_row(2))
    report = import_file(path, progress=False)
    assert report.imported == 1
    assert "trop long" in reasons(report)[2]
