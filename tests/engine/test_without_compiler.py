"""An encoding process never imports torch's compiler (``torch._dynamo``: about 150 MB of
memory and seconds of start-up), yet whoever asks for it later gets the real one."""

from __future__ import annotations

import pytest
from cli_support import SHARED_PHOTOS, python_facts

ENCODE = """
import json, sys
from engine.encoder import ClipEncoder
from engine.images import load_image
photo = load_image(sys.argv[1])
ClipEncoder("demo", towers=("image",)).encode_images([photo])  # text tower on meta
ClipEncoder("demo", towers=("text",)).encode_texts(["a dog"])  # image tower on meta
ClipEncoder("ViT-B-32", "random", towers=("image",)).encode_images([photo])
facts = {"dynamo_imported": "torch._dynamo" in sys.modules}
import torch, torchvision.ops
boxes = torch.tensor([[0, 0, 0, 8, 8.0]])
torchvision.ops.roi_align(torch.rand(1, 3, 16, 16), boxes, 2)  # calls a dynamo function
import torch._dynamo
facts["real_dynamo"] = hasattr(torch._dynamo, "optimize") and hasattr(torch._dynamo, "reset")
compiled = torch.compile(lambda x: torch.nn.functional.gelu(x) * 2, backend="eager")
facts["compiles"] = bool(torch.allclose(compiled(boxes), torch.nn.functional.gelu(boxes) * 2))
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def facts() -> dict:
    return python_facts(ENCODE, str(SHARED_PHOTOS / "skimage_coffee.png"))


def test_encoding_images_and_texts_never_imports_the_compiler(facts):
    assert facts["dynamo_imported"] is False


def test_the_real_compiler_is_there_for_whoever_asks_later(facts):
    assert facts["real_dynamo"] is True


def test_torch_compile_still_works_after_encoding(facts):
    assert facts["compiles"] is True
