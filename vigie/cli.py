"""The `vigie` command: Django's manage.py, with a few names of DESIGN §6 mapped to commands."""

import os
import sys

# Names of the public contract that are not valid Python module names.
COMMAND_ALIASES = {"import": "import_messages", "api-token": "api_token"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigie.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = COMMAND_ALIASES.get(argv[1], argv[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
