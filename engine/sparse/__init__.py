"""Dynamic sparsification of open_clip encoders and the ``.sparse`` model file.

Modules, one job each:

- :mod:`settings`  the sparsity settings stored in a ``.sparse`` file
- :mod:`blocks`    a transformer block with fused qkv, optional int8 weights and gating
- :mod:`vit`       ViT token pruning from the class token's attention
- :mod:`resnet`    ModifiedResNet: fused conv+bn, bf16 channels-last, adaptive resolution
- :mod:`gating`    the seed's activation gating delta(a)*a (measured, off by default)
- :mod:`static`    static magnitude pruning and CSR storage
- :mod:`model`     :class:`SparseCLIP`, the wrapper the encoder calls
- :mod:`fileformat` save/load of the ``.sparse`` file
- :mod:`calibrate` calibration of keep ratios on a folder of photos
- :mod:`convert`   source parsing and the convert pipeline
"""

from engine.sparse.settings import SparsitySettings

SPARSE_SUFFIX = ".sparse"

__all__ = ["SPARSE_SUFFIX", "SparsitySettings"]
