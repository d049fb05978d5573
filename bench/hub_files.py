"""Model hub files for the multilingual families, written here, for offline runs.

The model hub cannot be reached offline, so the benchmarks and tests write what a
multilingual model takes from it into a hub cache of their own, laid out where the hub
client looks (``models--ORG--NAME/refs/main`` and ``snapshots/COMMIT``): a tokenizer
trained here on a few English and Chinese phrases (Unigram for XLM-RoBERTa, BPE with NLLB's
language codes) and a config of the family, at its published size (``REAL_SIZES``, from the
hub repos' ``config.json``; latency depends on it) or tiny (tests). The product's own code
then loads them: :mod:`engine.hub_text` finds them in the cache.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

CORPUS = [
    "a dog on the beach",
    "two blue squares",
    "candles on a birthday cake",
    "sunset last summer",
    "海边的狗",
    "两个蓝色方块",
    "生日蛋糕上的蜡烛",
    "去年夏天的日落",
    "собака на пляже",
    "浜辺の犬",
    "해변의 개",
]
_SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
_COMMIT = "0123456789abcdef0123456789abcdef01234567"
# layers, width, heads, feed-forward width, positions, vocabulary (None: the trained one's)
TINY = {"layers": 2, "width": 32, "heads": 2, "ffn": 64, "positions": 80, "vocab": None}
REAL_SIZES = {
    "xlm-roberta-base": {
        "layers": 12,
        "width": 768,
        "heads": 12,
        "ffn": 3072,
        "positions": 514,
        "vocab": 250002,
    },
    "facebook/nllb-200-distilled-600M": {
        "layers": 12,
        "width": 1024,
        "heads": 16,
        "ffn": 4096,
        "positions": 1024,
        "vocab": 256206,
    },
}


def put_in_hub_cache(cache: Path, repo_id: str, folder: Path) -> Path:
    """Copy ``folder``'s files into the hub cache as ``repo_id``'s main revision."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(_COMMIT)
    snapshot = repo / "snapshots" / _COMMIT
    shutil.copytree(folder, snapshot, dirs_exist_ok=True)
    return snapshot


def xlm_roberta_files(folder: Path, size: dict) -> Path:
    """A Unigram (SentencePiece-style) tokenizer and an XLM-RoBERTa config."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import XLMRobertaConfig, XLMRobertaTokenizer

    tokenizer = Tokenizer(models.Unigram())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=200, special_tokens=_SPECIAL, unk_token="<unk>")
    tokenizer.train_from_iterator(CORPUS, trainer)
    vocab = [tuple(piece) for piece in json.loads(tokenizer.to_str())["model"]["vocab"]]
    hf_tokenizer = XLMRobertaTokenizer(vocab=vocab)
    hf_tokenizer.save_pretrained(folder)
    XLMRobertaConfig(
        vocab_size=size["vocab"] or len(hf_tokenizer),
        hidden_size=size["width"],
        num_hidden_layers=size["layers"],
        num_attention_heads=size["heads"],
        intermediate_size=size["ffn"],
        max_position_embeddings=size["positions"],
    ).save_pretrained(folder)
    return folder


def nllb_files(folder: Path, size: dict) -> Path:
    """A BPE tokenizer with NLLB's language codes and an M2M100 (NLLB) config."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, NllbTokenizer

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    trainer = trainers.BpeTrainer(vocab_size=200, special_tokens=_SPECIAL[:4])
    tokenizer.train_from_iterator(CORPUS, trainer)
    bpe = json.loads(tokenizer.to_str())["model"]
    merges = [tuple(pair) for pair in bpe["merges"]]
    hf_tokenizer = NllbTokenizer(vocab=bpe["vocab"], merges=merges)
    hf_tokenizer.save_pretrained(folder)
    M2M100Config(
        vocab_size=size["vocab"] or len(hf_tokenizer),
        d_model=size["width"],
        encoder_layers=size["layers"],
        decoder_layers=1,  # open_clip keeps only the encoder
        encoder_attention_heads=size["heads"],
        decoder_attention_heads=size["heads"],
        encoder_ffn_dim=size["ffn"],
        decoder_ffn_dim=size["ffn"],
        max_position_embeddings=size["positions"],
        scale_embedding=True,
    ).save_pretrained(folder)
    return folder


WRITERS: dict[str, Callable[[Path, dict], Path]] = {
    "xlm-roberta-base": xlm_roberta_files,
    "facebook/nllb-200-distilled-600M": nllb_files,
}


def write_text_files(cache: Path, arch: str, work: Path, *, tiny: bool) -> str:
    """Put ``arch``'s hub tokenizer and config into the hub cache; returns the hub name."""
    import open_clip

    repo_id = open_clip.get_model_config(arch)["text_cfg"]["hf_tokenizer_name"]
    size = TINY if tiny else REAL_SIZES[repo_id]
    folder = WRITERS[repo_id](work / repo_id.replace("/", "--"), size)
    put_in_hub_cache(cache, repo_id, folder)
    return repo_id


def use_hub_cache(cache: Path) -> None:
    """Point this process's hub client at ``cache``, offline."""
    import os

    import huggingface_hub.constants as hub_constants

    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_CACHE"] = str(cache)
    hub_constants.HF_HUB_CACHE = str(cache)
