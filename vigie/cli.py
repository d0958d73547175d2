"""The `vigie` command: Django's manage.py, with a few names of DESIGN §6 mapped to commands."""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Names of the public contract that are not valid Python module names.
COMMAND_ALIASES = {"import": "import_messages", "api-token": "api_token"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigie.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = COMMAND_ALIASES.get(argv[1], argv[1])
    if len(argv) > 1 and argv[1] == "replay":
        _throw_away_database()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _throw_away_database() -> None:
    """`vigie replay` works on a fresh SQLite database in a temporary directory, deleted at exit."""
    scratch = tempfile.mkdtemp(prefix="vigie-replay-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    models = Path(os.environ.get("VIGIE_DATA_DIR", "var")).resolve() / "models"  # the classifier, built once
    models.mkdir(parents=True, exist_ok=True)
    (Path(scratch) / "models").symlink_to(models, target_is_directory=True)
    for variable in ("VIGIE_DATABASE_URL", "VIGIE_REDIS_URL", "VIGIE_ENV"):
        os.environ.pop(variable, None)
    os.environ["VIGIE_DATA_DIR"] = scratch
    os.environ["VIGIE_HUEY_IMMEDIATE"] = "1"  # nothing is queued: no one to e-mail, no webhook set
    os.environ["VIGIE_REPLAY_SCRATCH"] = str(Path(scratch).resolve())


if __name__ == "__main__":
    main()
