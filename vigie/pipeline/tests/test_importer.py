import json

import pytest

from vigie.inbox.models import Message, Thread
from vigie.ingestion.models import RawEvent
from vigie.pipeline.importer import import_file

pytestmark = pytest.mark.django_db


def record(n: int, **overrides) -> dict:
    base = {
        "platform": "facebook", "kind": "comment", "id": f"1234_{n}", "thread_id": f"1234{n % 7}",
        "parent_id": None, "author": {"id": f"a{n % 50}", "name": f"Personne {n % 50}"},
        "text": f"Bonjour, question numéro {n} sur la formation", "created_at": "2026-03-02T09:15:00+01:00",
    }  # fmt: skip
    return base | overrides


def write_jsonl(path, lines):
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def test_each_good_line_is_one_message_and_each_bad_line_is_reported(tmp_path):
    lines = [record(n) for n in range(1, 201)]
    lines.insert(10, "{cassé")
    lines.insert(50, json.dumps(record(999, platform="myspace")))
    lines.insert(120, json.dumps({"platform": "facebook"}))
    report = import_file(write_jsonl(tmp_path / "messages.jsonl", lines), progress=False)
    assert Message.objects.count() == 200
    assert report.imported == 200
    assert [(e.line, e.reason.split(" ")[0]) for e in report.errors] == [
        (11, "JSON"), (51, "«"), (121, "champ(s)")
    ]  # fmt: skip


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    path = write_jsonl(tmp_path / "messages.jsonl", [record(n) for n in range(1, 51)])
    import_file(path, progress=False)
    counts = (Message.objects.count(), Thread.objects.count(), RawEvent.objects.count())
    report = import_file(path, progress=False)
    assert (Message.objects.count(), Thread.objects.count(), RawEvent.objects.count()) == counts
    assert report.already_known == 50 and report.imported == 0


def test_a_csv_with_the_same_columns_imports_the_same(tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text(
        "platform,kind,id,thread_id,parent_id,author_id,author_name,text,created_at\n"
        'linkedin,comment,c1,urn:li:share:1,,urn:li:person:a,Marc,"Bonjour, à quand la prochaine session ?",'
        "2026-03-02T09:15:00+01:00\n"
        "linkedin,comment,c2,urn:li:share:1,c1,urn:li:person:b,Léa,Moi aussi,pas-une-date\n"
    )
    report = import_file(path, progress=False)
    assert Message.objects.get().text == "Bonjour, à quand la prochaine session ?"
    assert [e.line for e in report.errors] == [3]


def test_an_edit_later_in_the_file_updates_the_message(tmp_path):
    path = write_jsonl(tmp_path / "m.jsonl", [record(1, text="avant"), record(1, text="après")])
    import_file(path, progress=False)
    message = Message.objects.get()
    assert message.text == "après" and message.edited
    assert message.versions.get().text == "avant"


def test_the_import_command_prints_line_numbers(tmp_path, capsys):
    from django.core.management import call_command

    path = write_jsonl(tmp_path / "m.jsonl", [record(1), "pas du json"])
    call_command("import_messages", str(path))
    out, err = capsys.readouterr()
    assert "ligne 2 : JSON illisible" in err
    assert "1 importées" in out


def test_strict_mode_fails_when_a_line_is_bad(tmp_path):
    from django.core.management import CommandError, call_command

    path = write_jsonl(tmp_path / "m.jsonl", [record(1), "pas du json"])
    with pytest.raises(CommandError, match="1 ligne"):
        call_command("import_messages", str(path), "--strict")
    assert Message.objects.count() == 1


def test_a_missing_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_messages", str(tmp_path / "absent.jsonl"))
