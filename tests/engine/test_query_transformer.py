"""The text query loop (engine.query_transformer): the same vectors as the query blocks it
runs (the last block on the pooled rows only, within 1e-5), on one intra-op thread when
the cores are busy, leaving torch's thread count as it was."""

from __future__ import annotations

import threading

import pytest
import torch

from engine import one_thread
from engine.encoder import ClipEncoder
from engine.fp16_weights import fp16_weight_matmul_is_available
from engine.query_transformer import QueryTransformer
from engine.text_truncation import encode_text

pytestmark = pytest.mark.skipif(
    not fp16_weight_matmul_is_available(), reason="no fp16-weight matmul in this torch"
)
QUERIES = ["a dog", "two red circles on a striped background", "the moon at night over a lake"]


@pytest.fixture
def two_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def _encoder(name: str) -> ClipEncoder:
    return ClipEncoder(name, "random", towers=("text",), device="cpu").load()


@pytest.mark.parametrize("name", ["ViT-B-32", "demo"])
@torch.inference_mode()
def test_the_query_loop_gives_its_blocks_vectors(name, two_threads):
    encoder = _encoder(name)
    loop = encoder.query_blocks
    assert isinstance(loop, QueryTransformer)
    tokens = encoder.tokenizer(QUERIES)
    for batch in (tokens, tokens[1:2]):  # a batch of three lengths, and one query
        fast = encode_text(encoder.model, batch, loop)
        blocks = encode_text(encoder.model, batch, loop.transformer)
        assert float((fast - blocks).abs().max()) <= 1e-5


@pytest.mark.parametrize("load, threads", [(9.0, 1), (0.3, 2)])
def test_a_query_runs_on_one_thread_only_when_the_cores_are_busy(
    two_threads, monkeypatch, load, threads
):
    monkeypatch.setattr(one_thread.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(one_thread.os, "cpu_count", lambda: 2)
    encoder = _encoder("demo")
    seen: list[int] = []
    hook = encoder.query_blocks._steps[0].ln_1
    encoder.query_blocks._steps[0].ln_1 = lambda x: seen.append(torch.get_num_threads()) or hook(x)
    encoder.encode_texts(QUERIES[:1])
    assert seen == [threads]
    assert torch.get_num_threads() == 2


def test_concurrent_queries_restore_the_thread_count(two_threads):
    encoder = _encoder("demo")
    encoder.encode_texts(QUERIES[:1])

    def search() -> None:
        for text in QUERIES * 20:
            encoder.encode_texts([text])

    workers = [threading.Thread(target=search) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert torch.get_num_threads() == 2
