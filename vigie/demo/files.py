import json
from datetime import datetime, timedelta
from pathlib import Path

from vigie.lib.clock import PARIS

DEMO_DIR = Path(__file__).resolve().parent
DATA = DEMO_DIR / "data" / "messages.jsonl"
# the Facebook Page and the LinkedIn organisation of the demo's history (the live demo connects them to the fakes)
PAGE = "104857600123456"
ORGANIZATION = "urn:li:organization:90210123"
STAFF_FILE = DEMO_DIR.parent / "triage" / "data" / "staff.txt"


def records(now: datetime) -> list[dict]:
    """The demo's messages (DATA), moved by whole days so that the newest came in the day before `now`
    (Paris), each at its own hour: the desk looks the same whatever the day the demo starts on — the
    Messenger windows of its latest private messages still open, its complex requests still answerable."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    newest = max(datetime.fromisoformat(row["created_at"]) for row in rows).astimezone(PARIS).date()
    shift = timedelta(days=(now.astimezone(PARIS).date() - newest).days - 1)
    for row in rows:
        row["created_at"] = _moved(row["created_at"], shift)
        if "post" in row and row["post"].get("published_at"):
            row["post"] = {**row["post"], "published_at": _moved(row["post"]["published_at"], shift)}
    return rows


def _moved(moment: str, shift: timedelta) -> str:
    return (datetime.fromisoformat(moment) + shift).isoformat()


def write_records(now: datetime, path: Path) -> Path:
    """`records(now)` as a JSON lines file for the import path; its path."""
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in records(now)), encoding="utf-8")
    return path
