"""``teachback learn``: the tutor in a terminal (the same graph and checkpoints as the web UI)."""

from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path

import click

from teachback.cli import learn_signin as signin
from teachback.cli.code_input import ask_code
from teachback.cli.options import db_option, store_path
from teachback.core.kinds import answer_form
from teachback.errors import NotFound
from teachback.neutralise import terminal_safe, terminal_text
from teachback.tutor.session_lesson import untitled

VERDICT = {"correct": ("Correct", "green"), "partly": ("Partly right", "yellow")}
BLANK = "_____"
COMMANDS = "q stops, ? shows the lesson again, h gives a hint"


_FENCED = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n(.*?)\n?^[ ]{0,3}\1[`~]*[ \t]*$", re.M | re.S)


def _plain(markdown: str) -> str:
    """Markdown made readable as terminal text: headings, emphasis and code marks dropped, a
    blank (a run of underscores on its own) shown as ``_____``; ``__init__`` stays. Fenced code
    is shown as written, without its fences (its ``**kwargs`` and backquotes kept)."""
    text, out, at = terminal_text(markdown), [], 0
    for m in _FENCED.finditer(text):
        out += [_plain_prose(text[at : m.start()]), m.group(2)]
        at = m.end()
    out.append(_plain_prose(text[at:]))
    return "".join(out).strip()


_IN_PARAGRAPH = r"(?:(?!\n[ \t]*\n).)"  # any character, but not a blank line
_STRONG = re.compile(rf"\*\*(\S{_IN_PARAGRAPH}*?)\*\*", re.S)
_EMPHASIS = re.compile(rf"(?<![\w*])\*(\S{_IN_PARAGRAPH}*?\S|\S)\*(?![\w*])", re.S)


def _plain_prose(text: str) -> str:
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.M)  # no escapes
    text = re.sub(r"(?<![\w\\])(?:\\?_){2,}(?!\w)", "\0", text)  # a blank, kept apart
    text = _escapes_held(text)  # an escaped star is a star, not emphasis
    # emphasis may wrap over a line break (not over a paragraph): "**Direct\naddressing**"
    text = _STRONG.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = text.replace("`", "")
    text = _HELD.sub(lambda m: chr(ord(m.group(0)) - _HOLD), text)
    return text.replace("\0", BLANK)


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's escapable ASCII punctuation
_HOLD = 0xE000  # escaped characters wait in the private use area while marks are dropped
_HELD = re.compile("[\ue021-\ue07e]")


def _escapes_held(text: str) -> str:
    r"""Markdown's backslash escapes outside code spans (where they are not escapes) as
    stand-ins that ``_plain_prose`` turns back into the plain character: a list point written
    ``10\.`` so it is not renumbered reads "10." in a terminal, ``\*`` a star.

    >>> _plain_prose(r"10\. Robotics: 2 \* 3 \*not emphasis\* and `a\.b`")
    '10. Robotics: 2 * 3 *not emphasis* and a\\.b'
    """
    out, at = [], 0
    for m in _CODE_SPAN.finditer(text):
        out += [_ESCAPE.sub(_held, text[at : m.start()]), m.group(0)]
        at = m.end()
    out.append(_ESCAPE.sub(_held, text[at:]))
    return "".join(out)


def _held(m: re.Match) -> str:
    return chr(_HOLD + ord(m.group(1)))


def _source_titles(db, ids) -> dict[str, str]:
    from teachback.curricula import catalogue

    return {
        r["id"]: r["title"] or (r["path"] or "").rsplit("/", 1)[-1] or r["id"]
        for r in catalogue.sources_named(db, ids)
    }


def show_feedback(feedback: dict | None, db=None) -> None:
    """The verdict once, what the grader adds, the answer, and the passage to reread with the
    title of the source it is from (never its id)."""
    from teachback.ui.learn import feedback_note  # pure text; the same rules as the web page

    if not feedback:
        return
    title, colour = VERDICT.get(feedback["verdict"], ("Not quite", "red"))
    heading = title
    if feedback["verdict"] == "partly":
        heading += f" ({round(100 * feedback['score'])}%)"
    note = feedback_note(feedback)
    click.secho(f"\n{heading}" + (f": {_plain(note)}" if note else ""), fg=colour, bold=True)
    if feedback["verdict"] != "correct" and feedback.get("correct_answer"):
        click.echo(f"Answer: {_plain(str(feedback['correct_answer']))}")
    if feedback.get("missing"):
        click.echo("Missing: " + "; ".join(_plain(str(m)) for m in feedback["missing"]))
    citations = (feedback.get("citations") or [])[:1]
    titles = _source_titles(db, [c.get("source") for c in citations]) if db is not None else {}
    for c in citations:
        where = terminal_text(titles.get(c.get("source"), ""))
        click.echo(
            click.style("Reread: ", dim=True)
            + reread(c["quote"])
            + (click.style(f" ({where})", dim=True) if where else "")
        )


def reread(quote: str) -> str:
    r"""A cited passage for the terminal: prose on one line (a source's line wraps are not its
    author's), code as written below it, indented (its lines and indentation are the code).

    >>> reread("A key must never\nchange.")
    'A key must never change.'
    >>> print(reread("def f(x):\n    return x"))
    <BLANKLINE>
        def f(x):
            return x
    """
    if not _is_code(quote):
        return _plain(" ".join(quote.split()))
    code = textwrap.dedent(terminal_text(quote).strip("\n"))
    return "\n" + textwrap.indent(code, "    ", lambda line: True)


def _is_code(quote: str) -> bool:
    """Code keeps its line structure: an indented line after the first, or a doctest prompt
    (prose wrapped in a Markdown or text file starts each line at the margin)."""
    lines = [line for line in quote.splitlines()[1:] if line.strip()]
    return any(line[:1] in (" ", "\t") for line in lines) or ">>> " in quote


def show_lesson(payload: dict, last_shown: tuple | None, *, again: bool = False) -> tuple | None:
    """The lesson once per concept (and again after a re-explanation or when asked for with
    ``?``); otherwise a one-line reminder. Returns what was shown, to pass back next time."""
    lesson = payload.get("lesson") or {}
    if lesson.get("recall") and not again:  # a question asked again: from memory
        click.secho("From memory this time (? shows the lesson).", dim=True)
        return last_shown
    if again and lesson.get("whole"):  # asked for: the whole lesson, not its reminder
        lesson = {**lesson, "text": lesson["whole"], "brief": False}
    if not lesson.get("text"):
        if again:
            click.secho("No lesson with this question: it would give the answer away.", dim=True)
        return last_shown
    # the same lesson without its title line (above a question asking for the name) is the same
    concept = payload["concept"]
    shown = (concept.get("id") or concept["name"], untitled(lesson, concept["name"])["text"])
    if again or shown != last_shown:
        if lesson.get("angle") == "evidence":
            click.secho("Another way to look at it, from the source:", dim=True)
        elif lesson.get("brief"):
            click.secho("The key idea (? shows the whole lesson):", dim=True)
        click.echo(_plain(lesson["text"]))
    elif lesson.get("brief"):
        click.secho("(the key idea is above; ? shows the whole lesson)", dim=True)
    else:
        click.secho("(the lesson is above; ? shows it again)", dim=True)
    return shown


def _choice(raw: str, options: list[str]) -> str | None:
    """The option a typed number picks, or the option typed out (as shown, any case, without
    its code marks or a function's ``()``); None for anything else (asked again).

    >>> _choice("2", ["``key``", "value"]), _choice("Key", ["``key``", "value"])
    ('value', '``key``')
    >>> _choice("bucket_index", ["fnv1a()", "bucket_index()"]), _choice("3", ["a", "b"])
    ('bucket_index()', None)
    """
    raw = raw.strip()
    if raw.isdigit():
        return options[int(raw) - 1] if 0 < int(raw) <= len(options) else None
    typed = [o for o in options if _option_text(o) == _option_text(raw)]
    return typed[0] if len(typed) == 1 else None


def _option_text(text: str) -> str:
    """An option as a learner would type it: shown text, any case, spaces collapsed, no
    trailing ``()`` or full stop, no surrounding quotes."""
    text = " ".join(_plain(text).split()).casefold().strip("\"'“”")
    return re.sub(r"(\(\)|\.)$", "", text).strip()


def _order(raw: str, items: list[str]) -> list[str] | None:
    """The order typed as numbers, every item once; None otherwise (asked again)."""
    picks = [int(n) for n in re.findall(r"\d+", raw)]
    if sorted(picks) != list(range(1, len(items) + 1)):
        return None
    return [items[n - 1] for n in picks]


def _prompt(label: str, on_command, allow_empty: bool = False) -> str | None:
    """A line of input; None for q. Empty lines are asked again (unless ``allow_empty``);
    ``?`` and ``h`` go to ``on_command`` and the question is asked again after them."""
    while True:
        try:
            raw = click.prompt(label, default="", show_default=False).strip()
        except click.Abort:  # end of input (Ctrl-D): stop, as q does
            click.echo()
            return None
        if raw.lower() == "q":
            return None
        if raw in ("?", "h", "H") and on_command is not None:
            on_command(raw.lower())
            continue
        if raw or allow_empty:
            return raw
        click.secho(f"Type an answer ({COMMANDS}).", fg="yellow")


def _ask_until(label: str, parse, complaint: str, on_command):
    """``parse(line)`` of the first line it accepts (not None); None when the learner stops."""
    while True:
        raw = _prompt(label, on_command)
        if raw is None:
            return None
        value = parse(raw)
        if value is not None:
            return value
        click.secho(complaint, fg="yellow")


def _pick(options: list) -> str:
    return f"Pick a number from 1 to {len(options)}, or type one of the options as shown."


def _numbered(options: list) -> None:
    for i, option in enumerate(options, 1):
        click.echo(f"  {i}. {_plain(option)}")


def _lists(text: str, options: list) -> bool:
    r"""Whether ``text`` lists ``options`` numbered from 1 in this order, one a line.

    >>> _lists("Descriptions:\n1. a thing\n2. another", ["a thing", "another"])
    True
    """
    lines = {line.strip() for line in text.splitlines()}
    return bool(options) and all(f"{i}. {_plain(o)}" in lines for i, o in enumerate(options, 1))


def _ask_matching(ex: dict, choices: list, on_command):
    """Each left-hand item paired with a numbered choice: ``["left => right", ...]``. The
    choices are listed unless the question above already lists them, numbered the same way."""
    if not _lists(_plain(ex.get("prompt") or ""), choices):
        _numbered(choices)
    pairs = []
    complaint = _pick(choices)
    for left in ex.get("items") or []:
        right = _ask_until(
            f"{_plain(left)} =", lambda raw: _choice(raw, choices), complaint, on_command
        )
        if right is None:
            return None
        pairs.append(f"{left} => {right}")
    return pairs


def ask_answer(payload: dict, on_command=None):
    """Prompt for an answer of the right shape, asking again on input that is not one (an
    option number out of range, an order that misses an item, an empty line); None when the
    learner wants to stop."""
    if payload["type"] == "teach_back":
        click.echo(_plain(payload["prompt"]))
        return _prompt("Your explanation", on_command)
    ex = payload["exercise"]
    choices = ex.get("choices") or []
    form = answer_form(ex["kind"], has_choices=bool(choices))
    if form == "code":
        return ask_code(ex, on_command)
    click.echo("\n" + _plain(ex["prompt"]))
    if form == "order":
        items = ex.get("items") or choices
        _numbered(items)
        return _ask_until(
            "Order as numbers, e.g. 2 1 3",
            lambda raw: _order(raw, items),
            f"Give each number from 1 to {len(items)} once.",
            on_command,
        )
    if form == "pairs":
        return _ask_matching(ex, choices, on_command)
    if choices:
        _numbered(choices)
        return _ask_until(
            "Your answer (a number, or the option)",
            lambda raw: _choice(raw, choices),
            _pick(choices),
            on_command,
        )
    return _prompt("Your answer", on_command)


def progress_line(progress: dict) -> str:
    """``3/10 concepts mastered``; once concepts have been learnt from their lesson alone
    (nothing to practise: read, or taught with a concept whose lesson holds theirs), the
    concepts done and how: ``5/10 concepts done (3 mastered, 2 read)``. Not "lessons read",
    which a learner takes for every lesson they have read.

    >>> progress_line({"mastered": 3, "read": 2, "total": 10})
    '5/10 concepts done (3 mastered, 2 read)'
    >>> progress_line({"mastered": 3, "read": 0, "total": 10})
    '3/10 concepts mastered'
    """
    mastered, read = progress.get("mastered", 0), progress.get("read") or 0
    total = progress.get("total", 0)
    if not read:
        return f"{mastered}/{total} concepts mastered"
    return f"{mastered + read}/{total} concepts done ({mastered} mastered, {read} read)"


def ask_read(payload: dict, on_command=None) -> str | None:
    """A concept with nothing to practise: its lesson (shown above) is the step. Enter marks it
    read; None when the learner wants to stop."""
    if payload.get("questions_later"):
        click.secho("Read the lesson above first: its questions come afterwards, without it.",
                    dim=True)  # fmt: skip
    else:
        click.secho("No questions on this one: read the lesson above.", dim=True)
    raw = _prompt("Press Enter when you have read it (got it)", on_command, allow_empty=True)
    return None if raw is None else "read"


@click.command()
@click.option("--curriculum", default=None, help="Curriculum to learn (default: the only one).")
@db_option
@click.option("--learner", default=None, help="Your username (asked when not given).")
@click.option("--code", default=None, help="A one-time sign-in code from your instructor.")
@click.option(
    "--sign-out", is_flag=True, help="Forget the sign-in this computer keeps, and stop there."
)
def learn(curriculum, db_path, learner, code, sign_out):
    """Learn a curriculum in the terminal; stop any time with q and resume later.

    You sign in as in the web UI: your username and password (asked, not echoed), or a
    one-time code from your instructor. This computer then keeps you signed in (14 days, or
    until --sign-out), so `teachback learn` continues where you stopped.

    \b
    Example:
        teachback learn --curriculum sample --learner ada
        teachback learn --code ABCD-EFGH-JKMN
    """
    from teachback.curricula import repository
    from teachback.curricula.db import open_db
    from teachback.tutor.published import load_curriculum

    given = db_path
    db_path = store_path(db_path)
    if not Path(db_path).exists():
        raise NotFound(f"{db_path}: no database yet; run `teachback quickstart` or `ingest` first")
    db = open_db(db_path)
    if sign_out:
        click.echo(signin.sign_out(db, db_path))
        return
    named = curriculum
    curriculum = curriculum or repository.default_curriculum(db)
    # Before signing in: a one-time code is spent by signing in, and a start that cannot
    # happen (no such curriculum, not published yet) must not spend it.
    load_curriculum(db, curriculum, published_only=True)
    _, user = signin.sign_in(db, db_path, learner, code)
    if _learn(db, db_path, curriculum, user):
        signin.stopped(db, user, signin.resume_command(given, named))


def _learn(db, db_path, curriculum: str, user) -> bool:
    """The session until it is done (False) or the learner stops (True)."""
    from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

    name, learner_id = user.display_name, user.id
    tutor = TutorSessions(db, sqlite_checkpointer(sessions_path(db_path)))
    # Source text reaches the terminal: escape sequences in it must not reach the terminal.
    payload = terminal_safe(tutor.current(learner_id, curriculum, name))
    click.secho(
        f"teachback: {name} learning {curriculum!r} ({COMMANDS}; you resume here)", bold=True
    )
    lesson_shown = None
    while True:
        show_feedback(payload.get("feedback"), db)
        click.secho(f"\n[{progress_line(payload.get('progress') or {})}]", dim=True)
        if payload["type"] == "done":
            click.echo(payload.get("reason") or "Everything is mastered for now.")
            return False
        concept = payload["concept"]
        click.secho(f"\n== {concept.get('heading') or concept['name']} ==", bold=True)
        if payload.get("reason"):
            click.secho(f"Why this now: {_plain(payload['reason'])}", dim=True)
        lesson_shown = show_lesson(payload, lesson_shown)
        shown = time.time()
        if payload["type"] == "lesson":
            answer = ask_read(payload, _helper(tutor, learner_id, curriculum, payload))
        else:
            answer = ask_answer(payload, _helper(tutor, learner_id, curriculum, payload))
        if answer is None or answer == "" or answer == "q":
            return True
        payload = terminal_safe(
            tutor.answer(
                learner_id,
                curriculum,
                answer,
                step=payload["step"],
                time_taken=time.time() - shown,
                hints=_HINTS.pop(payload["step"], 0),
            )
        )


_HINTS: dict[int, int] = {}  # hints given per step, recorded with the answer


def _helper(tutor, learner: str, curriculum: str, payload: dict):
    """What ``?`` (the lesson again) and ``h`` (the next hint of the ladder) do."""
    from teachback.tutor.hint_ladder import RUNGS, ladder_hint

    def on_command(cmd: str) -> None:
        if cmd == "?":
            show_lesson(payload, None, again=True)
            return
        step = payload["step"]
        given = _HINTS.get(step, 0)
        help_ = tutor.help_for(learner, curriculum, step) if payload["type"] == "exercise" else None
        if help_ is None or help_.exercise is None:
            click.secho("No hints for this step: ? shows the lesson again.", fg="yellow")
            return
        if given >= len(RUNGS):
            click.secho("That was the last hint for this question.", fg="yellow")
            return
        _HINTS[step] = given + 1
        text = ladder_hint(help_.exercise, given + 1, help_.context)
        click.secho(f"Hint {given + 1} of {len(RUNGS)} ({RUNGS[given]}):", bold=True)
        click.echo(_plain(text))

    return on_command
