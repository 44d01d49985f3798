"""Train a model the plugin learns from the shop's own data: ``manage.py ecom_ai_train <model>``."""
from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ecom_ai_plugin import jobs
from ecom_ai_plugin.ml.registry import ModelLoadError
from ecom_ai_plugin.ml.sources import ModelSourceError

#: name -> trainer module. A trainer module defines ``JOB_KIND``,
#: ``add_arguments(parser)``, ``params_from_options(options) -> dict`` (raising
#: ValueError for bad values), ``run(params, progress) -> ModelVersion`` and
#: ``describe(version) -> list[str]``.
TRAINERS: dict[str, str] = {
    "copy_voice": "ecom_ai_plugin.services.copy.voice",
    "recommender": "ecom_ai_plugin.services.recommendations.training",
    "sentiment": "ecom_ai_plugin.services.reviews.training",
}


class Command(BaseCommand):
    help = "Train a model (" + ", ".join(sorted(TRAINERS)) + ") here with progress, or as a worker job with --async; each run is a new model version."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="trainer", required=True, metavar="model")
        for name, path in sorted(TRAINERS.items()):
            module = import_module(path)
            sub = subparsers.add_parser(name, help=(module.__doc__ or name).strip().splitlines()[0])
            sub.add_argument("--async", dest="run_async", action="store_true", help="Queue a job for the workers instead.")
            sub.add_argument("--activate", action="store_true", help="Serve from the new version once it is ready (a sentiment version only if it beats its baselines).")
            sub.add_argument("--no-progress", action="store_true", help="No progress bar (logs, CI).")
            module.add_arguments(sub)

    def handle(self, *args: Any, trainer: str, run_async: bool, no_progress: bool, **options: Any) -> None:
        module = import_module(TRAINERS[trainer])
        try:
            params = module.params_from_options(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if run_async:
            job = jobs.enqueue(module.JOB_KIND, target_type="model", target_id=trainer, params=params)
            self.stdout.write(f"Queued job {job.pk} ({job.status}); follow it in the admin under Jobs.")
            return
        bars: dict[str, tqdm] = {}

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(total=total, desc=stage, unit="step", disable=no_progress, file=self.stderr._out)
            bar.update(done - bar.n)

        try:
            version = module.run(params, progress=progress)
        except (ValueError, LookupError, ModelLoadError, ModelSourceError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        for line in module.describe(version):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Trained {version}."))
