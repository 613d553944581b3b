"""Build pipelines/extraction/langid_model.npz, py3langid's model in ~9 MiB instead of ~73.

    python -m bench.build_langid_model [--out FILE]

(``--out`` defaults to pipelines/extraction/langid_model.npz, the file the package ships.)

The input is the model in the installed (pinned) py3langid wheel, read by py3langid's own
loader; nothing is fetched. py3langid holds two tables in every process that loads it:

* ``nb_ptc``, log P(feature | class), float16, 100,053 features x 142 classes: 27 MiB. 81%
  of its entries equal their column's minimum (the class's smoothing floor), so it is
  stored as that floor per class, the 25,530 rows with more than ``DENSE_ABOVE`` entries
  above it whole (6.9 MiB), and, for the other rows, the classes above it and their
  float16 values (CSR, 1 + 2 bytes an entry, 2.3 MiB);
* the byte-level Aho-Corasick automaton finding the features (104,583 states x 256 bytes of
  uint32 targets, rows shared: 37 MiB, plus ~7 MiB of Python ints). Its state after each
  byte is, by construction, the longest suffix of the text read so far that is a prefix of
  some feature (a trie node), and each state emits at most one feature. So the table is
  replaced by the nodes' byte strings (1-6 bytes, sorted, with the feature each emits): at
  every position of a text, the longest n-gram ending there that is a node gives the same
  state, found with ``numpy.searchsorted`` (pipelines/extraction/language.py).

Both replacements are checked here, exhaustively, before anything is written: every dense
row rebuilt from the CSR equals py3langid's row bit for bit, and every transition of the
automaton (state x byte) equals the longest-suffix rule, so the two find the same features
in the same order on every input. The zip members carry a fixed date: the same wheel gives
the same bytes. tests/extraction/test_language_model.py compares the answers with
py3langid's own on texts in many languages.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from bench import corpora

OUT = corpora.ROOT / "pipelines" / "extraction" / "langid_model.npz"
# a key is the node's bytes behind a leading 1 byte, so lengths 1-7 never collide in a uint64
KEY_SENTINEL = 1
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# a row with more entries than this above its floors is kept whole: the n-grams common to
# many languages, which most texts have (a row the sparse way costs 3 bytes an entry, and
# rebuilding it an index operation per entry; whole, 284 bytes and one copy)
DENSE_ABOVE = 40


def _uint_array(values: Any) -> np.ndarray[Any, Any]:
    """py3langid's stdlib ``array`` of unsigned ints as a numpy int64 array."""
    dtype = {2: np.uint16, 4: np.uint32, 8: np.uint64}[values.itemsize]
    return np.frombuffer(values, dtype=dtype).astype(np.int64)


def trie_keys(transitions: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], ...]:
    """Depth and key (sentinel + bytes) of every state, by breadth-first search from 0."""
    states = len(transitions)
    depth = np.full(states, -1, dtype=np.int64)
    key = np.zeros(states, dtype=np.uint64)
    depth[0], key[0] = 0, KEY_SENTINEL
    frontier = np.array([0])
    while len(frontier):
        targets = transitions[frontier].ravel()
        sources = np.repeat(frontier, 256)
        letters = np.tile(np.arange(256, dtype=np.uint64), len(frontier))
        new = depth[targets] < 0
        targets, sources, letters = targets[new], sources[new], letters[new]
        found, first = np.unique(targets, return_index=True)
        depth[found] = depth[sources[first]] + 1
        key[found] = (key[sources[first]] << np.uint64(8)) | letters[first]
        frontier = found
    if (depth < 0).any():
        raise ValueError("unreachable automaton states")
    return depth, key


def check_longest_suffix(
    transitions: np.ndarray[Any, Any], depth: np.ndarray[Any, Any], key: np.ndarray[Any, Any]
) -> None:
    """Every transition goes to the longest suffix of (state's bytes + byte) that is a node."""
    order = np.argsort(key)
    sorted_keys = key[order]
    letters = np.arange(256, dtype=np.uint64)
    for start in range(0, len(transitions), 4096):
        rows = np.arange(start, min(start + 4096, len(transitions)))
        expected = np.zeros((len(rows), 256), dtype=np.int64)  # the root if no suffix is
        for length in range(1, int(depth.max()) + 2):
            # the last `length` bytes of state bytes + letter, where the state is long enough
            keep = depth[rows] >= length - 1
            tail_bits = np.uint64(8 * (length - 1))
            tail = key[rows] & ((np.uint64(1) << tail_bits) - np.uint64(1))
            candidate = (
                ((np.uint64(KEY_SENTINEL) << tail_bits) | tail)[:, None] << np.uint64(8)
            ) | letters[None, :]
            at = np.minimum(np.searchsorted(sorted_keys, candidate), len(key) - 1)
            hit = (sorted_keys[at] == candidate) & keep[:, None]
            expected = np.where(hit, order[at], expected)
        if not np.array_equal(expected, transitions[rows]):
            raise ValueError("the automaton is not the longest-suffix automaton of its nodes")


def split_rows(ptc: np.ndarray[Any, Any]) -> dict[str, np.ndarray[Any, Any]]:
    """The table as its column floors, its dense rows whole, the others' entries above (CSR)."""
    floor = ptc.min(axis=0)
    above = ptc != floor[None, :]
    dense = above.sum(axis=1) > DENSE_ABOVE
    dense_row = np.full(len(ptc), -1, dtype=np.int32)
    dense_row[dense] = np.arange(dense.sum(), dtype=np.int32)
    above[dense] = False
    rows, cols = np.nonzero(above)
    start = np.zeros(len(ptc) + 1, dtype=np.uint32)
    np.cumsum(above.sum(axis=1), out=start[1:])
    model = {
        "floor": floor,
        "dense_row": dense_row,
        "dense": ptc[dense],
        "row_start": start,
        "cols": cols.astype(np.uint8),
        "values": ptc[rows, cols],
    }
    rebuilt = np.broadcast_to(floor, ptc.shape).copy()
    rebuilt[dense] = model["dense"]
    rebuilt[rows, cols] = model["values"]
    if rebuilt.dtype != ptc.dtype or not np.array_equal(
        rebuilt.view(np.uint16), ptc.view(np.uint16)
    ):
        raise ValueError("the split table does not rebuild py3langid's")
    return model


def build() -> dict[str, np.ndarray[Any, Any]]:
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    source = MODEL_DIR / MODEL_FILE
    ptc, pc, classes, nextmove, row, output = load_model(source)
    transitions = _uint_array(nextmove).reshape(-1, 256)[_uint_array(row)]
    emits = np.asarray(output, dtype=np.int32)
    if emits[0] >= 0:
        raise ValueError("the start state emits a feature")
    depth, key = trie_keys(transitions)
    check_longest_suffix(transitions, depth, key)
    order = np.argsort(key)
    model = {
        "classes": np.array(classes),
        "pc": np.asarray(pc, dtype=np.float32),
        "node_keys": key[order][1:],  # the root (key 1) is what no key found means
        "node_emits": emits[order][1:],
        "max_length": np.array(depth.max()),
        "source": np.array(
            f"py3langid {version('py3langid')} {MODEL_FILE} "
            f"sha256 {hashlib.sha256(source.read_bytes()).hexdigest()}"
        ),
    }
    model.update(split_rows(np.asarray(ptc)))
    return model


def write(model: dict[str, np.ndarray[Any, Any]], out: Path) -> None:
    """A .npz numpy reads, with fixed member dates so that the same model gives the same bytes."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(model):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, model[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    model = build()
    write(model, args.out)
    print(
        f"{args.out}: {args.out.stat().st_size / 2**20:.1f} MiB on disk, "
        f"{sum(a.nbytes for a in model.values()) / 2**20:.1f} MiB in memory; "
        f"{len(model['node_keys']):,} nodes, {len(model['values']):,} table entries above "
        f"their floor; {model['source']}"
    )


if __name__ == "__main__":
    main()
