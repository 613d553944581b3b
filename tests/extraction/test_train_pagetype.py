"""How bench/train_pagetype.py picks the page-look model's penalty and threshold."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from bench import train_pagetype
from bench.train_pagetype import FOLDS, RECALL_PRICE, criterion, fold_of, pooled_scores


def test_a_pair_a_page_under_the_recall_floor_is_not_dropped():
    # the old hard floor dropped a pair one page under it and jumped to a less precise one
    floor, one_page = 0.946, 1 / 440
    on_the_floor = criterion(0.920, floor - one_page, floor)
    below_less_precise = criterion(0.908, floor + 0.006, floor)
    assert on_the_floor > below_less_precise
    assert on_the_floor == pytest.approx(0.920 - RECALL_PRICE * one_page)
    # recall given up far past the floor still costs more than the precision it buys
    assert criterion(0.930, floor - 0.02, floor) < below_less_precise
    assert criterion(0.9, floor + 0.01, floor) == 0.9  # above the floor: precision alone


def test_the_first_draw_of_the_folds_is_the_domains_plain_hash():
    domain = "news.example.com"
    assert fold_of(domain) == int(hashlib.sha1(domain.encode()).hexdigest(), 16) % FOLDS
    domains = [f"site{n}.example" for n in range(200)]
    draws = [[fold_of(d, draw) for d in domains] for draw in range(train_pagetype.DRAWS)]
    assert len({tuple(folds) for folds in draws}) == train_pagetype.DRAWS  # each its own
    assert all(set(folds) == set(range(FOLDS)) for folds in draws)


def test_precision_and_recall_are_pooled_over_the_draws():
    ruled = np.array([True, True, True, False])
    labels = np.array([True, True, False, True])
    likeness = np.array([[0.9, 0.2, 0.9, 0.9], [0.9, 0.9, 0.2, 0.9]])  # draws x pages
    precision, recall = pooled_scores(ruled, likeness, labels, 0.5)
    # draw 0 archives pages 0 and 2 (one hit), draw 1 pages 0 and 1 (two hits)
    assert (precision, recall) == (3 / 4, 3 / 6)
