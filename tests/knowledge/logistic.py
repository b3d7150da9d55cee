"""Fitting a logistic regression by plain gradient descent: deterministic, numpy only (the calibration of answers'
confidence and the safeguarding check's models are fitted with it)."""

from __future__ import annotations

import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, *, penalty: float, steps: int, rate: float) -> tuple[np.ndarray, float]:
    """Weights and bias minimising the mean log loss of `y` (0 or 1) given `x`, with an L2 `penalty` on the weights
    (not the bias) per example."""
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= rate * (x.T @ (p - y) / len(y) + penalty * w)
        b -= rate * float((p - y).mean())
    return w, b
