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

    def run(*args):
        return subprocess.run([SENCOHUB, *args], env=env, capture_output=True, text=True, timeout=120)

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
    assert json.loads(done.stdout) == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    again = sh("import-pupils", str(file), "--school", "123456", "--json")
    assert json.loads(again.stdout) == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}
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
    first = sh("demo", "--schools", "2", "--pupils-per-school", "60", "--seed", "7", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert len(data["schools"]) == 2 and {"urn", "name"} <= set(data["schools"][0])
    roles = {u["role"] for u in data["users"]}
    assert {"senco", "teacher", "teaching_assistant", "governor", "parent", "head", "trust_send_lead", "la_officer"} <= roles
    census_first = sh("export", "census", "--school", data["schools"][0]["urn"], "--json").stdout
    second = sh("demo", "--schools", "2", "--pupils-per-school", "60", "--seed", "7", "--json")
    assert json.loads(second.stdout) == data
    assert sh("export", "census", "--school", data["schools"][0]["urn"], "--json").stdout == census_first


def test_demo_refuses_a_single_school(sh):
    assert sh("demo", "--schools", "1").returncode == 1
