"""A MIS import changes only what the file says: absent columns, ignored headers, leaving the register, needs."""

import datetime as dt
from unittest import mock

import pytest

from sencohub.ehcp.models import EhcPlan
from sencohub.kernel.dates import LEFT_THE_SCHOOL
from sencohub.pupils.models import Pupil
from sencohub.register import services as register
from sencohub.register.mis import applying, checking
from sencohub.register.mis.applying import pupils_import
from sencohub.register.models import Need, SenStatus
from sencohub.statutory import upn
from sencohub.support.models import SupportPlan

TODAY = dt.date(2026, 11, 23)


def run(world, lines: list[str], **kwargs):
    content = ("\n".join(lines) + "\n").encode()
    return pupils_import(school=world.school, filename="mis.csv", content=content, today=TODAY, **kwargs)


def row(pupil, *extra) -> str:
    return ",".join([pupil.upn, pupil.surname, pupil.forename, pupil.date_of_birth.isoformat(), *extra])


def register_of(world) -> list[tuple]:
    """Everything the SEN register holds for the school's pupils."""
    pupils = Pupil.objects.filter(school=world.school).order_by("upn")
    return [
        (
            p.upn, p.sen_provision, p.class_group_id, p.fsm, p.year_group,
            list(p.needs.order_by("rank").values_list("rank", "sen_type", "notes")),
            list(p.sen_statuses.values_list("provision", "start_date", "end_date")),
        )
        for p in pupils
    ]  # fmt: skip


@pytest.fixture
def everyone(world):
    return [world.pupil_support, world.pupil_ehc, world.pupil_none]


def test_a_file_with_only_upn_names_and_date_of_birth_changes_nothing_on_the_register(world, everyone):
    Pupil.objects.filter(pk=world.pupil_support.pk).update(fsm=True)
    before = register_of(world)
    result = run(world, ["UPN,Surname,Forename,DOB", *[row(p) for p in everyone]])
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert register_of(world) == before


def test_a_blank_cell_in_a_column_the_file_has_means_blank(world, everyone):
    Pupil.objects.filter(pk=world.pupil_support.pk).update(fsm=True)
    result = run(world, ["UPN,Surname,Forename,DOB,FSM,Reg", row(world.pupil_support, "", ""),
                         row(world.pupil_ehc, "", "4B"), row(world.pupil_none, "", "3A")])  # fmt: skip
    assert result.ok, result.errors
    ada = Pupil.objects.get(pk=world.pupil_support.pk)
    assert (ada.fsm, ada.class_group) == (False, None)
    assert result.changes[0].changes == {"fsm": ("Y", "N"), "class": ("3A", "")}


def test_a_header_that_is_not_recognised_is_listed_as_ignored_and_never_read(world, everyone):
    before = register_of(world)
    result = run(world, ["UPN,Surname,Forename,DOB,Shoe size,SEN Notes", *[row(p, "5", "") for p in everyone]])
    assert result.ok and result.unchanged == 3
    assert result.ignored_columns == ["Shoe size", "SEN Notes"]
    assert result.as_json()["ignored_columns"] == ["Shoe size", "SEN Notes"]
    assert register_of(world) == before


def test_two_columns_for_the_same_field_are_refused_naming_both(world):
    result = run(world, ["UPN,Surname,Forename,DOB,Date of Birth", row(world.pupil_none, "2017-05-04")])
    assert [(e.column, e.message) for e in result.errors] == [
        ("date_of_birth", checking.MESSAGE_TWO_COLUMNS.format(column="Date of birth", headers='"DOB" and "Date of Birth"'))
    ]


def test_the_legal_name_wins_over_the_preferred_name(world):
    pupil = world.pupil_none
    result = run(world, ["UPN,Preferred Surname,Legal Surname,Forename,DOB",
                         f"{pupil.upn},Trel,{pupil.surname},{pupil.forename},{pupil.date_of_birth}"])  # fmt: skip
    assert result.ok and result.unchanged == 1
    assert result.ignored_columns == ["Preferred Surname (the legal name is used)"]


def ceased(world):
    """Ben's plan has ceased, though he is still E: a file may move him, once confirmed. (A current plan stops the
    file instead: tests/register/test_register_follows_ehc_plans.py.)"""
    EhcPlan.objects.filter(pupil=world.pupil_ehc).update(ceased_on=dt.date(2026, 7, 17))


def test_a_file_taking_pupils_off_the_register_changes_nothing_until_confirmed(world, everyone):
    ceased(world)
    SupportPlan.objects.create(pupil=world.pupil_support, school=world.school, starts_on=dt.date(2026, 9, 7), review_on=dt.date(2026, 12, 7))
    before = register_of(world)
    lines = ["UPN,Surname,Forename,DOB,SEN", *[row(p, "N") for p in everyone]]
    result = run(world, lines)
    assert not result.ok and result.needs_confirmation and not result.applied
    assert register_of(world) == before
    assert [(e["name"], e["from"], e["to"], e["leaves_register"], e["needs_removed"], e["current_ehc_plan"],
             e["current_support_plan"]) for e in result.leaving_register] == [
        ("Ada Quillfeather", "K", "N", True, ["SLCN"], False, True),
        ("Ben Marchbanks", "E", "N", True, ["ASD", "SLCN"], False, False),
    ]  # fmt: skip
    preview = run(world, lines, dry_run=True)
    assert preview.ok and len(preview.leaving_register) == 2

    confirmed = run(world, lines, allow_leaving_register=True)
    assert confirmed.applied
    ada = Pupil.objects.get(pk=world.pupil_support.pk)
    assert ada.sen_provision == "N" and not ada.needs.exists()
    assert list(ada.sen_statuses.order_by("start_date").values_list("provision", "end_date")) == [("K", TODAY), ("N", None)]


def test_confirming_some_pupils_does_not_let_others_leave_the_register(world, everyone):
    ceased(world)
    lines = ["UPN,Surname,Forename,DOB,SEN", *[row(p, "N") for p in everyone]]
    result = run(world, lines, allow_leaving_register={world.pupil_support.upn})
    assert result.needs_confirmation and not result.applied
    assert Pupil.objects.get(pk=world.pupil_support.pk).sen_provision == "K"


def test_moving_from_an_ehc_plan_to_sen_support_or_losing_a_need_also_needs_confirmation(world):
    ceased(world)
    ben = world.pupil_ehc
    result = run(world, ["UPN,Surname,Forename,DOB,SEN,Primary need,Secondary need", row(ben, "K", "ASD", "")])
    assert result.needs_confirmation
    assert [(e["from"], e["to"], e["leaves_register"], e["needs_removed"]) for e in result.leaving_register] == [
        ("E", "K", False, ["SLCN"])
    ]


def test_needs_are_updated_in_place_so_their_notes_survive_a_reimport(world):
    ben = world.pupil_ehc
    Need.objects.filter(pupil=ben, sen_type="ASD").update(notes="Needs a quiet space at lunch.")
    asd = Need.objects.get(pupil=ben, sen_type="ASD")
    lines = ["UPN,Surname,Forename,DOB,SEN,Primary need,Secondary need", row(ben, "E", "SLCN", "ASD")]
    result = run(world, lines)
    assert result.applied and result.changes[0].changes == {"primary_need": ("ASD", "SLCN"), "secondary_need": ("SLCN", "ASD")}
    moved = Need.objects.get(pk=asd.pk)
    assert (moved.rank, moved.notes, moved.recorded_at) == (2, "Needs a quiet space at lunch.", asd.recorded_at)
    assert run(world, lines).unchanged == 1
    assert Need.objects.get(pk=asd.pk).notes == "Needs a quiet space at lunch."


def test_a_status_change_made_while_an_import_runs_is_never_overwritten(world):
    ada = world.pupil_support
    real_apply = applying._apply

    def someone_changes_ada_first(*args, **kwargs):
        register.sen_status_change(pupil=ada, provision="E", start_date=TODAY, reason="EHC plan issued by the LA.",
                                   primary_need="SLCN", today=TODAY)  # fmt: skip
        return real_apply(*args, **kwargs)

    with mock.patch.object(applying, "_apply", someone_changes_ada_first):
        result = run(world, ["UPN,Surname,Forename,DOB,SEN,Primary need", row(ada, "K", "SEMH")], allow_leaving_register=True)
    assert not result.applied
    assert result.errors[0].message == applying.MESSAGE_CHANGED_WHILE_IMPORTING.format(name="Ada Quillfeather")
    assert Pupil.objects.get(pk=ada.pk).sen_provision == "E"
    assert list(Need.objects.filter(pupil=ada).values_list("sen_type", flat=True)) == ["SLCN"]


def test_an_import_that_does_not_touch_sen_keeps_a_status_changed_while_it_runs(world):
    ada = world.pupil_support
    real_apply = applying._apply

    def someone_changes_ada_first(*args, **kwargs):
        register.sen_status_change(pupil=ada, provision="E", start_date=TODAY, reason="EHC plan issued by the LA.",
                                   primary_need="SLCN", today=TODAY)  # fmt: skip
        return real_apply(*args, **kwargs)

    with mock.patch.object(applying, "_apply", someone_changes_ada_first):
        result = run(world, ["UPN,Surname,Forename,DOB", f"{ada.upn},{ada.surname},Adah,{ada.date_of_birth}"])
    assert result.applied
    ada.refresh_from_db()
    assert (ada.forename, ada.sen_provision) == ("Adah", "E")
    assert SenStatus.objects.get(pupil=ada, end_date=None).provision == "E"


def test_a_new_pupil_with_sen_support_but_no_needs_column_is_refused(world):
    result = run(world, ["UPN,Surname,Forename,DOB,SEN", f"{upn.make(801, 2001, 20, 1)},Okafor,Amara,2017-03-14,K"])
    assert [(e.line, e.column) for e in result.errors] == [(2, "primary_need")]


def test_a_pupil_who_left_is_back_on_roll_when_a_file_lists_them(world, everyone):
    lines = ["UPN,Surname,Forename,DOB", row(world.pupil_support), row(world.pupil_ehc)]
    first = run(world, lines, record_missing_as_left_on=dt.date(2026, 7, 17))
    assert [p["name"] for p in first.not_in_file] == ["Cara Trelawney"] and first.as_json()["recorded_as_left_on"] == "2026-07-17"
    assert Pupil.objects.get(pk=world.pupil_none.pk).left_on == dt.date(2026, 7, 17)
    again = run(world, [*lines, row(world.pupil_none)])
    assert again.updated == 1 and again.changes[0].changes == {"left_on": ("2026-07-17", "")}
    assert Pupil.objects.get(pk=world.pupil_none.pk).left_on is None


def test_a_leaving_date_in_the_future_is_refused(world):
    result = run(world, ["UPN,Surname,Forename,DOB", row(world.pupil_support)], record_missing_as_left_on=TODAY + dt.timedelta(days=1))
    lowest, _ = LEFT_THE_SCHOOL.bounds(TODAY)
    assert [e.message for e in result.errors] == [checking.MESSAGE_LEFT_ON_RANGE.format(lowest=lowest)]


def test_a_leaving_date_long_ago_is_refused_and_nobody_is_recorded_as_left(world):
    result = run(world, ["UPN,Surname,Forename,DOB", row(world.pupil_support)], record_missing_as_left_on=dt.date(1900, 1, 1))
    assert "must be today or in the last two years" in result.errors[0].message
    assert not Pupil.objects.filter(left_on__isnull=False).exists()
