"""A self-attentive sequential recommender (the SASRec family) in PyTorch.

A customer's items, oldest first, pass through causal self-attention blocks;
the state at each position scores every item as the next one. Item vectors
are shared between input and output, and can be seeded from the products'
text embeddings (a learned projection of them is added to each item's own
vector), so a product nobody has bought yet still has a sensible vector.

Sequences are left-padded with index 0, so real items are ``1..n_items``
inside the network and ``0..n_items-1`` outside it, like everywhere else in
``ml.recommender``.
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

FORMAT_VERSION = 1


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

    def __post_init__(self) -> None:
        if self.n_items < 1:
            raise ValueError("n_items must be at least 1.")
        if self.hidden % self.heads:
            raise ValueError(f"hidden ({self.hidden}) must be a multiple of heads ({self.heads}).")
        if self.max_len < 2:
            raise ValueError("max_len must be at least 2.")


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

    def encode(self, sequences: torch.Tensor) -> torch.Tensor:
        """(batch, length) padded item ids -> (batch, length, hidden) states; length ≤ max_len."""
        batch, length = sequences.shape
        items = self.item_vectors()
        x = F.embedding(sequences, items) * self.config.hidden**0.5
        x = x + self.position_embedding.weight[self.config.max_len - length :]
        x = self.embedding_dropout(x) * (sequences > 0).unsqueeze(-1)
        causal = torch.ones(length, length, dtype=torch.bool, device=sequences.device).tril()
        # Attend to earlier real items; every position also to itself, so padding rows are never empty.
        mask = (causal & (sequences > 0)[:, None, :]) | torch.eye(length, dtype=torch.bool, device=sequences.device)
        mask = mask.unsqueeze(1)
        for block in self.blocks:
            x = block(x, mask)
        return self.final_norm(x)

    def forward(self, sequences: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Mean next-item cross-entropy over all real positions (full softmax over items)."""
        states = self.encode(sequences)
        real = targets > 0
        logits = states[real] @ self.item_vectors()[1:].T
        return F.cross_entropy(logits, targets[real] - 1)

    @torch.no_grad()
    def score_sequences(self, sequences: torch.Tensor) -> torch.Tensor:
        """(batch, length) -> (batch, n_items) scores for the item after the last one."""
        states = self.encode(sequences)[:, -1]
        return states @ self.item_vectors()[1:].T


def pad_histories(histories: list[np.ndarray], max_len: int) -> np.ndarray:
    """The last ``max_len`` items of each history, shifted to 1-based ids, left-padded with 0."""
    length = max(1, min(max_len, max((len(h) for h in histories), default=1)))
    padded = np.zeros((len(histories), length), dtype=np.int64)
    for row, history in enumerate(histories):
        tail = np.asarray(history[-length:], dtype=np.int64)
        if len(tail):
            padded[row, length - len(tail) :] = tail + 1
    return padded


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

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        """Scores of every item for each history (seen items are not masked here; the caller decides)."""
        self.model.eval()
        sequences = torch.as_tensor(pad_histories(histories, self.model.config.max_len), device=self.device)
        return self.model.score_sequences(sequences).float().cpu().numpy()

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
        if info.get("format") != FORMAT_VERSION:
            raise ValueError(f"Saved recommender format {info.get('format')!r} is not supported (expected {FORMAT_VERSION}).")
        model = SASRec(SASRecConfig(**info["config"]))
        model.load_state_dict(torch.load(folder / "model.pt", map_location="cpu", weights_only=True))
        return cls(model, info.get("item_keys"), device=device, metadata=info.get("metadata"))
