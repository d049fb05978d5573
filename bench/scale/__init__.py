"""A million photos: recall, latency, memory and build time of the product's vector search.

    python -m bench.scale [--n N] [--json] [--model NAME ...] [--weights W]
    python -m bench.scale --sweep [--sweep-n 100000]      # M / ef_construction / ef grid

Vectors: the chosen model encodes real photos (``../shared/photos`` plus rendered demo
scenes, each with random crops/flips/brightness), a Gaussian with the fitted mean and
low-rank covariance (top principal components + isotropic residual) is sampled and every
sample normalised. Queries are 1,000 more samples, never inserted (held out).

The library is built with the product's own classes: ``VectorStore.add`` in batches
from an empty store (so capacity grows x1.2 as it would for a growing library) and a
``Catalog`` with N rows. Queries run ``SearchService.by_text`` itself (encode the text with
the product's text encoder, knn, catalog lookup); the encoder is wrapped to time the encode
stage apart. Everything built is cached under the user's cache dir.

Modules: ``vectors`` (the fitted distribution and its samples), ``recall`` (exact ground
truth, the ef curve), ``build`` (library), ``queries`` (the product path against an exact
scan), ``run`` (one model; the sweep), ``report`` (tables), ``cli``.
"""
