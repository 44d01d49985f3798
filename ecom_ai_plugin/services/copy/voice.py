"""Learn the store's voice from its human-written descriptions (a LoRA adapter on the generator).

Each product with a description staff wrote becomes one training pair: the
prompt copy generation sends for a product's opening sentence (the same
system prompt and data lines, here with all of its facts and without the
description) and the description as the answer. A rank-8 adapter on the
attention projections is trained within a time budget and saved as a
``ModelVersion(kind="copy_voice")``; its figures are the model's loss on
held-out descriptions before and after. With ``COPY['VOICE'] = "active"``
copy generation merges the active version's adapter into the generator.
"""
from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.jobs import PermanentJobError
from ecom_ai_plugin.ml.copy.prompts import SentenceTask, sentence_messages
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job, ModelVersion
from ecom_ai_plugin.services.model_versions import (
    activate,
    active_version,
    artifact_folder,
    fail_version,
    finish_version,
    start_version,
)

logger = logging.getLogger(__name__)

KIND = "copy_voice"
VOICES = ("none", "active")
#: fewer descriptions than this say too little about a voice to learn it
MIN_DESCRIPTIONS = 4
#: shorter descriptions are placeholders, not a voice
MIN_DESCRIPTION_CHARS = 40

Progress = Callable[[str, int, int], None]


class CopyVoiceError(PermanentJobError, ValueError):
    """Training cannot run as asked (too few descriptions, bad settings)."""


@dataclass
class CopyVoiceOptions:
    max_seconds: float = 600.0
    max_steps: int | None = None
    epochs: float = 2.0
    learning_rate: float = 2e-4
    rank: int = 8
    max_tokens: int = 768
    test_share: float = 0.2
    activate: bool = False
    seed: int = 0

    def validate(self) -> None:
        for name in ("max_seconds", "epochs", "learning_rate", "rank", "max_tokens", "test_share"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise CopyVoiceError(f"{name} must be a positive number, not {value!r}.")
        if self.max_steps is not None and (isinstance(self.max_steps, bool) or not isinstance(self.max_steps, int) or self.max_steps < 1):
            raise CopyVoiceError(f"max_steps must be a whole number of at least 1, not {self.max_steps!r}.")
        if not 1 <= self.rank <= 64 or int(self.rank) != self.rank:
            raise CopyVoiceError("rank must be a whole number from 1 to 64.")
        if not 128 <= self.max_tokens <= 2048:
            raise CopyVoiceError("max_tokens must be from 128 to 2048.")
        if not self.test_share < 0.5:
            raise CopyVoiceError("test_share must be below 0.5.")

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> CopyVoiceOptions:
        options = cls(**{k: v for k, v in (params or {}).items() if k in cls.__dataclass_fields__})
        options.validate()
        return options


@dataclass(frozen=True)
class VoicePair:
    product_key: str
    messages: list[dict[str, str]]
    description: str


def voice_messages(info: ProductInfo, language: str) -> list[dict[str, str]]:
    """The prompt copy generation sends for a product, with all its facts, without its description (the answer to learn)."""
    from ecom_ai_plugin.ml.copy.plan import plan_facts

    facts, _ = plan_facts(info)
    return sentence_messages(SentenceTask(info.name, tuple(facts), opening=True), language=language)


def training_pairs() -> list[VoicePair]:
    """One pair per product whose description people wrote (published drafts are the model's words, left out)."""
    generated = set(ContentDraft.objects.filter(status=DraftStatus.PUBLISHED).values_list("text", flat=True))
    pairs = []
    for info in get_host().iter_products():
        description = " ".join((info.description or "").split())
        if len(description) < MIN_DESCRIPTION_CHARS or description in generated:
            continue
        language = "zh" if detect_language(description).startswith("zh") else "en"
        pairs.append(VoicePair(info.key, voice_messages(info, language), description))
    return pairs


def _encode(generator: Any, pair: VoicePair, max_tokens: int) -> tuple[Any, Any]:
    """Token ids of prompt + description, and labels that score only the description."""
    import torch

    tokenizer = generator.tokenizer
    prompt = tokenizer(generator.prompt_text(pair.messages), add_special_tokens=False)["input_ids"]
    answer = tokenizer(pair.description, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    answer = answer[: max(16, max_tokens - len(prompt))]
    prompt = prompt[-max(0, max_tokens - len(answer)):] if len(prompt) + len(answer) > max_tokens else prompt
    ids = torch.tensor([prompt + answer])
    labels = torch.tensor([[-100] * len(prompt) + answer])
    return ids, labels


def held_out_loss(generator: Any, encoded: list[tuple[Any, Any]]) -> float | None:
    """Mean loss per description token on held-out pairs."""
    import torch

    if not encoded:
        return None
    generator.model.eval()
    total = tokens = 0.0
    with torch.no_grad():
        for ids, labels in encoded:
            count = int((labels[:, 1:] != -100).sum())
            total += float(generator.model(input_ids=ids, labels=labels).loss) * count
            tokens += count
    return round(total / tokens, 4)


def _split(pairs: list[VoicePair], share: float, seed: int) -> tuple[list[VoicePair], list[VoicePair]]:
    order = list(pairs)
    random.Random(seed).shuffle(order)
    held = max(1, int(round(len(order) * share)))
    return order[held:], order[:held]


def train_copy_voice(options: CopyVoiceOptions, *, job: Job | None = None, progress: Progress | None = None) -> ModelVersion:
    """One training run, recorded as a ``ModelVersion(kind="copy_voice")`` holding only the adapter."""
    options.validate()
    pairs = training_pairs()
    if len(pairs) < MIN_DESCRIPTIONS:
        raise CopyVoiceError(
            f"Only {len(pairs)} products have a description of at least {MIN_DESCRIPTION_CHARS} characters written in the shop; "
            f"at least {MIN_DESCRIPTIONS} are needed to learn its voice."
        )
    config = ecom_ai_settings.model_config("generation")
    train, test = _split(pairs, options.test_share, options.seed)
    version = start_version(KIND, base_model=config["MODEL"], params=asdict(options), job=job)
    started = time.monotonic()
    try:
        metrics = _train_adapter(version, config, train, test, options, progress)
    except Exception as exc:
        fail_version(version, f"{exc.__class__.__name__}: {exc}")
        raise
    summary = {"descriptions": len(pairs), "train": len(train), "held_out": len(test), "held_out_products": [p.product_key for p in test]}
    finish_version(version, metrics=metrics, data_summary=summary, train_seconds=round(time.monotonic() - started, 1))
    if options.activate:
        activate(version)
    logger.info("ecom_ai_plugin: trained %s: %s", version, metrics)
    return version


def _train_adapter(
    version: ModelVersion, config: dict[str, Any], train: list[VoicePair], test: list[VoicePair], options: CopyVoiceOptions, progress: Progress | None
) -> dict[str, Any]:
    """Train the adapter on ``train``, save it in the version's folder; the held-out figures."""
    import torch

    from ecom_ai_plugin.ml.generation import load_generator
    from ecom_ai_plugin.ml.lora import LoraConfig, add_adapters, save_adapter

    torch.manual_seed(options.seed)
    # Training needs float32 weights: never the int8 serving copy.
    generator = load_generator({**config, "QUANTIZE": "none", "DEVICE": "cpu", "DTYPE": "float32"})
    lora = LoraConfig(rank=int(options.rank))
    add_adapters(generator.model, lora)
    train_encoded = [_encode(generator, pair, options.max_tokens) for pair in train]
    test_encoded = [_encode(generator, pair, options.max_tokens) for pair in test]
    before = held_out_loss(generator, test_encoded)
    steps = _fit(generator.model, train_encoded, options, progress)
    after = held_out_loss(generator, test_encoded)
    save_adapter(generator.model, artifact_folder(version), lora, name=f"{KIND}-v{version.version}", base_model=config["MODEL"], revision=generator.revision)
    return {"held_out_loss_before": before, "held_out_loss_after": after, "steps": steps}


def _fit(model: Any, encoded: list[tuple[Any, Any]], options: CopyVoiceOptions, progress: Progress | None) -> int:
    """AdamW on the adapters, one description a step, until the epochs, steps or seconds run out."""
    import torch

    parameters = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(parameters, lr=float(options.learning_rate), weight_decay=0.0)
    total = max(1, int(round(len(encoded) * float(options.epochs))))
    if options.max_steps is not None:
        total = min(total, options.max_steps)
    deadline = time.monotonic() + float(options.max_seconds)
    order = random.Random(options.seed + 1)
    model.train()
    step = 0
    while step < total and time.monotonic() < deadline:
        batch = list(encoded)
        order.shuffle(batch)
        for ids, labels in batch:
            if step >= total or time.monotonic() >= deadline:
                break
            loss = model(input_ids=ids, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            optimiser.zero_grad(set_to_none=True)
            step += 1
            if progress:
                progress("training", step, total)
    model.eval()
    return step


# -- serving -----------------------------------------------------------------------

_lock = threading.Lock()
_voiced: dict[tuple[int, str, str], Any] = {}


def copy_generator() -> Any:
    """The generator product copy is written with: the registry's, or with the active voice merged in.

    ``COPY['VOICE'] = "none"`` (the default) ignores trained voices. With
    "active", the active ``copy_voice`` version's adapter is merged into a
    generator of its own, loaded once per process and version; an adapter
    that fails to load is logged and the plain generator writes.
    """
    from ecom_ai_plugin.ml.registry import get_model

    version = active_version(KIND) if ecom_ai_settings.COPY.get("VOICE") == "active" else None
    if version is None:
        return get_model("generation")
    config = ecom_ai_settings.model_config("generation")
    key = (os.getpid(), str(version.pk), json.dumps(config, sort_keys=True, default=str))
    with _lock:
        if key not in _voiced:
            from ecom_ai_plugin.ml.generation import load_generator

            try:
                generator = load_generator(config, adapter=artifact_folder(version))
            except (OSError, ValueError, RuntimeError, KeyError) as exc:
                logger.error("ecom_ai_plugin: %s could not be loaded, copy is written without it: %s", version, exc)
                return get_model("generation")
            _voiced.clear()  # one voiced generator in memory
            _voiced[key] = generator
        return _voiced[key]


# -- what ``manage.py ecom_ai_train copy_voice`` needs -------------------------------

JOB_KIND = "train_copy_voice"


def add_arguments(parser: Any) -> None:
    parser.add_argument("--max-seconds", type=float, default=600.0, help="Stop training after this long, keeping what was learnt (default 600).")
    parser.add_argument("--max-steps", type=int, default=None, help="Stop after this many descriptions.")
    parser.add_argument("--epochs", type=float, default=2.0, help="Passes over the descriptions (default 2).")
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--rank", type=int, default=8, help="Adapter rank (default 8).")
    parser.add_argument("--seed", type=int, default=0)


def params_from_options(options: dict[str, Any]) -> dict[str, Any]:
    defaults = CopyVoiceOptions()

    def given(name: str) -> Any:
        value = options.get(name)
        return getattr(defaults, name) if value is None else value

    params = {name: given(name) for name in ("max_seconds", "max_steps", "epochs", "learning_rate", "rank", "seed")}
    params["activate"] = bool(options.get("activate"))
    CopyVoiceOptions.from_params(params)  # refuse bad values before anything is queued
    return params


def run(params: dict[str, Any], progress: Progress | None = None) -> ModelVersion:
    return train_copy_voice(CopyVoiceOptions.from_params(params), progress=progress)


def describe(version: ModelVersion) -> list[str]:
    """Summary lines for the command's output."""
    metrics, summary = version.metrics or {}, version.data_summary or {}
    return [
        f"{version}: {version.get_status_display().lower()}{', active' if version.is_active else ''}, "
        f"{metrics.get('steps')} steps in {version.train_seconds:.0f} s.",
        f"  {summary.get('train')} descriptions learnt from, {summary.get('held_out')} held out: "
        f"loss {metrics.get('held_out_loss_before')} before, {metrics.get('held_out_loss_after')} after.",
        f"  adapter: {artifact_folder(version)}",
    ]
