"""The browser tests' server-log check (conftest.log_problems) on real Streamlit log text: it
must catch what a normal run must never log, and pass a clean log."""

from .conftest import log_problems

CLEAN = """
  You can now view your Streamlit app in your browser.

  URL: http://127.0.0.1:8501

  Stopping...
"""

DEPRECATION = """2026-12-06 22:06:05.871 Please replace `use_container_width` with `width`.

`use_container_width` will be removed after 2025-12-31.
2026-12-06 22:06:09.721 Please replace `use_container_width` with `width`.
"""

TRACEBACK = """2026-12-06 22:07:01.100 Serialization of dataframe to Arrow table was unsuccessful. \
Applying automatic fixes for column types to make the dataframe Arrow-compatible.
Traceback (most recent call last):
  File "streamlit/dataframe_util.py", line 822, in convert_pandas_df_to_arrow_bytes
pyarrow.lib.ArrowTypeError: ("Expected bytes, got a 'int' object", 'Conversion failed')
"""


def test_a_clean_log_passes():
    assert log_problems(CLEAN) == []


def test_deprecations_are_caught_once_each():
    problems = log_problems(DEPRECATION)
    assert len(problems) == 2  # the notice and its removal date; the repeat is not listed again
    assert problems[0].startswith("2026-12-06 22:06:05.871 Please replace `use_container_width`")


def test_arrow_fallback_tracebacks_are_caught():
    problems = log_problems(TRACEBACK)
    assert any(p.startswith("Traceback (most recent call last)") for p in problems)
    assert any("ArrowTypeError" in p for p in problems)
