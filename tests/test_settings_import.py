"""Importing the settings writes nothing; Django's start makes the data folders, and the key file is
written the first time something signs with the key (issue 13: settings without side effects)."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(code: str, data: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(NTM_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="ntm.settings", NTM_LOG_LEVEL="WARNING")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_settings_creates_no_folder_and_no_key(tmp_path):
    run("import ntm.settings", tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_django_start_makes_the_folders_and_signing_makes_the_key_once(tmp_path):
    data = tmp_path / "data"
    code = ("import django; django.setup(); from django.core import signing; "
            "print(signing.loads(signing.dumps('x')))")
    assert run(code, data).strip() == "x"
    assert (data / "static").is_dir()
    key = (data / "secret_key").read_text(encoding="utf-8")
    run(code, data)
    assert (data / "secret_key").read_text(encoding="utf-8") == key
