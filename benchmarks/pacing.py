"""``teachback bench pacing``: pacing policies against simulated learners.

Every policy meets the *same* learners (same course, same hidden profile, same random stream for
answers and learning) and sees only right/wrong answers. Each run ends when the policy says it
is done or the exercise budget (15 per concept) is spent. Per policy:

- exercises until every concept is truly known (the first moment all are known; a learner who
  never gets there within the run is counted at the budget — "censored"),
- share of learners who get there within the budget,
- exercises spent on concepts the learner already truly knew,
- concepts the policy declared mastered that the learner did not truly know at the end;
- with ``--seeds``, each learner family on its own; with one seed, where the exercises before
  "everything known" go (kind of step x what the learner truly knew when asked).

Baselines: random (random unmastered concept, BKT >= 0.95 to stop), fixed linear order with N
exercises per concept, linear order with BKT >= 0.95 (plain BKT with the shared parameters: the
baseline of the issue). Ours: ``teachback.tutor.pacing.next_step`` with its default settings
(short placement, frontier, target-success exercise choice, leaves set aside at P(known) 0.85,
re-explain, prerequisite probes, a final check that is risk-ordered, breadth-first and as long as
the learner's own guess rate needs) on the learner model with this
learner's own fitted rates (``mastery.PersonalModel``). Transparency rows: linear + the same
personal learner model (how much the learner model alone gives), ours on plain BKT, ours with
unit test-outs. All BKT-based policies start from the same population parameters; none is
fitted to the simulator.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import click
import numpy as np

from teachback.benchmarks.report import emit, machine
from teachback.benchmarks.simulate import FAMILIES, Course, SimLearner, random_course, real_course
from teachback.tutor import bkt
from teachback.tutor.attempts import AttemptEvent
from teachback.tutor.mastery import MasteryTracker, PersonalModel
from teachback.tutor.pacing import HistoryItem, PacingSettings, Step, next_step

BUDGET_PER_CONCEPT = 15
DIFFICULTY_AWARE = True  # the mastery tracker weighs answers by exercise difficulty
T0 = datetime(2026, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- baseline policies


def _least_used(course: Course, concept: str, history, rng=None):
    pool = [e for e in course.exercises if e.concept_id == concept]
    if rng is not None:
        return pool[int(rng.integers(len(pool)))]
    used = {}
    for h in history:
        used[h.exercise_id] = used.get(h.exercise_id, 0) + 1
    return min(pool, key=lambda e: (used.get(e.id, 0), e.id))


def policy_random(course, state, history, rng):
    todo = [c for c in course.graph.order if not state.concepts[c].mastered]
    if not todo:
        return Step("done", None, None, "all mastered")
    c = todo[int(rng.integers(len(todo)))]
    return Step("learn", c, _least_used(course, c, history, rng).id, "random")


def make_linear_fixed(n_each: int):
    def policy(course, state, history, rng):
        k = sum(1 for h in history if h.exercise_id) // n_each
        if k >= len(course.graph.order):
            return Step("done", None, None, "every concept practised")
        c = course.graph.order[k]
        return Step("learn", c, _least_used(course, c, history).id, f"linear, {n_each} each")

    return policy


def policy_linear_bkt(course, state, history, rng):
    for c in course.graph.order:
        if not state.concepts[c].mastered:
            return Step("learn", c, _least_used(course, c, history).id, "linear until BKT 0.95")
    return Step("done", None, None, "all mastered")


def make_ours(settings: PacingSettings):
    def policy(course, state, history, rng):
        return next_step(course.graph, state, course.exercises, history=history, settings=settings)

    return policy


# --------------------------------------------------------------------------- one run


def run_one(
    course: Course,
    learner: SimLearner,
    policy,
    rng,
    *,
    declared_fixed: bool = False,
    params: bkt.BKTParams = bkt.DEFAULT_PARAMS,
    personal: PersonalModel | None = None,
):
    """Run ``policy`` with ``learner`` until done or out of budget; return the figures."""
    graph = course.graph
    tracker = MasteryTracker(
        graph,
        params,
        personal=personal,
        reviews=False,
        difficulty={e.id: e.difficulty for e in course.exercises} if DIFFICULTY_AWARE else None,
    )
    by_id = {e.id: e for e in course.exercises}
    budget = BUDGET_PER_CONCEPT * len(graph)
    history: list[HistoryItem] = []
    done_ex = wasted = other_steps = 0
    all_known_at = 0 if learner.knows_all() else None
    known_at_start = {c for c in graph.order if learner.knows(c)}
    kinds: dict[str, int] = {}
    spent: dict[str, int] = {}  # exercises before everything is known, by kind of step and truth
    while done_ex < budget and other_steps < budget:
        step = policy(course, tracker.state, history, rng)
        if step.kind in ("done", "capped"):
            break
        kinds[step.kind] = kinds.get(step.kind, 0) + 1
        if step.exercise_id is None:
            other_steps += 1
            history.append(HistoryItem(step.kind, step.concept_id))
            continue
        ex = by_id[step.exercise_id]
        if learner.knows(ex.concept_id):
            wasted += 1
        if all_known_at is None:
            key = f"{_phase(step)}: {_truth(learner, graph, ex.concept_id, known_at_start)}"
            spent[key] = spent.get(key, 0) + 1
        right = learner.answer(ex)
        done_ex += 1
        tracker.apply(
            AttemptEvent(
                event_id=str(done_ex),
                learner_id="sim",
                curriculum_id=course.name,
                exercise_id=ex.id,
                concept_id=ex.concept_id,
                correct=right,
                at=(T0 + timedelta(minutes=done_ex)).isoformat(),
            )
        )
        history.append(HistoryItem(step.kind, ex.concept_id, ex.id, right))
        if all_known_at is None and learner.knows_all():
            all_known_at = done_ex
    if declared_fixed:
        per = sum(1 for h in history if h.exercise_id)
        declared = set(graph.order[: per // max(1, _n_each(history, graph))])
    else:
        declared = tracker.state.mastered()
    false_mastery = sum(1 for c in declared if not learner.knows(c))
    return {
        "until_known": all_known_at if all_known_at is not None else budget,
        "reached": all_known_at is not None,
        "exercises": done_ex,
        "wasted": wasted,
        "false_mastery": false_mastery,
        "other_steps": other_steps,
        "kinds": kinds,
        "spent": spent,
        "answers": [(h.concept_id, int(h.correct)) for h in history if h.exercise_id],
    }


def _phase(step: Step) -> str:
    if step.meta.get("final_check"):
        return "final check"
    return {"probe_prerequisite": "prerequisite probe", "test_out": "test-out"}.get(
        step.kind, step.kind
    )


def _truth(learner: SimLearner, graph, concept: str, known_at_start: set[str]) -> str:
    """What the learner truly knew when asked: the simulator's hidden state, for the report."""
    if learner.knows(concept):
        return "known from the start" if concept in known_at_start else "learned in this run"
    if all(learner.knows(p) for p in graph.prerequisites(concept)):
        return "not yet known"
    return "a prerequisite not known"


def _n_each(history, graph):
    # For the fixed-N baseline: every concept practised in full counts as declared mastered.
    return FIXED_N


FIXED_N = 5


def _cohort(n: int, master: np.random.Generator, families):
    for i in range(n):
        family = families[i % len(families)]
        course_seed, learner_seed, run_seed = (int(x) for x in master.integers(0, 2**31, 3))
        crng = np.random.default_rng(course_seed)
        if i % 3 == 2:
            course = real_course(crng)
        else:
            course = random_course(int(crng.integers(15, 41)), crng)
        yield family, course, learner_seed, run_seed


def calibrate_params(n: int, seed: int, families=FAMILIES) -> bkt.BKTParams:
    """EM-fit BKT parameters on the answers of an earlier cohort taught by linear + BKT.

    This is what the tutor does in deployment ("defaults first, fitted by EM once there is
    enough data"); here all concepts are pooled into one skill because every random course is
    different. The calibration learners are not the evaluation learners (different seed).
    """
    sequences = []
    for family, course, learner_seed, run_seed in _cohort(
        n, np.random.default_rng(seed + 100_003), families
    ):
        learner = SimLearner(course, family, np.random.default_rng(learner_seed))
        run = run_one(course, learner, policy_linear_bkt, np.random.default_rng(run_seed))
        per_concept: dict[str, list[int]] = {}
        for concept, right in run["answers"]:
            per_concept.setdefault(concept, []).append(right)
        sequences.extend(per_concept.values())
    return bkt.fit_em(sequences, fit_forget=False)


def simulate(
    learners: int,
    seed: int,
    families=FAMILIES,
    settings: PacingSettings | None = None,
    params: bkt.BKTParams = bkt.DEFAULT_PARAMS,
    only: tuple[str, ...] | None = None,
):
    """Run every policy on ``learners`` simulated learners; returns per-policy lists of runs.

    ``params``: the BKT parameters every BKT-based policy uses (baselines and ours alike).
    ``only``: run just these policies (by name).
    """
    settings = settings or PacingSettings()
    own = PersonalModel()
    policies = {
        "random": (policy_random, False, None),
        f"linear, {FIXED_N} each": (make_linear_fixed(FIXED_N), True, None),
        "linear, BKT>=0.95": (policy_linear_bkt, False, None),
        "linear, own-rate BKT": (policy_linear_bkt, False, own),
        "ours (adaptive)": (make_ours(settings), False, own),
        "ours without placement": (make_ours(_replace(settings, placement=False)), False, own),
        "ours on plain BKT": (make_ours(settings), False, None),
        "ours with test-outs": (make_ours(_replace(settings, test_out=True)), False, own),
    }
    if only:
        policies = {k: v for k, v in policies.items() if k in only}
    results: dict[str, list[dict]] = {name: [] for name in policies}
    meta = []
    for family, course, learner_seed, run_seed in _cohort(
        learners, np.random.default_rng(seed), families
    ):
        fresh = SimLearner(course, family, np.random.default_rng(learner_seed))
        meta.append(
            {
                "family": family,
                "course": course.name,
                "concepts": len(course.graph),
                "prior_share": fresh.known_count() / len(course.graph),
            }
        )
        for name, (policy, fixed, personal) in policies.items():
            # Same learner (profile and random stream) for every policy.
            learner = SimLearner(course, family, np.random.default_rng(learner_seed))
            run = run_one(
                course,
                learner,
                policy,
                np.random.default_rng(run_seed),
                declared_fixed=fixed,
                params=params,
                personal=personal,
            )
            run.update(meta[-1])
            results[name].append(run)
    return results


def _replace(settings: PacingSettings, **changes) -> PacingSettings:
    from dataclasses import replace

    return replace(settings, **changes)


def summarise(runs: list[dict]) -> dict:
    return {
        "until_known": float(np.mean([r["until_known"] for r in runs])),
        "reached": float(np.mean([r["reached"] for r in runs])),
        "exercises": float(np.mean([r["exercises"] for r in runs])),
        "wasted": float(np.mean([r["wasted"] for r in runs])),
        "false_mastery": float(np.mean([r["false_mastery"] for r in runs])),
    }


BREAKDOWN_POLICIES = ("linear, BKT>=0.95", "ours (adaptive)")


def _breakdown(results: dict[str, list[dict]], families) -> None:
    """Where the exercises before "everything known" go, per learner, by step and truth."""
    for f in families:
        click.echo(f"\nexercises before everything is known, per learner (family {f})")
        names = [n for n in BREAKDOWN_POLICIES if n in results]
        runs = {n: [r for r in results[n] if r["family"] == f] for n in names}
        keys = sorted({k for n in names for r in runs[n] for k in r["spent"]})
        header = f"{'step: truth':<46}" + "".join(f" {n:>18}" for n in names)
        click.echo(header)
        click.echo("-" * len(header))
        for k in keys:
            vals = [np.mean([r["spent"].get(k, 0) for r in runs[n]]) for n in names]
            click.echo(f"{k:<46}" + "".join(f" {v:>18.1f}" for v in vals))


SPREAD_POLICIES = ("linear, BKT>=0.95", "ours (adaptive)", "ours without placement")


def _seed_list(text: str) -> list[int]:
    """``"1-6,10"`` -> ``[1, 2, 3, 4, 5, 6, 10]``."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            out.extend(range(int(lo), int(hi) + 1) if hi else [int(lo)])
        except ValueError:
            raise click.BadParameter(f"not a seed list: {text!r} (use e.g. 1-6,10)") from None
    if not out:
        raise click.BadParameter(f"no seeds in {text!r}")
    return out


def _spread(learners, seeds, families, params, start):
    """Several seeds, the baseline and ours only: one line per seed, then mean, min and max."""
    rows = []
    click.echo(
        f"{learners} simulated learners per seed, seeds {seeds}; reduction = fewer exercises "
        "until every concept is known than linear + BKT >= 0.95"
    )
    header = (
        f"{'seed':>5} {'linear+BKT':>10} {'ours':>7} {'reduction':>9} {'false m.':>8} "
        f"{'w/o placement: red.':>19} {'false m.':>8}"
        + "".join(f" {f + ': red.':>15} {'false m.':>8}" for f in families)
    )
    click.echo(header)
    click.echo("-" * len(header))
    for seed in seeds:
        res = simulate(learners, seed, families, params=params, only=SPREAD_POLICIES)
        s = {k: summarise(v) for k, v in res.items()}
        base = s["linear, BKT>=0.95"]["until_known"]
        ours, nop = s["ours (adaptive)"], s["ours without placement"]
        row = {
            "seed": seed,
            "linear_bkt": round(base, 2),
            "ours": round(ours["until_known"], 2),
            "reduction": round(1 - ours["until_known"] / base, 4),
            "false_mastery": round(ours["false_mastery"], 4),
            "reduction_no_placement": round(1 - nop["until_known"] / base, 4),
            "false_mastery_no_placement": round(nop["false_mastery"], 4),
            "exercises_total": round(ours["exercises"], 2),
            "linear_bkt_total": round(s["linear, BKT>=0.95"]["exercises"], 2),
        }
        for f in families:  # each learner family on its own (same seed, half the learners)
            if not any(r["family"] == f for r in res["ours (adaptive)"]):
                row[f"{f}_reduction"] = row[f"{f}_false_mastery"] = float("nan")
                continue
            fs = {k: summarise([r for r in v if r["family"] == f]) for k, v in res.items()}
            f_base = fs["linear, BKT>=0.95"]["until_known"]
            row[f"{f}_reduction"] = round(1 - fs["ours (adaptive)"]["until_known"] / f_base, 4)
            row[f"{f}_false_mastery"] = round(fs["ours (adaptive)"]["false_mastery"], 4)
        rows.append(row)
        click.echo(
            f"{seed:>5} {base:>10.1f} {ours['until_known']:>7.1f} {row['reduction']:>9.1%} "
            f"{row['false_mastery']:>8.2f} {row['reduction_no_placement']:>19.1%} "
            f"{row['false_mastery_no_placement']:>8.2f}"
            + "".join(
                f" {row[f + '_reduction']:>15.1%} {row[f + '_false_mastery']:>8.2f}"
                for f in families
            )
        )
    figures = {}
    for key in (
        "reduction",
        "false_mastery",
        "reduction_no_placement",
        "false_mastery_no_placement",
        *(f"{f}_{k}" for f in families for k in ("reduction", "false_mastery")),
    ):
        vals = [r[key] for r in rows]
        figures[key] = (float(np.mean(vals)), min(vals), max(vals))
        click.echo(
            f"{key:<27} mean {figures[key][0]:.3f}  min {min(vals):.3f}  max {max(vals):.3f}"
        )
    seconds = time.perf_counter() - start
    emit(
        {
            "reduction_vs_linear_bkt": round(figures["reduction"][0], 4),
            "false_mastery": round(figures["false_mastery"][0], 4),
            "reduction_min": figures["reduction"][1],
            "reduction_max": figures["reduction"][2],
            "false_mastery_max": figures["false_mastery"][2],
            "per_family": {
                f: {
                    "reduction": round(figures[f"{f}_reduction"][0], 4),
                    "reduction_min": figures[f"{f}_reduction"][1],
                    "reduction_max": figures[f"{f}_reduction"][2],
                    "false_mastery": round(figures[f"{f}_false_mastery"][0], 4),
                    "false_mastery_max": figures[f"{f}_false_mastery"][2],
                }
                for f in families
            },
            "per_seed": rows,
            "learners": learners,
            "seeds": seeds,
            "bkt_params": params.as_dict(),
            "seconds": round(seconds, 1),
            "machine": machine(),
        }
    )


@click.command()
@click.option("--learners", default=200, show_default=True, help="simulated learners")
@click.option("--seed", default=7, show_default=True, help="random seed")
@click.option(
    "--seeds",
    default=None,
    help="several seeds, e.g. 1-12: baseline and ours only, one line per seed and the spread",
)
@click.option(
    "--family",
    type=click.Choice(["both", *FAMILIES]),
    default="both",
    show_default=True,
    help="learner-model family of the simulated learners",
)
@click.option(
    "--calibrate",
    default=0,
    show_default=True,
    help="EM-fit the BKT parameters on this many earlier simulated learners first (0: defaults)",
)
@click.option(
    "--difficulty-evidence/--no-difficulty-evidence",
    default=True,
    show_default=True,
    help="weigh answers by exercise difficulty in the mastery tracker (all policies)",
)
def command(learners, seed, seeds, family, calibrate, difficulty_evidence):
    """Pacing policies on simulated learners; last line: JSON figures for our policy.

    Example: teachback bench pacing --learners 200 --seed 7
    Spread over seeds: teachback bench pacing --seeds 1-12
    """
    global DIFFICULTY_AWARE
    DIFFICULTY_AWARE = difficulty_evidence
    start = time.perf_counter()
    families = FAMILIES if family == "both" else (family,)
    params = calibrate_params(calibrate, seed, families) if calibrate else bkt.DEFAULT_PARAMS
    if calibrate:
        click.echo(f"BKT parameters fitted by EM on {calibrate} earlier learners: {params}")
    if seeds:
        return _spread(learners, _seed_list(seeds), families, params, start)
    results = simulate(learners, seed, families, params=params)
    click.echo(
        f"{learners} simulated learners (families: {', '.join(families)}; every third on the "
        f"intro-python course, others on random DAGs of 15-40 concepts), seed {seed}, "
        f"budget {BUDGET_PER_CONCEPT} exercises per concept"
    )
    header = (
        f"{'policy':<26} {'ex. until all known':>19} {'reached':>8} {'ex. total':>9} "
        f"{'on known':>9} {'false mastery':>13}"
    )
    groups = (
        [("all learners", lambda r: True)]
        + [(f"family {f}", lambda r, f=f: r["family"] == f) for f in families]
        + [
            (
                f"knowing {lo:.0%}-{hi:.0%} of the course beforehand",
                lambda r, lo=lo, hi=hi: lo <= r["prior_share"] < hi,
            )
            for lo, hi in ((0.0, 0.15), (0.15, 0.4), (0.4, 1.01))
        ]
    )
    summary = {}
    for title, keep in groups:
        n_runs = sum(1 for r in next(iter(results.values())) if keep(r))
        if not n_runs:
            continue
        click.echo(f"\n{title} ({n_runs} learners)")
        click.echo(header)
        click.echo("-" * len(header))
        for name, runs in results.items():
            s = summarise([r for r in runs if keep(r)])
            if title == "all learners":
                summary[name] = s
            click.echo(
                f"{name:<26} {s['until_known']:>19.1f} {s['reached']:>8.0%} "
                f"{s['exercises']:>9.1f} {s['wasted']:>9.1f} {s['false_mastery']:>13.2f}"
            )
    _breakdown(results, families)
    ours = summary["ours (adaptive)"]
    base = summary["linear, BKT>=0.95"]
    reduction = 1.0 - ours["until_known"] / base["until_known"]
    seconds = time.perf_counter() - start
    click.echo(
        f"\nours vs linear+BKT: {reduction:.1%} fewer exercises until every concept is known; "
        f"{ours['false_mastery']:.2f} concepts falsely mastered per learner ({seconds:.0f}s)"
    )
    emit(
        {
            "reduction_vs_linear_bkt": round(reduction, 4),
            "false_mastery": round(ours["false_mastery"], 4),
            "reached": round(ours["reached"], 4),
            "until_known": round(ours["until_known"], 2),
            "wasted": round(ours["wasted"], 2),
            "baselines": {
                k: {kk: round(vv, 3) for kk, vv in v.items()}
                for k, v in summary.items()
                if k != "ours (adaptive)"
            },
            "learners": learners,
            "seed": seed,
            "bkt_params": params.as_dict(),
            "difficulty_evidence": difficulty_evidence,
            "seconds": round(seconds, 1),
            "machine": machine(),
        }
    )
