"""The settings that decide which computation a sparse model skips."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

MODES = ("dynamic", "static", "none")


@dataclass
class SparsitySettings:
    """Stored in the ``.sparse`` file; every field has a safe default."""

    mode: str = "dynamic"
    # ViT: after block ``vit_prune_after`` keep the top ``vit_keep_ratio`` of patch tokens by
    # the class token's attention (1.0 = off)
    vit_keep_ratio: float = 1.0
    vit_prune_after: int = 2
    # ResNet: images whose detail score is below the threshold run at ``resnet_low_size``
    resnet_low_size: int = 0
    resnet_detail_threshold: float = 0.0
    # engineering (not sparsity): int8 weights for transformer Linear layers (dynamic
    # activation quantization), bf16 channels-last ResNet, fp16 token embedding
    int8_linear: bool = True
    bf16_resnet: bool = True
    fp16_embedding: bool = True
    # the seed's activation gating (0 = off; measured slower on dense CPU GEMM)
    gate_threshold: float = 0.0
    # static magnitude pruning threshold (mode "static" only)
    static_threshold: float = 1e-3

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"sparsity mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if not 0.0 < self.vit_keep_ratio <= 1.0:
            raise ValueError("vit_keep_ratio must be in (0, 1]")

    @property
    def dynamic(self) -> bool:
        return self.mode == "dynamic"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SparsitySettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def for_mode(cls, mode: str) -> SparsitySettings:
        """Defaults per mode: ``static`` and ``none`` compute densely in fp32."""
        if mode == "dynamic":
            return cls(mode=mode, vit_keep_ratio=0.5)
        return cls(
            mode=mode,
            int8_linear=False,
            bf16_resnet=False,
            fp16_embedding=False,
        )
