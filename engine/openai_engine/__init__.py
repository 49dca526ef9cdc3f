"""The opt-in engine: every thinking step through any OpenAI-compatible server.

``OpenAIEngine`` implements ``teachback.engine.protocol.Engine`` with the ``openai`` client
(OpenAI, Ollama, vLLM, LM Studio, llama.cpp's server; see docs/llm.md). It is never worse than
offline:

* **Fallback per step.** A call that fails, times out, is refused, is over budget or returns
  something that does not validate falls back to the embedded engine *for that step*; the
  fallback is counted (``usage_report()``) and logged as one line. A dead server opens a
  circuit breaker so an ingest does not wait for a timeout on every step (``transport.py``).
* **Grounding.** The model proposes; the engine keeps only what the sources back up: concept
  names must occur in the sources and definitions must be verbatim sentences of them, lessons
  and answers cite numbered passages that are real spans, exercises cite a real passage
  (``concepts.py``, ``lessons.py``, ``exercises.py``, ``tutoring.py``).
* **Data, not instructions.** Source and learner text go inside tagged blocks (see
  ``engine/prompts.py``); a learner answer that talks to the grader gets no more than the
  offline grade.
* **Cache and budget.** Every validated response is cached in the store's ``llm_cache`` table
  by a hash of (model, prompt, schema): a re-run costs no tokens. ``for_ingest(store)`` gives a
  per-ingest view with its own token count and budget; when the budget is spent the remaining
  steps use the embedded engine and the summary says so.
* **Streaming** (``streaming.py``): the web UI shows answers, hints and explanations as they
  are written, then the checked text in their place.

Steps routed to ``embedded`` in the configuration (``LLMConfig.target``) never call the model.
This module is the engine's face: routing each step to the model or the embedded engine.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from pydantic import BaseModel

from teachback.core.document import Document
from teachback.core.kinds import graded_by_key
from teachback.engine.llm_budget import InvalidOutput, LLMError, Usage
from teachback.engine.llm_config import LLMConfig
from teachback.engine.openai_engine import tutoring
from teachback.engine.openai_engine.concepts import link_windows, llm_concepts, llm_edges
from teachback.engine.openai_engine.exercises import llm_check, llm_exercises
from teachback.engine.openai_engine.lessons import llm_lesson
from teachback.engine.openai_engine.streaming import stream_text
from teachback.engine.openai_engine.transport import Transport
from teachback.engine.protocol import (
    ConceptDraft,
    EdgeDraft,
    Engine,
    ExerciseDraft,
    Grade,
    GradeRequest,
    GroundedAnswer,
    LessonDraft,
    SelfCheckResult,
    Span,
    UnitDraft,
)
from teachback.errors import ModelUnavailable

log = logging.getLogger("teachback.llm")

CHUNK_CHARS = 3000  # source text per concept-extraction call
MAX_CHUNKS = 24  # per extraction; a larger corpus uses the embedded extractor (recorded)
MAX_LINK_CONCEPTS = 40
PASSAGE_CHARS = 700


class OpenAIEngine(Engine):
    """``Engine`` over an OpenAI-compatible server, with per-step embedded fallback."""

    name = "openai"
    checks_own_exercises = True

    def __init__(
        self,
        config: LLMConfig | None = None,
        *,
        embedded: Engine,
        cache_path: str | None = None,
        usage: Usage | None = None,
        _transport: Transport | None = None,
    ):
        self.config = config or LLMConfig.load()
        # The offline engine each step falls back to (``engine.embedded.EmbeddedEngine`` with
        # the algorithms the caller runs): typed by the protocol, built by the caller.
        self.embedded = embedded
        self.transport = _transport or Transport(self.config)
        self.usage = usage or Usage(0)
        path = cache_path or self.config.cache_db
        if path is None and self.config.cache:
            from teachback.config import default_db_path

            path = str(default_db_path())
        self.cache_path = path if self.config.cache else None

    # ---- views ----------------------------------------------------------------------------
    def for_ingest(self, store: str | None = None) -> OpenAIEngine:
        """A view for one ingest: its own token count and budget, the cache in the file of the
        store it writes (``store``; None: in memory, so the configured cache)."""
        return OpenAIEngine(
            self.config,
            embedded=self.embedded,
            cache_path=store or self.cache_path,
            usage=Usage(self.config.budget_tokens),
            _transport=self.transport,
        )

    def falling_back_to(self, embedded: Engine) -> OpenAIEngine:
        """This engine (same client, cache and token count) with another offline fallback."""
        return OpenAIEngine(
            self.config,
            embedded=embedded,
            cache_path=self.cache_path,
            usage=self.usage,
            _transport=self.transport,
        )

    def with_config(self, **changes) -> OpenAIEngine:
        return OpenAIEngine(replace(self.config, **changes), embedded=self.embedded)

    def usage_report(self) -> dict:
        return self.usage.report()

    def writes_with_model(self, step: str) -> bool:
        return self.config.target(step) == "llm"

    # ---- routing --------------------------------------------------------------------------
    def complete(
        self, step: str, msgs: list[dict], schema: type[BaseModel], max_tokens: int = 400
    ) -> BaseModel:
        """One structured call: cache, budget, breaker, request, validation."""
        cache = self.transport.cache(self.cache_path)
        return self.transport.complete(step, msgs, schema, max_tokens, self.usage, cache)

    def _run(self, step: str, llm_fn, embedded_fn):
        """The step through the model, or the embedded engine when routed or on failure."""
        if self.config.target(step) == "embedded":
            self._count("embedded_steps", step)
            return embedded_fn()
        try:
            out = llm_fn()
        except Exception as err:  # noqa: BLE001 - never worse than offline
            if not isinstance(err, LLMError):
                err = LLMError(f"{type(err).__name__}: {err}")
                err.reason = "error"
            first = self.usage.fallback(step, err)
            # One warning per step and reason in this view (an ingest), the rest at debug level.
            log.log(
                logging.WARNING if first else logging.DEBUG,
                "%s: fell back to the embedded engine (%s)%s",
                step,
                err,
                "; further fallbacks of this step are counted in the summary" if first else "",
            )
            return embedded_fn()
        self._count("llm_steps", step)
        return out

    def _count(self, which: str, step: str) -> None:
        with self.usage.lock:
            getattr(self.usage, which)[step] += 1

    # ---- concepts -------------------------------------------------------------------------
    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]:
        return self._run(
            "extract_concepts",
            lambda: llm_concepts(
                self.complete,
                documents,
                chunk_chars=CHUNK_CHARS,
                max_chunks=MAX_CHUNKS,
                workers=self.config.max_concurrency,
            ),
            lambda: self.embedded.extract_concepts(documents),
        )

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]:
        return self._run(
            "link_prerequisites",
            lambda: llm_edges(self.complete, concepts, MAX_LINK_CONCEPTS),
            lambda: self.embedded.link_prerequisites(concepts, documents),
        )

    def order_units(
        self,
        concepts: list[ConceptDraft],
        edges: list[EdgeDraft],
        documents: list[Document] | None = None,
    ) -> list[UnitDraft]:
        return self.embedded.order_units(concepts, edges, documents)

    # ---- lessons and exercises ------------------------------------------------------------
    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft:
        base = self.embedded.write_lesson(concept, documents, prerequisites=prerequisites)
        return self._run(
            "write_lesson",
            lambda: llm_lesson(
                self.complete, concept, base, documents, prerequisites or [], PASSAGE_CHARS
            ),
            lambda: base,
        )

    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]:
        return self._run(
            "make_exercises",
            lambda: self._llm_exercises(concept, documents),
            lambda: self.embedded.make_exercises(concept, concepts, documents),
        )

    def _llm_exercises(self, concept: ConceptDraft, documents: list[Document]):
        base = self.embedded.write_lesson(concept, documents)
        return llm_exercises(self.complete, concept, base, documents, PASSAGE_CHARS)

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
        """Make exercises and keep those that pass the self-check: ``(kept, rejected)``."""
        if (
            self.config.target("make_exercises") == "embedded"
            and self.config.target("self_check") == "embedded"
        ):
            self._count("embedded_steps", "make_exercises")
            self._count("embedded_steps", "self_check")
            return self.embedded.generate_checked(concept, concepts, documents)
        kept: list[ExerciseDraft] = []
        rejected: list[ExerciseDraft] = []
        for x in self.make_exercises(concept, concepts, documents):
            result = self.self_check(x, documents, kept)
            x.self_check = result
            (kept if result.passed else rejected).append(x)
        return kept, rejected

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult:
        return self._run(
            "self_check",
            lambda: self._llm_check(exercise, documents, kept),
            lambda: self.embedded.self_check(exercise, documents, kept),
        )

    def _llm_check(self, x: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]):
        return llm_check(self.complete, x, kept, PASSAGE_CHARS)

    # ---- tutoring -------------------------------------------------------------------------
    def grade(self, request: GradeRequest) -> Grade:
        kind = request.kind
        if request.exercise is not None and kind in ("", "short_answer"):
            kind = request.exercise.kind
        if graded_by_key(kind):  # exact key checks: the embedded grader is right by design
            return self.embedded.grade(request)

        def offline() -> Grade:
            return self.embedded.grade(request)

        return self._run(
            "grade", lambda: tutoring.llm_grade(self.complete, request, offline), offline
        )

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer:
        if not passages:  # nothing retrieved: "not covered", no model needed
            return self.embedded.answer_question(question, passages)
        return self._run(
            "answer_question",
            lambda: tutoring.llm_answer(self.complete, question, passages, PASSAGE_CHARS),
            lambda: self.embedded.answer_question(question, passages),
        )

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str:
        """A Socratic hint for a wrong answer (never the key); offline: the source passage
        with the key blanked (teachback.tutor.hints)."""
        return self._run(
            "hint",
            lambda: tutoring.llm_hint(self.complete, exercise, answer, PASSAGE_CHARS),
            lambda: self.embedded.hint(exercise, answer),
        )

    def explain(self, name: str, passages: list[Span]) -> str:
        """The concept again in other words (not streamed): the streamed text, checked."""
        text = "".join(self.stream_explanation(name, passages))
        return self.finish_explanation(name, passages, text)

    # ---- streamed, then checked -----------------------------------------------------------
    def stream_answer(self, question: str, passages: list[Span]):
        """Yield the answer text as it is generated (for ``st.write_stream``); check it with
        ``finish_stream``. When routed to embedded, or with no passages, or when the server
        fails before saying anything, yields the embedded answer in one piece. Not cached."""
        msgs = tutoring.answer_stream_messages(question, passages, PASSAGE_CHARS)
        yield from self._stream(
            "answer_question",
            msgs if passages else None,
            300,
            lambda: self.embedded.answer_question(question, passages).text,
        )

    def finish_stream(self, question: str, passages: list[Span], text: str) -> GroundedAnswer:
        """Check a streamed answer like a structured one: it must cite the passages it was
        given ([n]) and stay within them; otherwise the embedded answer (recorded as a
        fallback). The UI shows the returned answer in place of the streamed text."""
        checked = tutoring.checked_answer(passages, text)
        if checked is not None:
            self._count("llm_steps", "answer_question")
            return checked
        self._streamed_fallback(
            "answer_question", text, "streamed answer cites no passage or says more than they do"
        )
        return self.embedded.answer_question(question, passages)

    def stream_hint(self, exercise: ExerciseDraft, answer: str = ""):
        """The hint as it is written; check it with ``finish_hint``."""
        msgs = tutoring.hint_stream_messages(exercise, answer, PASSAGE_CHARS)
        yield from self._stream("hint", msgs, 120, lambda: self.embedded.hint(exercise, answer))

    def finish_hint(self, exercise: ExerciseDraft, answer: str, text: str) -> str:
        """The streamed hint if it is one (not empty, does not state the key), else the
        offline hint (recorded as a fallback)."""
        checked = tutoring.checked_hint(exercise, text)
        if checked is not None:
            if self.config.target("hint") == "llm":
                self._count("llm_steps", "hint")
            return checked
        self._streamed_fallback("hint", (text or "").strip(), "streamed hint gives the answer away")
        return self.embedded.hint(exercise, answer)

    def stream_explanation(self, name: str, passages: list[Span]):
        """An explanation of ``name`` in other words, from ``passages`` only, as it is
        written; check it with ``finish_explanation``."""
        yield from self._stream(
            "explain",
            tutoring.explain_messages(name, passages, PASSAGE_CHARS) if passages else None,
            350,
            lambda: self.embedded.explain(name, passages),
        )

    def finish_explanation(self, name: str, passages: list[Span], text: str) -> str:
        """The streamed explanation if its content words are found in the passages (the
        same grounding rule as lessons), else the offline one (recorded as a fallback)."""
        text = (text or "").strip()
        offline = self.embedded.explain(name, passages)
        if text == offline.strip():
            return offline
        if tutoring.checked_explanation(passages, text) is not None:
            self._count("llm_steps", "explain")
            return text
        self._streamed_fallback("explain", text, "explanation says things its passages do not")
        return offline

    def _stream(self, step: str, msgs: list[dict] | None, max_tokens: int, offline):
        return stream_text(self.transport, self.usage, step, msgs, max_tokens, offline)

    def _streamed_fallback(self, step: str, text: str, why: str) -> None:
        """Record that a streamed text was replaced by the offline one (when the model, not
        the offline engine, wrote it)."""
        if text and self.config.target(step) == "llm":
            self.usage.fallback(step, InvalidOutput(why))


_ENGINE: OpenAIEngine | None = None
_ENGINE_LOCK = threading.Lock()


def get_engine(embedded: Engine) -> OpenAIEngine:
    """The process-wide engine from the configuration, falling back to ``embedded``
    (``teachback.engine.embedded.get_engine`` calls this for ``TEACHBACK_ENGINE=openai``).
    One client, circuit breaker, cache and token count per process; each caller's view only
    changes the engine it falls back to."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            try:
                _ENGINE = OpenAIEngine(LLMConfig.load(), embedded=embedded)
            except ImportError as err:  # pragma: no cover - openai is a base dependency
                raise ModelUnavailable(f"the openai package is not installed: {err}") from None
        if _ENGINE.embedded is embedded:
            return _ENGINE
        return _ENGINE.falling_back_to(embedded)


__all__ = ["OpenAIEngine", "get_engine", "link_windows"]
