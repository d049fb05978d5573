"""The encoder: open_clip's own preprocessing, unit vectors, weights from files, offline."""

from __future__ import annotations

import numpy as np
import open_clip
import pytest
import torch
from cli_support import SHARED_PHOTOS
from PIL import Image

from engine.encoder import ClipEncoder
from engine.errors import ModelError
from engine.images import load_image
from engine.registry import parse_source


@pytest.fixture(scope="module")
def vit() -> ClipEncoder:
    return ClipEncoder("ViT-B-32", "random").load()


def test_preprocessing_equals_open_clips_own_transform(vit):
    _, _, reference = open_clip.create_model_and_transforms("ViT-B-32")
    path = SHARED_PHOTOS / "skimage_chelsea.png"
    ours = vit.prepare(load_image(path, min_side=vit.image_size))
    theirs = reference(Image.open(path))
    assert torch.equal(ours, theirs)


def test_draft_decoded_jpeg_stays_close_to_full_decode(vit):
    path = SHARED_PHOTOS / "sklearn_china.jpg"
    full = vit.prepare(load_image(path))
    draft = vit.prepare(load_image(path, min_side=vit.image_size))
    assert (full - draft).abs().mean() < 0.05


def test_vectors_are_unit_float32_and_deterministic(vit):
    images = [load_image(SHARED_PHOTOS / n) for n in ("skimage_coffee.png", "skimage_rocket.jpg")]
    a = vit.encode_images(images)
    b = ClipEncoder("ViT-B-32", "random").encode_images(images)
    assert a.dtype == np.float32 and a.shape == (2, 512)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(a, b, atol=1e-5)  # random weights are seeded: same across runs
    t = vit.encode_texts(["a cat", "a rocket launch"])
    assert t.shape == (2, 512)
    np.testing.assert_allclose(np.linalg.norm(t, axis=1), 1.0, atol=1e-5)


def test_checkpoint_file_loads_back_with_identical_embeddings(vit, tmp_path):
    checkpoint = tmp_path / "vit-b-32-finetuned.pt"
    state = {
        k: v + 0.01 * torch.randn_like(v) if v.is_floating_point() else v
        for k, v in vit.model.state_dict().items()
    }
    torch.save(state, checkpoint)
    loaded = ClipEncoder("ViT-B-32", str(checkpoint))
    assert loaded.model_id.startswith("ViT-B-32:file-")
    image = load_image(SHARED_PHOTOS / "skimage_astronaut.png")
    vit.model.load_state_dict(state)
    try:
        np.testing.assert_allclose(
            loaded.encode_images([image]), vit.encode_images([image]), atol=1e-5
        )
    finally:
        vit._model = None  # the fixture's weights were changed: reload next time


@pytest.mark.parametrize("arch", ["ViT-B-32", "RN50"])
def test_a_weights_file_gives_its_models_vectors_for_each_tower_alone(arch, tmp_path):
    source = ClipEncoder(arch, "random").load()
    checkpoint = tmp_path / f"{arch}.pt"
    torch.save(source.model.state_dict(), checkpoint)
    image = load_image(SHARED_PHOTOS / "skimage_astronaut.png")
    texts = ClipEncoder(arch, str(checkpoint), towers=("text",)).encode_texts(["a horse"])
    images = ClipEncoder(arch, str(checkpoint), towers=("image",)).encode_images([image])
    np.testing.assert_allclose(texts, source.encode_texts(["a horse"]), atol=1e-6)
    np.testing.assert_allclose(images, source.encode_images([image]), atol=1e-6)


def test_a_weights_file_in_torchs_legacy_format_still_loads(tmp_path):
    source = ClipEncoder("demo", "random").load()
    checkpoint = tmp_path / "demo-legacy.pt"  # cannot be mapped: read as a whole
    torch.save(source.model.state_dict(), checkpoint, _use_new_zipfile_serialization=False)
    loaded = ClipEncoder("demo", str(checkpoint), towers=("text",))
    np.testing.assert_allclose(
        loaded.encode_texts(["a red circle"]), source.encode_texts(["a red circle"]), atol=1e-6
    )


def test_rn50_encodes_images_and_text():
    enc = ClipEncoder("RN50", "random")
    v = enc.encode_images([load_image(SHARED_PHOTOS / "skimage_horse.png")])
    assert v.shape == (1, 1024)
    assert enc.encode_texts(["a horse"]).shape == (1, 1024)


def test_only_the_needed_tower_is_kept():
    text_only = ClipEncoder("ViT-B-32", "random", towers=("text",))
    assert text_only.encode_texts(["a dog"]).shape == (1, 512)
    assert text_only.model.visual is None
    image_only = ClipEncoder("ViT-B-32", "random", towers=("image",)).load()
    assert image_only.model.transformer is None


def test_unavailable_weights_fail_at_once_naming_model_and_tag(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    import huggingface_hub.constants as hub_constants

    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(ModelError) as err:
        ClipEncoder("RN50", "openai").load()
    message = str(err.value)
    assert "RN50" in message and "openai" in message and "--weights" in message


def test_bad_model_names_and_missing_files_are_clear():
    with pytest.raises(ModelError, match="unknown model"):
        parse_source("ViT-Nope", None)
    with pytest.raises(ModelError, match="not found"):
        parse_source("ViT-B-32", "/no/such/file.pt")
    with pytest.raises(ModelError, match="unknown weights"):
        ClipEncoder("ViT-B-32", "no-such-tag").load()


def _devices_built_on(monkeypatch, builder: str) -> list[str]:
    """The device of each tower open_clip's ``builder`` makes from now on (filled as it runs)."""
    import open_clip.model

    built_on = []
    original = getattr(open_clip.model, builder)

    def recording(*args, **kwargs):
        tower = original(*args, **kwargs)
        built_on.append(next(tower.parameters()).device.type)
        return tower

    monkeypatch.setattr(open_clip.model, builder, recording)
    return built_on


def test_a_text_only_model_from_a_checkpoint_never_allocates_its_image_tower(monkeypatch):
    built_on = _devices_built_on(monkeypatch, "_build_vision_tower")
    ClipEncoder("demo", towers=("text",)).load()  # the demo model's weights are a file
    assert built_on == ["meta"]


def test_an_image_only_model_never_allocates_its_text_tower(vit, monkeypatch):
    built_on = _devices_built_on(monkeypatch, "_build_text_tower")
    image_only = ClipEncoder("ViT-B-32", "random", towers=("image",))
    images = [load_image(SHARED_PHOTOS / "skimage_coffee.png")]
    vectors = image_only.encode_images(images)
    assert built_on == ["meta"]  # random weights: the image tower's draws come first
    np.testing.assert_array_equal(vectors, vit.encode_images(images))


def test_a_text_only_model_encodes_texts_like_the_full_model():
    texts = ["a dog on the beach", "two red cars"]
    text_only = ClipEncoder("demo", towers=("text",)).encode_texts(texts)
    np.testing.assert_allclose(text_only, ClipEncoder("demo").encode_texts(texts), atol=1e-6)
