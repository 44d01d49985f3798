import pytest

from ecom_ai_plugin.ml.device import is_valid_device
from tests.conftest import requires_models


@pytest.mark.parametrize("spec", ["auto", "cpu", "cuda", "cuda:0", "cuda:3"])
def test_valid_devices(spec):
    assert is_valid_device(spec)


@pytest.mark.parametrize("spec", ["gpu", "cuda:x", "", None, 0])
def test_invalid_devices(spec):
    assert not is_valid_device(spec)


@requires_models
def test_auto_picks_cuda_when_present_else_cpu():
    import torch

    from ecom_ai_plugin.ml.device import resolve_device, resolve_dtype

    device = resolve_device("auto")
    assert device == ("cuda:0" if torch.cuda.is_available() else "cpu")
    assert resolve_dtype("auto", "cpu") == torch.float32
    assert resolve_dtype("bfloat16", "cpu") == torch.bfloat16


@requires_models
def test_asking_for_a_missing_gpu_is_a_clear_error():
    import torch

    from ecom_ai_plugin.ml.device import resolve_device

    if torch.cuda.is_available():
        with pytest.raises(ValueError, match="does not exist"):
            resolve_device(f"cuda:{torch.cuda.device_count()}")
    else:
        with pytest.raises(ValueError, match="CUDA is not available"):
            resolve_device("cuda:0")
