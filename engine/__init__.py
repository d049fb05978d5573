"""Models: load open_clip encoders, preprocess images, encode images and text."""

from engine import deferred_transformers, without_compiler

without_compiler.install()
deferred_transformers.install()
