"""The maintenance tools: fork URL, notebook execution helper, progress bars."""

import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import set_repository  # noqa: E402


@pytest.fixture
def fork(tmp_path):
    shutil.copyfile(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    return tmp_path


def test_set_repository_rewrites_config_and_every_install_cell(fork):
    old = set_repository.current_url(fork)
    new = "https://github.com/some-teacher/gd-course-2027"
    set_repository.set_repository(new, fork)
    assert set_repository.current_url(fork) == new
    for path in sorted((fork / "chapters").glob("0*.ipynb")):
        first = set_repository.first_code_cell(nbformat.read(path, as_version=4)).source
        assert f"git+{new}" in first and old not in first, path.name


@pytest.mark.parametrize("url", ["github.com/x/y", "https://github.com/x", "ftp://a/b/c", ""])
def test_set_repository_rejects_bad_urls(fork, url):
    with pytest.raises(ValueError, match="Invalid repository url"):
        set_repository.set_repository(url, fork)


def test_every_chapter_opens_with_the_guarded_colab_install():
    url = set_repository.current_url()
    for path in sorted((ROOT / "chapters").glob("0*.ipynb")):
        first = set_repository.first_code_cell(nbformat.read(path, as_version=4))
        assert '"google.colab" in sys.modules' in first.source, path.name
        assert f"git+{url}" in first.source, path.name


def test_progress_is_quiet_under_tests(monkeypatch):
    from gdcore import progress

    monkeypatch.setenv("GDCORE_QUIET", "1")
    items = [1, 2, 3]
    assert progress.track(items) is items
    monkeypatch.setenv("GDCORE_QUIET", "0")
    assert list(progress.track(items)) == items and progress.track(items) is not items


# --- Which Pythons: tools/pick_python.sh is the one place the range lives; the rest must agree.

SUPPORTED = ("3.11", "3.12", "3.13")


def _fake_python(folder, name, version):
    """An 'interpreter' that answers make's version probe with ``version``."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def test_supported_pythons_agree_everywhere():
    script = (ROOT / "tools" / "pick_python.sh").read_text()
    assert "MIN=11" in script and "MAX=13" in script
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11"' in pyproject
    for version in SUPPORTED:
        assert f"Programming Language :: Python :: {version}" in pyproject
    # Binder's interpreter (repo2docker reads runtime.txt) is one of them.
    assert (ROOT / "runtime.txt").read_text().strip() in {f"python-{v}" for v in SUPPORTED}
    assert "Python 3.11, 3.12 or 3.13" in (ROOT / "README.md").read_text()


def test_make_stops_before_pip_on_a_too_old_python(tmp_path):
    """`make book PYTHON=<3.10>` ends at once with the version found, the one needed, the fix."""
    for name in ("Makefile", "tools/pick_python.sh"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        (tmp_path / name).write_text("")
    old = _fake_python(tmp_path, "python3.10", "3.10")
    proc = subprocess.run(["make", "book", f"PYTHON={old}"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode != 0
    assert "is Python 3.10" in proc.stderr and "3.11, 3.12 or 3.13" in proc.stderr
    assert "make book PYTHON=python3.12" in proc.stderr
    assert not (tmp_path / ".venv").exists() and "-m pip" not in proc.stdout + proc.stderr


def test_plain_python3_too_old_picks_a_supported_one(tmp_path):
    _fake_python(tmp_path, "python3", "3.10")
    _fake_python(tmp_path, "python3.13", "3.13")
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    proc = subprocess.run(["sh", str(ROOT / "tools" / "pick_python.sh")], env=env,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stdout.strip() == "python3.13", proc.stderr


# --- make test-portable: the environments it varies.


@pytest.mark.parametrize("inherited", [None, "Haswell"])
def test_portable_environments_differ_from_the_default(inherited):
    """Two environments whose BLAS kernel (or SIMD/threads) differ from the inherited default."""
    import portable

    base = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if inherited:
        base["OPENBLAS_CORETYPE"] = inherited
    default, chosen = portable.environments(base)
    assert len(chosen) >= 2
    if default["blas"] == "openblas":
        kernels = [got["kernel"] for _, _, got in chosen]
        assert default["kernel"] not in kernels and len(set(kernels)) == len(kernels)
        assert all(env["OPENBLAS_CORETYPE"] != inherited for _, env, _ in chosen)
        older = dict((name, env) for name, env, _ in chosen)["older CPU"]
        assert older["NPY_DISABLE_CPU_FEATURES"] or not default["dispatch"]
