"""Text generation with a causal or seq2seq language model (SmolLM2-135M-Instruct by default).

The packaged default ships as a GGUF file. Reading GGUF with transformers
de-quantises every tensor on each load and runs slowly, so the file is
converted once into a plain checkpoint in the model cache (keyed by the
file's hash) and loaded from there; on CPU the linear layers are then
quantised to int8 dynamically, on a GPU the model runs in bfloat16.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.device import resolve_device, resolve_dtype, set_cpu_threads
from ecom_ai_plugin.ml.sources import (
    ModelSourceError,
    missing_ml_libraries_explained,
    resolve_model_source,
)

logger = logging.getLogger(__name__)

QUANTIZE_CHOICES = ("auto", "int8", "none")
Message = dict[str, str]


@dataclass
class Generation:
    """One generated text with what it cost."""

    text: str
    tokens: int
    seconds: float
    #: the wall-time limit cut it short
    timed_out: bool = False


class Generator:
    """Turns chat messages into text, in batches, within a token and time budget."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        name: str,
        revision: str,
        device: str,
        batch_size: int = 8,
        max_new_tokens: int = 400,
        time_limit: float = 120.0,
        quantized: bool = False,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.revision = revision
        self.device = device
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens
        self.time_limit = time_limit
        self.quantized = quantized
        self.encoder_decoder = bool(getattr(model.config, "is_encoder_decoder", False))

    def prompt_text(self, messages: list[Message]) -> str:
        """The model's own chat template, or plain role-labelled text when it has none."""
        if getattr(self.tokenizer, "chat_template", None):
            return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=not self.encoder_decoder)
        return "\n\n".join(message["content"] for message in messages)

    def generate(
        self,
        conversations: list[list[Message]],
        *,
        max_new_tokens: int | None = None,
        sample: bool = True,
        temperature: float = 0.6,
        top_k: int = 40,
        repetition_penalty: float = 1.1,
        seed: int | None = None,
        batch_size: int | None = None,
        prefixes: list[str] | None = None,
        stop: list[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Generation]:
        """One generation per conversation, ``batch_size`` at a time.

        ``progress(done)`` hears how many texts are finished as each one is
        (its end-of-text token written, or its batch over), not once a batch.

        Each batch stops at ``max_new_tokens`` or when the wall-time limit
        runs out, whichever comes first; what was produced until then is kept.
        ``prefixes`` start the answers (decoder-only models): a small model
        that begins "The <product name>" stays on its subject; the prefix is
        part of the returned text. Sampling keeps the ``top_k`` likeliest
        tokens: top-p sorts the whole 49k vocabulary at every step (8 %
        slower at batch 1 on a 2-core CPU). ``stop``: strings that end a
        sequence ("." and a space, for one sentence).
        """
        import torch

        size = batch_size or self.batch_size
        results: list[Generation] = []
        if seed is not None:
            torch.manual_seed(seed)
        for start in range(0, len(conversations), size):
            chunk = conversations[start:start + size]
            chunk_prefixes = (prefixes[start:start + size] if prefixes and not self.encoder_decoder else None) or [""] * len(chunk)
            finished = _FinishedTexts(self._stop_ids(), (lambda done, start=start: progress(start + done)) if progress else None)
            results += self._generate_batch(chunk, chunk_prefixes, max_new_tokens or self.max_new_tokens, sample, temperature, top_k, repetition_penalty, stop, finished)
            if progress:
                progress(start + len(chunk))
        return results

    def _stop_ids(self) -> set[int]:
        return set(_as_list(self.model.generation_config.eos_token_id)) | {self.tokenizer.pad_token_id}

    def _generate_batch(
        self,
        chunk: list[list[Message]],
        prefixes: list[str],
        max_new_tokens: int,
        sample: bool,
        temperature: float,
        top_k: int,
        repetition_penalty: float,
        stop: list[str] | None = None,
        finished: _FinishedTexts | None = None,
    ) -> list[Generation]:
        import torch
        from transformers import StoppingCriteriaList

        prompts = [self.prompt_text(messages) + prefix for messages, prefix in zip(chunk, prefixes)]
        encoded = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=self.encoder_decoder).to(self.device)
        deadline = _Deadline(self.time_limit)
        options: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "do_sample": sample,
            "pad_token_id": self.tokenizer.pad_token_id,
            "stopping_criteria": StoppingCriteriaList([deadline, *([finished] if finished else [])]),
            "use_cache": True,
            "repetition_penalty": repetition_penalty,
        }
        if sample:
            options.update(temperature=temperature, top_k=top_k)
        if stop:
            options.update(stop_strings=list(stop), tokenizer=self.tokenizer)
        started = time.perf_counter()
        with torch.inference_mode():
            output = self.model.generate(**encoded, **options)
        seconds = time.perf_counter() - started
        new_tokens = output if self.encoder_decoder else output[:, encoded["input_ids"].shape[1]:]
        texts = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        counts = [self._count_tokens(row) for row in new_tokens]
        share = seconds / len(chunk)
        return [
            Generation(text=(prefix + text).strip(), tokens=count, seconds=share, timed_out=deadline.expired)
            for prefix, text, count in zip(prefixes, texts, counts)
        ]

    def _count_tokens(self, row: Any) -> int:
        """Generated tokens up to and including the first end-of-sequence token (padding follows it)."""
        ids = row.tolist()
        stops = self._stop_ids()
        start = 1 if self.encoder_decoder and ids and ids[0] == self.model.generation_config.decoder_start_token_id else 0
        for index in range(start, len(ids)):
            if ids[index] in stops:
                return index + 1 - start
        return len(ids) - start


class _Deadline:
    """A stopping criterion: stop every sequence once the wall-time budget is spent."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.expired = False

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        self.expired = time.monotonic() >= self.ends
        return torch.full((input_ids.shape[0],), self.expired, dtype=torch.bool, device=input_ids.device)


class _FinishedTexts:
    """A stopping criterion that stops nothing: it counts the texts that wrote their end token, for progress."""

    def __init__(self, stop_ids: set[int], callback: Callable[[int], None] | None) -> None:
        self.stop_ids = list(stop_ids)
        self.callback = callback
        self.done: Any = None
        self.reported = 0

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        last = input_ids[:, -1]
        ended = torch.isin(last, torch.tensor(self.stop_ids, device=last.device))
        self.done = ended if self.done is None else (self.done | ended)
        count = int(self.done.sum())
        if self.callback and count > self.reported:
            self.reported = count
            self.callback(count)
        return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)


def _as_list(value: Any) -> list[int]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def load_generator(config: dict[str, Any], *, adapter: Path | None = None) -> Generator:
    """Load the configured generation model (registry loader for role ``generation``).

    ``adapter``: a folder with a trained LoRA adapter (a store's copy voice),
    merged into the weights before they are quantised.
    """
    source = resolve_model_source(config["MODEL"], config.get("REVISION"))
    with missing_ml_libraries_explained():
        import torch
        from transformers import (
            AutoConfig,
            AutoModelForCausalLM,
            AutoModelForSeq2SeqLM,
            AutoTokenizer,
        )
        from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    device = resolve_device(config.get("DEVICE") or "auto")
    dtype = resolve_dtype(config.get("DTYPE") or "auto", device)
    quantize = config.get("QUANTIZE") or "auto"
    if quantize not in QUANTIZE_CHOICES:
        raise ValueError(f"Unknown QUANTIZE {quantize!r}: use one of {', '.join(QUANTIZE_CHOICES)}.")
    if quantize == "int8" and device != "cpu":
        raise ValueError("QUANTIZE 'int8' (dynamic int8 quantisation) only runs on the CPU; use 'none' on a GPU.")
    quantized = device == "cpu" and quantize in ("auto", "int8")
    if device == "cpu":
        set_cpu_threads(config.get("THREADS") or "auto")

    location = source.location
    # A folder has no hub revision: the configured REVISION labels it on the drafts it writes.
    revision = source.revision or str(config.get("REVISION") or "")
    kwargs: dict[str, Any] = {"local_files_only": True} if source.offline else {"revision": source.revision}
    gguf = find_gguf(location) if source.offline else None
    if gguf is not None:
        digest = file_hash(gguf)
        location = str(convert_gguf(gguf, config["MODEL"], digest))
        revision = revision or f"gguf-{digest[:16]}"
    model_config = AutoConfig.from_pretrained(location, **kwargs)
    model_class = AutoModelForSeq2SeqLM if getattr(model_config, "is_encoder_decoder", False) else AutoModelForCausalLM
    model = model_class.from_pretrained(location, dtype=torch.float32 if quantized else dtype, **kwargs)
    model.eval()
    if adapter is not None:
        from ecom_ai_plugin.ml.lora import apply_adapter

        revision = f"{revision or getattr(model_config, '_commit_hash', '') or ''}+{apply_adapter(model, adapter).get('name', 'adapter')}"
    tokenizer = AutoTokenizer.from_pretrained(location, **kwargs)
    if not model_config.is_encoder_decoder:
        tokenizer.padding_side = "left"  # batched decoder-only generation continues from the right edge
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if quantized:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's notice that eager quantisation moves to torchao
            # Per output channel: one scale per tensor wrecked the 135M model's text (per-channel keeps fp32 quality).
            qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear: qconfig}, dtype=torch.qint8)
    else:
        model.to(device)
    generation_config = model.generation_config
    generation_config.pad_token_id = tokenizer.pad_token_id
    # Sampling options are passed per call; leave none in the model's defaults to clash with greedy calls.
    generation_config.temperature = generation_config.top_p = generation_config.top_k = None
    return Generator(
        model,
        tokenizer,
        name=config["MODEL"],
        revision=revision or str(getattr(model_config, "_commit_hash", "") or ""),
        device=device,
        batch_size=int(config.get("BATCH_SIZE") or 8),
        max_new_tokens=int(config.get("MAX_NEW_TOKENS") or 400),
        time_limit=float(config.get("TIME_LIMIT_SECONDS") or 120),
        quantized=quantized,
    )


def find_gguf(location: str) -> Path | None:
    """The GGUF file to convert: the location itself, or the only ``*.gguf`` in a folder without ``config.json``."""
    path = Path(location)
    if path.is_file():
        return path if path.suffix == ".gguf" else None
    if (path / "config.json").exists():
        return None
    files = sorted(path.glob("*.gguf"))
    if len(files) > 1:
        raise ModelSourceError(f"The folder {location!r} holds several GGUF files ({', '.join(f.name for f in files)}); point MODEL at one of them.")
    return files[0] if files else None


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    configured = ecom_ai_settings.MODEL_CACHE_DIR
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "ecom_ai_plugin"


def convert_gguf(gguf: Path, name: str, digest: str | None = None) -> Path:
    """The plain checkpoint converted from a GGUF file, converting it on first use.

    The conversion is written to a temporary folder beside the target and
    renamed into place, so two workers converting at once never leave a
    half-written checkpoint: the second rename loses and its copy is dropped.
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "model"
    target = cache_dir() / "converted" / f"{slug}-{(digest or file_hash(gguf))[:16]}"
    if (target / "config.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _write_checkpoint(gguf, work)
        try:
            os.rename(work, target)
        except OSError:
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    logger.info("ecom_ai_plugin: converted %s to %s in %.1f s", gguf, target, time.perf_counter() - started)
    return target


def _write_checkpoint(gguf: Path, folder: Path) -> None:
    """De-quantise the GGUF tensors into a transformers model and save it with its tokenizer."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

    config = AutoConfig.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_config(config)
    tensors = load_gguf_checkpoint(str(gguf), return_tensors=True, model_to_load=model)["tensors"]
    result = model.load_state_dict(tensors, strict=False)
    tied = {"lm_head.weight"} if config.tie_word_embeddings else set()
    missing = set(result.missing_keys) - tied
    if missing:
        raise ModelSourceError(f"The GGUF file {gguf} lacks weights for {', '.join(sorted(missing)[:5])}.")
    model.tie_weights()
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).save_pretrained(folder)
