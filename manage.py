#!/usr/bin/env python
"""Django's command-line utility for Casework."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    from django.core.management import execute_from_command_line

    from casework.db import EmbeddedDatabaseError

    try:
        execute_from_command_line(sys.argv)
    except EmbeddedDatabaseError as error:
        # Say what went wrong and what to do, without a traceback.
        print(error, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
