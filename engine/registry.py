"""Every model source photosearch knows, parsed by one function and listed by another.

A source is what ``--model`` (and ``model convert --input``) takes:

- ``ARCH``: an open_clip architecture with its default pretrained tag; ``--weights`` (or
  ``ARCH:WEIGHTS``) names another tag, a checkpoint file, or ``random``;
- ``demo``, ``demo-resnet``: the project's small CLIPs (config in ``engine/model_configs``,
  weights shipped in ``assets/models``);
- ``path/to/x.sparse``: a file made by ``photosearch model convert`` (config inside).

New kinds of source (a hub tokenizer, a local folder with its own config, another model
family) are a ``SCHEME:`` entry in :data:`SCHEMES`, as in open_clip's ``parse_model_name``.
open_clip is imported only where an architecture is looked up (see :mod:`engine.spec`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from engine.errors import N_, UNKNOWN_TAG, ModelError
from engine.sparse import SPARSE_SUFFIX
from engine.spec import RANDOM, SPARSE_FILE, ModelSpec

WEIGHTS_NOT_FOUND = N_("weights file not found: {path}")
DEFAULT_MODEL = "ViT-B-32"
DEFAULT_TAG = "laion2b_s34b_b79k"
CONFIG_DIR = Path(__file__).resolve().parent / "model_configs"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


class DemoModel(NamedTuple):
    arch: str  # the open_clip config's name (engine/model_configs/ARCH.json)
    weights: Path  # shipped in assets/models
    description: str

    @property
    def config_file(self) -> Path:
        return CONFIG_DIR / f"{self.arch}.json"


DEMO_MODELS = {
    "demo-resnet": DemoModel(
        "photosearch-demo-resnet",
        ASSETS_DIR / "models" / "demo-resnet.pt",
        "the project's small ResNet CLIP, trained on rendered scenes (offline demo)",
    ),
    "demo": DemoModel(
        "photosearch-demo-vit",
        ASSETS_DIR / "models" / "demo-vit.pt",
        "the project's small ViT CLIP, trained on rendered scenes (offline demo)",
    ),
}
MULTILINGUAL_MODEL = "xlm-roberta-base-ViT-B-32"
# open_clip architectures shown in help and menus (any other open_clip name works too)
FEATURED = {
    DEFAULT_MODEL: "CLIP ViT-B/32: the default, fastest on a CPU (English queries)",
    "RN50": "the ResNet-50 CLIP (English queries)",
    MULTILINGUAL_MODEL: "queries in Chinese and about 100 other languages; ViT-B/32 images",
    "nllb-clip-base-siglip": "queries in NLLB's 200 languages; SigLIP ViT-B/16 images at 384 px",
}
# open_clip architectures whose text towers learned captions in many languages (their
# tokenizers read every script): XLM-RoBERTa, NLLB and mT5 text towers
MULTILINGUAL_FAMILIES = ("xlm-roberta-", "nllb-clip-", "mt5-")
# the model a new library gets where the system's language is one the default model does
# not understand (README: "Which model for which language")
LANGUAGE_MODELS = {"zh": MULTILINGUAL_MODEL}
# SCHEME -> parser of the rest of the source; e.g. "local-dir" for a folder with its config
SCHEMES: dict[str, Callable[[str, str | None], ModelSpec]] = {}
_OPEN_CLIP_SCHEMES = ("hf-hub", "local-dir")  # open_clip's own, not supported here yet
_PREPROCESS_KEYS = ("mean", "std", "interpolation", "resize_mode")


class ModelChoice(NamedTuple):
    name: str
    description: str

    @property
    def default_weights(self) -> str:
        if self.name in DEMO_MODELS:
            shipped = DEMO_MODELS[self.name].weights.is_file()
            return "shipped" if shipped else "not shipped: a FILE or random"
        return _tag(self.name)


def available_models(every_architecture: bool = False) -> list[ModelChoice]:
    """What ``--model`` accepts by name (a ``.sparse`` file is always accepted too): the
    featured architectures and the demo models, or with ``every_architecture`` all of
    open_clip's architectures."""
    names = list(FEATURED)
    if every_architecture:
        import open_clip

        names += [n for n in open_clip.list_models() if n not in FEATURED]
    choices = [ModelChoice(n, FEATURED.get(n, "open_clip architecture")) for n in names]
    return choices + [ModelChoice(alias, demo.description) for alias, demo in DEMO_MODELS.items()]


def model_names_help(translate: Callable[[str], str] = str) -> str:
    """One line for ``--help``: the names :func:`available_models` lists; ``translate``
    gives the front end's wording of the line's templates."""
    default, line = translate(N_("{name} (default)")), translate(N_("{names}, or a {suffix} file"))
    names = [
        default.format(name=c.name) if c.name == DEFAULT_MODEL else c.name
        for c in available_models()
    ]
    return line.format(names=", ".join(names), suffix=SPARSE_SUFFIX)


def parse_source(model: str | None = None, weights: str | None = None) -> ModelSpec:
    """Turn ``--model``/``--weights`` into a :class:`ModelSpec` (nothing is loaded).

    ``model`` may carry the weights itself (``ARCH:WEIGHTS``); naming two different weights
    is an error.
    """
    source = (model or DEFAULT_MODEL).strip()
    if not source:
        raise ModelError("empty model name")
    if source.endswith(SPARSE_SUFFIX):
        return _sparse_file(source, weights)
    name, inline = _split_weights(source)
    if name in SCHEMES:
        return SCHEMES[name](inline or "", weights)
    if name in _OPEN_CLIP_SCHEMES:
        raise ModelError("'{name}:' model sources are not supported", name=name)
    if inline is not None:
        if weights is not None and weights != inline:
            raise ModelError(
                "two weights for {name}: '{inline}' and --weights {weights}",
                name=name,
                inline=inline,
                weights=weights,
            )
        weights = inline
    if name in DEMO_MODELS:
        return _demo(name, weights)
    return _open_clip_arch(name, weights)


def default_weights(name: str) -> str:
    """The weights ``name`` gets when none are named ("" for an architecture without tags)."""
    if name.endswith(SPARSE_SUFFIX):
        return str(Path(name))
    if name in DEMO_MODELS:
        return str(DEMO_MODELS[name].weights)
    return _tag(name)


def model_for_language(language: str | None) -> str | None:
    """The model to recommend for a system language ("zh", "zh_CN", ...), or None when the
    default model serves it."""
    if not language:
        return None
    return LANGUAGE_MODELS.get(language.replace("-", "_").split("_")[0].lower())


def reads_many_languages(spec: ModelSpec) -> bool:
    """Whether the model understands queries in other languages than English (a ``.sparse``
    file as the model it was converted from)."""
    return spec.arch.startswith(MULTILINGUAL_FAMILIES)


def best_demo_model() -> str:
    """The more accurate shipped demo model (docs/BENCHMARKS.md): the ResNet, else the ViT."""
    return "demo-resnet" if DEMO_MODELS["demo-resnet"].weights.exists() else "demo"


def is_demo(spec: ModelSpec) -> bool:
    """A demo model, or a ``.sparse`` file converted from one (both know the demo scenes)."""
    return spec.arch in {demo.arch for demo in DEMO_MODELS.values()}


def _split_weights(source: str) -> tuple[str, str | None]:
    name, colon, weights = source.partition(":")
    if not colon:
        return source, None
    if not weights:
        raise ModelError(
            "empty weights in '{source}' (use ARCH:TAG, ARCH:random or ARCH:FILE)", source=source
        )
    return name, weights


def _sparse_file(source: str, weights: str | None) -> ModelSpec:
    if weights is not None:
        raise ModelError("--weights does not apply to a .sparse model (its weights are inside)")
    from engine.sparse import fileformat

    payload = fileformat.read(Path(source))
    return ModelSpec(
        name=source,
        arch=payload["arch"],
        weights=str(Path(source)),
        config=payload["config"],
        preprocess=dict(payload["preprocess_cfg"]),
        kind=SPARSE_FILE,
        source_model_id=payload["source_model_id"],
    )


def _demo(alias: str, weights: str | None) -> ModelSpec:
    demo = DEMO_MODELS[alias]
    weights = weights or default_weights(alias)
    if weights != RANDOM and not Path(weights).is_file():
        raise ModelError(WEIGHTS_NOT_FOUND, path=weights)
    config = json.loads(demo.config_file.read_text(encoding="utf-8"))
    return ModelSpec(name=alias, arch=demo.arch, weights=weights, config=config)


def _open_clip_arch(name: str, weights: str | None) -> ModelSpec:
    import open_clip

    config = open_clip.get_model_config(name)
    if config is None:
        known = ", ".join(c.name for c in available_models())
        raise ModelError(
            "unknown model '{name}' (try {known} or a {suffix} file)",
            name=name,
            known=known,
            suffix=SPARSE_SUFFIX,
        )
    if weights is None:
        weights = default_weights(name)
        if not weights:
            raise ModelError(
                "model {name} has no pretrained weights; pass --weights FILE or random", name=name
            )
    preprocess: dict = {}
    if weights != RANDOM and _looks_like_path(weights):
        if not Path(weights).is_file():
            raise ModelError(WEIGHTS_NOT_FOUND, path=weights)
    elif weights != RANDOM:
        tag = open_clip.get_pretrained_cfg(name, weights)
        if not tag:
            tags = ", ".join(open_clip.list_pretrained_tags_by_model(name)) or "none"
            raise ModelError(UNKNOWN_TAG, tag=weights, model=name, tags=tags)
        preprocess = {k: tag[k] for k in _PREPROCESS_KEYS if k in tag}
        if tag.get("quick_gelu", False):
            config["quick_gelu"] = True
    return ModelSpec(name=name, arch=name, weights=weights, config=config, preprocess=preprocess)


def _tag(arch: str) -> str:
    """The pretrained tag an architecture uses unless told otherwise ("" if it has none)."""
    if arch == DEFAULT_MODEL:
        return DEFAULT_TAG
    import open_clip

    tags = open_clip.list_pretrained_tags_by_model(arch)
    return tags[0] if tags else ""


def _looks_like_path(weights: str) -> bool:
    return "/" in weights or "\\" in weights or Path(weights).suffix != ""
