"""A lesson per concept: the material that teaches it, taken whole from its sources.

A lesson is what a teacher would hand out from the sources: the passage that defines the
concept and the explanation around it, in the source's order, as whole blocks — paragraphs,
lists, tables and code blocks intact — then the code that shows it (a code concept's own
definition; a notebook cell that uses it, with its saved output) and the source's figures.
Nothing is invented or paraphrased, with one exception: a code concept the material says
little about in prose gets a paragraph that says what its code is and where it is used (its
parts, what its ``forward`` does, the place that builds it), read from the code's syntax tree
(``code_prose``) and not cited, since it quotes nothing. Each other block is cited:
``citations[n-1]`` is the exact span of ``Document.text`` the block comes from, and prose
paragraphs end with their marker ``[n]``.

The lesson::

    **Osmosis** (also: osmotic flow)

    Osmosis is the movement of water across a semipermeable membrane. It needs no energy. [1]

    - in plants it keeps cells firm
    - in animals ...

    ```python
    flow = osmosis(cell, solution)
    ```

    Output:

    ```text
    0.42
    ```

    ![Figure from cell 4](teachback-image:3f2a...)

    *Builds on:* diffusion, membrane.

How blocks are chosen: the section that defines the concept (or whose heading names it) is the
lesson's core, from the defining block on, until the heading ends or the word budget is spent
(a definition in a section on something else brings the paragraph that explains it, then only
what still names the concept); a paragraph that opens by referring back ("This ...") brings
the paragraph before it, or the code it speaks of with the sentence introducing that code ("The
resulting array contains ..."). A glossary entry is not the defining passage when a section
defines the concept. When that is short, whole paragraphs elsewhere that are about the
concept are added, in source order: a paragraph that names a term in passing ("... the buffers
inside the AdamW optimizer") teaches something else, and is used only when nothing else names
the concept. Code that demonstrates a term calls it or is introduced as being about it. A
paragraph too long for the budget is cut at sentence boundaries (never inside brackets or
quotes). Source HTML blocks are never copied; inline HTML stays text for a renderer that
escapes it. Image links are kept only for images the readers stored (``teachback-image:``
links); others are removed, never left broken. Math (``$...$``, ``$$...$$``) is kept as written.

A concept whose sources offer no block at all gets an empty lesson (``text == ""``): there is
nothing to teach, so it should not be a concept.
"""

from teachback.ingest.lessons.writer import write_lesson

__all__ = ["write_lesson"]
