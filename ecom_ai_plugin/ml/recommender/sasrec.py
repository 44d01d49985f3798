"""A self-attentive sequential recommender (the SASRec family) in PyTorch.

A customer's items, oldest first, pass through causal self-attention blocks;
the state at each position scores every item as the next one. Item vectors
are shared between input and output, and can be seeded from the products'
text embeddings (a learned projection of them is added to each item's own
vector), so a product nobody has bought yet still has a sensible vector.

Sequences are left-padded with index 0, so real items are ``1..n_items``
inside the network and ``0..n_items-1`` outside it, like everywhere else in
``ml.recommender``.

Grocery shops re-buy: each input position also carries whether the item
was already in the sequence (a repeat flag) and, where timestamps are given,
the time since the previous item on a log scale (a gap bucket), so the model
tells a weekly staple from a one-off. Catalogs larger than
``FULL_SOFTMAX_MAX_ITEMS`` are trained with a sampled softmax (the target
against ``negatives`` items drawn per batch) instead of scoring every item
at every position; sequences are capped at ``max_len`` items.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

FORMAT_VERSION = 2
#: Above this many items training uses a sampled softmax (full softmax memory grows with positions × items).
FULL_SOFTMAX_MAX_ITEMS = 5000
#: Gap buckets: 0 padding, 1 the first item or no timestamps, 2.. log2 of the minutes since the previous item.
GAP_BUCKETS = 24


@dataclass
class SASRecConfig:
    n_items: int
    max_len: int = 200
    hidden: int = 64
    blocks: int = 2
    heads: int = 1
    dropout: float = 0.3
    #: Size of the product text vectors the item vectors are seeded from (None: not seeded).
    text_dim: int | None = None
    #: An input embedding of whether the item was already earlier in the sequence.
    repeat_flags: bool = True
    #: An input embedding of the time since the previous item (needs timestamps when scoring).
    time_gaps: bool = False
    #: Sampled softmax with this many negatives per batch (None: full softmax; see ``default_negatives``).
    negatives: int | None = None

    def __post_init__(self) -> None:
        if self.n_items < 1:
            raise ValueError("n_items must be at least 1.")
        if self.hidden % self.heads:
            raise ValueError(f"hidden ({self.hidden}) must be a multiple of heads ({self.heads}).")
        if self.max_len < 2:
            raise ValueError("max_len must be at least 2.")
        if self.negatives is not None and self.negatives < 1:
            raise ValueError("negatives must be at least 1 (or None for a full softmax).")


def default_negatives(n_items: int) -> int | None:
    """A sampled softmax for large catalogs, the full one (None) for small."""
    return None if n_items <= FULL_SOFTMAX_MAX_ITEMS else 512


def sequence_features(items: np.ndarray, times: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(gap bucket, repeat flag) per position of one sequence (0-based items, time order)."""
    items = np.asarray(items, dtype=np.int64)
    _, first = np.unique(items, return_index=True)
    repeat = np.ones(len(items), dtype=np.int64)
    repeat[first] = 0
    gaps = np.ones(len(items), dtype=np.int64)
    if times is not None and len(items) > 1:
        minutes = np.maximum(np.diff(np.asarray(times, dtype=np.float64)), 0.0) / 60.0
        gaps[1:] = 2 + np.minimum(np.floor(np.log2(1.0 + minutes)), GAP_BUCKETS - 3).astype(np.int64)
    return gaps, repeat


class CausalSelfAttentionBlock(nn.Module):
    """Pre-norm block: masked multi-head self-attention, then a position-wise feed-forward layer."""

    def __init__(self, hidden: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.attention_norm = nn.LayerNorm(hidden)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.feed_forward_norm = nn.LayerNorm(hidden)
        self.feed_forward = nn.Sequential(
            nn.Linear(hidden, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, hidden)
        )
        self.residual_dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        q, k, v = self.qkv(self.attention_norm(x)).split(hidden, dim=-1)
        q, k, v = (t.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2) for t in (q, k, v))
        attended = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.residual_dropout(self.out(attended.transpose(1, 2).reshape(batch, length, hidden)))
        return x + self.residual_dropout(self.feed_forward(self.feed_forward_norm(x)))


class SASRec(nn.Module):
    def __init__(self, config: SASRecConfig, text_vectors: np.ndarray | None = None) -> None:
        super().__init__()
        self.config = config
        hidden = config.hidden
        self.item_embedding = nn.Embedding(config.n_items + 1, hidden, padding_idx=0)
        self.position_embedding = nn.Embedding(config.max_len, hidden)
        self.embedding_dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(CausalSelfAttentionBlock(hidden, config.heads, config.dropout) for _ in range(config.blocks))
        self.final_norm = nn.LayerNorm(hidden)
        if config.repeat_flags:
            self.repeat_embedding = nn.Embedding(2, hidden)
        if config.time_gaps:
            self.gap_embedding = nn.Embedding(GAP_BUCKETS, hidden, padding_idx=0)
        if config.text_dim is not None:
            self.text_projection = nn.Linear(config.text_dim, hidden, bias=False)
            self.register_buffer("text_vectors", torch.zeros(config.n_items + 1, config.text_dim))
            if text_vectors is not None:
                self.set_text_vectors(text_vectors)
        elif text_vectors is not None:
            raise ValueError("text_vectors given but config.text_dim is None.")
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.normal_(self.item_embedding.weight, std=0.02)
        nn.init.normal_(self.position_embedding.weight, std=0.02)
        with torch.no_grad():
            self.item_embedding.weight[0].zero_()
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def set_text_vectors(self, vectors: np.ndarray) -> None:
        """Text vectors per item (rows ``0..n_items-1``; a zero row where an item has none)."""
        expected = (self.config.n_items, self.config.text_dim)
        if vectors.shape != expected:
            raise ValueError(f"text vectors have shape {vectors.shape}, expected {expected}.")
        with torch.no_grad():
            self.text_vectors[1:] = torch.as_tensor(vectors, dtype=self.text_vectors.dtype, device=self.text_vectors.device)

    def item_vectors(self) -> torch.Tensor:
        """(n_items + 1, hidden): row 0 is padding."""
        vectors = self.item_embedding.weight
        if self.config.text_dim is not None:
            vectors = vectors + self.text_projection(self.text_vectors)
        return vectors

    def encode(self, sequences: torch.Tensor, gaps: torch.Tensor | None = None, repeats: torch.Tensor | None = None) -> torch.Tensor:
        """(batch, length) padded item ids (and their gap buckets, repeat flags) -> (batch, length, hidden); length ≤ max_len."""
        batch, length = sequences.shape
        items = self.item_vectors()
        x = F.embedding(sequences, items) * self.config.hidden**0.5
        x = x + self.position_embedding.weight[self.config.max_len - length :]
        if self.config.repeat_flags and repeats is not None:
            x = x + self.repeat_embedding(repeats)
        if self.config.time_gaps:
            x = x + self.gap_embedding(gaps if gaps is not None else (sequences > 0).long())
        x = self.embedding_dropout(x) * (sequences > 0).unsqueeze(-1)
        causal = torch.ones(length, length, dtype=torch.bool, device=sequences.device).tril()
        # Attend to earlier real items; every position also to itself, so padding rows are never empty.
        mask = (causal & (sequences > 0)[:, None, :]) | torch.eye(length, dtype=torch.bool, device=sequences.device)
        mask = mask.unsqueeze(1)
        for block in self.blocks:
            x = block(x, mask)
        return self.final_norm(x)

    def forward(
        self, sequences: torch.Tensor, targets: torch.Tensor, gaps: torch.Tensor | None = None, repeats: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Mean next-item cross-entropy over all real positions.

        Full softmax over every item, or with ``config.negatives`` a sampled
        softmax: each target against that many items drawn uniformly for the
        batch (a drawn item that is the target itself is masked), so the cost
        grows with the negatives, not with the catalog.
        """
        states = self.encode(sequences, gaps, repeats)
        real = targets > 0
        states, wanted = states[real], targets[real]
        vectors = self.item_vectors()
        if self.config.negatives is None or self.config.negatives >= self.config.n_items:
            return F.cross_entropy(states @ vectors[1:].T, wanted - 1)
        drawn = torch.randint(1, self.config.n_items + 1, (self.config.negatives,), device=states.device)
        positive = (states * vectors[wanted]).sum(-1, keepdim=True)
        negative = (states @ vectors[drawn].T).masked_fill(drawn[None, :] == wanted[:, None], float("-inf"))
        logits = torch.cat([positive, negative], dim=1)
        return F.cross_entropy(logits, torch.zeros(len(wanted), dtype=torch.long, device=states.device))

    @torch.no_grad()
    def score_sequences(self, sequences: torch.Tensor, gaps: torch.Tensor | None = None, repeats: torch.Tensor | None = None) -> torch.Tensor:
        """(batch, length) -> (batch, n_items) scores for the item after the last one."""
        states = self.encode(sequences, gaps, repeats)[:, -1]
        return states @ self.item_vectors()[1:].T


def pad_histories(histories: list[np.ndarray], max_len: int) -> np.ndarray:
    """The last ``max_len`` items of each history, shifted to 1-based ids, left-padded with 0."""
    return pad_with_features(histories, None, max_len)[0]


def pad_with_features(
    histories: list[np.ndarray], times: list[np.ndarray] | None, max_len: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left-padded (items + 1, gap buckets, repeat flags) of the last ``max_len`` items of each history.

    Features are computed on the whole history, so an item bought before the
    window still counts as a repeat.
    """
    length = max(1, min(max_len, max((len(h) for h in histories), default=1)))
    padded = np.zeros((3, len(histories), length), dtype=np.int64)
    for row, history in enumerate(histories):
        history = np.asarray(history, dtype=np.int64)
        if not len(history):
            continue
        gaps, repeats = sequence_features(history, None if times is None else times[row])
        n = min(length, len(history))
        padded[0, row, length - n :] = history[-n:] + 1
        padded[1, row, length - n :] = gaps[-n:]
        padded[2, row, length - n :] = repeats[-n:]
    return padded[0], padded[1], padded[2]


class SASRecRecommender:
    """A trained model with what serving needs: scoring histories, saving and loading."""

    def __init__(
        self, model: SASRec, item_keys: list[str] | None = None, device: str = "cpu", metadata: dict[str, Any] | None = None
    ) -> None:
        self.model = model.to(device)
        self.item_keys = item_keys
        self.device = device
        self.metadata = metadata or {}

    @property
    def n_items(self) -> int:
        return self.model.config.n_items

    def score(self, histories: list[np.ndarray], times: list[np.ndarray] | None = None) -> np.ndarray:
        """Scores of every item for each history (seen items are not masked here; the caller decides).

        ``times`` (epoch seconds per item) feed the time gaps of a model trained with them.
        """
        self.model.eval()
        padded = pad_with_features(histories, times, self.model.config.max_len)
        sequences, gaps, repeats = (torch.as_tensor(a, device=self.device) for a in padded)
        return self.model.score_sequences(sequences, gaps, repeats).float().cpu().numpy()

    def recommend(self, history: np.ndarray, k: int = 10, *, exclude_seen: bool = True) -> list[tuple[int, float]]:
        """The top ``k`` (item index, score) for one history."""
        scores = self.score([history])[0]
        if exclude_seen and len(history):
            scores[np.asarray(history, dtype=np.int64)] = -np.inf
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in top if np.isfinite(scores[i])]

    def save(self, folder: str | Path, metadata: dict[str, Any] | None = None) -> Path:
        """``model.pt`` (the state dict) and ``model.json`` (config, item keys, metadata)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        torch.save(self.model.state_dict(), folder / "model.pt")
        info = {
            "format": FORMAT_VERSION,
            "config": asdict(self.model.config),
            "item_keys": self.item_keys,
            "metadata": {**self.metadata, **(metadata or {})},
        }
        (folder / "model.json").write_text(json.dumps(info, indent=1, default=str), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, device: str = "cpu") -> SASRecRecommender:
        folder = Path(folder)
        try:
            info = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"No saved recommender in {folder} (model.json missing).") from exc
        if info.get("format") not in (1, FORMAT_VERSION):
            raise ValueError(f"Saved recommender format {info.get('format')!r} is not supported (expected {FORMAT_VERSION}).")
        config = dict(info["config"])
        if info["format"] == 1:  # saved before repeat flags: items and positions only
            config["repeat_flags"] = False
        model = SASRec(SASRecConfig(**config))
        model.load_state_dict(torch.load(folder / "model.pt", map_location="cpu", weights_only=True))
        return cls(model, info.get("item_keys"), device=device, metadata=info.get("metadata"))
