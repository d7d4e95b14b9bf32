"""Shared fixtures for the digest parser tests: the bundled vocabulary and the sample folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.digests.tags import TagVocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "bot" / "sample_digests"
FIXTURES = ROOT / "tests" / "fixtures" / "digests"


@pytest.fixture(scope="session")
def vocabulary() -> TagVocabulary:
    return load_vocabulary()
