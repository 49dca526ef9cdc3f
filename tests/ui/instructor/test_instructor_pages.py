"""The instructor pages with Streamlit's AppTest: sign-in, edits through forms, review, publish."""

import pytest
from streamlit.testing.v1 import AppTest

from teachback.curricula.db import open_db
from teachback.tests.signin import PASSWORD, make_user


@pytest.fixture
def served(tmp_path, monkeypatch, make_course):
    """A store with the "bio" curriculum served to the pages, and instructor accounts."""
    path = tmp_path / "app.db"
    db = open_db(path)
    make_course(db, "bio")
    monkeypatch.setenv("TEACHBACK_DB", str(path))
    make_user(db, "alice", "instructor", name="Alice")
    make_user(db, "bob", "instructor", name="Bob")
    yield db
    db.close()


def page(name: str) -> AppTest:
    script = f"from teachback.ui.instructor import {name}\n{name}.render()\n"
    return AppTest.from_string(script, default_timeout=30).run()


def login(at: AppTest, password: str = PASSWORD, name: str = "alice") -> AppTest:
    """Sign in through the form the page shows (the instructor's own account)."""
    at.text_input(key="instructor_sign_in_username").input(name)
    at.text_input(key="instructor_sign_in_password").input(password)
    return at.button(key="FormSubmitter:instructor_sign_in-Sign in").click().run()


def all_text(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [e.value for e in (*at.success, *at.error, *at.warning, *at.info, *at.caption)]
        + [t.value for t in at.title]
    )


@pytest.mark.parametrize("name", ["library", "editor", "review", "exports"])
def test_every_page_requires_the_login(served, name):
    at = page(name)
    assert not at.exception
    assert at.title[0].value == "Instructors only"
    text = all_text(at)
    assert "Osmosis" not in text and "Cell membrane" not in text
    assert len(at.get("graphviz_chart")) == 0 and len(at.get("download_button")) == 0


def test_a_wrong_password_is_refused(served):
    at = login(page("editor"), password="guess")
    assert not at.exception
    assert at.error[0].value == "Wrong username or password"
    assert at.title[0].value == "Instructors only"
    assert "auth_token" not in at.session_state


def test_rename_through_the_form_is_recorded_with_who(served):
    at = login(page("editor"))
    assert not at.exception
    assert at.title[0].value == "Curriculum editor"
    assert len(at.get("graphviz_chart")) == 1
    at.selectbox(key="editor_concept_0").select("bio/osmosis").run()
    at.text_input(key="rename_name_bio/osmosis").input("Water osmosis")
    at.button(key="FormSubmitter:rename_bio/osmosis-Rename").click().run()
    assert not at.exception
    assert at.success[0].value == "Renamed to Water osmosis."
    row = served["concepts"].get("bio/osmosis")
    assert (row["name"], row["rev"], row["edited"]) == ("Water osmosis", 2, 1)
    (edit,) = served["edits"].rows
    assert (edit["who"], edit["op"]) == ("alice", "rename")
    # The picker follows the renamed concept and shows its new name.
    picker = at.selectbox(key="editor_concept_1")
    assert (picker.value, picker.format_func(picker.value)) == ("bio/osmosis", "Water osmosis")
    said = [m.value for m in at.markdown]
    assert "Renamed \u201cOsmosis\u201d to \u201cWater osmosis\u201d" in said
    assert "by alice \u00b7 just now" in [c.value for c in at.caption]


def test_undo_keeps_the_concept_history_reads_as_words_and_no_json(served):
    at = login(page("editor"))
    at.selectbox(key="editor_concept_0").select("bio/diffusion").run()
    # The prerequisite form proposes a link into this concept from another one, never X -> X.
    pre = at.selectbox(key="edge_pre_bio/diffusion")
    con = at.selectbox(key="edge_con_bio/diffusion")
    assert con.value == "bio/diffusion" and pre.value not in (None, "bio/diffusion")
    at.text_input(key="rename_name_bio/diffusion").input("Passive diffusion")
    at.button(key="FormSubmitter:rename_bio/diffusion-Rename").click().run()
    (edit,) = served["edits"].rows
    at.button(key=f"undo_{edit['id']}").click().run()
    assert not at.exception
    assert served["concepts"].get("bio/diffusion")["name"] == "Diffusion"
    picker = at.selectbox(key="editor_concept_2")
    assert (picker.value, picker.format_func(picker.value)) == ("bio/diffusion", "Diffusion")
    history = [m.value for m in at.markdown if "\u201c" in m.value]
    assert history[:2] == [
        "Undid: renamed \u201cDiffusion\u201d to \u201cPassive diffusion\u201d",
        "~~Renamed \u201cDiffusion\u201d to \u201cPassive diffusion\u201d~~ (undone)",
    ]
    shown = all_text(at)
    assert "{" not in shown and '"concepts"' not in shown
    assert "5 concepts" in shown and "Edits are drafts until published" in shown


def test_a_concept_cannot_be_its_own_prerequisite(served):
    at = login(page("editor"))
    at.selectbox(key="editor_concept_0").select("bio/osmosis").run()
    at.selectbox(key="edge_pre_bio/osmosis").select("bio/osmosis")
    at.button(key="FormSubmitter:add_edge_bio/osmosis-Add link").click().run()
    assert at.error[0].value.startswith("A concept cannot be its own prerequisite")
    assert served["edits"].count == 0
    at.selectbox(key="edge_pre_bio/osmosis").select("bio/cell")
    at.button(key="FormSubmitter:add_edge_bio/osmosis-Add link").click().run()
    assert at.success[0].value == "Cell is now a prerequisite of Osmosis."
    picker = at.selectbox(key="editor_concept_1")
    assert picker.value == "bio/osmosis"


def test_a_stale_form_gets_a_conflict_and_overwrites_nothing(served):
    at = login(page("editor"))
    at.selectbox(key="editor_concept_0").select("bio/osmosis").run()  # Alice reads rev 1
    # Meanwhile Bob (Alice shared the curriculum with him) renames it from another session.
    from teachback.curricula import edits, ownership

    ownership.share(served, "bio", "bob")
    edits.rename_concept(served, "bio/osmosis", "Osmose", rev=1, who="Bob")
    at.text_input(key="rename_name_bio/osmosis").input("Water osmosis")
    at.button(key="FormSubmitter:rename_bio/osmosis-Rename").click().run()
    assert not at.exception
    assert "changed by Bob" in at.error[0].value
    assert served["concepts"].get("bio/osmosis")["name"] == "Osmose"
    # Alice reloads (now she has read Bob's change) and renames deliberately.
    at.sidebar.button(key="reload_rename").click().run()
    at.text_input(key="rename_name_bio/osmosis").input("Water osmosis")
    at.button(key="FormSubmitter:rename_bio/osmosis-Rename").click().run()
    assert at.success[0].value == "Renamed to Water osmosis."
    assert served["concepts"].get("bio/osmosis")["name"] == "Water osmosis"


def test_reject_an_exercise_then_publish(served):
    at = login(page("review"))
    assert not at.exception
    assert "Nothing published yet" in all_text(at)
    at.selectbox(key="review_concept").select("bio/osmosis").run()
    assert "Provenance" in [e.label for e in at.expander]
    at.button(key="reject_osmosis-x0").click().run()
    assert not at.exception
    assert at.success[0].value == "Exercise rejected."
    assert served["exercises"].get("osmosis-x0")["status"] == "rejected"
    at.button(key="publish").click().run()
    assert at.success[0].value == "Published version 1."
    from teachback.curricula.publish import published_view

    view = published_view(served, "bio")
    assert "osmosis-x0" not in {x["id"] for x in view["exercises"]}


def test_exports_page_offers_every_format(served):
    at = login(page("exports"))
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "JSON",
        "Markdown",
        "Notebooks (zip)",
        "Mastery (CSV)",
        "Mastery (xAPI statements)",
    ]


def test_library_adds_a_server_path_and_shows_sources(served, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Turgor\n\n**Turgor pressure** is the pressure of water in a cell.\n")
    at = login(page("library"))
    assert not at.exception
    assert any("cells.md" in str(df.value) for df in at.dataframe)
    at.text_input(key="library_path").input(str(tmp_path / "missing.md"))
    at.button(key="add_path").click().run()
    assert "no such file or folder" in at.error[0].value
    at.text_input(key="library_path").input(str(notes))
    at.button(key="add_path").click().run()
    assert at.session_state["library_pending"] == [str(notes.resolve())]
    assert "notes.md" in all_text(at)


def test_library_url_errors_are_shown(served):
    at = login(page("library"))
    at.text_input(key="library_url").input("http://127.0.0.1:9/x")
    at.button(key="add_url").click().run()
    assert "private or local address" in at.error[0].value


def test_background_ingest_runs_the_real_pipeline_and_reports(served, tmp_path):
    from teachback.ingest.jobs import _JOBS, start_ingest

    notes = tmp_path / "turgor.md"
    notes.write_text(
        "# Turgor\n\n**Turgor pressure** is the pressure of water pushing against the cell "
        "wall. Plant cells rely on *turgor pressure* to stay rigid.\n"
    )
    job = start_ingest("plants", [str(notes)], str(tmp_path / "app.db"))
    with pytest.raises(RuntimeError, match="already running"):
        start_ingest("plants", [str(notes)], str(tmp_path / "app.db"))
    job.thread.join(timeout=240)
    assert job.done and job.error is None, job.error
    assert job.summary["sources_read"] == 1 and job.events
    assert served["sources"].count_where("curriculum_id = 'plants'") == 1
    at = login(page("library"))
    at.selectbox(key="instructor_curriculum_pick").select("plants").run()
    assert "Ingest finished: 1 sources read" in at.success[0].value
    # The instructor edits the file and re-ingests it from the page.
    notes.write_text(notes.read_text() + "\nA **vacuole** stores water in plant cells.\n")
    assert at.multiselect(key="reingest_pick_plants").value == [str(notes)]
    at.button(key="reingest").click().run()
    again = _JOBS["plants"]
    assert again is not job
    again.thread.join(timeout=240)
    assert again.error is None and again.summary["sources_changed"] == 1
    _JOBS.clear()


def test_five_wrong_passwords_lock_the_form(served):
    at = page("editor")
    for _ in range(5):
        at = login(at, password="guess")
        assert at.error[0].value == "Wrong username or password"
    at = login(at)  # even the right password waits out the lockout
    assert at.error[0].value.startswith("Too many failed sign\\-ins: try again in 15 minutes")
    assert at.title[0].value == "Instructors only"
    at = login(page("editor"), name="bob")  # another instructor is not locked out by it
    assert at.title[0].value == "Curriculum editor"


def test_oidc_login_is_offered_when_secrets_configure_it(served):
    script = "from teachback.ui.instructor import editor\neditor.render()\n"
    at = AppTest.from_string(script, default_timeout=30)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "teachback",
        "client_secret": "s",
        "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button][-1] == "Sign in with your identity provider (instructors)"
    assert at.title[0].value == "Instructors only"  # still locked until signed in
