"""Measure a feature offline: ``manage.py ecom_ai_evaluate <feature> [options]``."""
from __future__ import annotations

import json
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecom_ai_plugin.evaluation import EVALUATIONS
from ecom_ai_plugin.evaluation.report import Report


class Command(BaseCommand):
    help = "Evaluate a feature (" + ", ".join(sorted(EVALUATIONS)) + "); --format json prints the figures as JSON on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--no-progress", action="store_true")
        subparsers = parser.add_subparsers(dest="evaluation", required=True, metavar="feature")
        for name, path in sorted(EVALUATIONS.items()):
            module = import_module(path)
            sub = subparsers.add_parser(name, help=(module.__doc__ or name).strip().splitlines()[0])
            sub.add_argument("--format", choices=["text", "json"], default=None, dest="sub_format")
            sub.add_argument("--no-progress", action="store_true", dest="sub_no_progress")
            module.add_arguments(sub)

    def handle(self, *args: Any, evaluation: str, **options: Any) -> None:
        if evaluation not in EVALUATIONS:
            raise CommandError(f"Unknown evaluation {evaluation!r}; choose from {', '.join(sorted(EVALUATIONS))}.")
        output = options.pop("sub_format", None) or options["format"]
        no_progress = options.pop("sub_no_progress", False) or options["no_progress"]
        module = import_module(EVALUATIONS[evaluation])
        report = Report(self.stdout, self.stderr._out, verbose=output == "text", progress=not no_progress)
        try:
            figures = module.run(options, report)
        except (ValueError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        if output == "json":
            self.stdout.write(json.dumps(figures, sort_keys=True, default=str))
