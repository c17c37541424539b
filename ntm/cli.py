"""The `ntm` command: Django's management commands with the project's settings preset
(`ntm evaluate`, `ntm demo`, `ntm serve`, `ntm units import`, `ntm catalog gaps`, `ntm migrate`…)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ntm", *sys.argv[1:]])


if __name__ == "__main__":
    main()
