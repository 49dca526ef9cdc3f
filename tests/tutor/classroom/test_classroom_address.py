"""Join links use an address learners can reach: the configured public URL, else the address
the teacher used when it is not loopback, else this machine's network address."""

import pytest
from click.testing import CliRunner

from teachback.config import public_url
from teachback.errors import TeachbackError
from teachback.tutor.classroom.address import join_base, lan_address
from teachback.tutor.classroom.sessions import join_link


def test_a_configured_public_url_wins():
    assert join_base("https://class.example.org/", "http://localhost:8501/classroom",
                     "10.0.0.5") == ("https://class.example.org", "")  # fmt: skip


def test_a_network_address_the_teacher_used_is_kept():
    assert join_base("", "http://192.168.1.20:8501/classroom", "10.0.0.5") == (
        "http://192.168.1.20:8501", "")  # fmt: skip
    assert join_base("", "https://teach.school.org/classroom", None) == (
        "https://teach.school.org", "")  # fmt: skip


def test_localhost_becomes_the_machines_network_address_with_a_note():
    base, note = join_base("", "http://localhost:8501/classroom", "192.168.1.20")
    assert base == "http://192.168.1.20:8501"
    assert note.startswith("This is this computer's address on the local network")
    assert join_link("ABCDEFGH", base) == "http://192.168.1.20:8501/join?join=ABCDEFGH"


def test_without_any_network_the_note_says_how_to_configure():
    base, note = join_base("", "http://127.0.0.1:8501/", None)
    assert base == "http://127.0.0.1:8501"
    assert note.startswith("Only this computer can open this link")
    assert "TEACHBACK_PUBLIC_URL" in note


def test_lan_address_is_never_loopback():
    assert lan_address() is None or not lan_address().startswith("127.")


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEACHBACK_PUBLIC_URL", raising=False)
    monkeypatch.setenv("TEACHBACK_CONFIG", str(tmp_path / "teachback.toml"))
    return tmp_path / "teachback.toml"


def test_public_url_from_env_then_file(no_config, monkeypatch):
    no_config.write_text("")
    assert public_url() == ""
    no_config.write_text('[server]\npublic_url = "https://class.example.org/"\n')
    assert public_url() == "https://class.example.org"
    monkeypatch.setenv("TEACHBACK_PUBLIC_URL", "http://10.1.2.3:8501")
    assert public_url() == "http://10.1.2.3:8501"
    monkeypatch.setenv("TEACHBACK_PUBLIC_URL", "class.example.org")
    with pytest.raises(TeachbackError, match="must start with http:// or https://"):
        public_url()


def test_serve_passes_public_url_to_the_server(no_config, monkeypatch):
    from teachback.cli import serve_cmd

    seen = {}  # run_server is replaced: this checks the option, not a real server
    monkeypatch.setattr(serve_cmd, "run_server",
                        lambda db, port, host, url: seen.update(url=url))  # fmt: skip
    result = CliRunner().invoke(serve_cmd.serve, ["--public-url", "https://class.example.org"])
    assert result.exit_code == 0 and seen == {"url": "https://class.example.org"}
    bad = CliRunner().invoke(serve_cmd.serve, ["--public-url", "class.example.org"])
    assert bad.exit_code == 2 and "must start with http:// or https://" in bad.output
