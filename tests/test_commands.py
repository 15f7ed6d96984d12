"""The `sencohub` console command's contracts (DESIGN.md section 4), run as a user runs them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sencohub.statutory import upn

SENCOHUB = str(Path(sys.executable).parent / "sencohub")
U1, U2 = upn.make(801, 2001, 20, 1), upn.make(801, 2001, 20, 2)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated SQLite file shared by this module's commands (subprocesses cannot see the test database)."""
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SENCOHUB_TESTING": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([SENCOHUB, "migrate", "--noinput", "-v0"], env=env, check=True)
    template = path.with_suffix(".template")
    shutil.copy(path, template)
    return path, template, env


@pytest.fixture
def sh(database):
    path, template, env = database
    shutil.copy(template, path)  # each test starts from a freshly migrated database

    def run(*args, **extra_env):
        return subprocess.run([SENCOHUB, *args], env={**env, **extra_env}, capture_output=True, text=True, timeout=120)

    return run


def test_add_school_and_add_user_onboard_a_real_school(sh):
    made = sh("add-school", "--urn", "123456", "--name", "Elm Primary", "--phase", "primary", "--la-code", "801",
              "--trust", "Elm Trust", "--json")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout) == {"urn": "123456", "name": "Elm Primary", "phase": "primary", "la_code": "801", "trust": "Elm Trust"}
    user = sh("add-user", "sam@elm.test", "--school", "123456", "--role", "senco", "--json")
    assert user.returncode == 0, user.stderr
    data = json.loads(user.stdout)
    assert data["email"] == "sam@elm.test" and data["role"] == "senco" and data["password"]
    teacher = sh("add-user", "kim@elm.test", "--school", "123456", "--role", "teacher", "--classes", "3A, 4B", "--json")
    assert json.loads(teacher.stdout)["classes"] == ["3A", "4B"]
    assert sh("add-user", "lee@elm.test", "--school", "123456", "--role", "head", "--classes", "3A").returncode == 1


def test_rejected_input_exits_1_with_a_message(sh):
    bad = sh("add-school", "--urn", "12", "--name", "X")
    assert bad.returncode == 1
    assert "6 digits" in bad.stderr
    assert sh("add-user", "sam@elm.test", "--school", "999999", "--role", "senco").returncode == 1


def test_bad_usage_exits_2(sh):
    assert sh("add-school", "--name", "No URN").returncode == 2
    assert sh("add-user", "sam@elm.test", "--school", "123456", "--role", "wizard").returncode == 2
    assert sh("export", "census").returncode == 2
    assert sh("export", "nonsense", "--school", "1").returncode == 2


def counts(completed) -> dict:
    report = json.loads(completed.stdout)
    return {key: report[key] for key in ("created", "updated", "unchanged", "errors")}


def test_import_pupils_then_export_census(sh, tmp_path):
    assert sh("add-school", "--urn", "123456", "--name", "Elm Primary").returncode == 0
    file = tmp_path / "pupils.csv"
    file.write_text(
        "UPN,Legal Surname,Legal Forename,DOB,SEN provision,Primary need,Secondary need\n"
        f"{U1},Okafor,Amara,14/03/2017,K,SLCN,\n"
        f"{U2},Nowak,Jakub,12/09/2016,N,,\n"
    )
    dry = sh("import-pupils", str(file), "--school", "123456", "--dry-run", "--json")
    assert dry.returncode == 0 and json.loads(dry.stdout)["created"] == 2
    done = sh("import-pupils", str(file), "--school", "123456", "--json")
    assert counts(done) == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    again = sh("import-pupils", str(file), "--school", "123456", "--json")
    assert counts(again) == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}
    census = sh("export", "census", "--school", "123456", "--json")
    assert census.returncode == 0
    assert sorted(json.loads(census.stdout), key=lambda r: r["upn"]) == sorted(
        [
            {"upn": U1, "sen_provision": "K", "primary_sen_type": "SLCN", "secondary_sen_type": None},
            {"upn": U2, "sen_provision": "N", "primary_sen_type": None, "secondary_sen_type": None},
        ],
        key=lambda r: r["upn"],
    )


def test_a_rejected_import_exits_1_and_lists_every_error(sh, tmp_path):
    assert sh("add-school", "--urn", "123456", "--name", "Elm Primary").returncode == 0
    file = tmp_path / "bad.csv"
    wrong = ("Z" if U1[0] != "Z" else "Y") + U1[1:]
    file.write_text(f"upn,surname,forename,dob,sen\n{wrong},Okafor,Amara,14/03/2017,K\n{U2},,Jakub,2016-09-12,Z\n")
    result = sh("import-pupils", str(file), "--school", "123456", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["created"] == 0
    assert {(e["line"], e["column"]) for e in data["errors"]} == {(2, "upn"), (2, "primary_need"), (3, "surname"), (3, "sen_provision")}
    census = json.loads(sh("export", "census", "--school", "123456", "--json").stdout)
    assert census == []


def test_import_of_a_missing_file_or_school_exits_1(sh, tmp_path):
    assert sh("import-pupils", str(tmp_path / "nope.csv"), "--school", "123456").returncode == 1


def test_demo_json_lists_schools_and_users_and_is_repeatable(sh):
    first = sh("demo", "--schools", "2", "--pupils-per-school", "60", "--seed", "7", "--json", DEBUG="1")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert len(data["schools"]) == 2 and {"urn", "name"} <= set(data["schools"][0])
    roles = {u["role"] for u in data["users"]}
    assert {"senco", "teacher", "teaching_assistant", "governor", "parent", "head", "trust_send_lead", "la_officer"} <= roles
    census_first = sh("export", "census", "--school", data["schools"][0]["urn"], "--json").stdout
    second = sh("demo", "--schools", "2", "--pupils-per-school", "60", "--seed", "7", "--json", DEBUG="1")
    again = json.loads(second.stdout)
    assert again.pop("password") != data.pop("password")  # a new password on every run
    assert again == data
    assert sh("export", "census", "--school", data["schools"][0]["urn"], "--json").stdout == census_first


def test_demo_refuses_a_single_school(sh):
    assert sh("demo", "--schools", "1", DEBUG="1").returncode == 1


def timeline(*args):
    env = {**os.environ, "SENCOHUB_TESTING": "1"}
    return subprocess.run([SENCOHUB, "timeline", *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ehc-assessment", "--received", "2026-01-05"],
         {"decision_to_assess_due": "2026-02-16", "decision_not_to_issue_due": "2026-04-27", "final_plan_due": "2026-05-25"}),
        (["ehc-assessment", "--received", "2026-01-05", "--advice-requested", "2026-02-20", "--draft-sent", "2026-04-20"],
         {"decision_to_assess_due": "2026-02-16", "decision_not_to_issue_due": "2026-04-27", "final_plan_due": "2026-05-25",
          "advice_due": "2026-04-03", "draft_comments_due": "2026-05-05"}),
        (["reassessment", "--requested", "2026-03-01"], {"decision_due": "2026-03-16", "final_plan_due": "2026-06-07"}),
        (["annual-review", "--plan-issued", "2024-02-29"], {"review_due": "2025-02-28"}),
        (["annual-review", "--last-review", "2025-03-10", "--meeting", "2026-03-02", "--amendments-sent", "2026-03-23"],
         {"review_due": "2026-03-10", "invitations_due": "2026-02-16", "advice_circulated_due": "2026-02-16",
          "school_report_due": "2026-03-16", "la_decision_due": "2026-03-30", "amendment_comments_due": "2026-04-07",
          "final_amended_plan_due": "2026-05-18"}),
        (["annual-review", "--plan-issued", "2025-01-06", "--meeting", "2026-01-05"],
         {"review_due": "2026-01-06", "invitations_due": "2025-12-22", "advice_circulated_due": "2025-12-22",
          "school_report_due": "2026-01-19", "la_decision_due": "2026-02-02", "final_amended_plan_due": "2026-03-30"}),
        (["phase-transfer", "--transfer", "2027-09-01", "--to", "school"], {"amended_plan_due": "2027-02-15"}),
        (["phase-transfer", "--transfer", "2027-09-01", "--to", "post16"], {"amended_plan_due": "2027-03-31"}),
        (["appeal", "--decision", "2026-06-15"], {"appeal_due": "2026-09-01"}),
        (["appeal", "--decision", "2026-03-10", "--mediation-certificate", "2026-04-20"], {"appeal_due": "2026-05-20"}),
        (["appeal", "--decision", "2026-03-02"], {"appeal_due": "2026-05-05"}),  # not Saturday 2 May: r.12(2)
    ],
)  # fmt: skip
def test_timeline_prints_exactly_the_contract_fields(args, expected):
    result = timeline(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
    before = timeline("--json", *args)  # --json is accepted before the subcommand too
    assert json.loads(before.stdout) == expected


def test_timeline_senco_qualification():
    nasenco = json.loads(timeline("senco-qualification", "--appointed", "2024-11-01", "--course", "nasenco",
                                  "--course-start", "2024-06-01", "--json").stdout)  # fmt: skip
    assert nasenco["required"] is True and nasenco["complete_by"] == "2027-08-31"
    assert nasenco["accepted"] == ["NPQ for SENCOs", "NASENCo"] and nasenco["reason"]
    npq = json.loads(timeline("senco-qualification", "--appointed", "2025-01-06", "--json").stdout)
    assert npq["complete_by"] == "2028-01-06" and npq["accepted"] == ["NPQ for SENCOs"]
    earlier = json.loads(timeline("senco-qualification", "--appointed", "2025-01-06", "--previous-senco-months", "13", "--json").stdout)
    assert earlier["required"] is False and "13 months" in earlier["reason"] and "complete_by" not in earlier


def test_timeline_readable_table_without_json():
    result = timeline("annual-review", "--plan-issued", "2024-02-29")
    assert result.returncode == 0 and "Annual review meeting held" in result.stdout and "2025-02-28" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["annual-review", "--plan-issued", "2025-06-01", "--meeting", "2025-05-01"],  # meeting before the plan
        ["appeal", "--decision", "2026-02-30"],  # a date that does not exist
        ["ehc-assessment", "--received", "05/01/2026"],
        ["appeal", "--decision", "2026-03-10", "--mediation-certificate", "2026-03-01"],
        ["senco-qualification", "--appointed", "2025-01-06", "--previous-senco-months", "-1"],
    ],
)
def test_timeline_rejects_impossible_input_with_exit_1_and_a_message(args):
    result = timeline(*args, "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]
    assert result.stderr.strip()


@pytest.mark.parametrize(
    "args",
    [
        ["annual-review", "--plan-issued", "2024-02-29", "--last-review", "2025-01-01"],
        ["annual-review"],
        ["phase-transfer", "--transfer", "2027-09-01", "--to", "college"],
        ["senco-qualification", "--appointed", "2025-01-06", "--course", "npq"],
        ["fortnightly"],
    ],
)
def test_timeline_bad_usage_exits_2(args):
    assert timeline(*args).returncode == 2


def test_export_plans_writes_one_file_per_pupil_named_by_upn(sh, tmp_path):
    made = sh("demo", "--schools", "2", "--pupils-per-school", "40", "--seed", "3", "--json", DEBUG="1")
    assert made.returncode == 0, made.stderr
    urn = json.loads(made.stdout)["schools"][0]["urn"]
    result = sh("export", "plans", "--school", urn, "--format", "docx", "--out", str(tmp_path / "plans"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    files = sorted((tmp_path / "plans").iterdir())
    assert data["written"] == len(files) > 0
    assert all(upn.check(f.stem).ok and f.suffix == ".docx" for f in files)
    assert sh("export", "plans", "--school", "999999", "--format", "pdf", "--out", str(tmp_path)).returncode == 1
    assert sh("export", "plans", "--school", urn, "--format", "odt", "--out", str(tmp_path)).returncode == 2


def test_import_pupils_refuses_a_file_taking_pupils_off_the_register_unless_allowed(sh, tmp_path):
    assert sh("add-school", "--urn", "123456", "--name", "Elm Primary").returncode == 0
    first = tmp_path / "first.csv"
    first.write_text(f"UPN,Surname,Forename,DOB,SEN,Primary need\n{U1},Okafor,Amara,14/03/2017,K,SLCN\n"
                     f"{U2},Nowak,Jakub,12/09/2016,N,\n")  # fmt: skip
    assert sh("import-pupils", str(first), "--school", "123456").returncode == 0
    leaving = tmp_path / "leaving.csv"
    leaving.write_text(f"UPN,Surname,Forename,DOB,SEN,Shoe size\n{U1},Okafor,Amara,14/03/2017,N,4\n")
    refused = sh("import-pupils", str(leaving), "--school", "123456")
    assert refused.returncode == 1
    assert "1 pupil(s) would leave the SEN register" in refused.stderr
    assert f"Amara Okafor ({U1}): SEN support → No SEN; needs removed: SLCN" in refused.stderr
    as_json = json.loads(sh("import-pupils", str(leaving), "--school", "123456", "--json").stdout)
    assert as_json["needs_confirmation"] is True and as_json["leaving_register"][0]["upn"] == U1
    assert as_json["not_in_file"] == [{"upn": U2, "name": "Jakub Nowak"}]
    assert as_json["ignored_columns"] == ["Shoe size"]

    done = sh("import-pupils", str(leaving), "--school", "123456", "--allow-leaving-register",
              "--record-missing-as-left-on", "2026-07-17", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["updated"] == 1 and report["recorded_as_left_on"] == "2026-07-17"
    census = json.loads(sh("export", "census", "--school", "123456", "--json").stdout)
    assert census == [{"upn": U1, "sen_provision": "N", "primary_sen_type": None, "secondary_sen_type": None}]
