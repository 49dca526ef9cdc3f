"""snowballstemmer hands out PyStemmer's C stemmers when PyStemmer is installed (a declared
dependency, for speed): they must give the stems the pure-Python ones give, or concept keys,
prerequisite mentions and exercise retrieval would change with the installation."""

import snowballstemmer
from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.porter_stemmer import PorterStemmer
from wordfreq import top_n_list

from teachback.core.text import stem as english_stem
from teachback.ingest.textutil import stem as porter_stem

EXTRA = ["Hashing", "hash-tables", "naïve", "résumé", "don't", "ABC", "x2", "", "ſ"]


def test_the_stemmers_in_use_are_the_c_ones():
    assert type(snowballstemmer.stemmer("porter")).__module__ == "Stemmer"


def test_c_and_python_stemmers_agree_on_common_and_odd_words():
    words = top_n_list("en", 20_000) + EXTRA
    c_porter, c_english = snowballstemmer.stemmer("porter"), snowballstemmer.stemmer("english")
    py_porter, py_english = PorterStemmer(), EnglishStemmer()
    assert [c_porter.stemWord(w) for w in words] == [py_porter.stemWord(w) for w in words]
    assert [c_english.stemWord(w) for w in words] == [py_english.stemWord(w) for w in words]


def test_the_project_stems_read_as_before():
    assert [porter_stem(w) for w in ["Connections", "hashing", "tables"]] == [
        "connect",
        "hash",
        "tabl",
    ]
    assert [english_stem(w) for w in ["Connections", "generously", "tables"]] == [
        "connect",
        "generous",
        "tabl",
    ]
