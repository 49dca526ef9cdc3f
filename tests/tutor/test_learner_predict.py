import numpy as np
from click.testing import CliRunner

from teachback.tutor.predict import Record, SuccessModel, metrics


def _synthetic(n_users, seed):
    """Learners of varied ability answer items of varied difficulty; practice helps."""
    items = np.random.default_rng(0)  # the same items (difficulties) for every cohort
    difficulty = {f"i{k}": items.normal(0, 1) for k in range(30)}
    rng = np.random.default_rng(seed)
    out = []
    for u in range(n_users):
        ability = rng.normal(0, 1)
        practice = {}
        for t in range(60):
            item = f"i{int(rng.integers(30))}"
            skill = f"s{int(item[1:]) % 5}"
            k = practice.get(skill, 0)
            p = 1 / (1 + np.exp(-(ability - difficulty[item] + 0.15 * k)))
            out.append(Record(f"u{seed}-{u}", item, skill, int(rng.random() < p), float(t)))
            practice[skill] = k + 1
    return out


def test_predictor_beats_the_global_mean_on_unseen_learners():
    train, test = _synthetic(120, 1), _synthetic(40, 2)
    model = SuccessModel(C=1.0).fit(train)
    y, p = model.predict_online(test)
    ours = metrics(y, p)
    mean = float(np.mean([r.correct for r in train]))
    base = metrics(y, np.full(len(y), mean))
    assert ours["auc"] > 0.70
    assert ours["logloss"] < base["logloss"] - 0.02
    assert ours["rmse"] < base["rmse"]


def test_predict_next_uses_the_learners_own_history():
    model = SuccessModel(C=1.0).fit(_synthetic(80, 3))
    strong = [Record("x", "i1", "s1", 1, float(t)) for t in range(15)]
    weak = [Record("x", "i1", "s1", 0, float(t)) for t in range(15)]
    assert model.predict_next(strong, "i6", "s1", 20) > model.predict_next(weak, "i6", "s1", 20)


def test_bench_learner_model_smoke(tmp_path):
    from teachback.benchmarks.learner_model import command

    def write(path, records):
        lines = ["user_id\titem_id\ttimestamp\tcorrect\tskill_id"]
        lines += [f"{r.user}\t{r.item}\t{int(r.t)}\t{r.correct}\t{r.skill}" for r in records]
        path.write_text("\n".join(lines) + "\n")

    write(tmp_path / "train.tsv", _synthetic(60, 4))
    write(tmp_path / "test.tsv", _synthetic(20, 5))
    result = CliRunner().invoke(
        command,
        ["--train", str(tmp_path / "train.tsv"), "--test", str(tmp_path / "test.tsv")],
    )
    assert result.exit_code == 0, result.output
    import json

    last = json.loads(result.output.strip().splitlines()[-1])
    assert set(last) >= {"auc", "rmse", "logloss", "fit_seconds"}
    assert "skill mean" in result.output and "BKT" in result.output


def test_bench_learner_model_names_a_bad_file(tmp_path):
    from teachback.benchmarks.learner_model import LogFormatError, load_log

    bad = tmp_path / "bad.tsv"
    bad.write_text("user_id\titem_id\ttimestamp\tcorrect\tskill_id\nu\ti\t0\tmaybe\ts\n")
    try:
        load_log(bad)
    except LogFormatError as err:
        assert "bad.tsv:2" in str(err)
    else:
        raise AssertionError("expected LogFormatError")


def test_log_time_stamps_may_be_numbers_or_iso_dates(tmp_path):
    from teachback.benchmarks.learner_model import load_log

    f = tmp_path / "log.tsv"
    f.write_text(
        "user_id\titem_id\ttimestamp\tcorrect\tskill_id\n"
        "u\ti1\t2009-09-18 10:00:00\t1\ts\n"
        "u\ti2\t1253268060\t0\ts\n"
    )
    a, b = load_log(f)
    assert b.t - a.t == 60.0 and (a.correct, b.correct) == (1, 0)


def test_time_window_features_count_recent_attempts_only():
    from teachback.tutor.features import FeatureState

    state = FeatureState(use_time=True)
    for t in (0.0, 10_000.0, 90_000.0):
        state.observe("i", "s", 1, t)
    f = state.features("i", "s", 90_100.0)
    import math

    assert f["win0"] == math.log1p(1)  # last hour: the attempt at 90,000 s
    assert f["win1"] == math.log1p(2)  # last day: 10,000 s and 90,000 s
    assert f["win2"] == math.log1p(3)
