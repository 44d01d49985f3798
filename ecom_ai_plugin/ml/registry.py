"""Models loaded once per worker process.

A prefork pool's parent process must never load a model (CUDA cannot be
re-initialised in a forked child, and every child would inherit a copy), so
loading is refused there; each child loads on its first job.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any

from django.utils.module_loading import import_string

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.jobs import PermanentJobError

logger = logging.getLogger(__name__)

#: role -> dotted path of ``loader(config: dict) -> model``
LOADERS: dict[str, str] = {
    "embeddings": "ecom_ai_plugin.ml.embeddings.load_embedder",
    "generation": "ecom_ai_plugin.ml.generation.load_generator",
    "sentiment": "ecom_ai_plugin.ml.reviews.sentiment.serving.load_sentiment_models",
    "search": "ecom_ai_plugin.ml.search.encoder.load_search_encoder",
}


class ModelLoadError(PermanentJobError):
    """A model could not be loaded; the job fails with this message, the worker stays up."""


_lock = threading.Lock()
_models: dict[tuple[str, str], Any] = {}
_owner_pid = os.getpid()
_loading_refused: str | None = None


def _config_key(config: dict[str, Any]) -> str:
    return json.dumps(config, sort_keys=True, default=str)


def get_model(role: str) -> Any:
    """The loaded model for a role, loading it on first use in this process."""
    global _owner_pid
    config = ecom_ai_settings.model_config(role)
    key = (role, _config_key(config))
    with _lock:
        if os.getpid() != _owner_pid:  # forked: what the parent held is not ours
            _models.clear()
            _owner_pid = os.getpid()
        if key in _models:
            return _models[key]
        if _loading_refused:
            raise ModelLoadError(_loading_refused)
        loader_path = LOADERS.get(role)
        if loader_path is None:
            raise ModelLoadError(f"No loader for model role {role!r}.")
        try:
            model = import_string(loader_path)(config)
        except ModelLoadError:
            raise
        except Exception as exc:
            raise ModelLoadError(f"Could not load the {role} model {config.get('MODEL')!r}: {exc}") from exc
        # Drop other configurations of this role (settings changed): one copy in memory.
        for stale in [k for k in _models if k[0] == role]:
            del _models[stale]
        _models[key] = model
        logger.info("ecom_ai_plugin: loaded %s model %s in process %s", role, config.get("MODEL"), os.getpid())
        return model


def loaded_roles() -> list[str]:
    return sorted({role for role, _ in _models})


def unload_all() -> None:
    with _lock:
        _models.clear()


def refuse_loading(reason: str | None) -> None:
    global _loading_refused
    _loading_refused = reason


def connect_worker_signals() -> None:
    """Refuse model loads in a prefork pool's parent; allow them in its children."""
    from celery import signals

    signals.worker_init.connect(_on_worker_init, dispatch_uid="ecom_ai_plugin.worker_init", weak=False)
    signals.worker_process_init.connect(_on_child_init, dispatch_uid="ecom_ai_plugin.worker_process_init", weak=False)


def _on_worker_init(sender: Any = None, **kwargs: Any) -> None:
    # Sent before the pool class is resolved: it may still be an alias string.
    pool = getattr(sender, "pool_cls", None) or "prefork"
    name = pool if isinstance(pool, str) else f"{pool.__module__}.{pool.__qualname__}"
    if "prefork" in name.lower():
        refuse_loading("Models are not loaded in the parent process of a prefork worker pool.")


def _on_child_init(**kwargs: Any) -> None:
    unload_all()
    refuse_loading(None)
