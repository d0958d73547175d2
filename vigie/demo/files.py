from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
DATA = DEMO_DIR / "data" / "messages.jsonl"
# the Facebook Page and the LinkedIn organisation of the demo's history (the live demo connects them to the fakes)
PAGE = "104857600123456"
ORGANIZATION = "urn:li:organization:90210123"
STAFF_FILE = DEMO_DIR.parent / "triage" / "data" / "staff.txt"
