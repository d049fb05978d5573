"""The good-match gate's null strings are encoded once per model and kept on disk: a second
search process encodes only its query and answers exactly as the first did."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
from cli_support import REPO, run_cli

from app.null_text_vectors import CACHE_ENV, FOLDER, NullTextVectors
from engine.encoder import ClipEncoder
from index.cutoff import NULL_QUERIES, null_texts

# The real CLI in a new process, with ClipEncoder.encode_texts counting the strings it
# encodes (printed to stderr at exit).
COUNTING_CLI = """
import atexit, sys
from engine.encoder import ClipEncoder
encoded = []
original = ClipEncoder.encode_texts
def counting(self, texts):
    encoded.extend(texts)
    return original(self, texts)
ClipEncoder.encode_texts = counting
atexit.register(lambda: print("ENCODED", len(encoded), file=sys.stderr))
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _search(library, cache, query: str) -> tuple[list, int]:
    env = {**os.environ, CACHE_ENV: str(cache), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", COUNTING_CLI, "--library", str(library), "search", query, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    counted = [line for line in proc.stderr.splitlines() if line.startswith("ENCODED ")]
    return json.loads(proc.stdout), int(counted[-1].split()[1])


def test_a_second_search_process_encodes_only_its_query(tmp_path, photos_dir):
    library, cache = tmp_path / "library", tmp_path / "cache"
    assert run_cli("index", str(photos_dir), "--model", "demo", library=library).returncode == 0

    first, first_encoded = _search(library, cache, "a cat")
    second, second_encoded = _search(library, cache, "a cat")

    assert first_encoded == NULL_QUERIES + 1
    assert second_encoded == 1
    assert second == first
    assert len(list((cache / FOLDER).glob("*.npz"))) == 1


class CountingEncoder:
    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self.encoded = 0

    def __getattr__(self, name):
        return getattr(self.encoder, name)

    def encode_texts(self, texts):
        self.encoded += len(texts)
        return self.encoder.encode_texts(texts)


def test_another_model_never_gets_the_cached_vectors_of_the_first(tmp_path):
    texts = null_texts()
    NullTextVectors(ClipEncoder("demo", towers=("text",)), tmp_path)(texts)
    other = CountingEncoder(ClipEncoder("demo-resnet", towers=("text",)))

    vectors = NullTextVectors(other, tmp_path)(texts)

    assert other.encoded == len(texts)
    np.testing.assert_array_equal(vectors, other.encoder.encode_texts(texts))


def test_changed_null_strings_are_encoded_anew(tmp_path):
    encoder = CountingEncoder(ClipEncoder("demo", towers=("text",)))
    NullTextVectors(encoder, tmp_path)(null_texts())

    changed = null_texts(seed=1)
    vectors = NullTextVectors(encoder, tmp_path)(changed)

    assert encoder.encoded == 2 * NULL_QUERIES
    np.testing.assert_array_equal(vectors, encoder.encoder.encode_texts(changed))


def test_a_damaged_cache_file_is_encoded_again(tmp_path):
    encoder = CountingEncoder(ClipEncoder("demo", towers=("text",)))
    texts = null_texts()
    expected = NullTextVectors(encoder, tmp_path)(texts)
    (cached,) = tmp_path.glob("*.npz")
    cached.write_bytes(cached.read_bytes()[:100])

    vectors = NullTextVectors(encoder, tmp_path)(texts)

    assert encoder.encoded == 2 * len(texts)
    np.testing.assert_array_equal(vectors, expected)
    np.testing.assert_array_equal(NullTextVectors(encoder, tmp_path)(texts), expected)
    assert encoder.encoded == 2 * len(texts)  # the file was written again
