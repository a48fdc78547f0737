"""The language model as trained and stored: a proper distribution, read in place."""

from __future__ import annotations

import numpy as np
import pytest

from vanthu.ingest.arrayfile import open_arrays, save_arrays
from vanthu.ingest.lm import SyllableLM
from vanthu.ingest.lm_train import train

CORPUS = """Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành triển khai thực hiện.
Sở Tài chính chủ trì, phối hợp với các sở, ban, ngành báo cáo Ủy ban nhân dân tỉnh.
Các sở, ban, ngành báo cáo kết quả thực hiện trước ngày 15/10/2023.

Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì triển khai thực hiện.
Sở Nội vụ phối hợp với Sở Tài chính báo cáo kết quả.
"""


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> SyllableLM:
    root = tmp_path_factory.mktemp("corpus")
    (root / "admin_test.txt").write_text("\n\n".join([CORPUS] * 12), "utf-8")
    out = root / "model" / "syllables.lm"
    train(root, out, None, None, jobs=1, channel_lines=0, min_top_count=1)
    return SyllableLM.load(out)


@pytest.mark.parametrize("history", [[], ["sở"], ["sở", "tài"], ["các", "sở", ","], ["báo", "cáo", "kết"],
                                     ["nội", "vụ", "phối"], ["xyz"]])
def test_every_context_is_a_distribution(small_model, history):
    """Σ_w p(w | h) = 1 over the vocabulary (all but <s>), for seen and unseen contexts."""
    lm = small_model
    contexts = lm.start(1)
    for word in history:
        i = lm.id_of(word)
        _, contexts = lm.advance(contexts, np.asarray([lm.unk if i is None else i]))
    words = np.asarray([i for i in range(lm.size) if i != lm.bos])
    scores, _ = lm.advance([np.repeat(c, len(words)) for c in contexts], words)
    assert float(np.sum(10.0 ** scores)) == pytest.approx(1.0, abs=2e-3)  # float16 storage


def test_seen_sequences_score_above_shuffled_ones(small_model):
    lm = small_model
    seen = "sở tài chính chủ trì".split()
    assert lm.sequence_logprob(seen) > lm.sequence_logprob(seen[::-1]) + 3


def test_a_mapped_model_survives_being_rebuilt(tmp_path):
    """`make model` writes beside and renames: a process that has the old file mapped keeps it."""
    path = tmp_path / "arrays.bin"
    save_arrays(path, {"keys": np.arange(1000, dtype=np.uint64)}, {"version": 1})
    arrays, meta = open_arrays(path)
    save_arrays(path, {"keys": np.arange(10, dtype=np.uint64)}, {"version": 2})
    assert int(arrays["keys"][999]) == 999 and meta == {"version": 1}
    assert open_arrays(path)[1] == {"version": 2}
