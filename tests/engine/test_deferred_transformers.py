"""A model with its own text tower starts without importing transformers (about a second
of every cold start); a multilingual model's hub text tower, loaded afterwards in the same
process, still gets it and gives its vectors."""

from __future__ import annotations

import numpy as np
import pytest
from cli_support import python_facts
from hub_cache_support import use_cache

ENCODE = """
import json, sys
import numpy as np
from engine.encoder import ClipEncoder
ClipEncoder("demo", towers=("text",)).encode_texts(["a dog"])
ClipEncoder("ViT-B-32", "random", towers=("text",)).encode_texts(["a dog"])
facts = {"imported_for_clip": "transformers" in sys.modules}
vectors = ClipEncoder("xlm-roberta-base-ViT-B-32", towers=("text",)).encode_texts(["海边的狗"])
facts["hub_vector"] = vectors[0].tolist()
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def facts(multilingual_hub) -> dict:
    with pytest.MonkeyPatch.context() as patch:
        use_cache(patch, multilingual_hub[0])
        return python_facts(ENCODE)


def test_a_model_with_its_own_text_tower_never_imports_transformers(facts):
    assert facts["imported_for_clip"] is False


def test_a_hub_text_tower_loaded_later_in_the_process_gives_its_vectors(
    facts, multilingual_hub, monkeypatch
):
    from engine.encoder import ClipEncoder

    use_cache(monkeypatch, multilingual_hub[0])
    here = ClipEncoder("xlm-roberta-base-ViT-B-32", towers=("text",)).encode_texts(["海边的狗"])
    np.testing.assert_allclose(np.array(facts["hub_vector"]), here[0], atol=1e-5)
