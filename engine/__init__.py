"""Models: load open_clip encoders, preprocess images, encode images and text."""

from engine import torchvision_import

torchvision_import.install()
