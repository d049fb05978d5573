"""Encoding in a thread (the window's and ``watch``'s indexing) does nothing that holds
Python's GIL for long and so stalls the process's other threads: its first encode imports no
compiler, and the cyclic GC's full collections leave out the model code's long-lived
objects, while a dropped model is still freed."""

from __future__ import annotations

import pytest
from cli_support import SHARED_PHOTOS, python_facts

HEAVY = ("torch._dynamo", "torch._inductor", "sympy")
PROCESS = """
import gc, json, sys, threading, weakref
from engine.encoder import ClipEncoder
from engine.images import load_image

photo = load_image(sys.argv[1])
encoder = ClipEncoder("demo").load()
before = set(sys.modules)


def first_encode():
    encoder.encode_images([photo])
    encoder.encode_texts(["a dog"])


thread = threading.Thread(target=first_encode)
thread.start()
thread.join()
facts = {
    "imported": sorted(set(sys.modules) - before),
    "traversed": len(gc.get_objects()),  # what a full collection goes through
}
model = weakref.ref(encoder.model)
del encoder
gc.collect()
facts["model_freed"] = model() is None
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def facts() -> dict:
    return python_facts(PROCESS, str(SHARED_PHOTOS / "skimage_coffee.png"))


def test_a_first_encode_in_a_thread_imports_no_compiler(facts):
    assert not [name for name in facts["imported"] if name.startswith(HEAVY)]


def test_a_full_collection_leaves_out_the_model_code(facts):
    # torch and open_clip alone are more than 250,000 objects
    assert facts["traversed"] < 50_000


def test_a_dropped_model_is_still_freed(facts):
    assert facts["model_freed"] is True
