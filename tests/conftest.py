import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("VANBAN_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
VANBAN = Path(sys.executable).with_name("vanban")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "raw").is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS} (set VANBAN_CORPUS)")
    return CORPUS


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(VANBAN), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def corpus_db(corpus, tmp_path_factory) -> Path:
    """The shared corpus loaded once by the real CLI into a real DuckDB file."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    res = run_cli("run", str(corpus / "raw"), "--db", str(db), "--quiet")
    assert res.returncode == 0, res.stderr
    return db


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The sample archive (data/raw) loaded once per session by the real CLI, as `make run` does."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    res = run_cli("run", str(ROOT / "data" / "raw"), "--db", str(db))
    assert res.returncode == 0, res.stderr
    return db, res


@pytest.fixture(scope="session")
def sample_db(sample_run) -> Path:
    return sample_run[0]
