"""The shipped page-look model is what its trainer makes from the repository's code.

``pipelines/extraction/pagetype_model.json`` is written by ``python -m bench.train_pagetype``
from the tuning part's pages; its inputs are computed by the extraction (``page_features``).
When a rule changes one of those inputs (an author reader, a count), the file must be
retrained and the change judged in the rules log: this test fails until then, saying which
of the two moved, the training features (``features_sha1``) or the training itself.
"""

from __future__ import annotations

import json

import pytest

from bench import corpora, train_pagetype

# Extracts every tuning page of both corpora (about 30 s on 2 idle cores), then fits the
# cross-validation's 60 models (3 draws x 5 folds x 4 penalties: 77 s on 2 cores shared
# with other work, where one draw's 20 took 25 s).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def retrained() -> dict:
    if not corpora.available("wcxb"):
        pytest.skip("WCXB dev corpus missing (bench/corpora.py): the model is trained on it")
    model, _ = train_pagetype.build_model(jobs=2)
    return model


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(train_pagetype.OUT.read_text(encoding="utf-8"))


def test_the_training_features_are_those_the_shipped_model_learnt_from(retrained, shipped):
    assert retrained["trained_on"] == shipped["trained_on"], (
        "the page-look model's inputs moved: retrain it (python -m bench.train_pagetype) "
        "and log the retraining's tuning and checking figures in docs/extraction.md"
    )


def test_retraining_reproduces_the_shipped_model(retrained, shipped):
    assert retrained["threshold"] == shipped["threshold"]
    assert sorted(retrained["weights"]) == sorted(shipped["weights"])
    assert retrained["bias"] == pytest.approx(shipped["bias"], abs=1e-5)
    for name, values in shipped["weights"].items():
        assert retrained["weights"][name] == pytest.approx(values, abs=1e-5), name
