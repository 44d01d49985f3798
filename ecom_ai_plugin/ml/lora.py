"""Low-rank adapters (LoRA) for a transformers model's linear layers.

Training a whole 135M-parameter generator on a shop's few hundred
descriptions would overfit and take hours on a CPU; a rank-8 update to the
attention projections learns the shop's wording from the same data in
minutes, and its file holds about 2 MB. An adapter is merged into
the weights before the model is quantised for serving, so it costs nothing
at generation time.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

ADAPTER_WEIGHTS = "adapter.safetensors"
ADAPTER_CONFIG = "adapter.json"


@dataclass(frozen=True)
class LoraConfig:
    rank: int = 8
    alpha: float = 16.0
    targets: tuple[str, ...] = ("q_proj", "v_proj")
    dropout: float = 0.05

    @property
    def scale(self) -> float:
        return self.alpha / self.rank


class LoraLinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update ``B @ A`` (B starts at zero: no change until trained)."""

    def __init__(self, base: nn.Linear, config: LoraConfig) -> None:
        super().__init__()
        self.base = base
        self.scale = config.scale
        self.lora_a = nn.Parameter(torch.empty(config.rank, base.in_features, dtype=base.weight.dtype))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, config.rank, dtype=base.weight.dtype))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.dropout = nn.Dropout(config.dropout)
        base.weight.requires_grad_(False)
        if base.bias is not None:
            base.bias.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.dropout(x) @ self.lora_a.T @ self.lora_b.T) * self.scale

    def merged(self) -> nn.Linear:
        """The base layer with the update folded into its weight."""
        with torch.no_grad():
            self.base.weight += (self.lora_b @ self.lora_a) * self.scale
        return self.base


def add_adapters(model: nn.Module, config: LoraConfig) -> list[str]:
    """Wrap every linear layer named in ``config.targets``; freeze everything else. Returns the wrapped names."""
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    wrapped = []
    for name, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            if child_name in config.targets and isinstance(child, nn.Linear):
                setattr(module, child_name, LoraLinear(child, config))
                wrapped.append(f"{name}.{child_name}" if name else child_name)
    if not wrapped:
        raise ValueError(f"The model has no linear layers named {', '.join(config.targets)}.")
    return wrapped


def adapter_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Only the adapters' weights: what a trained voice is."""
    return {name: tensor.detach().cpu().contiguous() for name, tensor in model.state_dict().items() if ".lora_" in name}


def merge_adapters(model: nn.Module) -> int:
    """Replace every :class:`LoraLinear` by its merged linear layer; the count merged."""
    count = 0
    for module in list(model.modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, LoraLinear):
                setattr(module, child_name, child.merged())
                count += 1
    return count


def save_adapter(model: nn.Module, folder: Path, config: LoraConfig, **info: Any) -> Path:
    """Write the adapter weights and their settings (rank, targets, what they were trained on) to ``folder``."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file(adapter_state(model), str(folder / ADAPTER_WEIGHTS))
    (folder / ADAPTER_CONFIG).write_text(json.dumps({"lora": {**asdict(config), "targets": list(config.targets)}, **info}, indent=2))
    return folder


def read_adapter_info(folder: Path) -> dict[str, Any]:
    return json.loads((folder / ADAPTER_CONFIG).read_text())


def apply_adapter(model: nn.Module, folder: Path) -> dict[str, Any]:
    """Load the adapter saved in ``folder`` into ``model`` and merge it; its settings are returned.

    Refuses an adapter whose layers the model lacks (trained on another base model).
    """
    from safetensors.torch import load_file

    info = read_adapter_info(folder)
    settings = info["lora"]
    config = LoraConfig(rank=int(settings["rank"]), alpha=float(settings["alpha"]), targets=tuple(settings["targets"]), dropout=0.0)
    add_adapters(model, config)
    weights = load_file(str(folder / ADAPTER_WEIGHTS))
    try:
        result = model.load_state_dict(weights, strict=False)
    except RuntimeError as exc:  # a tensor of another shape
        raise ValueError(f"The adapter in {folder} does not fit this model: {exc}") from exc
    missing = [name for name in result.missing_keys if ".lora_" in name]
    if missing or result.unexpected_keys:
        raise ValueError(f"The adapter in {folder} does not fit this model ({(missing or result.unexpected_keys)[0]}).")
    merge_adapters(model)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return info
