from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
DATA = DEMO_DIR / "data" / "messages.jsonl"
STAFF_FILE = DEMO_DIR.parent / "triage" / "data" / "staff.txt"
