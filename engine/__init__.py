"""Models: load open_clip encoders, preprocess images, encode images and text."""

from engine import without_compiler

without_compiler.install()
