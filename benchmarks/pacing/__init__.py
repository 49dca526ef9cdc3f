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

The files: ``policies`` (the baselines and ours), ``run`` (one learner under one policy),
``cohort`` (every policy on the same learners; BKT parameters fitted on an earlier cohort),
``single`` (the report for one seed) and ``spread`` (``--seeds``: the spread over seeds).
"""

from __future__ import annotations

import time

import click

from teachback.benchmarks.pacing.cohort import calibrate_params
from teachback.benchmarks.pacing.single import single
from teachback.benchmarks.pacing.spread import seed_list, spread
from teachback.benchmarks.simulate import FAMILIES
from teachback.tutor import bkt


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
    start = time.perf_counter()
    families = FAMILIES if family == "both" else (family,)
    params = (
        calibrate_params(calibrate, seed, families, difficulty_aware=difficulty_evidence)
        if calibrate
        else bkt.DEFAULT_PARAMS
    )
    if calibrate:
        click.echo(f"BKT parameters fitted by EM on {calibrate} earlier learners: {params}")
    if seeds:
        seed_values = seed_list(seeds)
        return spread(
            learners, seed_values, families, params, start, difficulty_aware=difficulty_evidence
        )
    single(learners, seed, families, params, start, difficulty_aware=difficulty_evidence)
