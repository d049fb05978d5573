"""A model with its own towers starts without importing transformers or timm (about a
second of every cold start); a multilingual model's hub text tower and a timm image tower,
loaded afterwards in the same process, still get them and give their vectors."""

from __future__ import annotations

import numpy as np
import pytest
from cli_support import SHARED_PHOTOS, python_facts
from hub_cache_support import use_cache

PHOTO = SHARED_PHOTOS / "skimage_coffee.png"
ENCODE = """
import json, sys
from engine.encoder import ClipEncoder
from engine.images import load_image
ClipEncoder("demo", towers=("text",)).encode_texts(["a dog"])
ClipEncoder("ViT-B-32", "random", towers=("text",)).encode_texts(["a dog"])
ClipEncoder("demo", towers=("image",)).encode_images([load_image(sys.argv[1])])
facts = {"imported": sorted({"transformers", "timm"} & set(sys.modules))}
hub = ClipEncoder("xlm-roberta-base-ViT-B-32", towers=("text",)).encode_texts(["海边的狗"])
timm = ClipEncoder("convnext_tiny", "random", towers=("image",))
facts["hub_vector"] = hub[0].tolist()
facts["timm_vector"] = timm.encode_images([load_image(sys.argv[1])])[0].tolist()
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def facts(multilingual_hub) -> dict:
    with pytest.MonkeyPatch.context() as patch:
        use_cache(patch, multilingual_hub[0])
        return python_facts(ENCODE, str(PHOTO))


def test_models_with_their_own_towers_import_neither_transformers_nor_timm(facts):
    assert facts["imported"] == []


def test_a_hub_text_tower_loaded_later_in_the_process_gives_its_vectors(
    facts, multilingual_hub, monkeypatch
):
    from engine.encoder import ClipEncoder

    use_cache(monkeypatch, multilingual_hub[0])
    here = ClipEncoder("xlm-roberta-base-ViT-B-32", towers=("text",)).encode_texts(["海边的狗"])
    np.testing.assert_allclose(np.array(facts["hub_vector"]), here[0], atol=1e-5)


def test_a_timm_image_tower_loaded_later_in_the_process_gives_its_vectors(facts):
    from engine.encoder import ClipEncoder
    from engine.images import load_image

    here = ClipEncoder("convnext_tiny", "random", towers=("image",))
    vector = here.encode_images([load_image(PHOTO)])[0]
    np.testing.assert_allclose(np.array(facts["timm_vector"]), vector, atol=1e-5)
