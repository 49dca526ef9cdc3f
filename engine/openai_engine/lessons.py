"""A lesson through the model: written from the embedded lesson's passages, kept only when it
cites them ([n]) and says nothing they do not."""

from __future__ import annotations

from teachback.core.document import Document
from teachback.engine import prompts as P
from teachback.engine.llm_budget import InvalidOutput
from teachback.engine.llm_grounding import cited_passages, grounded_enough, merge_spans
from teachback.engine.openai_engine.transport import Complete
from teachback.engine.protocol import ConceptDraft, LessonDraft


def llm_lesson(
    complete: Complete,
    concept: ConceptDraft,
    base: LessonDraft,
    documents: list[Document],
    prereqs: list[str],
    passage_chars: int,
) -> LessonDraft:
    passages = merge_spans(base.citations, documents)[:6]
    if not passages:
        raise InvalidOutput("no source passages to ground a lesson in")
    prereq = f" The learner already knows: {', '.join(prereqs[:6])}." if prereqs else ""
    task = P.LESSON.format(name=concept.name.replace("'", ""), prereq=prereq)
    out = complete(
        "write_lesson",
        P.messages(task, P.numbered([p.quote[:passage_chars] for p in passages])),
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
