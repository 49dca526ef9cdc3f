"""Terms marked only weakly (emphasis, a list) that the material does not teach: its example
data, a name in italics, a list member never taken up again."""

from __future__ import annotations

import json

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes


def _notebook(cells: list[dict]) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(src: str, output: str) -> dict:
    return {
        "cell_type": "code",
        "metadata": {},
        "execution_count": 1,
        "source": src,
        "outputs": [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": output},
            }
        ],
    }


STATES = _notebook(
    [
        _md(
            "# Selecting rows\n\nA *boolean mask* selects the rows where a condition holds. "
            "Here we find the top three states by *population* and keep the masked rows. "
            "A boolean mask is an array of True and False values, one per row. Population "
            "figures come from the census; the population of each state is a number."
        ),
        _code(
            "df = pd.DataFrame({'population': [38, 26], 'area': [423, 695]})\ndf[df.area > 500]",
            "   population  area\n1          26   695",
        ),
        _md("Masking with a boolean mask keeps the index of the rows it selects."),
    ]
)


def test_the_example_data_is_not_a_concept():
    names = {c.name for c in extract_concepts([read_bytes("states.ipynb", STATES)])}
    assert "boolean mask" in names
    assert "population" not in names  # a column the code writes and the output prints


TRACEBACK = _notebook(
    [
        _md(
            "# Keys must be hashable\n\nA key must be *hashable*: its hash never changes "
            "while it is in the table. A list is not hashable, so it cannot be a key."
        ),
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "source": 'counts[["not", "hashable"]] = 1',
            "outputs": [
                {
                    "output_type": "error",
                    "ename": "TypeError",
                    "evalue": "unhashable",
                    "traceback": ['counts[["not", "hashable"]] = 1', "TypeError: unhashable"],
                }
            ],
        },
    ]
)


def test_a_term_the_code_demonstrates_in_a_traceback_is_not_example_data():
    names = {c.name for c in extract_concepts([read_bytes("keys.ipynb", TRACEBACK)])}
    assert "hashable" in names


PLANETS = b"""# Grouping

A *groupby* operation splits a table into groups, applies a function to each group and
combines the results. Grouping is the heart of summarising data by category: every
groupby names the key to split on. Our planets were found thanks to the *Kepler* mission:
Kepler watched stars for the dimming of a transit, and Kepler data fills the table.

# Types

NumPy supports many integer types once you account for bit widths, signedness, and
endianness of the encoding. Integer types are chosen per column; an integer type sets the
range of values a column holds.
"""


def test_a_name_in_italics_and_a_list_mentioned_once_are_not_concepts():
    names = {c.name.lower() for c in extract_concepts([read_bytes("planets.md", PLANETS)])}
    assert "groupby" in names
    assert not names & {"kepler", "signedness", "endianness"}
