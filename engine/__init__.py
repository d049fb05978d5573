"""Models: load open_clip encoders, preprocess images, encode images and text."""
