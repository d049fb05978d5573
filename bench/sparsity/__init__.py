"""Dense vs sparse encoders side by side: speed, memory, file size and search quality.

    .venv/bin/python -m bench.sparsity [--quick] [--json] [--no-write]

Per model (ViT-B-32 and RN50 with random weights for speed; demo and demo-resnet when
their weights exist): the dense encoder, the ``--sparsity dynamic`` file and the
``--sparsity static`` file (magnitude pruning |w| < 1e-3, the comparison row). The dense
encoder is the product's, which truncates text exactly like every model does
(``engine.text_truncation``): the honest baseline, so the text speedup is only what the
sparse file adds beyond that.

* images/s: batches of 32 prepared images (real photos + rendered scenes), 2 threads;
* text queries/s: one query (<= 10 words) per call, as a search does;
* memory: peak RSS of a fresh process that loads the encoder (both towers) and encodes
  one image and one query, minus the same process's RSS after imports (the model's own
  memory); the whole-process ratio is reported beside it;
* file size: the ``.sparse`` file vs the dense fp32 weights;
* recall@10 on the demo held-out set (``bench.quality``), dense vs sparse;
* top-10 overlap on ``../shared/photos``: each text and image query ranks the photos with
  dense vectors and with sparse ones (both sides sparse, and dense library + sparse query).

Medians over repeats; dense and sparse are timed interleaved so load from other processes
hits both alike. Dynamic files are calibrated on rendered training-split scenes and a true
statement about each as a text query (never the held-out set, never the photos the overlap
is measured on).

Modules: ``inputs`` (photos, rendered scenes, queries), ``files`` (the ``.sparse`` files),
``measure`` (speed, overlap, held-out quality), ``memory`` (a fresh process per encoder),
``run`` (one model), ``report`` (the BENCHMARKS.md section), ``cli``.
"""
