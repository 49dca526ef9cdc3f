"""A paragraph about a file of the same name in a sibling folder is not about the concept's
own file ("go to `data/shakespeare` and run `prepare.py`" in the lesson of
``data/shakespeare_char/prepare.py``)."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.lessons import write_lesson
from teachback.ingest.lessons.material import places_elsewhere
from teachback.ingest.readers import read_bytes

PREPARE = '"""\nPrepare the characters of a small play for training: map each one to an int.\n"""\n'
README = (
    "# Data\n\n"
    "To train on characters, `data/play_char/prepare.py` reads the play and writes the ids of "
    "its characters to one file, ready for training.\n\n"
    "To finetune instead, go to `data/play` and run `prepare.py`, which uses the tokenizer of "
    "a pretrained model and writes its tokens to one file.\n"
)


def test_places_elsewhere_reads_a_sibling_folder_under_a_shared_one():
    own = "repo/data/play_char/prepare.py"
    assert places_elsewhere("go to `data/play` and run `prepare.py`", own)
    assert not places_elsewhere("`data/play_char/prepare.py` reads the play", own)
    assert not places_elsewhere("see `config/train.py` for the settings", own)


def test_the_lesson_of_a_file_leaves_out_the_paragraph_about_its_namesake(tmp_path):
    code = read_bytes(
        str(tmp_path / "repo/data/play_char/prepare.py"), PREPARE.encode(), {"module": "prepare"}
    )
    readme = read_bytes(str(tmp_path / "repo/README.md"), README.encode(), {})
    quote = "Prepare the characters of a small play for training"
    at = code.text.index(quote)
    ev = Evidence(source=code.path, start=at, end=at + len(quote), quote=quote, role="definition")
    concept = ConceptDraft(name="prepare", kind="code", definition=quote, evidence=[ev])
    text = write_lesson(concept, [code, readme]).text
    assert "`data/play_char/prepare.py` reads the play" in text
    assert "go to `data/play`" not in text
