"""Sessions: join codes (shape, randomness, expiry), joining, and who may see whose data."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from teachback.errors import InvalidEdit
from teachback.tutor.classroom import controls, sessions
from teachback.tutor.classroom.sessions import Caller, JoinError, NotAllowed

GRACE = Caller.instructor("grace")


def test_codes_use_the_unambiguous_alphabet_and_do_not_repeat():
    codes = [sessions.new_code() for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == sessions.CODE_LENGTH for c in codes)
    assert set("".join(codes)) == set(sessions.ALPHABET)  # every symbol turns up, no others
    assert not set("01IOL") & set(sessions.ALPHABET)
    # ~40 bits: far too many codes to try during the hours one is valid
    assert len(sessions.ALPHABET) ** sessions.CODE_LENGTH > 2**39
    # no position is biased: each symbol's share at position 0 stays near 1/31
    first = Counter(c[0] for c in codes)
    assert max(first.values()) < 3000 / len(sessions.ALPHABET) * 2


def test_start_needs_a_published_curriculum(db):
    from teachback.tests.session_fixture import build_fixture_curriculum

    curriculum = build_fixture_curriculum(db)
    with pytest.raises(InvalidEdit, match="not published"):
        sessions.start_session(db, curriculum, "Grace")


def test_join_with_code_typed_loosely_and_a_name(klass):
    db, s = klass
    typed = f" {s.code[:4].lower()}-{s.code[4:].lower()} "
    member = sessions.join(db, typed, "  Ada   Lovelace ")
    assert member.display_name == "Ada Lovelace"
    assert member.session_id == s.id and member.curriculum_id == "water"
    # a guest account of its own, with an id that no name or session id leads to
    assert member.learner_id.startswith("learner-") and len(member.learner_id) == 32
    # not made from the name or the session ("ada" can occur in hex by chance: check "lovelace")
    assert "lovelace" not in member.learner_id and s.id not in member.learner_id
    assert db["users"].get(member.learner_id)["display_name"] == "Ada Lovelace"
    assert sessions.membership(db, member.learner_id, "water") == member
    with pytest.raises(JoinError, match="already in this class"):
        sessions.join(db, s.code, "ada lovelace")


def test_expired_wrong_and_ended_codes_are_refused(klass):
    db, s = klass
    expires = datetime.fromisoformat(s.code_expires_at)
    sessions.join(db, s.code, "Early", at=expires - timedelta(seconds=1))
    with pytest.raises(JoinError, match="expired"):
        sessions.join(db, s.code, "Late", at=expires)
    with pytest.raises(JoinError, match="no class"):
        sessions.join(db, "ABCDEFGH" if s.code != "ABCDEFGH" else "HGFEDCBA", "Bob")
    with pytest.raises(JoinError, match="8 letters"):
        sessions.join(db, "ABC", "Bob")
    renewed = sessions.renew_code(db, s.id, GRACE)
    assert renewed.code != s.code
    with pytest.raises(JoinError, match="no class"):
        sessions.join(db, s.code, "Bob")  # the old code stops working at once
    sessions.join(db, renewed.code, "Bob")
    controls.end(db, s.id, GRACE)
    with pytest.raises(JoinError, match="ended"):
        sessions.join(db, renewed.code, "Cy")


def test_default_code_lifetime_is_hours_not_days(klass):
    _, s = klass
    created = datetime.fromisoformat(s.created_at)
    life = datetime.fromisoformat(s.code_expires_at) - created
    assert timedelta(hours=1) <= life <= timedelta(hours=12)
    assert datetime.fromisoformat(s.code_expires_at) > datetime.now(UTC)


def _answer(db, learner_id, n, concept="water/evaporation"):
    from teachback.tutor.attempts import AttemptEvent, record_attempt

    record_attempt(
        db,
        AttemptEvent(
            event_id=f"{learner_id}:{n}", learner_id=learner_id, curriculum_id="water",
            exercise_id="x", concept_id=concept, correct=n % 2 == 0, answer=f"a{n}",
        ),
    )  # fmt: skip


def test_a_learners_data_is_visible_to_them_and_their_instructor_only(klass):
    db, s = klass
    ada = sessions.join(db, s.code, "Ada")
    bob = sessions.join(db, s.code, "Bob")
    for n in range(3):
        _answer(db, ada.learner_id, n)
    _answer(db, bob.learner_id, 0)
    as_ada, as_bob = Caller.learner(ada.learner_id), Caller.learner(bob.learner_id)

    assert [a["answer"] for a in sessions.member_attempts(db, s.id, ada.learner_id, as_ada)] == [
        "a0", "a1", "a2"]  # fmt: skip
    assert len(sessions.member_attempts(db, s.id, ada.learner_id, GRACE)) == 3
    with pytest.raises(NotAllowed):
        sessions.member_attempts(db, s.id, ada.learner_id, as_bob)
    with pytest.raises(NotAllowed):
        sessions.member_attempts(db, s.id, ada.learner_id, Caller.instructor("Mallory"))
    with pytest.raises(NotAllowed):
        sessions.class_attempts(db, s.id, as_ada)
    assert len(sessions.class_attempts(db, s.id, GRACE)) == 4
    # the class list: all for the instructor, only themselves for a learner
    assert [m["display_name"] for m in sessions.members(db, s.id, GRACE)] == ["Ada", "Bob"]
    assert [m["display_name"] for m in sessions.members(db, s.id, as_bob)] == ["Bob"]
    with pytest.raises(NotAllowed):
        sessions.members(db, s.id, Caller.instructor("Mallory"))
    from teachback.tutor.classroom.dashboard import class_view

    with pytest.raises(NotAllowed):
        class_view(db, s.id, as_ada)


def test_only_the_sessions_instructor_controls_it(klass):
    db, s = klass
    mallory = Caller.instructor("Mallory")
    for act in (
        lambda c: controls.pause(db, s.id, c),
        lambda c: controls.set_cap(db, s.id, c, "water/condensation"),
        lambda c: controls.push(db, s.id, c, "water/evaporation"),
        lambda c: controls.end(db, s.id, c),
        lambda c: sessions.renew_code(db, s.id, c),
    ):
        with pytest.raises(NotAllowed):
            act(mallory)
        with pytest.raises(NotAllowed):
            act(Caller.learner("learner-ada"))
    assert sessions.get_session(db, s.id).status == "active"
    assert [e["op"] for e in controls.events(db, s.id, GRACE)] == ["start"]
