"""Training the demo CLIPs on freshly rendered scenes (contrastive, multi-positive).

Every batch is rendered from its own seed (``TRAIN_STREAM``, see
``engine.demo.scenes.split``), so the data order is fixed and independent of worker timing.
A batch holds families of scenes that differ in one described attribute (hard negatives),
one true statement per scene, and the targets are every image/text pair in the batch for
which the statement holds (so "a red circle" is a positive for all red-circle images of the
batch, not just the one it was written for).

Which way round two objects are needs more than that (see ``layout_probe``): half the pair
scenes come with their mirror-image twin, every pair with false statements that name both of
its objects (``relation_near_misses``), and the image embedding must also say, through a
linear probe, which object is left/right or above/below, the background and the arrangement.

Images are rendered at a square size near twice the model's input and passed through the
model's own open_clip preprocess, which is what the product does to the central square of a
decoded photo.

The ViT learns from the trained ResNet (see ``distiller``) and, beyond the batch's own
statements, from a fixed bank of every object phrase and colour-shape relation (``bank``):
it ranks them as the ResNet does (``rank_distillation``) and as the scene's truth says
(``multi_positive_loss`` over the bank). A ViT learns small shapes slowly; these dense,
exact targets are what let it get far in the time budget. Small batches (64) help it for
the same reason: at equal compute, more optimizer steps.

Modules: ``schedule`` (settings per architecture), ``batches`` (the rendered data),
``layout_probe``, ``bank``, ``losses``, ``distiller`` and ``loop`` (``train``). The command
line is ``python -m engine.demo.train``.
"""
