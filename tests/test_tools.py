"""The maintenance tools: fork URL, notebook execution helper, progress bars."""

import shutil
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
