#!/usr/bin/env python
"""The sandbox shop's manage.py."""
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The plugin is importable from a checkout without installing it.
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
