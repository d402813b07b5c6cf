"""Who may do what with the voice box (S11, S12): checked by rule, whatever a screen hides."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import Forbidden
from kiosk.domain.staff import Action, Role, StaffUser, check, may_see

LEAD = StaffUser("lee", Role.LEAD, team="민원팀")


@pytest.mark.parametrize("role", list(Role))
def test_misconduct_reports_are_for_the_audit_team_alone(role: Role) -> None:
    user = StaffUser("u", role, team="감사팀")
    assert may_see(user, confidential=True, team="") is (role is Role.AUDIT)


def test_a_lead_sees_their_team_and_unassigned_notes_only() -> None:
    assert may_see(LEAD, confidential=False, team="")
    assert may_see(LEAD, confidential=False, team="민원팀")
    assert not may_see(LEAD, confidential=False, team="시설운영팀")
    with pytest.raises(Forbidden):
        check(LEAD, Action.ANSWER, team="시설운영팀")


def test_counter_staff_have_no_access_and_only_admins_purge() -> None:
    for action in Action:
        with pytest.raises(Forbidden):
            check(StaffUser("kim", Role.COUNTER), action)
    check(StaffUser("choi", Role.ADMIN), Action.PURGE)
    for role in (Role.LEAD, Role.AUDIT):
        with pytest.raises(Forbidden):
            check(StaffUser("x", role), Action.PURGE)
