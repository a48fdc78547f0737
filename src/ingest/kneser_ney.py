"""Interpolated modified Kneser-Ney estimation (Chen & Goodman 1998) over integer token ids.

Input: token ids of whole sequences, each `<s> w1 … wk </s>`, concatenated. Output, per order
n = 1 … N, the n-grams in trie order with log10 probabilities and log10 backoff weights, the
form `ingest.lm` searches in place:

- order 1 is indexed by token id;
- an n-gram of order n ≥ 2 is the key `(index of its first n-1 words in order n-1) << 16 | w`,
  so the keys of one context are contiguous and every order's keys are sorted.

The probability of a stored n-gram is already interpolated with the lower orders, so a
lookup is: the longest stored n-gram ending in w, plus the backoff weights of the longer
contexts that had no entry for w (KenLM and ARPA use the same form).

Pruning drops n-grams of the highest order seen fewer than `min_count` times and
renormalizes the backoff weights of their contexts, so each context still sums to one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WORD_BITS = 16
WORD_MASK = (1 << WORD_BITS) - 1


@dataclass
class Order:
    """One order of the model: keys in trie order, log10 probabilities and backoffs."""

    keys: np.ndarray      # uint64 (order ≥ 2) or token ids (order 1)
    logprob: np.ndarray   # float64 log10 p(w | context)
    backoff: np.ndarray   # float64 log10 backoff weight when this n-gram is a context
    counts: np.ndarray    # raw counts


def _discounts(adjusted: np.ndarray) -> tuple[float, float, float]:
    """D1, D2, D3+ from the count-of-counts (Chen & Goodman's estimates)."""
    n = [max(1, int((adjusted == k).sum())) for k in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1])
    return (1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2])


def _discount_of(adjusted: np.ndarray, d: tuple[float, float, float]) -> np.ndarray:
    return np.where(adjusted == 1, d[0], np.where(adjusted == 2, d[1], d[2]))


def _group_sum(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(groups, weights=values, minlength=size)


def estimate(tokens: np.ndarray, vocab_size: int, order: int, bos: int,
             min_count: int = 1) -> list[Order]:
    """Modified Kneser-Ney model of `order` over `tokens` (see the module docstring)."""
    tokens = tokens.astype(np.int64)
    length = len(tokens)
    sequence = np.cumsum(tokens == bos) - 1  # every sequence starts with <s>
    # index[n][i]: index of the n-gram starting at i among order n's keys (-1: crosses a sequence)
    index = {1: tokens.copy()}
    keys = {1: np.arange(vocab_size, dtype=np.int64)}
    raw = {1: np.bincount(tokens, minlength=vocab_size)}
    for n in range(2, order + 1):
        span = length - n + 1
        valid = (sequence[:span] == sequence[n - 1:n - 1 + span]) & (index[n - 1][:span] >= 0)
        key = (index[n - 1][:span] << WORD_BITS) | tokens[n - 1:n - 1 + span]
        unique, counts = np.unique(key[valid], return_counts=True)
        keys[n], raw[n] = unique, counts
        where = np.full(length, -1, dtype=np.int64)
        where[:span][valid] = np.searchsorted(unique, key[valid])
        index[n] = where
    # suffix[n][j]: index in order n-1 of the n-gram j without its first word.
    suffix = {}
    for n in range(2, order + 1):
        suffix_of = np.zeros(len(keys[n]), dtype=np.int64)
        positions = np.flatnonzero(index[n] >= 0)
        suffix_of[index[n][positions]] = index[n - 1][positions + 1]
        suffix[n] = suffix_of
    first = {1: keys[1]}
    for n in range(2, order + 1):
        first[n] = first[n - 1][keys[n] >> WORD_BITS]
    # Adjusted counts: raw for the highest order and for n-grams starting with <s>, else the
    # number of distinct words seen before them.
    adjusted = {order: raw[order].astype(np.float64)}
    for n in range(1, order):
        continuation = np.bincount(suffix[n + 1], minlength=len(keys[n])).astype(np.float64)
        adjusted[n] = np.where(first[n] == bos, raw[n], continuation)
    orders = _unigrams(adjusted[1], raw[1], bos)
    for n in range(2, order + 1):
        orders.append(_order(keys[n], adjusted[n], raw[n], suffix[n], orders[-1], len(keys[n - 1])))
    if min_count > 1:
        _prune(orders, suffix[order], min_count)
    return orders


def _unigrams(adjusted: np.ndarray, raw: np.ndarray, bos: int) -> list[Order]:
    seen = adjusted.copy()
    seen[bos] = 0
    d = _discounts(seen[seen > 0])
    total = seen.sum()
    kept = np.where(seen > 0, np.maximum(seen - _discount_of(seen, d), 0), 0)
    gamma = (seen - kept).sum() / total  # the discounted mass, spread evenly over all words
    words = len(seen) - 1  # every token but <s> can be predicted
    prob = kept / total + gamma / words
    prob[bos] = 0.0
    with np.errstate(divide="ignore"):
        logprob = np.where(prob > 0, np.log10(np.maximum(prob, 1e-300)), -99.0)
    return [Order(np.arange(len(seen)), logprob, np.zeros(len(seen)), raw)]


def _order(keys: np.ndarray, adjusted: np.ndarray, raw: np.ndarray, suffix: np.ndarray,
           lower: Order, contexts: int) -> Order:
    d = _discounts(adjusted)
    context = keys >> WORD_BITS
    denominator = _group_sum(adjusted, context, contexts)
    discount = np.minimum(_discount_of(adjusted, d), adjusted)
    gamma = _group_sum(discount, context, contexts) / np.maximum(denominator, 1e-300)
    prob = (adjusted - discount) / denominator[context] + gamma[context] * 10.0 ** lower.logprob[suffix]
    has = denominator > 0
    lower.backoff = np.where(has, np.log10(np.where(has, gamma, 1.0)), 0.0)
    return Order(keys, np.log10(prob), np.zeros(len(keys)), raw)


def _prune(orders: list[Order], suffix: np.ndarray, min_count: int) -> None:
    """Drop the highest order's n-grams seen fewer than `min_count` times; renormalize."""
    top, lower = orders[-1], orders[-2]
    keep = top.counts >= min_count
    context = top.keys >> WORD_BITS
    contexts = len(lower.keys)
    # backoff(h) = (1 - sum of kept p(w|h)) / (1 - sum over the same w of p(w|h'))
    kept_mass = _group_sum(np.where(keep, 10.0 ** top.logprob, 0.0), context, contexts)
    lower_mass = _group_sum(np.where(keep, 10.0 ** lower.logprob[suffix], 0.0), context, contexts)
    affected = _group_sum((~keep).astype(np.float64), context, contexts) > 0
    numerator = np.maximum(1.0 - kept_mass, 1e-12)
    denominator = np.maximum(1.0 - lower_mass, 1e-12)
    lower.backoff = np.where(affected, np.log10(numerator / denominator), lower.backoff)
    orders[-1] = Order(top.keys[keep], top.logprob[keep], top.backoff[keep], top.counts[keep])
