"""Build a dense open_clip model from a :class:`ModelSpec`: its config, then its weights.

This is open_clip's ``create_model`` for the configs a spec carries, so no model config has
to be registered with open_clip first (the demo models and ``.sparse`` sources included).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import open_clip
import open_clip.model as open_clip_model
import torch
from open_clip.model import set_model_preprocess_cfg
from torch.overrides import TorchFunctionMode
from torch.utils.serialization import config as serialization_config

from engine import deferred_imports, without_compiler
from engine.errors import N_, ModelError, first_line
from engine.hub import HubFilesUnavailableError
from engine.hub_text import with_local_text_files
from engine.spec import RANDOM_SEED, ModelSpec
from engine.towers import TOWERS, keep_towers
from engine.weights import WeightsUnavailableError, resolve_tag

_LOCK = threading.Lock()
log = logging.getLogger("photosearch.engine")


def load_dense(spec: ModelSpec, towers: tuple[str, ...] = TOWERS) -> torch.nn.Module:
    """The model with its weights, fp32, in eval mode, keeping only ``towers``."""
    checkpoint = _checkpoint(spec)
    # the checkpoint sets every value (loaded strictly): drawing them first is wasted time
    overwritten = checkpoint is not None and not checkpoint.endswith(_PARTIAL_CHECKPOINTS)
    try:
        with torch.random.fork_rng(), _NoValuesDrawn() if overwritten else contextlib.nullcontext():
            torch.manual_seed(RANDOM_SEED)
            model = create(spec, meta_towers=unallocated_towers(towers, checkpoint is not None))
        if checkpoint is not None:
            with warnings.catch_warnings():  # an unwanted tower's values are dropped unread
                warnings.filterwarnings("ignore", message=".*to a meta parameter")
                _load_checkpoint(model, checkpoint)
    except (RuntimeError, ValueError, KeyError, TypeError, OSError) as exc:
        if checkpoint:
            raise ModelError(
                "cannot load weights file {path}: {error}", path=spec.weights, error=first_line(exc)
            ) from None
        raise ModelError(
            "cannot load model {model}: {error}", model=spec.arch, error=first_line(exc)
        ) from None
    model.eval().float()
    keep_towers(model, towers)
    return model


def _load_checkpoint(model: torch.nn.Module, checkpoint: str) -> None:
    """``open_clip.load_checkpoint`` with the file mapped rather than read into memory: a
    tower built on the meta device never reads its part, and the rest is copied into the
    model from the page cache (docs/BENCHMARKS.md, "Indexing with a weights file"). The
    parameters are copies, not the mapped pages: a weights file replaced while the model
    is in use must not change or break it."""
    try:
        with serialization_config.patch({"load.mmap": True}):
            open_clip.load_checkpoint(model, checkpoint)
    except RuntimeError as exc:
        if "mmap" not in str(exc):
            raise
        open_clip.load_checkpoint(model, checkpoint)  # torch's legacy format: read, as before


def unallocated_towers(wanted: tuple[str, ...], from_checkpoint: bool) -> tuple[str, ...]:
    """The towers a model can build without memory: those not wanted. open_clip builds the
    image tower first, so with random weights the text tower's values depend on the draws
    before it, and an unwanted image tower must still be built for real."""
    unwanted = tuple(tower for tower in TOWERS if tower not in wanted)
    return unwanted if from_checkpoint else tuple(t for t in unwanted if t == "text")


def create(spec: ModelSpec, *, meta_towers: tuple[str, ...] = ()) -> torch.nn.Module:
    """The untrained model with the spec's preprocessing values (initialised from torch's
    current random state, as ``open_clip.create_model`` does). ``meta_towers``: towers that
    get shapes but no memory (for a caller that drops them before use)."""
    try:
        config = with_local_text_files(spec.config, spec.name)
    except HubFilesUnavailableError as exc:
        raise ModelError.from_error(exc) from None
    model = None
    if meta_towers:
        try:
            with _LOCK, _towers_on_meta(meta_towers):
                model = build(config)
        except (RuntimeError, ValueError, TypeError):  # a tower that reads values as it builds
            model = None
    if model is None:
        model = build(config)
    set_model_preprocess_cfg(model, spec.preprocess_cfg)
    return model


def build(config: dict) -> torch.nn.Module:
    """An untrained model of this config (CLIP, or CustomTextCLIP for a custom text tower);
    base weights of timm or hub towers are never fetched: a checkpoint holds them all (a hub
    tower's config is, so its name must be a local folder: :mod:`engine.hub_text`)."""
    config = copy.deepcopy(config)
    text_cfg, vision_cfg = config.get("text_cfg", {}), config.get("vision_cfg", {})
    if "multimodal_cfg" in config:
        raise ModelError("captioning models (CoCa) are not supported")
    custom_text = config.pop("custom_text", False) or "hf_model_name" in text_cfg
    if "hf_model_name" in text_cfg:
        text_cfg["hf_model_pretrained"] = False
        deferred_imports.bind("transformers")
    if "timm_model_name" in vision_cfg:
        vision_cfg["timm_model_pretrained"] = False
        deferred_imports.bind("timm")
    model_class = open_clip.CustomTextCLIP if custom_text else open_clip.CLIP
    return model_class(**config)


_TOWER_BUILDERS = {"image": "_build_vision_tower", "text": "_build_text_tower"}


@contextlib.contextmanager
def _towers_on_meta(towers: tuple[str, ...]) -> Iterator[None]:
    """open_clip builds both towers in its constructor; this builds ``towers`` on the meta
    device (checkpoint loading still sees their shapes). Callers hold ``_LOCK``."""
    originals = {name: getattr(open_clip_model, _TOWER_BUILDERS[name]) for name in towers}

    def built_on_meta(original):
        def build_on_meta(*args, **kwargs):
            with on_meta():
                return original(*args, **kwargs)

        return build_on_meta

    for name, original in originals.items():
        setattr(open_clip_model, _TOWER_BUILDERS[name], built_on_meta(original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(open_clip_model, _TOWER_BUILDERS[name], original)


@contextlib.contextmanager
def on_meta() -> Iterator[None]:
    """Build modules on the meta device (shapes, no memory), importing nothing more."""
    with torch.device("meta"), without_compiler.stand_ins(), _NoValuesOnMeta():
        yield


class _NoValuesOnMeta(TorchFunctionMode):
    """Meta tensors have no values, so none are drawn: filling one returns it as it is, a
    random one is an empty one. torch's meta kernels for these are Python code that imports
    sympy (34 MB) and the compiler (engine/without_compiler.py) for nothing."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _RANDOM_TENSORS and torch.device(kwargs.get("device", "meta")).type == "meta":
            return _empty(args, kwargs)
        tensor = args[0] if args else kwargs.get("tensor")
        filling = func in _VALUE_FILLS or _is_init(func)
        if filling and isinstance(tensor, torch.Tensor) and tensor.is_meta:
            return tensor
        return func(*args, **kwargs)


class _NoValuesDrawn(TorchFunctionMode):
    """A model whose checkpoint sets all its values gets none drawn first: ``torch.nn.init``
    leaves a tensor as it is and a random tensor is an empty one (about 0.5 s for a
    ViT-B-32 text tower, docs/BENCHMARKS.md). Values computed otherwise (a causal mask,
    which is no parameter and not in the checkpoint) are computed as always."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _RANDOM_TENSORS:
            return _empty(args, kwargs)
        tensor = args[0] if args else kwargs.get("tensor")
        if _is_init(func) and isinstance(tensor, torch.Tensor):
            return tensor
        return func(*args, **kwargs)


def _empty(args: tuple, kwargs: dict) -> torch.Tensor:
    """``torch.randn``/``torch.rand``'s tensor with no values drawn."""
    kept = {k: v for k, v in kwargs.items() if k in ("dtype", "device", "requires_grad")}
    return torch.empty(*args, **kept)


def _is_init(func) -> bool:
    return getattr(func, "__module__", None) == "torch.nn.init"


_RANDOM_TENSORS = frozenset((torch.randn, torch.rand))
_PARTIAL_CHECKPOINTS = (".npz", ".npy")  # open_clip converts these, not loading strictly
# in-place methods that change a tensor's values only, never its shape or dtype
_VALUE_FILLS = frozenset(
    getattr(torch.Tensor, name)
    for name in ("normal_", "uniform_", "fill_", "zero_", "triu_", "tril_", "erfinv_", "clamp_")
)


def _checkpoint(spec: ModelSpec) -> str | None:
    if spec.is_random:
        log.warning(
            N_("warning: %s with random weights: results are meaningless (tests only)"), spec.arch
        )
        return None
    if Path(spec.weights).is_file():
        return spec.weights
    try:
        path, _ = resolve_tag(spec.arch, spec.weights)
    except WeightsUnavailableError as exc:
        raise ModelError.from_error(exc) from None
    return str(path)
