"""Tests of the SymPy references, the case generators and the reference solution.

The references in ``solutions/derivations.py`` are the only source of expected
values, so they are checked here against independent numeric definitions
written in this file (brute-force back-projection for the receptive field;
an explicit scatter loop, a zero-insertion/flipped-kernel convolution built
with ``np.kron`` and the adjoint identity <conv(y), x> == <y, convT(x)> for the
transposed convolution).  The generators in ``solutions/cases.py`` must be
deterministic, JSON-serialisable and cover their promised tags, and the
reference submission ``solutions/a2.py`` must agree with the references on
every generated case.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import random
import sys
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import sympy

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
MANIFEST_SEED = 6126
GENERATOR_SEEDS = [MANIFEST_SEED, 0, 1, 2, 3, 7, 42, 2024]

QUESTION_LAYERS = [(3, 1), (5, 2), (5, 1)]
QUESTION_X = [[1, 2], [3, 4]]
QUESTION_KERNEL = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
QUESTION_OUTPUT = [[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]]


def _load(name: str) -> ModuleType:
    """Load ``solutions/<name>.py`` by path (``solutions`` is not a package)."""
    module_name = f"_solutions_{name}_under_test"
    spec = importlib.util.spec_from_file_location(module_name, SOLUTIONS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def derivations() -> ModuleType:
    """The SymPy references."""
    return _load("derivations")


@pytest.fixture(scope="module")
def cases() -> ModuleType:
    """The case generators."""
    return _load("cases")


@pytest.fixture(scope="module")
def a2() -> ModuleType:
    """The reference submission."""
    return _load("a2")


# --------------------------------------------------------------------------- #
# Independent numeric definitions
# --------------------------------------------------------------------------- #


def rf_back_projection(layers: list[Any]) -> int:
    """Receptive field by projecting one top unit's support back to the input."""
    support = {0}
    for layer in reversed(layers):
        kernel, stride = layer[0], layer[1]
        dilation = layer[2] if len(layer) == 3 else 1
        support = {i * stride + p * dilation for i in support for p in range(kernel)}
    return max(support) - min(support) + 1


def exact(value: Any) -> Fraction:
    """A number as an exact fraction (floats at their decimal text)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def tconv_loop(
    x: list[list[Any]], w: list[list[Any]], stride: int, padding: int, dilation: int
) -> list[list[Fraction]]:
    """Transposed convolution by its scatter definition, out[i*s + p*d - pad] += x*w."""
    h, wd, kh, kw = len(x), len(x[0]), len(w), len(w[0])
    out_h = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + 1
    out_w = (wd - 1) * stride - 2 * padding + dilation * (kw - 1) + 1
    out = [[Fraction(0)] * out_w for _ in range(out_h)]
    for i in range(h):
        for j in range(wd):
            for p in range(kh):
                for q in range(kw):
                    r = i * stride + p * dilation - padding
                    c = j * stride + q * dilation - padding
                    if 0 <= r < out_h and 0 <= c < out_w:
                        out[r][c] += exact(x[i][j]) * exact(w[p][q])
    return out


def tconv_kron(
    x: np.ndarray, w: np.ndarray, stride: int, padding: int, dilation: int
) -> np.ndarray:
    """Transposed convolution as a full convolution of the zero-inserted input.

    Zeros are inserted between input pixels with ``np.kron``, the kernel is
    dilated and flipped, the "full" cross-correlation is taken, and
    ``padding`` rows/columns are cropped from each border.
    """
    unit = np.zeros((stride, stride), dtype=np.int64)
    unit[0, 0] = 1
    z = np.kron(x, unit)[: (x.shape[0] - 1) * stride + 1, : (x.shape[1] - 1) * stride + 1]
    wd = np.zeros((dilation * (w.shape[0] - 1) + 1, dilation * (w.shape[1] - 1) + 1), dtype=w.dtype)
    wd[::dilation, ::dilation] = w
    flipped = wd[::-1, ::-1]
    fh, fw = flipped.shape
    zp = np.pad(z, ((fh - 1, fh - 1), (fw - 1, fw - 1)))
    full = np.zeros((z.shape[0] + fh - 1, z.shape[1] + fw - 1), dtype=np.result_type(z, w))
    for r in range(full.shape[0]):
        for c in range(full.shape[1]):
            full[r, c] = np.sum(zp[r : r + fh, c : c + fw] * flipped)
    return full[padding : full.shape[0] - padding, padding : full.shape[1] - padding]


def conv2d_loop(
    y: np.ndarray, w: np.ndarray, stride: int, padding: int, dilation: int
) -> np.ndarray:
    """Direct convolution (PyTorch conv2d cross-correlation) by explicit loops."""
    kh, kw = w.shape
    yp = np.pad(y, padding)
    out_h = (yp.shape[0] - dilation * (kh - 1) - 1) // stride + 1
    out_w = (yp.shape[1] - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((out_h, out_w), dtype=np.result_type(y, w))
    for a in range(out_h):
        for b in range(out_w):
            for p in range(kh):
                for q in range(kw):
                    out[a, b] += w[p, q] * yp[a * stride + p * dilation, b * stride + q * dilation]
    return out


def random_tconv_case(rng: random.Random) -> tuple[list[list[Any]], list[list[Any]], int, int, int]:
    """A random valid transposed-convolution case: ints, dyadic or decimal floats."""
    while True:
        h, w = rng.randint(1, 5), rng.randint(1, 5)
        kh, kw = rng.randint(1, 4), rng.randint(1, 4)
        stride, padding, dilation = rng.randint(1, 3), rng.randint(0, 2), rng.randint(1, 3)
        out_h = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + 1
        out_w = (w - 1) * stride - 2 * padding + dilation * (kw - 1) + 1
        if out_h >= 1 and out_w >= 1:
            break
    kind = rng.choice(["int", "int", "dyadic", "decimal"])

    def value() -> Any:
        if kind == "int":
            return rng.randint(-9, 9)
        if kind == "dyadic":
            return rng.randint(-32, 32) / 8
        return round(rng.uniform(-5, 5), 2)

    x = [[value() for _ in range(w)] for _ in range(h)]
    kernel = [[value() for _ in range(kw)] for _ in range(kh)]
    return x, kernel, stride, padding, dilation


def random_layers(rng: random.Random) -> list[Any]:
    """A random stack of 0-7 layers, as 2- or 3-tuples/lists."""
    layers: list[Any] = []
    for _ in range(rng.randint(0, 7)):
        layer = [rng.randint(1, 7), rng.randint(1, 4)]
        if rng.random() < 0.5:
            layer.append(rng.randint(1, 4))
        layers.append(tuple(layer) if rng.random() < 0.5 else layer)
    return layers


# --------------------------------------------------------------------------- #
# The proofs
# --------------------------------------------------------------------------- #


def test_receptive_field_proof_passes(derivations: ModuleType) -> None:
    """The closed form equals the recursion for up to 6 (and 8) symbolic layers."""
    derivations.prove_receptive_field()
    derivations.prove_receptive_field(max_layers=8)


def test_transposed_conv_proof_passes(derivations: ModuleType) -> None:
    """The adjoint proof passes on its default configs, which cover what was promised."""
    derivations.prove_transposed_conv()
    configs = derivations.DEFAULT_TRANSPOSED_CONV_CONFIGS
    assert {c[2] for c in configs} >= {1, 2, 3}
    assert {c[3] for c in configs} >= {0, 1, 2}
    assert {c[4] for c in configs} >= {1, 2, 3}
    assert any(c[0][0] != c[0][1] for c in configs)
    assert any(c[1][0] != c[1][1] for c in configs)


def test_transposed_conv_proof_accepts_lists(derivations: ModuleType) -> None:
    """Configurations may be given as JSON-style lists."""
    derivations.prove_transposed_conv([[[2, 3], [3, 2], 2, 1, 2]])


def test_transposed_conv_proof_rejects_empty_output(derivations: ModuleType) -> None:
    """A configuration with an empty output is refused."""
    with pytest.raises(ValueError):
        derivations.prove_transposed_conv([((1, 1), (1, 1), 1, 1, 1)])


def test_broken_receptive_field_is_caught(derivations: ModuleType) -> None:
    """A closed form that forgets the dilations fails the checker."""
    ks, ss, _ = derivations.layer_symbols(3)
    # Forgets the dilations: wrong whenever some d_j != 1.
    wrong = 1 + sum((ks[j] - 1) * sympy.Mul(*ss[:j]) for j in range(3))
    with pytest.raises(AssertionError, match="n=3"):
        derivations._check_receptive_field(3, wrong, derivations.receptive_field_recursion(3))


def test_broken_closed_form_fails_the_proof(
    derivations: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The public proof fails, naming n, if the closed form is wrong."""

    def off_by_one(n: int) -> Any:
        ks, ss, ds = derivations.layer_symbols(n)
        # Uses the jump *including* layer j's own stride: a classic mistake.
        total = 1
        for j in range(n):
            total += ds[j] * (ks[j] - 1) * sympy.Mul(*ss[: j + 1])
        return total

    monkeypatch.setattr(derivations, "receptive_field_closed_form", off_by_one)
    with pytest.raises(AssertionError, match="n=1"):
        derivations.prove_receptive_field(3)


def test_broken_transposed_conv_is_caught(derivations: ModuleType) -> None:
    """A wrong C (flipped kernel) or a nonlinear output fails the checker."""
    config = ((2, 3), (2, 3), 2, 1, 2)
    transposed = derivations.transposed_conv_matrix(*config)
    x = derivations.input_symbols(config[0])
    conv = derivations.conv2d_matrix(*config)
    derivations._check_transposed_conv("good", transposed, x, conv)
    # The flipped-kernel convolution is a different map.
    k = derivations.kernel_symbols(config[1])
    flip = {k[p, q]: k[1 - p, 2 - q] for p in range(2) for q in range(3)}
    with pytest.raises(AssertionError, match="flipped"):
        derivations._check_transposed_conv("flipped", transposed, x, conv.xreplace(flip))
    # A nonlinear output is not a linear map at all.
    squared = transposed.applyfunc(lambda e: e**2)
    with pytest.raises(AssertionError, match="not linear"):
        derivations._check_transposed_conv("squared", squared, x, conv)


def test_broken_conv_matrix_fails_the_proof(
    derivations: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The public proof fails, naming the config, if C is wrong."""
    real = derivations._conv2d_matrix

    def wrong_conv(config: Any) -> Any:
        # Transposes the kernel (w_p_q read as w_q_p): a different linear map.
        k = derivations.kernel_symbols(config[1])
        swap = {k[p, q]: k[q, p] for p in range(k.rows) for q in range(k.cols)}
        return real(config).xreplace(swap)

    monkeypatch.setattr(derivations, "_conv2d_matrix", wrong_conv)
    with pytest.raises(AssertionError, match="padding=1"):
        derivations.prove_transposed_conv([((2, 2), (3, 3), 1, 1, 1)])


# --------------------------------------------------------------------------- #
# Receptive field reference
# --------------------------------------------------------------------------- #


def test_receptive_field_question(derivations: ModuleType, cases: ModuleType) -> None:
    """The question's network has receptive field 15."""
    assert derivations.receptive_field(QUESTION_LAYERS) == 15
    assert derivations.receptive_field([list(layer) for layer in QUESTION_LAYERS]) == 15
    (case,) = cases.receptive_field_question(random.Random(MANIFEST_SEED))
    assert case["tags"] == ["question"]
    assert case["args"] == [[[3, 1], [5, 2], [5, 1]]]
    assert derivations.receptive_field(*case["args"], **case["kwargs"]) == 15


def test_receptive_field_matches_back_projection(derivations: ModuleType) -> None:
    """The reference equals brute-force back-projection on random stacks."""
    rng = random.Random(20240611)
    for _ in range(400):
        layers = random_layers(rng)
        got = derivations.receptive_field(layers)
        assert type(got) is int
        assert got == rf_back_projection(layers), layers


def test_receptive_field_closed_form_shape(derivations: ModuleType) -> None:
    """The closed form for two layers is the expected polynomial."""
    ks, ss, ds = derivations.layer_symbols(2)
    expected = 1 + ds[0] * (ks[0] - 1) + ds[1] * (ks[1] - 1) * ss[0]
    assert (derivations.receptive_field_closed_form(2) - expected).expand() == 0
    assert derivations.receptive_field([]) == 1


@pytest.mark.parametrize(
    "layers", [[(3,)], [(3, 1, 1, 1)], [(0, 1)], [(3, 0)], [(3, 1, 0)], [(2.5, 1)]]
)
def test_receptive_field_rejects_bad_layers(derivations: ModuleType, layers: Any) -> None:
    """Malformed layers are refused."""
    with pytest.raises((ValueError, TypeError)):
        derivations.receptive_field(layers)


# --------------------------------------------------------------------------- #
# Transposed convolution reference
# --------------------------------------------------------------------------- #


def test_transposed_conv_question(derivations: ModuleType, cases: ModuleType) -> None:
    """The question's input and kernel give the expected 4x4 output."""
    assert derivations.transposed_conv2d(QUESTION_X, QUESTION_KERNEL) == QUESTION_OUTPUT
    (case,) = cases.transposed_conv_question(random.Random(MANIFEST_SEED))
    assert case["tags"] == ["question"]
    assert case["kwargs"] == {"stride": 1, "padding": 0, "dilation": 1}
    assert derivations.transposed_conv2d(*case["args"], **case["kwargs"]) == QUESTION_OUTPUT


def test_transposed_conv_matches_loop_and_kron(derivations: ModuleType) -> None:
    """The reference equals the scatter loop and the kron construction."""
    rng = random.Random(6126_2)
    for _ in range(320):
        x, kernel, stride, padding, dilation = random_tconv_case(rng)
        got = derivations.transposed_conv2d(x, kernel, stride, padding, dilation)
        assert got == tconv_loop(x, kernel, stride, padding, dilation)
        for row in got:
            for v in row:
                assert type(v) is int or (type(v) is Fraction and v.denominator != 1)
        if all(isinstance(v, int) for row in x + kernel for v in row):
            kron = tconv_kron(np.array(x), np.array(kernel), stride, padding, dilation)
            assert np.array_equal(np.array(got, dtype=np.int64), kron)


def test_transposed_conv_is_adjoint_of_conv(derivations: ModuleType) -> None:
    """<conv(y), x> == <y, convT(x)> with an independent conv2d."""
    rng = random.Random(99)
    nrng = np.random.default_rng(99)
    checked = 0
    while checked < 300:
        x, kernel, stride, padding, dilation = random_tconv_case(rng)
        if not all(isinstance(v, int) for row in x + kernel for v in row):
            continue
        out = np.array(derivations.transposed_conv2d(x, kernel, stride, padding, dilation))
        y = nrng.integers(-9, 10, size=out.shape)
        conv = conv2d_loop(y, np.array(kernel), stride, padding, dilation)
        assert conv.shape == np.array(x).shape
        assert int(np.sum(conv * np.array(x))) == int(np.sum(y * out))
        checked += 1


def test_transposed_conv_exact_floats(derivations: ModuleType) -> None:
    """Floats are taken exactly at their decimal value."""
    got = derivations.transposed_conv2d([[0.25, 1.5]], [[0.1], [3]], stride=2)
    assert got == [[Fraction(1, 40), 0, Fraction(3, 20)], [Fraction(3, 4), 0, Fraction(9, 2)]]
    assert derivations.transposed_conv2d(np.array([[2]]), np.array([[0.5]])) == [[1]]


@pytest.mark.parametrize(
    ("x", "kernel", "kwargs"),
    [
        ([[1]], [[1]], {"padding": 1}),
        ([[1, 2]], [[1, 2]], {"padding": 1}),
        ([[1]], [[1]], {"stride": 0}),
        ([[1]], [[1]], {"dilation": 0}),
        ([[1]], [[1]], {"padding": -1}),
        ([], [[1]], {}),
        ([[1, 2], [3]], [[1]], {}),
    ],
)
def test_transposed_conv_rejects_invalid(
    derivations: ModuleType, x: Any, kernel: Any, kwargs: dict[str, int]
) -> None:
    """Empty outputs, bad hyper-parameters and ragged arrays are refused."""
    with pytest.raises(ValueError):
        derivations.transposed_conv2d(x, kernel, **kwargs)


def test_symbolic_output_shape(derivations: ModuleType) -> None:
    """The symbolic output and C have the PyTorch shapes."""
    m = derivations.transposed_conv_matrix((2, 3), (3, 2), 2, 1, 3)
    assert m.shape == ((2 - 1) * 2 - 2 + 3 * 2 + 1, (3 - 1) * 2 - 2 + 3 * 1 + 1)
    assert derivations.conv2d_matrix((2, 3), (3, 2), 2, 1, 3).shape == (6, m.rows * m.cols)


# --------------------------------------------------------------------------- #
# Generators
# --------------------------------------------------------------------------- #

GENERATORS = [
    "receptive_field_question",
    "receptive_field_general",
    "transposed_conv_question",
    "transposed_conv_general",
]


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_deterministic_and_json(cases: ModuleType, name: str) -> None:
    """Each generator is deterministic per seed and JSON round-trips."""
    generator = getattr(cases, name)
    for seed in GENERATOR_SEEDS:
        first = generator(random.Random(seed))
        assert first == generator(random.Random(seed))
        assert json.loads(json.dumps(first)) == first  # tuples would not round-trip
        for case in first:
            assert set(case) == {"args", "kwargs", "tags", "description"}
            assert isinstance(case["args"], list) and isinstance(case["kwargs"], dict)
            assert case["tags"] and all(isinstance(t, str) for t in case["tags"])
            assert isinstance(case["description"], str) and case["description"]


def test_generators_vary_with_seed(cases: ModuleType) -> None:
    """Different seeds give different hidden cases."""
    for name in ("receptive_field_general", "transposed_conv_general"):
        generator = getattr(cases, name)
        assert generator(random.Random(1)) != generator(random.Random(2))


def test_receptive_field_general_cases(cases: ModuleType) -> None:
    """Hidden receptive-field cases respect their ranges and tag coverage."""
    allowed = {"single-layer", "strided", "dilated", "mixed-tuples", "deep"}
    for seed in GENERATOR_SEEDS:
        generated = cases.receptive_field_general(random.Random(seed))
        assert 20 <= len(generated) <= 30
        counts = Counter(tag for case in generated for tag in case["tags"])
        assert set(counts) == allowed
        assert all(count >= 3 for count in counts.values()), counts
        for case in generated:
            (layers,) = case["args"]
            assert 1 <= len(layers) <= 7
            for layer in layers:
                assert len(layer) in (2, 3)
                assert 1 <= layer[0] <= 7 and 1 <= layer[1] <= 4
                assert len(layer) == 2 or 1 <= layer[2] <= 4
            assert ("mixed-tuples" in case["tags"]) == (len({len(x) for x in layers}) == 2)
            assert ("single-layer" in case["tags"]) == (len(layers) == 1)


def test_transposed_conv_general_cases(cases: ModuleType) -> None:
    """Hidden transposed-conv cases respect their ranges and tag coverage."""
    allowed = {"stride", "padding", "dilation", "non-square", "float", "combined"}
    for seed in GENERATOR_SEEDS:
        generated = cases.transposed_conv_general(random.Random(seed))
        assert 25 <= len(generated) <= 35
        counts = Counter(tag for case in generated for tag in case["tags"])
        assert set(counts) == allowed
        assert all(count >= 4 for count in counts.values()), counts
        strides, paddings, dilations = set(), set(), set()
        for case in generated:
            x, kernel = case["args"]
            s, p, d = (case["kwargs"][key] for key in ("stride", "padding", "dilation"))
            strides.add(s)
            paddings.add(p)
            dilations.add(d)
            assert 1 <= len(x) <= 5 and 1 <= len(x[0]) <= 5
            assert 1 <= len(kernel) <= 4 and 1 <= len(kernel[0]) <= 4
            assert (len(x) - 1) * s - 2 * p + d * (len(kernel) - 1) + 1 >= 1
            assert (len(x[0]) - 1) * s - 2 * p + d * (len(kernel[0]) - 1) + 1 >= 1
            values = [v for row in x + kernel for v in row]
            if "float" in case["tags"]:
                assert all(isinstance(v, float) and (v * 8).is_integer() for v in values)
            else:
                assert all(type(v) is int for v in values)
            # Descriptions name the kind of case, never the entries.
            assert json.dumps(x) not in case["description"]
        assert {2, 3} <= strides and {1, 2} <= paddings and {2, 3} <= dilations


# --------------------------------------------------------------------------- #
# The reference submission
# --------------------------------------------------------------------------- #


def _generated(cases: ModuleType, question: str, general: str) -> list[dict[str, Any]]:
    """All cases of a part over the test seeds."""
    out = getattr(cases, question)(random.Random(MANIFEST_SEED))
    for seed in GENERATOR_SEEDS:
        out += getattr(cases, general)(random.Random(seed))
    return out


def test_a2_imports_only_numpy_and_stdlib() -> None:
    """The reference submission imports only NumPy and the standard library."""
    tree = ast.parse((SOLUTIONS / "a2.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"numpy"} | set(sys.stdlib_module_names), imported


def test_a2_defines_the_answers(a2: ModuleType) -> None:
    """The reference submission defines every answer the manifest reads."""
    assert a2.NETWORK_Q1_II == [(3, 1), (5, 2), (5, 1)]
    assert a2.receptive_field(a2.NETWORK_Q1_II) == 15
    for name in ("Q1_I", "Q1_III", "Q2", "Q3"):
        text = getattr(a2, name)
        assert isinstance(text, str) and 150 < len(text) < 1200
    for name in ("receptive_field", "transposed_conv2d"):
        assert getattr(a2, name).__doc__


def test_a2_receptive_field_agrees(
    a2: ModuleType, derivations: ModuleType, cases: ModuleType
) -> None:
    """The reference submission's receptive_field equals the reference."""
    for case in _generated(cases, "receptive_field_question", "receptive_field_general"):
        expected = derivations.receptive_field(*case["args"], **case["kwargs"])
        assert a2.receptive_field(*case["args"], **case["kwargs"]) == expected, case
    rng = random.Random(5)
    for _ in range(300):
        layers = random_layers(rng)
        assert a2.receptive_field(layers) == derivations.receptive_field(layers)


def _assert_a2_tconv(
    a2: ModuleType, derivations: ModuleType, args: list[Any], kwargs: dict
) -> None:
    """a2.transposed_conv2d equals the reference on one case, with the right dtype."""
    expected = derivations.transposed_conv2d(*args, **kwargs)
    got = a2.transposed_conv2d(*args, **kwargs)
    assert isinstance(got, np.ndarray)
    values = [v for row in args[0] + args[1] for v in row]
    if all(type(v) is int for v in values):
        assert got.dtype.kind == "i"
        assert np.array_equal(got, np.array(expected, dtype=np.int64))
    else:
        assert got.dtype.kind == "f"
        want = np.array([[float(v) for v in row] for row in expected])
        assert got.shape == want.shape
        assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


def test_a2_transposed_conv_agrees(
    a2: ModuleType, derivations: ModuleType, cases: ModuleType
) -> None:
    """The reference submission's transposed_conv2d equals the reference."""
    for case in _generated(cases, "transposed_conv_question", "transposed_conv_general"):
        _assert_a2_tconv(a2, derivations, case["args"], case["kwargs"])
    rng = random.Random(17)
    for _ in range(300):
        x, kernel, stride, padding, dilation = random_tconv_case(rng)
        kwargs = {"stride": stride, "padding": padding, "dilation": dilation}
        _assert_a2_tconv(a2, derivations, [x, kernel], kwargs)


def test_a2_rejects_empty_output(a2: ModuleType) -> None:
    """The reference submission refuses an empty output."""
    with pytest.raises(ValueError):
        a2.transposed_conv2d([[1]], [[1]], padding=1)


def test_references_are_fast(cases: ModuleType) -> None:
    """Building two seeds' worth of references from cold caches takes seconds."""
    fresh = _load("derivations")  # empty caches
    start = time.perf_counter()
    for seed in (MANIFEST_SEED, 11):
        for case in cases.transposed_conv_general(random.Random(seed)):
            fresh.transposed_conv2d(*case["args"], **case["kwargs"])
        for case in cases.receptive_field_general(random.Random(seed)):
            fresh.receptive_field(*case["args"], **case["kwargs"])
    assert time.perf_counter() - start < 5.0
