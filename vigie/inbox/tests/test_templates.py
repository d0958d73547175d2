"""Template hygiene: a Django comment {# … #} holds on one line only; over several lines it is shown."""

from pathlib import Path


def test_no_template_comment_spans_lines():
    root = Path(__file__).resolve().parents[2]
    broken = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not broken, broken
