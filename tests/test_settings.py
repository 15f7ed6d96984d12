import os
import subprocess
import sys
from pathlib import Path

SENCOHUB = str(Path(sys.executable).parent / "sencohub")


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SENCOHUB_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789", "ALLOWED_HOSTS": "sencohub.example.org"})
    env.update(extra)
    return env


def test_deploy_checks_pass_with_debug_off():
    result = subprocess.run(
        [SENCOHUB, "check", "--deploy", "--fail-level", "WARNING"], env=production_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run([SENCOHUB, "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_debug_value_is_refused_not_guessed():
    result = subprocess.run([SENCOHUB, "check"], env=production_env(DEBUG="yes please"), capture_output=True, text=True)
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_every_setting_the_code_reads_from_the_environment_is_in_the_deployment_guide():
    import re
    from pathlib import Path

    root = Path(__file__).parent.parent
    code = "\n".join(p.read_text() for p in (root / "src" / "sencohub").rglob("*.py"))
    read = set(re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', code))
    read |= set(re.findall(r'os\.environ(?:\.get)?[\(\[]\s*"([A-Z0-9_]+)"', code)) - {"DJANGO_SETTINGS_MODULE"}
    guide = (root / "docs" / "deployment.md").read_text()
    assert len(read) > 20
    assert not {name for name in read if f"`{name}`" not in guide}
