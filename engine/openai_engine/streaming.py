"""Free text streamed from the server for the web UI to show as it comes.

What is streamed is not yet checked: the engine's ``finish_*`` methods check the whole text
afterwards (``tutoring.checked_*``) and the UI shows what they return in its place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from teachback.engine.llm_budget import Usage
from teachback.engine.openai_engine.transport import Transport

log = logging.getLogger("teachback.llm")


def stream_text(
    transport: Transport,
    usage: Usage,
    step: str,
    msgs: list[dict] | None,
    max_tokens: int,
    offline: Callable[[], str],
) -> Iterator[str]:
    """The server's text, piece by piece.

    ``offline()`` (the embedded engine's text) is yielded instead, in one piece, when the
    step is routed to embedded, when ``msgs`` is None (nothing to ask), or when the server
    fails before its first piece; a failure after some pieces just ends the stream, and the
    caller's ``finish_*`` check decides what stays on screen. Tokens count against the
    budget (estimated: streamed chunks carry no usage); streams are not cached.
    """
    if msgs is None or transport.config.target(step) == "embedded":
        yield offline()
        return
    sent = False
    try:
        usage.check_budget()
        n = 0
        for delta in transport.stream(step, msgs, max_tokens):
            sent = True
            n += 1
            yield delta
        usage.add_tokens(sum(len(m["content"]) for m in msgs) // 4, n)
    except Exception as err:  # noqa: BLE001 - never worse than offline
        usage.fallback(step, err)
        log.warning("%s (stream): fell back to the embedded engine (%s)", step, err)
        if not sent:
            yield offline()
