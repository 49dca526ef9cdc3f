"""Which earlier notebook cells a cell needs (``ingest/exercises/cells.py``)."""

from __future__ import annotations

from teachback.ingest.exercises.cells import dependencies, names, read_before_set


def test_a_cell_needs_the_cells_that_define_what_it_uses():
    cells = ["import numpy as np", "x = np.arange(3)", "y = 5", "x * 2"]
    assert dependencies(cells, 3) == [0, 1]
    assert names("x[0] = 1\ny = f(x)") == (
        frozenset({"y"}),
        frozenset({"x"}),
        frozenset({"f", "x"}),
    )


def test_a_name_read_before_the_cell_sets_it_comes_from_an_earlier_cell():
    cells = [
        "import pandas as pd",
        "index = [('a', 1), ('a', 2)]\npop = pd.Series([1, 2], index=index)",
        "index = pd.MultiIndex.from_tuples(index)",
        "pop = pop.reindex(index)\npop",
    ]
    assert read_before_set(cells[2]) == frozenset({"index"})
    assert read_before_set("total = 0\ntotal = total + 1") == frozenset()
    # a comprehension's or a lambda's own names are not read from outside
    assert read_before_set("xs = [v for v in xs]\nk = 0\nf = lambda k: k") == frozenset({"xs"})
    assert dependencies(cells, 3) == [0, 1, 2]


def test_a_cell_needed_only_for_its_import_is_shown_as_that_import():
    from teachback.ingest.exercises.cells import needed_code

    cells = [
        "import pandas as pd\ndata = pd.Series([0.25, 0.5], index=['a', 'b'])\ndata",
        "data = pd.Series(['a', 'b', 'c'], index=[1, 3, 5])\ndata",
        "data.loc[1]",
    ]
    assert needed_code(cells, 2) == [(0, "import pandas as pd"), (1, cells[1])]
    # a cell whose data is used is shown whole
    assert needed_code(cells[:1] + ["data['a']"], 1) == [(0, cells[0])]
