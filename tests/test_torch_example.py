"""The seeds' PyTorch example (seed 003 §4) as chapter 4 shows it: the original raises both
errors the chapter explains, the corrected version runs and agrees with gdcore.autodiff.

The code is read from the chapter's markdown, so the page and the test cannot drift apart.
Skipped when torch is not installed (the book's own venv has no torch). With torch, from the
repository root:
    PYTHONPATH=. /work/torchenv/bin/python -m pytest -o addopts="" tests/test_torch_example.py
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "04_backprop.ipynb"
LABEL = "(sec-backprop-torch-example)="


def _blocks():
    """The ```python blocks of the markdown cell under LABEL: (original, corrected)."""
    cells = json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith(LABEL):
            blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
            assert len(blocks) == 2, "expected the original and the corrected code block"
            return blocks
    raise AssertionError(f"no markdown cell starting with {LABEL} in {CHAPTER.name}")


def test_blocks_are_on_the_page():
    original, corrected = _blocks()
    assert "loss.backward()" in original and "x -= learning_rate * x.grad" in original
    assert "torch.no_grad()" in corrected and ".mean()" in corrected


def test_original_raises_non_scalar_backward_error():
    torch = pytest.importorskip("torch")
    original, _ = _blocks()
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        exec(original, {"torch": torch, "print": lambda *a: None})


def test_original_with_scalar_loss_raises_in_place_leaf_error():
    torch = pytest.importorskip("torch")
    original, _ = _blocks()
    fixed_first = original.replace("loss.backward()", "loss.sum().backward()")
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad .* in-place"):
        exec(fixed_first, {"torch": torch, "print": lambda *a: None})


def test_original_start_is_already_the_minimizer():
    torch = pytest.importorskip("torch")
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x.pow(2) - torch.tensor([1.0, 4.0, 9.0])).pow(2).sum().backward()
    assert torch.all(x.grad == 0)


def test_corrected_code_runs_converges_and_matches_gdcore():
    torch = pytest.importorskip("torch")
    import gdcore.autodiff as ad

    _, corrected = _blocks()
    namespace = {"print": lambda *a: None}
    exec(corrected, namespace)
    np.testing.assert_allclose(namespace["x"].detach().numpy(), [1.0, 2.0, 3.0], atol=1e-3)

    # The first gradient, in float64, equals gdcore.autodiff's.
    start = re.search(r"x = torch.tensor\((\[.*?\])", corrected).group(1)
    x0 = np.array(json.loads(start))
    target = np.array([1.0, 4.0, 9.0])
    xt = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (xt.pow(2) - torch.tensor(target, dtype=torch.float64)).pow(2).mean().backward()
    def loss(v):
        return sum((vi ** 2 - t) ** 2 for vi, t in zip(v, target, strict=True)) / 3

    _, g = ad.grad(loss, x0)
    np.testing.assert_allclose(xt.grad.numpy(), g, rtol=1e-14)
