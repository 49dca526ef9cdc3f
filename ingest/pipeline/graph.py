"""The ingest graph, read top to bottom:

    read → chunk → extract concepts → merge across sources → link prerequisites
         → write lessons → generate exercises → verify exercises → store

``read`` goes straight to ``store`` when nothing changed (to clear old errors), and
``generate_exercises`` goes straight to ``store`` when the exercise stage is skipped.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.exercise_stage import (
    after_generate,
    generate_exercises,
    verify_exercises,
)
from teachback.ingest.pipeline.lesson_stage import write_lessons
from teachback.ingest.pipeline.merging import extract_concepts, merge_concepts
from teachback.ingest.pipeline.planning import link_prerequisites
from teachback.ingest.pipeline.reading import after_read, chunk, read
from teachback.ingest.pipeline.state import IngestInput, IngestState
from teachback.ingest.pipeline.storing import store


def build_ingest_graph(checkpointer=None):
    """Compile the ingest graph; ``checkpointer`` (a LangGraph saver) makes runs resumable.
    Invoke it with ``context=IngestContext(...)`` (what the nodes share besides the state)."""
    graph = StateGraph(IngestState, context_schema=IngestContext, input_schema=IngestInput)
    graph.add_node("read", read)
    graph.add_node("chunk", chunk)
    graph.add_node("extract_concepts", extract_concepts)
    graph.add_node("merge_concepts", merge_concepts)
    graph.add_node("link_prerequisites", link_prerequisites)
    graph.add_node("write_lessons", write_lessons)
    graph.add_node("generate_exercises", generate_exercises)
    graph.add_node("verify_exercises", verify_exercises)
    graph.add_node("store", store)
    graph.add_edge(START, "read")
    graph.add_conditional_edges("read", after_read)
    graph.add_edge("chunk", "extract_concepts")
    graph.add_edge("extract_concepts", "merge_concepts")
    graph.add_edge("merge_concepts", "link_prerequisites")
    graph.add_edge("link_prerequisites", "write_lessons")
    graph.add_edge("write_lessons", "generate_exercises")
    graph.add_conditional_edges("generate_exercises", after_generate)
    graph.add_edge("verify_exercises", "store")
    graph.add_edge("store", END)
    return graph.compile(checkpointer=checkpointer, name="ingest")
