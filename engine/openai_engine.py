"""The opt-in engine: every thinking step through any OpenAI-compatible server.

``OpenAIEngine`` implements ``teachback.engine.protocol.Engine`` with the ``openai`` client
(OpenAI, Ollama, vLLM, LM Studio, llama.cpp's server; see docs/llm.md). It is never worse than
offline:

* **Fallback per step.** A call that fails, times out, is refused, is over budget or returns
  something that does not validate falls back to the embedded engine *for that step*; the
  fallback is counted (``usage_report()``) and logged as one line. A dead server opens a
  circuit breaker so an ingest does not wait for a timeout on every step.
* **Grounding.** The model proposes; the engine keeps only what the sources back up: concept
  names must occur in the sources and definitions must be verbatim sentences of them, lessons
  and answers cite numbered passages that are real spans, exercises cite a real passage.
* **Data, not instructions.** Source and learner text go inside tagged blocks (see
  ``engine/prompts.py``); a learner answer that talks to the grader gets no more than the
  offline grade.
* **Cache and budget.** Every validated response is cached in the store's ``llm_cache`` table
  by a hash of (model, prompt, schema): a re-run costs no tokens. ``for_ingest(db)`` gives a
  per-ingest view with its own token count and budget; when the budget is spent the remaining
  steps use the embedded engine and the summary says so.

Steps routed to ``embedded`` in the configuration (``LLMConfig.target``) never call the model.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from pydantic import BaseModel, ValidationError

from teachback.core.document import Document
from teachback.engine import prompts as P
from teachback.engine.answer_check import gives_answer_away
from teachback.engine.cache import LLMCache, cache_key, db_file
from teachback.engine.embedded import EmbeddedEngine
from teachback.engine.graph import break_cycles
from teachback.engine.llm_budget import (
    Breaker,
    InvalidOutput,
    LLMError,
    Refused,
    ServerUnavailable,
    Usage,
)
from teachback.engine.llm_config import LLMConfig
from teachback.engine.llm_grounding import (
    cited_passages,
    find_quote,
    grounded_enough,
    looks_like_injection,
    matches_key,
    merge_spans,
    norm_text,
)
from teachback.engine.protocol import (
    ConceptDraft,
    EdgeDraft,
    Evidence,
    ExerciseDraft,
    Grade,
    GradeRequest,
    GroundedAnswer,
    LessonDraft,
    SelfCheckResult,
    Span,
    UnitDraft,
    verdict_for,
)
from teachback.errors import ModelUnavailable

log = logging.getLogger("teachback.llm")

CHUNK_CHARS = 3000  # source text per concept-extraction call
MAX_CHUNKS = 24  # per extraction; a larger corpus uses the embedded extractor (recorded)
MAX_LINK_CONCEPTS = 40
PASSAGE_CHARS = 700
CLOSED_KINDS = {
    "multiple_choice",
    "cloze",
    "true_false",
    "ordering",
    "matching",
    "predict_output",
    "which_function",
    "write_code",  # checked by running the source's own tests: no model needed
}



# --------------------------------------------------------------------------------------------
# small text helpers


def _strip_fences(content: str) -> str:
    content = (content or "").strip()
    m = re.match(r"^```(?:json)?\s*(.*?)\s*```$", content, re.S)
    return m.group(1) if m else content


def _chunks(documents: list[Document], limit: int = CHUNK_CHARS) -> list[tuple[int, int, int]]:
    """(doc index, start, end) pieces of the documents' text, split at paragraph ends."""
    out = []
    for di, doc in enumerate(documents):
        text, start = doc.text, 0
        while start < len(text):
            end = min(len(text), start + limit)
            if end < len(text):
                cut = text.rfind("\n\n", start + limit // 2, end)
                if cut < 0:
                    cut = text.rfind(". ", start + limit // 2, end)
                end = cut + 1 if cut > 0 else end
            if text[start:end].strip():
                out.append((di, start, end))
            start = end
    return out


# --------------------------------------------------------------------------------------------
# the engine


class OpenAIEngine:
    """``Engine`` over an OpenAI-compatible server, with per-step embedded fallback."""

    name = "openai"

    def __init__(
        self,
        config: LLMConfig | None = None,
        *,
        embedded: EmbeddedEngine | None = None,
        cache_path: str | None = None,
        usage: Usage | None = None,
        _shared: dict | None = None,
    ):
        self.config = config or LLMConfig.load()
        self.embedded = embedded or EmbeddedEngine()
        if _shared is None:
            _shared = {
                "client": None,
                "client_lock": threading.Lock(),
                "breaker": Breaker(self.config.breaker_failures, self.config.breaker_seconds),
                "sem": threading.BoundedSemaphore(self.config.max_concurrency),
                "mode": {"structured": self.config.structured},
                "caches": {},
            }
        self._shared = _shared
        self.usage = usage or Usage(0)
        path = cache_path or self.config.cache_db
        if path is None and self.config.cache:
            from teachback.config import default_db_path

            path = str(default_db_path())
        self.cache_path = path if self.config.cache else None

    # ---- views ----------------------------------------------------------------------------
    def for_ingest(self, db=None) -> OpenAIEngine:
        """A view for one ingest: its own token count and budget, the cache in ``db``'s file."""
        path = db_file(db) if db is not None else None
        return OpenAIEngine(
            self.config,
            embedded=self.embedded,
            cache_path=path or self.cache_path,
            usage=Usage(self.config.budget_tokens),
            _shared=self._shared,
        )

    def with_config(self, **changes) -> OpenAIEngine:
        return OpenAIEngine(replace(self.config, **changes), embedded=self.embedded)

    def usage_report(self) -> dict:
        return self.usage.report()

    # ---- plumbing -------------------------------------------------------------------------
    @property
    def client(self):
        shared = self._shared
        with shared["client_lock"]:
            if shared["client"] is None:
                import openai

                shared["client"] = openai.OpenAI(
                    base_url=self.config.base_url or None,
                    api_key=self.config.api_key or "sk-no-key-required",
                    timeout=self.config.timeout,
                    max_retries=self.config.retries,
                )
            return shared["client"]

    def _cache(self) -> LLMCache | None:
        if not self.cache_path:
            return None
        caches = self._shared["caches"]
        if self.cache_path not in caches:
            caches[self.cache_path] = LLMCache(self.cache_path)
        return caches[self.cache_path]

    def complete(
        self, step: str, msgs: list[dict], schema: type[BaseModel], max_tokens: int = 400
    ) -> BaseModel:
        """One structured call: cache, budget, breaker, request, validation."""
        model = self.config.model_for(step)
        if not model:
            raise ServerUnavailable("no model configured (TEACHBACK_MODEL or [llm] model)")
        key = cache_key(model, msgs, schema.model_json_schema())
        cache = self._cache()
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                try:
                    out = schema.model_validate_json(hit[0])
                    with self.usage.lock:
                        self.usage.cached += 1
                    return out
                except ValidationError:
                    cache.delete(key)
        self.usage.check_budget()
        breaker = self._shared["breaker"]
        breaker.check()
        max_tokens = min(max_tokens, self.config.max_tokens)
        with self._shared["sem"]:
            content, ptok, ctok = self._request(model, msgs, schema, max_tokens, breaker)
        self.usage.add_tokens(ptok, ctok)
        try:
            out = schema.model_validate_json(_strip_fences(content))
        except ValidationError as err:
            raise InvalidOutput(
                f"response does not match the schema: {_first_error(err)}"
            ) from None
        if cache is not None:
            cache.put(key, model, out.model_dump_json(), ptok + ctok)
        return out

    def _request(self, model, msgs, schema, max_tokens, breaker) -> tuple[str, int, int]:
        import openai

        mode = self._shared["mode"]
        for attempt in range(2):
            structured = mode["structured"]
            try:
                if structured in ("auto", "json_schema"):
                    # Raw response first, so the tokens of an output that then fails to parse
                    # still count against the budget.
                    raw = self.client.chat.completions.with_raw_response.parse(
                        model=model,
                        messages=msgs,
                        response_format=schema,
                        max_tokens=max_tokens,
                        temperature=0,
                    )
                    try:
                        resp = raw.parse()
                    except Exception:
                        self._count_raw(raw)
                        raise
                else:
                    resp = self.client.chat.completions.create(
                        model=model,
                        messages=msgs,
                        response_format={
                            "type": "json_object",
                            "schema": schema.model_json_schema(),
                        },
                        max_tokens=max_tokens,
                        temperature=0,
                    )
            except openai.LengthFinishReasonError:
                breaker.ok()
                raise InvalidOutput("output cut off at max_tokens") from None
            except (openai.APITimeoutError, openai.APIConnectionError) as err:
                breaker.failed()
                kind = "timed out" if isinstance(err, openai.APITimeoutError) else "unreachable"
                e = ServerUnavailable(f"model server {kind}: {err}")
                e.reason = "timeout" if kind == "timed out" else "unavailable"
                raise e from None
            except openai.APIStatusError as err:
                breaker.ok()
                if (
                    structured == "auto"
                    and attempt == 0
                    and err.status_code in (400, 422, 500)  # llama-cpp-python says 500
                    and "response_format" in str(err).lower() + str(err.body).lower()
                ):
                    mode["structured"] = "json_object"  # e.g. llama-cpp-python's server
                    continue
                e = LLMError(f"HTTP {err.status_code}: {str(err)[:160]}")
                e.reason = f"http_{err.status_code}"
                raise e from None
            except (ValidationError, json.JSONDecodeError, ValueError) as err:
                breaker.ok()
                raise InvalidOutput(f"unparseable output: {str(err)[:160]}") from None
            breaker.ok()
            choice = resp.choices[0] if resp.choices else None
            if choice is None:
                raise InvalidOutput("empty response")
            msg = choice.message
            if getattr(msg, "refusal", None):
                raise Refused(f"the model refused: {msg.refusal[:120]}")
            if choice.finish_reason == "length":
                raise InvalidOutput("output cut off at max_tokens")
            content = msg.content or ""
            usage = resp.usage
            ptok = (usage.prompt_tokens if usage else 0) or sum(
                len(m["content"]) // 4 for m in msgs
            )
            ctok = (usage.completion_tokens if usage else 0) or len(content) // 4
            if structured == "auto":
                mode["structured"] = "json_schema"
            return content, ptok, ctok
        raise InvalidOutput("structured output not supported by the server")

    def _count_raw(self, raw) -> None:
        """Count the tokens of a response that could not be parsed (when it says them)."""
        try:
            usage = raw.http_response.json().get("usage") or {}
        except Exception:  # noqa: BLE001 - not JSON at all: nothing to count
            return
        if usage:
            self.usage.add_tokens(usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))

    def _run(self, step: str, llm_fn, embedded_fn):
        """The step through the model, or the embedded engine when routed or on failure."""
        if self.config.target(step) == "embedded":
            with self.usage.lock:
                self.usage.embedded_steps[step] += 1
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
        with self.usage.lock:
            self.usage.llm_steps[step] += 1
        return out

    # ---- concepts -------------------------------------------------------------------------
    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]:
        return self._run(
            "extract_concepts",
            lambda: self._llm_concepts(documents),
            lambda: self.embedded.extract_concepts(documents),
        )

    def _llm_concepts(self, documents: list[Document]) -> list[ConceptDraft]:
        pieces = _chunks(documents)
        if not pieces:
            return []
        if len(pieces) > MAX_CHUNKS:
            raise InvalidOutput(f"{len(pieces)} chunks exceed the per-ingest limit {MAX_CHUNKS}")

        def call(piece):
            di, s, e = piece
            doc = documents[di]
            data = P.block("source", doc.text[s:e], id=doc.title or doc.path)
            return piece, self.complete(
                "extract_concepts", P.messages(P.EXTRACT, data), P.LLMConcepts, 500
            )

        workers = max(1, self.config.max_concurrency)
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(call, pieces))
        lowers = [d.text.lower() for d in documents]
        by_key: dict[str, ConceptDraft] = {}
        order: list[str] = []
        for (di, s, e), out in results:
            doc, low = documents[di], lowers[di]
            for rank, c in enumerate(out.concepts):
                name = re.sub(r"\s+", " ", c.name).strip().strip("`*_\"'")
                if not (1 < len(name) <= 60) or len(name.split()) > 6:
                    continue
                at = low.find(name.lower(), s, e + 200)
                if at < 0:
                    at = low.find(name.lower())
                if at < 0:
                    continue  # not in the source: invented, dropped
                key = name.lower()
                draft = by_key.get(key)
                if draft is None:
                    draft = ConceptDraft(
                        name=name,
                        importance=max(0.1, 1.0 - 0.08 * rank),
                        first_seen=(di, at),
                        kind="code" if re.search(r"[_()]|[a-z][A-Z]", name) else "term",
                    )
                    by_key[key] = draft
                    order.append(key)
                ev = Evidence(
                    source=doc.path,
                    start=at,
                    end=at + len(name),
                    quote=doc.text[at : at + len(name)],
                )
                draft.evidence.append(ev)
                definition = c.definition.strip()
                found = find_quote(doc.text, definition) if len(definition) > 15 else None
                if found and not draft.definition and not looks_like_injection(definition):
                    d_start, d_end = found
                    quote = doc.text[d_start:d_end]
                    draft.definition = re.sub(r"\s+", " ", quote.replace("**", "")).strip()
                    draft.evidence.insert(
                        0,
                        Evidence(
                            source=doc.path,
                            start=d_start,
                            end=d_end,
                            quote=quote,
                            role="definition",
                        ),  # fmt: skip
                    )
                for alias in c.aliases[:3]:
                    alias = alias.strip()
                    if alias and alias.lower() != key and alias.lower() in low:
                        if alias not in draft.aliases:
                            draft.aliases.append(alias)
        if not order:
            raise InvalidOutput("no concept named by the model occurs in the sources")
        concepts = [by_key[k] for k in order]
        # Importance: how often the concept is mentioned, blended with the model's rank.
        counts = [sum(low.count(c.name.lower()) for low in lowers) for c in concepts]
        top = max(counts) or 1
        for c, n in zip(concepts, counts, strict=True):
            c.importance = round(min(1.0, 0.5 * c.importance + 0.5 * (n / top) ** 0.5), 3)
        concepts.sort(key=lambda c: c.first_seen)
        return concepts

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]:
        return self._run(
            "link_prerequisites",
            lambda: self._llm_edges(concepts),
            lambda: self.embedded.link_prerequisites(concepts, documents),
        )

    def _llm_edges(self, concepts: list[ConceptDraft]) -> list[EdgeDraft]:
        """Edges proposed by the model over windows of at most ``MAX_LINK_CONCEPTS`` concepts
        in teaching order (overlapping, so neighbours across a window boundary are seen
        together); their union, with cycles broken. Any window failing fails the step."""
        if len(concepts) < 2:
            return []
        names = {c.name.lower(): c.name for c in concepts}
        for c in concepts:
            for a in c.aliases:
                names.setdefault(a.lower(), c.name)
        edges, seen = [], set()
        for lo, hi in link_windows(len(concepts), MAX_LINK_CONCEPTS):
            for e in self._llm_edges_window(concepts[lo:hi]):
                a, b = (
                    names.get(e.prerequisite.strip().lower()),
                    names.get(e.concept.strip().lower()),
                )
                if a and b and a != b and (a, b) not in seen:
                    seen.add((a, b))
                    edges.append(
                        EdgeDraft(
                            prerequisite=a, concept=b, weight=0.7, reason=e.reason.strip()[:200]
                        )
                    )
        return break_cycles(edges)

    def _llm_edges_window(self, concepts: list[ConceptDraft]):
        listing = "\n".join(
            f"- {c.name}: {c.definition[:160]}" if c.definition else f"- {c.name}" for c in concepts
        )
        out = self.complete(
            "link_prerequisites",
            P.messages(P.LINK, P.block("concepts", listing)),
            P.LLMEdges,
            600,
        )
        return out.edges

    def order_units(self, concepts: list[ConceptDraft], edges: list[EdgeDraft]) -> list[UnitDraft]:
        return self.embedded.order_units(concepts, edges)

    # ---- lessons --------------------------------------------------------------------------
    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft:
        base = self.embedded.write_lesson(concept, documents, prerequisites=prerequisites)
        return self._run(
            "write_lesson",
            lambda: self._llm_lesson(concept, base, documents, prerequisites or []),
            lambda: base,
        )

    def _llm_lesson(
        self,
        concept: ConceptDraft,
        base: LessonDraft,
        documents: list[Document],
        prereqs: list[str],
    ):
        passages = merge_spans(base.citations, documents)[:6]
        if not passages:
            raise InvalidOutput("no source passages to ground a lesson in")
        prereq = f" The learner already knows: {', '.join(prereqs[:6])}." if prereqs else ""
        task = P.LESSON.format(name=concept.name.replace("'", ""), prereq=prereq)
        out = self.complete(
            "write_lesson",
            P.messages(task, P.numbered([p.quote[:PASSAGE_CHARS] for p in passages])),
            P.LLMLesson,
            450,
        )
        text = out.text.strip()
        cited = cited_passages(text, out.passages, [p.quote for p in passages])
        if len(text.split()) < 25:
            raise InvalidOutput("lesson too short")
        if not cited:
            raise InvalidOutput("lesson cites no passage")
        if not grounded_enough(text, [passages[i].quote for i in cited]):
            raise InvalidOutput("lesson says things its passages do not")
        return LessonDraft(text=text, citations=[passages[i] for i in cited])

    # ---- exercises ------------------------------------------------------------------------
    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]:
        return self._run(
            "make_exercises",
            lambda: self._llm_exercises(concept, documents),
            lambda: self.embedded.make_exercises(concept, concepts, documents),
        )

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
        """Make exercises and keep those that pass the self-check: ``(kept, rejected)``."""
        if (
            self.config.target("make_exercises") == "embedded"
            and self.config.target("self_check") == "embedded"
        ):
            with self.usage.lock:
                self.usage.embedded_steps["make_exercises"] += 1
                self.usage.embedded_steps["self_check"] += 1
            return self.embedded.generate_checked(concept, concepts, documents)
        kept: list[ExerciseDraft] = []
        rejected: list[ExerciseDraft] = []
        for x in self.make_exercises(concept, concepts, documents):
            result = self.self_check(x, documents, kept)
            x.self_check = result
            (kept if result.passed else rejected).append(x)
        return kept, rejected

    def _llm_exercises(self, concept: ConceptDraft, documents: list[Document]):
        base = self.embedded.write_lesson(concept, documents)
        passages = merge_spans(base.citations, documents)[:5]
        if not passages:
            raise InvalidOutput("no source passages to write exercises from")
        task = P.EXERCISES.format(name=concept.name.replace("'", ""))
        out = self.complete(
            "make_exercises",
            P.messages(task, P.numbered([p.quote[:PASSAGE_CHARS] for p in passages])),
            P.LLMExercises,
            600,
        )
        drafts = []
        for x in out.exercises:
            if not (1 <= x.passage <= len(passages)) or len(x.prompt.strip()) < 8:
                continue
            cite = [passages[x.passage - 1]]
            answer: str | bool = x.answer.strip()
            data: dict = {}
            choices = [c.strip() for c in x.choices if c.strip()]
            if x.kind == "multiple_choice":
                match = [c for c in choices if norm_text(c) == norm_text(x.answer)]
                distinct = len(set(map(norm_text, choices))) == len(choices)
                if len(choices) < 3 or not distinct or not match:
                    continue
                answer = match[0]
            elif x.kind == "true_false":
                if norm_text(x.answer) not in ("true", "false"):
                    continue
                answer, choices = norm_text(x.answer) == "true", []
            else:
                if len(answer.split()) < 2:
                    continue
                choices = []
                data = {"rubric": [answer], "accepted": []}
            drafts.append(
                ExerciseDraft(
                    concept=concept.name,
                    kind=x.kind,
                    prompt=x.prompt.strip(),
                    choices=choices,
                    answer=answer,
                    explanation=x.explanation.strip(),
                    difficulty=0.5,
                    citations=cite,
                    data=data,
                )
            )
        if not drafts:
            raise InvalidOutput("no usable exercise in the response")
        return drafts

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult:
        return self._run(
            "self_check",
            lambda: self._llm_check(exercise, documents, kept),
            lambda: self.embedded.self_check(exercise, documents, kept),
        )

    def _llm_check(self, x: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]):
        reasons = []
        if any(norm_text(k.prompt) == norm_text(x.prompt) for k in kept):
            reasons.append("duplicate")
        key = x.answer if isinstance(x.answer, str) else ""
        if x.kind in ("cloze", "short_answer") and key and len(key) > 3:
            if norm_text(key) in norm_text(x.prompt):
                reasons.append("answer_revealed")
        if reasons:  # rule failures need no model call
            return SelfCheckResult(passed=False, reasons=reasons)
        passages = [c.quote[:PASSAGE_CHARS] for c in x.citations][:4]
        if not passages:
            return SelfCheckResult(passed=False, reasons=["unanswerable"])
        shown = x.prompt + (
            "\nOptions:\n" + "\n".join(f"- {c}" for c in x.choices) if x.choices else ""
        )
        if x.kind == "true_false":
            shown += "\n(Answer 'true' or 'false'.)"
        out = self.complete(
            "self_check",
            P.messages(P.CHECK, P.numbered(passages) + "\n" + P.block("exercise", shown)),
            P.LLMCheck,
            150,
        )
        answered = out.answer.strip()
        if norm_text(answered) == "unanswerable":
            reasons.append("unanswerable")
        elif out.ambiguous and x.kind == "multiple_choice":
            reasons.append("ambiguous")
        elif not matches_key(x, answered):
            reasons.append("checker disagrees with the key")
        return SelfCheckResult(
            passed=not reasons, reasons=reasons or ["answered from the sources"],
            answered=answered, supporting=list(x.citations[:2]),
        )  # fmt: skip

    # ---- tutoring -------------------------------------------------------------------------
    def grade(self, request: GradeRequest) -> Grade:
        kind = request.kind
        if request.exercise is not None and kind in ("", "short_answer"):
            kind = request.exercise.kind
        if kind in CLOSED_KINDS:  # exact key checks: the embedded grader is right by design
            return self.embedded.grade(request)
        return self._run(
            "grade", lambda: self._llm_grade(request), lambda: self.embedded.grade(request)
        )

    def _llm_grade(self, r: GradeRequest) -> Grade:
        if not (r.answer or "").strip():
            return self.embedded.grade(r)
        rubric = r.rubric or [r.reference]
        data = "\n".join(
            [
                P.block("question", r.question),
                P.block("reference", r.reference),
                P.numbered(rubric, tag="rubric"),
                P.block("learner_answer", r.answer[:3000]),
            ]
        )
        out = self.complete("grade", P.messages(P.GRADE, data), P.LLMGrade, 200)
        score = int(out.score) / 5.0
        if looks_like_injection(r.answer):
            # An answer that talks to the grader gets no more than the offline grade.
            offline = self.embedded.grade(r)
            score = min(score, offline.score)
        covered = [rubric[i - 1] for i in out.covered if 1 <= i <= len(rubric)]
        covered = list(dict.fromkeys(covered))
        return Grade(
            score=round(score, 3),
            verdict=verdict_for(score),
            feedback=out.feedback.strip()[:600] or "Compare your answer with the reference.",
            covered=covered,
            missing=[p for p in rubric if p not in covered],
            citations=list(r.citations),
        )

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer:
        if not passages:  # nothing retrieved: "not covered", no model needed
            return self.embedded.answer_question(question, passages)
        return self._run(
            "answer_question",
            lambda: self._llm_answer(question, passages),
            lambda: self.embedded.answer_question(question, passages),
        )

    def _answer_data(self, question: str, passages: list[Span]) -> str:
        return (
            P.numbered([p.quote[:PASSAGE_CHARS] for p in passages[:6]])
            + "\n"
            + P.block("question", question[:1000])
        )

    def _answer_messages(self, question: str, passages: list[Span]) -> list[dict]:
        return P.messages(P.ASK, self._answer_data(question, passages))

    def _llm_answer(self, question: str, passages: list[Span]) -> GroundedAnswer:
        if not passages:
            return self.embedded.answer_question(question, passages)
        out = self.complete(
            "answer_question", self._answer_messages(question, passages), P.LLMAnswer, 300
        )
        shown = passages[:6]
        cited = cited_passages(out.answer, out.passages, [p.quote for p in shown])
        if not out.covered:
            # Small models decline questions their passages do answer (docs/bench-llm.md):
            # "not covered" is left to the offline retrieval, which knows when it is.
            e = LLMError("the model said the passages do not answer it")
            e.reason = "declined"
            raise e
        if not cited:
            raise InvalidOutput("answer cites no passage")
        if not grounded_enough(out.answer, [shown[i].quote for i in cited]):
            raise InvalidOutput("answer says things its passages do not")
        return GroundedAnswer(
            covered=True, text=out.answer.strip(), citations=[shown[i] for i in cited]
        )

    def stream_answer(self, question: str, passages: list[Span]):
        """Yield the answer text as it is generated (for ``st.write_stream``); check it with
        ``finish_stream``. When routed to embedded, or with no passages, or when the server
        fails before saying anything, yields the embedded answer in one piece. Not cached."""
        msgs = P.text_messages(P.ASK_STREAM, self._answer_data(question, passages), "the answer")
        yield from self._stream_text(
            "answer_question",
            msgs if passages else None,
            300,
            lambda: self.embedded.answer_question(question, passages).text,
        )

    def _stream_text(self, step: str, msgs: list[dict] | None, max_tokens: int, offline):
        """Free text from the server, piece by piece, for the web UI to show as it comes.

        ``offline()`` (the embedded engine's text) is yielded instead, in one piece, when the
        step is routed to embedded, when ``msgs`` is None (nothing to ask), or when the server
        fails before its first piece; a failure after some pieces just ends the stream, and the
        caller's ``finish_*`` check decides what stays on screen. Tokens count against the
        budget (estimated: streamed chunks carry no usage); streams are not cached.
        """
        if msgs is None or self.config.target(step) == "embedded":
            yield offline()
            return
        sent = False
        try:
            self.usage.check_budget()
            self._shared["breaker"].check()
            stream = self.client.chat.completions.create(
                model=self.config.model_for(step),
                messages=msgs,
                max_tokens=max_tokens,
                temperature=0,
                stream=True,
            )
            n = 0
            for chunk in stream:
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    sent = True
                    n += 1
                    yield delta
            self.usage.add_tokens(sum(len(m["content"]) for m in msgs) // 4, n)
        except Exception as err:  # noqa: BLE001 - never worse than offline
            self.usage.fallback(step, err)
            log.warning("%s (stream): fell back to the embedded engine (%s)", step, err)
            if not sent:
                yield offline()

    def _streamed_fallback(self, step: str, text: str, why: str) -> None:
        """Record that a streamed text was replaced by the offline one (when the model, not
        the offline engine, wrote it)."""
        if text and self.config.target(step) == "llm":
            self.usage.fallback(step, InvalidOutput(why))

    def finish_stream(self, question: str, passages: list[Span], text: str) -> GroundedAnswer:
        """Check a streamed answer like a structured one: it must cite the passages it was
        given ([n]) and stay within them; otherwise the embedded answer (recorded as a
        fallback). The UI shows the returned answer in place of the streamed text."""
        shown = passages[:6]
        cited = cited_passages(text or "", [], [p.quote for p in shown])
        if cited and grounded_enough(text, [shown[i].quote for i in cited]):
            with self.usage.lock:
                self.usage.llm_steps["answer_question"] += 1
            return GroundedAnswer(
                covered=True, text=text.strip(), citations=[shown[i] for i in cited]
            )
        self._streamed_fallback(
            "answer_question", text, "streamed answer cites no passage or says more than they do"
        )
        return self.embedded.answer_question(question, passages)

    # ---- hints ----------------------------------------------------------------------------
    def _hint_data(self, exercise: ExerciseDraft, answer: str) -> str:
        shown = exercise.prompt + (
            "\nOptions:\n" + "\n".join(f"- {c}" for c in exercise.choices)
            if exercise.choices
            else ""
        )
        data = "\n".join(
            [
                P.numbered([c.quote[:PASSAGE_CHARS] for c in exercise.citations[:3]]),
                P.block("exercise", shown),
                P.block("learner_answer", answer[:1000]),
            ]
        )
        return data

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str:
        """A Socratic hint for a wrong answer (never the key); offline: the source passage
        with the key blanked (teachback.tutor.hints)."""

        def llm() -> str:
            msgs = P.messages(P.HINT, self._hint_data(exercise, answer))
            out = self.complete("hint", msgs, P.LLMHint, 120)
            text = out.hint.strip()
            if not text or gives_answer_away(text, exercise):
                raise InvalidOutput("hint empty or gives the answer away")
            return text

        return self._run("hint", llm, lambda: self.embedded.hint(exercise, answer))

    def stream_hint(self, exercise: ExerciseDraft, answer: str = ""):
        """The hint as it is written; check it with ``finish_hint``."""
        msgs = P.text_messages(P.HINT, self._hint_data(exercise, answer), "the hint")
        yield from self._stream_text(
            "hint", msgs, 120, lambda: self.embedded.hint(exercise, answer)
        )

    def finish_hint(self, exercise: ExerciseDraft, answer: str, text: str) -> str:
        """The streamed hint if it is one (not empty, does not state the key), else the
        offline hint (recorded as a fallback)."""
        text = (text or "").strip()
        if text and not gives_answer_away(text, exercise):
            if self.config.target("hint") == "llm":
                with self.usage.lock:
                    self.usage.llm_steps["hint"] += 1
            return text
        self._streamed_fallback("hint", text, "streamed hint gives the answer away")
        return self.embedded.hint(exercise, answer)

    # ---- explanations ---------------------------------------------------------------------
    def _explain_messages(self, name: str, passages: list[Span]) -> list[dict]:
        task = P.EXPLAIN.format(name=name.replace("'", ""))
        data = P.numbered([p.quote[:PASSAGE_CHARS] for p in passages[:6]])
        return P.text_messages(task, data, "the explanation")

    def explain(self, name: str, passages: list[Span]) -> str:
        """The concept again in other words (not streamed): the streamed text, checked."""
        text = "".join(self.stream_explanation(name, passages))
        return self.finish_explanation(name, passages, text)

    def stream_explanation(self, name: str, passages: list[Span]):
        """An explanation of ``name`` in other words, from ``passages`` only, as it is
        written; check it with ``finish_explanation``."""
        yield from self._stream_text(
            "explain",
            self._explain_messages(name, passages) if passages else None,
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
        quotes = [p.quote for p in passages[:6]]
        if len(text.split()) >= 10 and grounded_enough(text, quotes):
            with self.usage.lock:
                self.usage.llm_steps["explain"] += 1
            return text
        self._streamed_fallback("explain", text, "explanation says things its passages do not")
        return offline


# --------------------------------------------------------------------------------------------
# helpers


def link_windows(n: int, size: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` windows of at most ``size`` over ``n`` items, each overlapping the one before
    by a quarter, covering every item; one window when ``n <= size``."""
    if n <= size:
        return [(0, n)]
    step = max(1, size - size // 4)
    out = []
    for lo in range(0, n, step):
        hi = min(n, lo + size)
        out.append((lo, hi))
        if hi == n:
            break
    return out


def _first_error(err: ValidationError) -> str:
    e = err.errors()[0] if err.errors() else {}
    return f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', str(err))}"[:160]


_ENGINE: OpenAIEngine | None = None
_ENGINE_LOCK = threading.Lock()


def get_engine() -> OpenAIEngine:
    """The process-wide engine from the configuration (``teachback.engine.embedded.get_engine``
    calls this for ``TEACHBACK_ENGINE=openai``)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            try:
                _ENGINE = OpenAIEngine(LLMConfig.load())
            except ImportError as err:  # pragma: no cover - openai is a base dependency
                raise ModelUnavailable(f"the openai package is not installed: {err}") from None
        return _ENGINE


__all__ = ["OpenAIEngine", "get_engine", "link_windows"]
