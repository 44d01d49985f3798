"""Progress bars for management commands that drive a service's ``progress(done, total)`` callback."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ecom_ai_plugin.ml.registry import ModelLoadError


@contextmanager
def service_progress(command: BaseCommand, *, total: int, unit: str, desc: str, disable: bool) -> Iterator[Callable[[int, int], None]]:
    """A bar on the command's stderr; a model that cannot load ends the command with its message, not a traceback."""
    bar = tqdm(total=total, unit=unit, desc=desc, disable=disable, file=command.stderr._out)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    try:
        yield update
    except ModelLoadError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        bar.close()
