"""How evaluations talk to the terminal."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

T = TypeVar("T")


class Report:
    """Progress and result lines; quiet in JSON mode except for the progress bar on stderr."""

    def __init__(self, stdout: TextIO, stderr: TextIO | None = None, *, verbose: bool = True, progress: bool = True) -> None:
        self.stdout = stdout
        self.stderr = stderr or sys.stderr
        self.verbose = verbose
        self.show_progress = progress

    def line(self, text: str = "") -> None:
        if self.verbose:
            self.stdout.write(text + "\n")

    def table(self, rows: list[dict[str, Any]], columns: list[str]) -> None:
        """A plain aligned table of the given columns."""
        if not self.verbose or not rows:
            return
        cells = [[_format(row.get(c)) for c in columns] for row in rows]
        widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
        self.line("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
        for r in cells:
            self.line("  ".join(v.ljust(w) for v, w in zip(r, widths)))

    def progress(self, items: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterator[T]:
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=desc, disable=not self.show_progress, file=self.stderr, leave=False)


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    return "" if value is None else str(value)
