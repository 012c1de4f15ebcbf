"""No leaked answers: the student edition and ``help()`` of the checkers keep the answers hidden.

A student sees two things an exercise's answer could leak through: the student edition (the stub
keeps the solution's signature and docstring) and ``gdcore.checks`` (``help(checker)``, the module
docstrings, any public function). For every solution of the teacher's edition the test takes its
key expressions — the returned or assigned expressions of its code (from the AST) and, per
exercise, the formula it asks to derive in the notations the course writes it in (code, Unicode,
LaTeX) — and looks for each of them, whitespace ignored:

- in the student edition, unless the teacher's edition shows it outside the solution too (the
  exercise statement, the chapter's prose or the broken code an exercise asks to fix);
- anywhere in ``help()`` of ``gdcore.checks``: a checker has no reason to state an answer.

``gdcore.checks`` exposes only checkers: a public function that computes an answer
(``reference_step_off_by`` was one) could be handed in instead of the student's own.
"""

import ast
import importlib
import inspect
import pydoc
import re
import sys

import nbformat
import pytest
from paths import ROOT

import gdcore.checks

sys.path.insert(0, str(ROOT / "tools"))  # the tools are scripts, not part of gdcore
import make_student  # noqa: E402

TEACHER = sorted((ROOT / "chapters").glob("0*.ipynb"))
CHECKER_CALL = re.compile(r"gd\.checks\.(\w+)\.(check_\w+)\(")
LABEL = re.compile(r"\{solution-start\}\s+(\S+)")

# The formula each exercise asks for, in the notations the course and the checkers write it in
# (whitespace is ignored; "−" counts as "-"). An exercise whose statement gives its formula (the
# central difference, Nesterov's and Adagrad's updates) needs none: there, knowing the formula is
# not the exercise. At least one variant of each entry must occur in the teacher's solution (cell
# or dropdown), so that an entry cannot be a typo that matches nothing.
KEYS = {
    "ex-derivatives-curvature": [
        "uᵀAu/", "u^TAu/", r"u^\topAu/", "ûᵀAû", "û^TAû", r"\hatu^\topA\hatu", "u_hat@A@u_hat"],
    "ex-derivatives-optimal-step": [
        "2√(ε", "2sqrt(eps", "2*sqrt(finfo(float).eps", r"2\sqrt{\frac{\varepsilon", "h^2=4",
        "h²=4", "4ε|f|/|f''|", r"4\varepsilon|f|/|f''|"],
    "ex-directional-steepest": [
        "-∇f/‖∇f‖", "-∇f(x)/‖∇f(x)‖", r"-\nablaf(x)/\|\nablaf(x)\|", "-g/linalg.norm(g)"],
    "ex-directional-zero": [
        "(-∂₂f,∂₁f)", "(-g₂,g₁)", "±(-g_2,g_1)", "(-g_2,g_1)", "[-g[1],g[0]]"],
    "ex-directional-off-by": [
        "t=2rel", r"t=2\,\texttt{rel}", r"2\texttt{rel}|D_uf|", "2rel|D_uf|/|uᵀAu|", "2·rel"],
    "ex-descent-stable-lr-gradients": ["poweriteration", "**poweriteration**"],
    "ex-descent-lr-window": [
        "(1-r)/μ", "(1-r)/mu", "(1+r)/L", "eps**(1/steps)", "ε^(1/K)", r"\varepsilon^{1/K}",
        "max(|1-ημ|,|1-ηL|)^steps", r"[(1-r)/\mu"],
    "ex-descent-damped-newton": ["-∇fwhere∇²f", r"d=-\nablaf"],
    "ex-backprop-two-layer": ["(1-h**2)", "(1-h²)", "(1-h^2)", r"\odot(1-h^2)"],
    "ex-backprop-softplus": [
        "½(1+tanh(x/2))", "tanh(x/2)", "tanh(0.5*", r"\tanh(x/2)", "1/(1+e^{-x})", "1/(1+e⁻ˣ)",
        "1/(1+exp(-x))", "eˣ/(1+eˣ)", r"\frac{1}{1+e^{-x}}"],
    "ex-backprop-sigmoid-init": [
        "4/√n", "4/sqrt(n)", "4.0/sqrt(n)", r"4/\sqrt{n}", r"4/\sqrtn", "σ²=16/n",
        r"\sigma^2=16/n"],
    "ex-backprop-tanh-init": ["1/√n", "1/sqrt(n", "√(1/n", r"1/\sqrt{n", "σ²=1/n", "1.0/sqrt(n"],
    "ex-backprop-stable-ce": [
        "logsumexp(z)-z", "logsumexp(z_i)-z_i", r"\operatorname{logsumexp}(z)-z_y", "m+log(",
        "z.max(axis=1", "rowmaximumsubtracted"],
    "ex-zoo-momentum": [
        "4/(√L+√μ)²", "4/(sqrt(L)+sqrt(mu))**2", r"4/(\sqrtL+\sqrt\mu)^2", "(√κ-1)/(√κ+1)",
        "(sqrt_kappa-1)/(sqrt_kappa+1)", r"((\sqrt\kappa-1)/(\sqrt\kappa+1))^2"],
    "ex-zoo-adam": ["m/(1-beta1**t)", "v/(1-beta2**t)", "m/(1-β₁ᵗ)", "1-β₁ᵗ"],
    "ex-zoo-soft-threshold": [
        "sign(z)*maximum(abs(z)-tau", "sign(z)max(|z|-τ,0)", "sign(z)·max(|z|-τ,0)",
        r"\mathrm{sign}(z)\max(|z|-\tau,0)"],
    # part 3's new sections; ex-ls-backtracking (Armijo's condition) and ex-zoo-noise-scale
    # (B_simple = tr Σ/‖G‖²) state their formulas, their code keys are enough
    "ex-rates-smoothness": [
        r"\lambda_{\max}(H_0)", "λ_max(H₀)", "eigvalsh(H0+l2*penalty)",
        r"\frac{1}{4\sum_ic_i}X^\topCX", "X.T*c@X/(4*c.sum())", "(Xᵀ C X)/(4Σc)"],
    "ex-rates-steps": [
        r"\ln(\varepsilon/\mathrm{gap}_0)/\ln(1-\mu/L)", "ln(ε/gap₀)/ln(1-μ/L)",
        "log(eps/gap0)/log1p(-mu/L)", "log(eps/gap0)/log(1-mu/L)"],
    "ex-stability-sharpness": [
        "(grad(theta+h*v)-grad(theta-h*v))/(2*h)", "(∇f(θ+hv)-∇f(θ-hv))/(2h)",
        r"h=10^{-5}(1+\lVert\theta\rVert)"],
    "ex-zoo-linf-steepest": [
        "-sign(g)", r"d_i=-\operatorname{sign}(g_i)", "d=-sign(g)", "-sign(g_i)"],
}
# Exercises of gdcore.checks without a chapter here (their keys are still kept out of help()).
NO_CHAPTER = {"ex-backprop-tanh-init"}
# Public helpers of gdcore.checks that compute no exercise's answer.
PUBLIC_HELPERS = {"descent": {"random_spd"}}


def norm(text: str) -> str:
    """Whitespace out, one minus sign, no ``np.`` prefix: how two spellings of a formula meet."""
    text = text.replace("−", "-").replace("numpy.", "").replace("np.", "")
    for spacing in (r"\,", r"\;", r"\!", r"\big", r"\Big", r"\left", r"\right"):
        text = text.replace(spacing, "")
    return re.sub(r"\s+", "", text)


def _is_trivial(node) -> bool:
    """Names, constants and tuples of them: what a stub may say without giving anything away."""
    if isinstance(node, ast.Tuple):
        return all(_is_trivial(e) for e in node.elts)
    return isinstance(node, (ast.Name, ast.Constant, ast.Attribute))


def code_keys(source: str) -> set[str]:
    """The returned and assigned expressions and the loop and branch conditions of a solution
    (not the trivial ones)."""
    keys = set()
    for node in ast.walk(ast.parse(source)):
        value = None
        if isinstance(node, (ast.Return, ast.Assign, ast.AugAssign)):
            value = node.value
        elif isinstance(node, (ast.While, ast.If)):
            value = node.test
        if value is None or _is_trivial(value):
            continue
        if isinstance(value, ast.Tuple):  # `return theta - ..., b_new`: each part on its own
            keys |= {norm(ast.unparse(e)) for e in value.elts if not _is_trivial(e)}
        else:
            keys.add(norm(ast.unparse(value)))
    return {k for k in keys if len(k) >= 8}  # `np.zeros(d)`-sized expressions say nothing


def exercises(path):
    """(label, solution source, dropdown text, checker name) for each exercise of a notebook."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for i, cell in enumerate(nb.cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        opening = next(c for c in reversed(nb.cells[:i]) if make_student.is_solution_markup(c))
        label = LABEL.search(opening.source).group(1)
        checker = next(CHECKER_CALL.search(c.source) for c in nb.cells[i + 1:]
                       if c.cell_type == "code" and CHECKER_CALL.search(c.source))
        out.append((label, cell.source, opening.source, checker.group(2)))
    return out


def public_text(path) -> str:
    """What the teacher's edition shows outside its solutions (statements, prose, checker cells)."""
    nb = nbformat.read(path, as_version=4)
    return norm("\n".join(c.source for c in nb.cells
                          if "solution" not in c.metadata.get("tags", [])
                          and not make_student.is_solution_markup(c)))


ALL = [(path, *ex) for path in TEACHER for ex in exercises(path)]


def test_every_exercise_is_covered():
    """A new exercise needs a decision: key formulas here, or a statement that gives them."""
    assert ALL, "no exercises found"
    assert len({label for _, label, *_ in ALL}) == len(ALL), "two exercises share a label"
    for _, label, source, _, _ in ALL:
        assert code_keys(source) or label in KEYS, f"{label}: no key expression to look for"


@pytest.mark.parametrize("label", sorted(set(KEYS) - NO_CHAPTER))
def test_declared_keys_are_real(label):
    """Each declared formula occurs in its own solution: the lists above are not typos."""
    found = [(source, dropdown) for _, lab, source, dropdown, _ in ALL if lab == label]
    assert found, f"{label}: no such exercise in the chapters (add it to NO_CHAPTER?)"
    solution = norm(found[0][0] + found[0][1])
    assert any(norm(k) in solution for k in KEYS[label]), f"{label}: no key matches the solution"


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    make_student.make_student(ROOT, out)
    return out


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.name)
def test_student_edition_leaks_no_answer(student, path):
    nb = nbformat.read(student / "chapters" / path.name, as_version=4)
    text = norm("\n".join(c.source for c in nb.cells))
    shown = public_text(path)
    leaks = []
    for _, label, source, _, _ in (e for e in ALL if e[0] == path):
        for key in code_keys(source) | {norm(k) for k in KEYS.get(label, [])}:
            if key in text and key not in shown:
                leaks.append(f"{label}: {key!r}")
    assert not leaks, f"{path.name}: the student edition shows answers: {leaks}"


def checker_modules():
    """The modules of gdcore.checks that exist (its topic list names some still to come)."""
    modules = []
    for topic in gdcore.checks._TOPICS:
        try:
            modules.append(importlib.import_module(f"gdcore.checks.{topic}"))
        except ModuleNotFoundError as error:
            if error.name != f"gdcore.checks.{topic}":
                raise
    return modules


def _public(module):
    return {name: obj for name, obj in vars(module).items()
            if not name.startswith("_") and not inspect.ismodule(obj)
            and getattr(obj, "__module__", None) == module.__name__}


def help_text(module) -> str:
    """What ``help()`` shows of a module and of each of its public objects."""
    parts = [pydoc.render_doc(module, renderer=pydoc.plaintext)]
    parts += [pydoc.render_doc(obj, renderer=pydoc.plaintext) for obj in _public(module).values()
              if callable(obj)]
    return norm("\n".join(parts))


@pytest.mark.parametrize("module", checker_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_checker_help_reveals_no_answer(module):
    text = help_text(module)
    keys = {f"{label}: {k!r}": norm(k) for label, variants in KEYS.items() for k in variants}
    keys |= {f"{label}: {k!r}": k for _, label, source, _, _ in ALL for k in code_keys(source)}
    leaks = sorted(name for name, key in keys.items() if key in text)
    assert not leaks, f"help({module.__name__}) shows answers: {leaks}"


@pytest.mark.parametrize("module", checker_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_checkers_expose_no_reference_solution(module):
    allowed = PUBLIC_HELPERS.get(module.__name__.rsplit(".", 1)[1], set())
    public = set(_public(module)) | set(getattr(module, "__all__", []))
    extra = sorted(name for name in public
                   if callable(getattr(module, name, None)) and not name.startswith("check_")
                   and name not in allowed)
    assert not extra, f"{module.__name__} exposes functions that are not checkers: {extra}"


@pytest.mark.parametrize("source, keys", [
    ("def f(x):\n    '''Doc.'''\n    return x\n", set()),
    ("def f(L, mu):\n    lr = 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2\n    return lr, mu\n",
     {"4/(sqrt(L)+sqrt(mu))**2"}),
    ("def f(z):\n    return np.sign(z) * np.maximum(np.abs(z) - 1, 0.0), z\n",
     {"sign(z)*maximum(abs(z)-1,0.0)"}),
    ("def f(x, t):\n    while f(x - t) > 0.5 * t:\n        t *= 0.5\n    return t\n",
     {"f(x-t)>0.5*t"}),
])
def test_code_keys(source, keys):
    assert code_keys(source) == keys
