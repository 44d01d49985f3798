"""Fine-tuning the embedding model's encoder into a review classifier.

Choices that made it fit a CPU budget (measured by ``ecom_ai_evaluate
sentiment``): mean pooling over tokens (what the sentence model was trained
for); head-and-tail truncation, since reviews end on their verdict; batches of
similar lengths with padding only to the longest in the batch; layer-wise
learning-rate decay, so the lower layers move less than the head; the word
embeddings frozen; markup imported with reviews (``<br />``) removed before
tokenising.
"""
from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.sources import (
    missing_ml_libraries_explained,
    resolve_model_source,
)
from ecom_ai_plugin.ml.text import plain_review_text

with missing_ml_libraries_explained():
    import torch
    from torch import nn

Progress = Callable[[int, int], None]


@dataclass
class EncoderTrainingConfig:
    epochs: float = 3.0
    max_length: int = 256
    head_tokens: int = 64  # the rest of max_length comes from the end of a long review
    batch_size: int = 16
    learning_rate: float = 5e-5
    layer_decay: float = 0.85
    weight_decay: float = 0.01
    warmup_share: float = 0.06
    dropout: float = 0.1
    # Dropout inside attention makes PyTorch's CPU attention fall back to
    # materialising every score matrix: without it, a step on 256-token
    # batches took 36% less time and 1.1 GB less memory.
    attention_dropout: float = 0.0
    # The word-embedding table is half the encoder's weights: frozen, a CPU
    # step took 27% less time; scores moved less than a seed's spread.
    freeze_word_embeddings: bool = True
    seed: int = 0
    threads: int | None = None
    max_seconds: float | None = None  # stop early when the budget runs out


class EncoderClassifier(nn.Module):
    """A transformer encoder, mean pooling and one linear layer."""

    def __init__(self, encoder: Any, n_classes: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, n_classes)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


class ReviewEncoder:
    """Tokenizer plus classifier; trains, predicts, saves and loads itself."""

    def __init__(self, tokenizer: Any, model: EncoderClassifier, *, max_length: int, head_tokens: int, device: str = "cpu") -> None:
        self.tokenizer = tokenizer
        self.model = model.to(device)
        self.max_length = max_length
        self.head_tokens = head_tokens
        self.device = device

    # -- building ------------------------------------------------------------

    @classmethod
    def from_pretrained(cls, source: str, n_classes: int, config: EncoderTrainingConfig, device: str = "cpu") -> ReviewEncoder:
        from transformers import AutoModel, AutoTokenizer

        location = resolve_model_source(source).location
        tokenizer = AutoTokenizer.from_pretrained(location)
        encoder = AutoModel.from_pretrained(location, dtype=torch.float32, attention_probs_dropout_prob=config.attention_dropout)
        torch.manual_seed(config.seed)
        model = EncoderClassifier(encoder, n_classes, dropout=config.dropout)
        return cls(tokenizer, model, max_length=config.max_length, head_tokens=config.head_tokens, device=device)

    # -- text to ids ----------------------------------------------------------

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids with [CLS]/[SEP], keeping the head and the tail of long texts."""
        body = self.max_length - 2
        ids = self.tokenizer([plain_review_text(t) for t in texts], add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
        out = []
        for row in ids:
            if len(row) > body:
                head = min(self.head_tokens, body)
                row = row[:head] + (row[len(row) - (body - head) :] if body > head else [])
            out.append([self.tokenizer.cls_token_id, *row, self.tokenizer.sep_token_id])
        return out

    def _batch(self, rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), self.tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            mask[i, : len(r)] = 1
        return ids.to(self.device), mask.to(self.device)

    # -- training -------------------------------------------------------------

    def _parameter_groups(self, config: EncoderTrainingConfig) -> list[dict[str, Any]]:
        layers = self.model.encoder.encoder.layer if hasattr(self.model.encoder, "encoder") else []
        depth = len(layers)
        groups: list[dict[str, Any]] = []

        def add(module: nn.Module, lr: float) -> None:
            decay, no_decay = [], []
            for name, param in module.named_parameters():
                if not param.requires_grad:
                    continue
                (no_decay if param.ndim < 2 or "LayerNorm" in name else decay).append(param)
            groups.append({"params": decay, "lr": lr, "weight_decay": config.weight_decay})
            groups.append({"params": no_decay, "lr": lr, "weight_decay": 0.0})

        add(self.model.head, config.learning_rate)
        for i, layer in enumerate(layers):
            add(layer, config.learning_rate * config.layer_decay ** (depth - i))
        seen = {id(p) for g in groups for p in g["params"]}
        rest = nn.ParameterList([p for p in self.model.encoder.parameters() if id(p) not in seen])
        add(rest, config.learning_rate * config.layer_decay ** (depth + 1))
        return [g for g in groups if g["params"]]

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[int],
        config: EncoderTrainingConfig,
        *,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Fine-tune on the texts; returns what happened (steps, seconds, stopped early)."""
        if config.threads:
            torch.set_num_threads(config.threads)
        rng = np.random.default_rng(config.seed)
        torch.manual_seed(config.seed)
        if config.freeze_word_embeddings:
            self.model.encoder.get_input_embeddings().weight.requires_grad_(False)
        rows = self.encode(texts)
        y = torch.tensor(np.asarray(labels), dtype=torch.long)
        batches_per_epoch = math.ceil(len(rows) / config.batch_size)
        total_steps = max(1, math.ceil(batches_per_epoch * config.epochs))
        optimizer = torch.optim.AdamW(self._parameter_groups(config), lr=config.learning_rate)
        for group in optimizer.param_groups:
            group["initial_lr"] = group["lr"]
        warmup = max(1, int(total_steps * config.warmup_share))
        started = time.monotonic()

        def done_share(step: int) -> float:
            # Under a time budget the schedule follows the clock when it runs
            # out before the steps do, so the learning rate still decays to zero.
            share = step / total_steps
            if config.max_seconds:
                share = max(share, (time.monotonic() - started) / config.max_seconds)
            return share

        def schedule(step: int, share: float) -> float:
            if step < warmup:
                return (step + 1) / warmup
            floor = warmup / total_steps
            return max(0.0, (1.0 - share) / max(1e-9, 1.0 - floor))

        lengths = np.array([len(r) for r in rows])
        step, stopped_early, losses = 0, False, []
        self.model.train()
        while step < total_steps and not stopped_early:
            for batch in _length_bucketed_batches(lengths, config.batch_size, rng):
                if step >= total_steps:
                    break
                share = done_share(step)
                if share >= 1.0:
                    stopped_early = True
                    break
                for group in optimizer.param_groups:
                    group["lr"] = group["initial_lr"] * schedule(step, share)
                ids, mask = self._batch([rows[i] for i in batch])
                logits = self.model(ids, mask)
                loss = nn.functional.cross_entropy(logits, y[batch].to(self.device))
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                optimizer.step()
                losses.append(loss.item())
                step += 1
                if progress:
                    progress(step, total_steps)
        self.model.eval()
        return {
            "steps": step,
            "planned_steps": total_steps,
            "stopped_early": stopped_early,
            "seconds": round(time.monotonic() - started, 1),
            "final_loss": round(float(np.mean(losses[-20:])), 4) if losses else None,
        }

    # -- predicting -----------------------------------------------------------

    @torch.inference_mode()
    def predict_proba(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Class probabilities, batched by length (sorted) so little is padding."""
        self.model.eval()
        rows = self.encode(texts)
        n_classes = self.model.head.out_features
        out = np.zeros((len(rows), n_classes), dtype=np.float64)
        order = np.argsort([len(r) for r in rows], kind="stable")
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            ids, mask = self._batch([rows[i] for i in chunk])
            logits = self.model(ids, mask).float()
            out[chunk] = torch.softmax(logits, dim=-1).cpu().numpy()
        return out

    # -- files ----------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """The encoder in Hugging Face layout (fp16 to halve the files), the head beside it."""
        folder.mkdir(parents=True, exist_ok=True)
        # a half-precision copy: rounding the live weights would change this model's answers
        half = {name: tensor.to(torch.float16) for name, tensor in self.model.encoder.state_dict().items()}
        self.model.encoder.save_pretrained(folder / "encoder", state_dict=half)
        self.tokenizer.save_pretrained(folder / "encoder")
        torch.save({k: v.cpu() for k, v in self.model.head.state_dict().items()}, folder / "head.pt")
        meta = {"max_length": self.max_length, "head_tokens": self.head_tokens, "n_classes": self.model.head.out_features}
        (folder / "encoder.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, device: str = "cpu") -> ReviewEncoder:
        from transformers import AutoModel, AutoTokenizer

        meta = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
        tokenizer = AutoTokenizer.from_pretrained(folder / "encoder")
        dtype = torch.float32 if device == "cpu" else torch.float16
        encoder = AutoModel.from_pretrained(folder / "encoder", dtype=dtype)
        model = EncoderClassifier(encoder, meta["n_classes"]).to(dtype)
        model.head.load_state_dict(torch.load(folder / "head.pt", map_location="cpu", weights_only=True))
        model.eval()
        return cls(tokenizer, model, max_length=meta["max_length"], head_tokens=meta["head_tokens"], device=device)


def _length_bucketed_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar lengths: sort within random chunks of 50 batches."""
    order = rng.permutation(len(lengths))
    chunk = batch_size * 50
    batches = []
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def config_dict(config: EncoderTrainingConfig) -> dict[str, Any]:
    return asdict(config)
