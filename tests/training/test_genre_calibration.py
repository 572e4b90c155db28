"""Temperature, MAP-EM and the ECE noise floor of the genre calibration helpers (issue 15)."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from spinscope.corpora.semeval23_articles import GENRES  # noqa: E402
from spinscope.training import genre_calibration as gc  # noqa: E402


def _draw(n: int, temperature: float, seed: int = 0):
    """Logits whose true posteriors are softmax(z / temperature), and labels drawn from them."""
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=(n, len(GENRES)))
    p = gc.softmax(z / temperature)
    y = [GENRES[rng.choice(len(GENRES), p=row)] for row in p]
    return z, y


def test_temperature_recovers_an_overconfident_model():
    z, y = _draw(3000, 2.0)
    assert abs(gc.fit_temperature(z, y) - 2.0) < 0.3
    z, y = _draw(3000, 1.0, seed=1)
    assert abs(gc.fit_temperature(z, y) - 1.0) < 0.15


def test_map_em_is_pulled_toward_uniform_on_a_small_batch():
    p = np.tile([0.9, 0.05, 0.05], (12, 1))
    plain, _ = gc.map_em(p, strength=0.0)
    pulled, q = gc.map_em(p, strength=10.0)
    assert plain[0] > pulled[0] > 1 / 3
    assert np.allclose(q.sum(1), 1.0)


def test_ece_noise_shrinks_with_more_answers():
    rng = np.random.default_rng(0)
    small = gc.ece_noise(rng.uniform(0.4, 1.0, 100))
    large = gc.ece_noise(rng.uniform(0.4, 1.0, 5000))
    assert large["mean"] < small["mean"] <= small["p95"]


def test_crossfit_curve_never_scores_an_answer_with_its_own_fit():
    # right answers are exactly those with an odd index: a curve that had seen an answer could
    # not tell it apart anyway, but a constant score means every fold predicts its training rate
    s = np.full(100, 0.5)
    right = np.array([1] * 50 + [0] * 50)
    out = gc.crossfit_curve(s, right, np.arange(100), "isotonic")
    assert np.all((out > 0.3) & (out < 0.7))


def test_sigmoid_cv_keeps_a_real_signal_and_shrinks_noise():
    rng = np.random.default_rng(3)
    s = rng.uniform(0.35, 0.98, 600)
    informative = gc.fit_curve(s, (rng.random(600) < s).astype(int), "sigmoid_cv")
    assert informative(0.95) - informative(0.4) > 0.3
    s = rng.uniform(0.35, 0.98, 120)
    noise = (rng.random(120) < 0.6).astype(int)
    plain = gc.fit_curve(s, noise, "sigmoid")
    shrunk = gc.fit_curve(s, noise, "sigmoid_cv")
    spread = lambda c: float(np.ptp(c(np.linspace(0.35, 0.98, 50))))  # noqa: E731
    assert spread(shrunk) <= spread(plain)
    assert abs(shrunk(0.7) - noise.mean()) < 0.1


def test_framing_task_calibrates_genre_with_the_shrunk_curve_and_reports_held_out_ece():
    from spinscope.training import framing_task as ft

    rng = np.random.default_rng(5)
    s = rng.uniform(0.35, 0.95, 300)
    recs = [("opinion", float(x), int(rng.random() < x), f"L{k % 3}") for k, x in enumerate(s)]
    cal, report = ft._calibrate(recs, "m 1", "synthetic", splits=[r[3] for r in recs],
                                method=ft.GENRE_CURVE)  # fmt: skip
    assert cal.meta["curve"] == "sigmoid_cv" and cal.meta["model"] == "m 1"
    assert report["ece_crossfit_5fold_mean"] < report["ece_crossfit_5fold_range"][1] + 1e-9
    assert "ece_leave_one_split_out" in report and report["answers"] == 300
    floor = ft._not_sure_floor([r[:3] for r in recs])
    assert floor["chosen"] in floor["grid"]
