"""The store's copy voice: training pairs from the shop, a tiny real training run, switching it on and off."""
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job, ModelVersion, ModelVersionStatus
from ecom_ai_plugin.services.copy import voice as copy_voice
from ecom_ai_plugin.services.copy.voice import CopyVoiceError, CopyVoiceOptions, copy_generator, training_pairs
from ecom_ai_plugin.services.model_versions import artifact_folder
from tests.conftest import requires_models
from tests.factories import make_product

DESCRIPTIONS = [
    "Our grinder is a sturdy little thing, lovingly made for slow Sunday mornings and the smell of fresh beans.",
    "Our kettle is a sturdy little thing, lovingly made for slow Sunday mornings and a gooseneck pour.",
    "Our dripper is a sturdy little thing, lovingly made for slow Sunday mornings and one good cup.",
    "Our scale is a sturdy little thing, lovingly made for slow Sunday mornings and exact doses.",
    "Our mug is a sturdy little thing, lovingly made for slow Sunday mornings and second cups.",
    "Our filter papers are a sturdy little thing, lovingly made for slow Sunday mornings and clean brews.",
]


def voice(value: str):
    return override_settings(ECOM_AI={**settings.ECOM_AI, "COPY": {**settings.ECOM_AI.get("COPY", {}), "VOICE": value}})


def shop(count: int = len(DESCRIPTIONS)) -> list:
    return [
        make_product(f"Hillside {description.split()[1].title()} No. {index}", category="Coffee & Tea", attributes={"Material": "steel"}, description=description)
        for index, description in enumerate(DESCRIPTIONS[:count])
    ]


@pytest.mark.django_db
def test_pairs_are_the_generation_prompt_without_the_description_and_the_human_description():
    products = shop()
    make_product("Placeholder Jar", description="TBC")
    published = make_product("Machine Written Tray", description="The Machine Written Tray is a tray made of steel for your coffee corner.")
    ContentDraft.objects.create(product_key=str(published.pk), kind="long_description", text=published.description, status=DraftStatus.PUBLISHED)

    pairs = training_pairs()
    assert sorted(p.product_key for p in pairs) == sorted(str(p.pk) for p in products)
    pair = next(p for p in pairs if p.product_key == str(products[0].pk))
    assert pair.description == DESCRIPTIONS[0]
    prompt = "\n".join(m["content"] for m in pair.messages)
    assert products[0].name in prompt and "Material: steel" in prompt
    assert "Sunday" not in prompt


@pytest.mark.django_db
def test_too_few_descriptions_refuse_before_any_version_exists():
    shop(2)
    with pytest.raises(CopyVoiceError, match="Only 2 products"):
        copy_voice.train_copy_voice(CopyVoiceOptions(max_steps=1))
    assert not ModelVersion.objects.filter(kind="copy_voice").exists()


@pytest.mark.parametrize(
    "params, message",
    [({"rank": 0}, "rank"), ({"rank": 65}, "rank"), ({"max_steps": 0}, "max_steps"), ({"learning_rate": -1}, "learning_rate"), ({"max_seconds": "x"}, "max_seconds")],
)
def test_bad_options_are_refused_with_the_field_named(params, message):
    with pytest.raises(ValueError, match=message):
        copy_voice.params_from_options(params)


@pytest.mark.django_db
def test_bad_command_options_are_a_command_error_and_queue_nothing():
    with pytest.raises(CommandError, match="rank"):
        call_command("ecom_ai_train", "copy_voice", "--rank", "0", "--async", stdout=io.StringIO())
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_async_training_queues_a_copy_voice_job():
    out = io.StringIO()
    call_command("ecom_ai_train", "copy_voice", "--async", "--max-steps", "2", stdout=out)
    job = Job.objects.get()
    assert job.kind == "train_copy_voice" and job.params["max_steps"] == 2
    assert f"Queued job {job.pk}" in out.getvalue()


def test_the_voice_setting_is_checked():
    from tests.services.copy.test_generation import check_ids

    assert "ecom_ai_plugin.E009" in check_ids(COPY={"VOICE": "loud"})
    assert "ecom_ai_plugin.E009" not in check_ids(COPY={"VOICE": "active"})


@requires_models
@pytest.mark.django_db
def test_a_trained_voice_is_saved_loaded_and_used_only_when_switched_on():
    import torch

    from ecom_ai_plugin.ml.registry import get_model
    from ecom_ai_plugin.services.copy.generation import CopyRequest, generate_copy

    products = shop()
    out = io.StringIO()
    call_command("ecom_ai_train", "copy_voice", "--max-steps", "3", "--learning-rate", "0.005", "--no-progress", stdout=out, stderr=io.StringIO())
    version = ModelVersion.objects.get(kind="copy_voice")
    assert version.status == ModelVersionStatus.READY and version.is_active  # the first ready version of its kind
    assert version.metrics["steps"] == 3
    assert version.metrics["held_out_loss_before"] > 0 and version.metrics["held_out_loss_after"] > 0
    assert version.data_summary["train"] + version.data_summary["held_out"] == len(products)
    assert f"loss {version.metrics['held_out_loss_before']} before" in out.getvalue() and "Trained copy_voice v1." in out.getvalue()
    assert sorted(p.name for p in artifact_folder(version).iterdir()) == ["adapter.json", "adapter.safetensors"]

    plain = get_model("generation")
    with voice("none"):
        assert copy_generator() is plain
    with voice("active"):
        voiced = copy_generator()
        assert voiced is not plain and copy_generator() is voiced  # loaded once
        assert voiced.revision.endswith("+copy_voice-v1")
        ids = plain.tokenizer("Our grinder is a sturdy little thing", return_tensors="pt")["input_ids"]
        with torch.no_grad():
            base_p = torch.softmax(plain.model(input_ids=ids).logits[0], -1)
            voiced_p = torch.softmax(voiced.model(input_ids=ids).logits[0], -1)
        assert float((base_p * (base_p.log() - voiced_p.log())).sum(-1).mean()) > 1e-3
        result = generate_copy(str(products[0].pk), CopyRequest(kind="short_description", candidates=1))
        assert result.model_revision.endswith("+copy_voice-v1")
    with voice("none"):
        assert not generate_copy(str(products[0].pk), CopyRequest(kind="short_description", candidates=1)).model_revision.endswith("+copy_voice-v1")


@requires_models
@pytest.mark.django_db
def test_a_voice_whose_files_are_gone_falls_back_to_the_plain_generator(caplog):
    from ecom_ai_plugin.ml.registry import get_model

    version = ModelVersion.objects.create(kind="copy_voice", version=7, status=ModelVersionStatus.READY, is_active=True, artifact_path="copy_voice/missing")
    with voice("active"):
        assert copy_generator() is get_model("generation")
    assert str(version) in caplog.text


@requires_models
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_trains_a_voice_with_progress(start_worker):
    from ecom_ai_plugin import jobs
    from ecom_ai_plugin.models import JobStatus
    from tests.conftest import wait_for_job

    shop()
    worker = start_worker()
    job = jobs.enqueue("train_copy_voice", target_type="model", target_id="copy_voice", params={"max_steps": 2, "max_seconds": 60})
    assert job.queue == "ecom_ai_gpu"
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=180, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    version = ModelVersion.objects.get(kind="copy_voice")
    assert version.job_id == job.pk and job.result["version"] == version.version and job.result["steps"] == 2
    assert job.progress_done == job.progress_total == 2
    assert (artifact_folder(version) / "adapter.safetensors").exists()
