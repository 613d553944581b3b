"""py3langid's identifier over our compact copy of its model: ~9 MiB a process, not ~73.

py3langid 0.4.0 keeps, in every process that loads it, a 27 MiB float16 table of
log P(feature | class) and a 37 MiB byte automaton (plus ~7 MiB of Python ints) that finds
the features of a text. ``langid_model.npz``, built from the pinned wheel by
bench/build_langid_model.py, holds the same model in 9 MiB (5 MiB on disk): the table as
each class's floor plus the entries above it, and the automaton as the byte strings of its
states. ``CompactIdentifier`` changes only how the features are found and their rows read;
encoding, scoring, normalisation and answers are py3langid's own code
(tests/extraction/test_language_model.py compares the answers with py3langid's).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import LanguageIdentifier

MODEL_FILE = Path(__file__).with_name("langid_model.npz")
# a node's key is its bytes behind a leading 1 byte (bench/build_langid_model.py)
KEY_SENTINEL = np.uint64(1)
BYTE_BITS = np.uint64(8)


class CompactIdentifier(LanguageIdentifier):  # type: ignore[misc]
    """py3langid's ``LanguageIdentifier`` (probabilities normalised) over the compact model.

    The features: at each byte, the longest n-gram ending there that is a state of
    py3langid's automaton is the state the automaton would be in (the build checks every
    transition), and the feature that state emits is counted, in order of first sight as
    py3langid's ``Counter`` has them. The rows: each class's floor with the entries above
    it written back, bit for bit py3langid's float16 rows.
    """

    __slots__ = (
        "_by_byte",
        "_cols",
        "_dense",
        "_dense_row",
        "_emits",
        "_floor",
        "_keys",
        "_length_bounds",
        "_max_length",
        "_row_start",
        "_values",
    )

    def __init__(self, model: Any) -> None:
        super().__init__(
            None, model["pc"], model["classes"].tolist(), None, None, norm_probs=True, tk_row=()
        )
        self._keys = model["node_keys"]
        self._emits = model["node_emits"]
        self._max_length = int(model["max_length"])
        self._floor = model["floor"]
        self._row_start = model["row_start"].astype(np.intp)
        self._cols = model["cols"]
        self._values = model["values"]
        self._dense_row = model["dense_row"]
        self._dense = model["dense"]
        # where the keys of each length are (a key is its bytes behind a leading 1)
        tops = KEY_SENTINEL << (BYTE_BITS * np.arange(self._max_length + 2, dtype=np.uint64))
        bounds = np.searchsorted(self._keys, tops).tolist()
        # the keys of each length from 2 on: every length has some (the build checks)
        self._length_bounds = list(itertools.pairwise(bounds[2:]))
        # the one-byte states: where the search starts at each byte
        self._by_byte = np.full(256, -1, dtype=np.intp)
        single = np.flatnonzero(self._keys < KEY_SENTINEL << BYTE_BITS << BYTE_BITS)
        self._by_byte[self._keys[single] & np.uint64(0xFF)] = single

    def features(self, data: bytes) -> tuple[Any, Any]:
        """The features the automaton emits on ``data`` (first-seen order) and their counts."""
        text = np.frombuffer(data, dtype=np.uint8)
        emits = np.full(len(text), -1, dtype=np.int32)
        nodes = self._by_byte[text]
        ends = np.flatnonzero(nodes >= 0)
        nodes = nodes[ends]
        for low, high in self._length_bounds:
            emits[ends] = self._emits[nodes]  # a longer n-gram ending there wins
            # the states are prefix-closed: an n-gram is one only where its first n-1 bytes are
            inside = ends < len(text) - 1
            ends = ends[inside] + 1
            codes = (self._keys[nodes[inside]] << BYTE_BITS) | text[ends]
            at = low + np.minimum(np.searchsorted(self._keys[low:high], codes), high - low - 1)
            found = self._keys[at] == codes
            ends, nodes = ends[found], at[found]
        emits[ends] = self._emits[nodes]
        seen = emits[emits >= 0]
        features, first, counts = np.unique(seen, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        return features[order], counts[order]

    def rows(self, features: Any) -> Any:
        """py3langid's ``nb_ptc[features]``: dense rows copied, the others rebuilt."""
        classes = len(self._floor)
        table = np.empty((len(features), classes), dtype=self._floor.dtype)
        dense = self._dense_row[features]
        whole = dense >= 0
        table[whole] = self._dense[dense[whole]]
        (sparse,) = np.nonzero(~whole)
        table[sparse] = self._floor
        starts = self._row_start[features[sparse]]
        lengths = self._row_start[features[sparse] + 1] - starts
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        flat = np.repeat(sparse * classes, lengths) + self._cols[at]
        table.ravel()[flat] = self._values[at]
        return table

    def _raw_score(self, text: bytes) -> Any:
        features, counts = self.features(text)
        if not len(features):  # py3langid's fill for a featureless text (probabilities)
            return np.zeros(len(self.nb_classes), dtype=np.float32)
        return np.log1p(counts.astype(np.float32)) @ self.rows(features) + self.nb_pc


def load_identifier(path: Path = MODEL_FILE) -> CompactIdentifier:
    with np.load(path, allow_pickle=False) as model:
        return CompactIdentifier(model)
