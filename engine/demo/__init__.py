"""Offline demo assets: procedural captioned scenes and the project's small trained CLIP models."""
