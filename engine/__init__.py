"""Models: load open_clip encoders, preprocess images, encode images and text."""

from engine import deferred_imports, without_compiler

without_compiler.install()
deferred_imports.install()
