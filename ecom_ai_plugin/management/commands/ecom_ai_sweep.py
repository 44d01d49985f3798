"""Re-send jobs the broker lost and re-queue jobs whose worker died."""
from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecom_ai_plugin import jobs
from ecom_ai_plugin.conf import ecom_ai_settings


class Command(BaseCommand):
    help = "Sweep the job table once (or every --interval seconds with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pending-after", type=float, default=None, help="Re-send pending jobs older than this many seconds.")
        parser.add_argument("--loop", action="store_true", help="Keep sweeping (when no Celery beat runs).")
        parser.add_argument("--interval", type=float, default=None, help="Seconds between sweeps (SWEEP_INTERVAL_SECONDS by default).")

    def handle(self, *args: Any, pending_after: float | None, loop: bool, interval: float | None, **options: Any) -> None:
        if interval is None:
            interval = float(ecom_ai_settings.SWEEP_INTERVAL_SECONDS)
        if pending_after is not None and pending_after < 0:
            raise CommandError("--pending-after cannot be negative.")
        if interval <= 0:
            raise CommandError("--interval must be positive.")
        while True:
            self.stdout.write(f"Swept: {jobs.sweep(pending_after=pending_after)}.")
            if not loop:
                return
            time.sleep(interval)
