"""SymPy derivations behind the reference answers of AI6126 Assignment 2.

This module is the only source of the expected values used for grading. Each
reference is obtained from a symbolic derivation, which is itself proved here:

* Q1(ii), receptive field.  The closed form

      R_n = 1 + sum_{j=1..n} d_j (k_j - 1) prod_{i<j} s_i

  (kernel sizes ``k_i``, strides ``s_i``, dilations ``d_i``) is proved equal to
  the layer-by-layer recursion ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``,
  ``j_l = j_{l-1} s_l`` (``r_0 = j_0 = 1``) for fully symbolic layers
  (:func:`prove_receptive_field`).  :func:`receptive_field` substitutes a
  concrete stack of layers into the closed form.

* Q1(iv), transposed convolution.  The single-channel 2-D transposed
  convolution with PyTorch ``conv_transpose2d`` semantics (kernel not flipped,
  no output padding, ``padding`` cropping that many rows and columns from each
  border of the full output) is written out symbolically in input symbols
  ``x_a_b`` and kernel symbols ``w_p_q`` (:func:`transposed_conv_matrix`).  It is
  proved to be the adjoint of the direct convolution (PyTorch ``conv2d``
  cross-correlation with the same stride, padding and dilation): its Jacobian
  with respect to the input equals ``C^T``, where ``C`` is the matrix of the
  direct convolution (:func:`conv2d_matrix`, :func:`prove_transposed_conv`).
  :func:`transposed_conv2d` substitutes exact values into the symbolic output.

SymPy is a development dependency only: the grading image never imports this
module; the engine evaluates these references when it builds the cases.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import sympy

__all__ = [
    "DEFAULT_TRANSPOSED_CONV_CONFIGS",
    "conv2d_matrix",
    "input_symbols",
    "kernel_symbols",
    "layer_symbols",
    "prove_receptive_field",
    "prove_transposed_conv",
    "receptive_field",
    "receptive_field_closed_form",
    "receptive_field_recursion",
    "transposed_conv2d",
    "transposed_conv_matrix",
    "transposed_conv_output_shape",
]

Shape = tuple[int, int]
#: One transposed-convolution configuration: (input shape, kernel shape, stride, padding, dilation).
Config = tuple[Shape, Shape, int, int, int]


# --------------------------------------------------------------------------- #
# Small validation helpers
# --------------------------------------------------------------------------- #


def _as_int(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as an ``int`` >= ``minimum``, or raise ``ValueError``/``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _as_shape(shape: Sequence[int], name: str) -> Shape:
    """Return a 2-D shape as a tuple of two positive ints."""
    dims = tuple(shape)
    if len(dims) != 2:
        raise ValueError(f"{name} must have two dimensions, got {shape!r}")
    return (_as_int(dims[0], f"{name}[0]", 1), _as_int(dims[1], f"{name}[1]", 1))


def _assert_zero(difference: sympy.Expr, label: str) -> None:
    """Assert that a symbolic ``difference`` is identically zero; name ``label`` otherwise."""
    if sympy.expand(difference) == 0:
        return
    if sympy.simplify(difference) == 0:
        return
    raise AssertionError(f"{label}: difference does not vanish: {sympy.factor(difference)}")


# --------------------------------------------------------------------------- #
# Q1(ii): receptive field
# --------------------------------------------------------------------------- #


@functools.cache
def layer_symbols(
    n: int,
) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    """Return the symbols ``(k_1..k_n, s_1..s_n, d_1..d_n)`` of an ``n``-layer stack.

    ``k_i`` is the kernel size, ``s_i`` the stride and ``d_i`` the dilation of
    layer ``i`` (layer 1 is nearest the input).  All are positive integers.
    """
    n = _as_int(n, "n", 0)
    options = {"integer": True, "positive": True}
    ks = tuple(sympy.Symbol(f"k_{i}", **options) for i in range(1, n + 1))
    ss = tuple(sympy.Symbol(f"s_{i}", **options) for i in range(1, n + 1))
    ds = tuple(sympy.Symbol(f"d_{i}", **options) for i in range(1, n + 1))
    return ks, ss, ds


@functools.cache
def receptive_field_closed_form(n: int) -> sympy.Expr:
    """Closed form of the receptive field of one unit of the last of ``n`` layers.

    ``R = 1 + sum_{j=1..n} d_j (k_j - 1) prod_{i<j} s_i``, as an explicit
    symbolic sum over the layers in the symbols of :func:`layer_symbols`.
    Each term is the extra extent contributed by layer ``j``: its dilated
    kernel spans ``d_j (k_j - 1) + 1`` of its inputs, and one step between its
    inputs is ``prod_{i<j} s_i`` input pixels (the jump of layer ``j - 1``).
    """
    ks, ss, ds = layer_symbols(n)
    terms = [
        ds[j] * (ks[j] - 1) * sympy.Mul(*ss[:j])  # empty product is 1 for j = 0
        for j in range(len(ks))
    ]
    return sympy.Integer(1) + sympy.Add(*terms)


@functools.cache
def receptive_field_recursion(n: int) -> sympy.Expr:
    """The receptive field of ``n`` layers by the layer-by-layer recursion.

    ``r_0 = 1`` and jump ``j_0 = 1``; for each layer ``l``:
    ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}`` and ``j_l = j_{l-1} s_l``.
    Returns ``r_n`` as an (unexpanded) symbolic expression in the symbols of
    :func:`layer_symbols`.
    """
    ks, ss, ds = layer_symbols(n)
    r: sympy.Expr = sympy.Integer(1)
    jump: sympy.Expr = sympy.Integer(1)
    for k, s, d in zip(ks, ss, ds, strict=True):
        r = r + d * (k - 1) * jump
        jump = jump * s
    return r


def _check_receptive_field(n: int, closed_form: sympy.Expr, recursion: sympy.Expr) -> None:
    """Assert that two receptive-field expressions for ``n`` layers are identical."""
    _assert_zero(closed_form - recursion, f"receptive field, n={n}")


def prove_receptive_field(max_layers: int = 6) -> None:
    """Prove the closed form equals the recursion for 1 to ``max_layers`` layers.

    Kernel sizes, strides and dilations are fully symbolic; the difference of
    the two expressions is expanded (and simplified if needed) to zero.
    Raises ``AssertionError`` naming ``n`` if they differ for some ``n``.
    """
    max_layers = _as_int(max_layers, "max_layers", 1)
    for n in range(1, max_layers + 1):
        _check_receptive_field(n, receptive_field_closed_form(n), receptive_field_recursion(n))


def _parse_layers(layers: Iterable[Sequence[int]]) -> list[tuple[int, int, int]]:
    """Validate layers given as (kernel, stride) or (kernel, stride, dilation)."""
    parsed = []
    for index, layer in enumerate(layers):
        values = tuple(layer)
        if len(values) not in (2, 3):
            raise ValueError(
                f"layer {index} must be (kernel_size, stride) or "
                f"(kernel_size, stride, dilation), got {layer!r}"
            )
        kernel = _as_int(values[0], f"layer {index} kernel_size", 1)
        stride = _as_int(values[1], f"layer {index} stride", 1)
        dilation = _as_int(values[2], f"layer {index} dilation", 1) if len(values) == 3 else 1
        parsed.append((kernel, stride, dilation))
    return parsed


def receptive_field(layers: Iterable[Sequence[int]]) -> int:
    """Exact receptive field (in input pixels) of one unit of the last layer.

    ``layers`` lists the layers from the input onwards, each as
    ``(kernel_size, stride)`` or ``(kernel_size, stride, dilation)`` (lists are
    accepted too; a missing dilation is 1).  The value is obtained by
    substituting the layers into :func:`receptive_field_closed_form`.  An empty
    stack sees a single pixel.

    >>> receptive_field([(3, 1), (5, 2), (5, 1)])
    15
    """
    parsed = _parse_layers(layers)
    n = len(parsed)
    ks, ss, ds = layer_symbols(n)
    values: dict[sympy.Symbol, sympy.Integer] = {}
    for (kernel, stride, dilation), k, s, d in zip(parsed, ks, ss, ds, strict=True):
        values[k] = sympy.Integer(kernel)
        values[s] = sympy.Integer(stride)
        values[d] = sympy.Integer(dilation)
    result = receptive_field_closed_form(n).xreplace(values)
    if not result.is_Integer:
        raise AssertionError(f"receptive field did not evaluate to an integer: {result}")
    return int(result)


# --------------------------------------------------------------------------- #
# Q1(iv): transposed convolution
# --------------------------------------------------------------------------- #


def transposed_conv_output_shape(
    in_shape: Sequence[int],
    k_shape: Sequence[int],
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> Shape:
    """Output shape of ``conv_transpose2d`` (no output padding), per axis.

    ``(H - 1) * stride - 2 * padding + dilation * (K - 1) + 1``; the result may
    be < 1, which callers treat as invalid.
    """
    (h, w), (kh, kw) = _as_shape(in_shape, "in_shape"), _as_shape(k_shape, "k_shape")
    return (
        (h - 1) * stride - 2 * padding + dilation * (kh - 1) + 1,
        (w - 1) * stride - 2 * padding + dilation * (kw - 1) + 1,
    )


@functools.cache
def input_symbols(in_shape: Shape) -> sympy.ImmutableMatrix:
    """Matrix of input symbols ``x_a_b`` (row ``a``, column ``b``, from 0)."""
    h, w = _as_shape(in_shape, "in_shape")
    return sympy.ImmutableMatrix(h, w, lambda a, b: sympy.Symbol(f"x_{a}_{b}"))


@functools.cache
def kernel_symbols(k_shape: Shape) -> sympy.ImmutableMatrix:
    """Matrix of kernel symbols ``w_p_q`` (row ``p``, column ``q``, from 0)."""
    kh, kw = _as_shape(k_shape, "k_shape")
    return sympy.ImmutableMatrix(kh, kw, lambda p, q: sympy.Symbol(f"w_{p}_{q}"))


def _config(
    in_shape: Sequence[int], k_shape: Sequence[int], stride: int, padding: int, dilation: int
) -> Config:
    """Validate and normalise one transposed-convolution configuration."""
    config = (
        _as_shape(in_shape, "in_shape"),
        _as_shape(k_shape, "k_shape"),
        _as_int(stride, "stride", 1),
        _as_int(padding, "padding", 0),
        _as_int(dilation, "dilation", 1),
    )
    out_h, out_w = transposed_conv_output_shape(*config)
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"transposed convolution output would be {out_h}x{out_w} for input {config[0]}, "
            f"kernel {config[1]}, stride {config[2]}, padding {config[3]}, "
            f"dilation {config[4]}; each side must be >= 1"
        )
    return config


@functools.lru_cache(maxsize=256)
def _transposed_conv_matrix(config: Config) -> sympy.ImmutableMatrix:
    """Symbolic transposed-convolution output for a validated configuration (cached)."""
    in_shape, k_shape, stride, padding, dilation = config
    (h, w), (kh, kw) = in_shape, k_shape
    out_h, out_w = transposed_conv_output_shape(*config)
    x, k = input_symbols(in_shape), kernel_symbols(k_shape)
    terms: list[list[list[sympy.Expr]]] = [[[] for _ in range(out_w)] for _ in range(out_h)]
    # Scatter: input pixel (a, b) spreads x[a, b] * w[p, q] to the full-output position
    # (a*stride + p*dilation, b*stride + q*dilation); padding crops from every border.
    for a in range(h):
        for b in range(w):
            for p in range(kh):
                i = a * stride + p * dilation - padding
                if not 0 <= i < out_h:
                    continue
                for q in range(kw):
                    j = b * stride + q * dilation - padding
                    if 0 <= j < out_w:
                        terms[i][j].append(x[a, b] * k[p, q])
    return sympy.ImmutableMatrix(out_h, out_w, lambda i, j: sympy.Add(*terms[i][j]))


def transposed_conv_matrix(
    in_shape: Sequence[int],
    k_shape: Sequence[int],
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> sympy.ImmutableMatrix:
    """Symbolic output of the single-channel 2-D transposed convolution.

    Returns the output (shape :func:`transposed_conv_output_shape`) as a
    matrix of expressions in the input symbols ``x_a_b`` (:func:`input_symbols`)
    and kernel symbols ``w_p_q`` (:func:`kernel_symbols`), with PyTorch
    ``conv_transpose2d`` semantics: each input pixel ``x[a, b]`` adds
    ``x[a, b] * w[p, q]`` (kernel not flipped) at full-output position
    ``(a * stride + p * dilation, b * stride + q * dilation)``, and ``padding``
    crops that many rows and columns from each border of the full output.
    Raises ``ValueError`` if an output side would be < 1.  Results are cached
    per configuration.
    """
    return _transposed_conv_matrix(_config(in_shape, k_shape, stride, padding, dilation))


@functools.lru_cache(maxsize=64)
def _conv2d_matrix(config: Config) -> sympy.ImmutableMatrix:
    """Matrix of the direct convolution for a validated configuration (cached)."""
    in_shape, k_shape, stride, padding, dilation = config
    (kh, kw) = k_shape
    out_h, out_w = transposed_conv_output_shape(*config)
    k = kernel_symbols(k_shape)
    # The direct convolution takes a signal shaped like the transposed-conv output.
    y = sympy.ImmutableMatrix(out_h, out_w, lambda i, j: sympy.Symbol(f"y_{i}_{j}"))

    def pixel(i: int, j: int) -> sympy.Expr:
        """Return the signal y at (i, j) of its zero-padded version (padded coordinates)."""
        i, j = i - padding, j - padding
        return y[i, j] if 0 <= i < out_h and 0 <= j < out_w else sympy.Integer(0)

    # PyTorch conv2d output side: floor((N + 2P - D(K-1) - 1) / S) + 1.
    conv_h = (out_h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    conv_w = (out_w + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    if (conv_h, conv_w) != in_shape:
        raise AssertionError(
            f"config {config}: direct convolution maps {out_h}x{out_w} to {conv_h}x{conv_w}, "
            f"not back to the input shape {in_shape}"
        )
    # Cross-correlation: out[a, b] = sum_{p,q} w[p, q] * ypad[a*S + p*D, b*S + q*D].
    outputs = [
        sympy.Add(
            *(
                k[p, q] * pixel(a * stride + p * dilation, b * stride + q * dilation)
                for p in range(kh)
                for q in range(kw)
            )
        )
        for a in range(conv_h)
        for b in range(conv_w)
    ]
    flat_y = list(y)  # row-major
    return sympy.ImmutableMatrix(sympy.Matrix(outputs).jacobian(flat_y))


def conv2d_matrix(
    in_shape: Sequence[int],
    k_shape: Sequence[int],
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
) -> sympy.ImmutableMatrix:
    """Matrix ``C`` of the direct convolution matching a transposed convolution.

    ``in_shape`` is the input shape of the transposed convolution.  ``C`` maps
    a signal of the transposed-conv *output* shape, flattened row-major, to
    the direct convolution (PyTorch ``conv2d`` cross-correlation with the same
    kernel symbols ``w_p_q``, stride, padding and dilation) of that signal,
    flattened row-major; that convolution has exactly the shape ``in_shape``,
    so ``C`` has ``prod(in_shape)`` rows and ``prod(output shape)`` columns.
    It is obtained as the Jacobian of the symbolic convolution of a signal in
    symbols ``y_i_j``.
    """
    return _conv2d_matrix(_config(in_shape, k_shape, stride, padding, dilation))


def _check_transposed_conv(
    label: str, transposed: sympy.MatrixBase, x: sympy.MatrixBase, conv: sympy.MatrixBase
) -> None:
    """Assert that ``transposed`` (in the symbols ``x``) is the linear map ``conv^T``.

    Checks that ``transposed`` is linear in ``x`` (no remainder after removing
    its Jacobian times ``x``) and that the Jacobian equals ``conv.T``.
    """
    flat_out = sympy.Matrix(list(transposed))
    flat_x = sympy.Matrix(list(x))
    jacobian = flat_out.jacobian(flat_x)
    if jacobian.shape != conv.T.shape:
        raise AssertionError(
            f"{label}: Jacobian has shape {jacobian.shape} but C^T has shape {conv.T.shape}"
        )
    remainder = flat_out - jacobian * flat_x
    for index, value in enumerate(remainder):
        _assert_zero(value, f"{label}: not linear in x at output entry {index}")
    difference = jacobian - conv.T
    for (row, col), value in zip(
        ((r, c) for r in range(difference.rows) for c in range(difference.cols)),
        difference,
        strict=True,
    ):
        _assert_zero(value, f"{label}: Jacobian differs from C^T at ({row}, {col})")


#: Configurations proved by default: stride 1-3, padding 0-2, dilation 1-3,
#: square and non-square inputs and kernels, including the question's case.
DEFAULT_TRANSPOSED_CONV_CONFIGS: tuple[Config, ...] = (
    ((2, 2), (3, 3), 1, 0, 1),
    ((1, 1), (1, 1), 1, 0, 1),
    ((2, 3), (2, 1), 1, 0, 1),
    ((3, 2), (2, 3), 2, 0, 1),
    ((2, 3), (3, 2), 3, 1, 1),
    ((3, 3), (2, 2), 2, 1, 2),
    ((2, 4), (3, 2), 1, 2, 2),
    ((3, 2), (2, 3), 3, 2, 3),
    ((1, 3), (4, 1), 2, 0, 3),
    ((4, 3), (3, 4), 2, 2, 1),
    ((3, 1), (1, 3), 1, 1, 3),
    ((2, 2), (2, 2), 3, 0, 2),
)


def prove_transposed_conv(configs: Iterable[Sequence[Any]] | None = None) -> None:
    """Prove the transposed convolution is the adjoint of the direct convolution.

    For each configuration ``(in_shape, k_shape, stride, padding, dilation)``
    (default :data:`DEFAULT_TRANSPOSED_CONV_CONFIGS`), the symbolic output of
    :func:`transposed_conv_matrix`, flattened row-major, must be linear in the
    flattened input symbols with Jacobian equal to ``C^T``, ``C`` being
    :func:`conv2d_matrix`; the kernel symbols stay symbolic.  Raises
    ``AssertionError`` naming the configuration otherwise.
    """
    for raw in DEFAULT_TRANSPOSED_CONV_CONFIGS if configs is None else configs:
        in_shape, k_shape, stride, padding, dilation = raw
        config = _config(in_shape, k_shape, stride, padding, dilation)
        label = (
            f"transposed conv config in_shape={config[0]}, k_shape={config[1]}, "
            f"stride={config[2]}, padding={config[3]}, dilation={config[4]}"
        )
        _check_transposed_conv(
            label,
            _transposed_conv_matrix(config),
            input_symbols(config[0]),
            _conv2d_matrix(config),
        )


def _exact(value: Any, name: str) -> sympy.Rational:
    """Convert a number to an exact SymPy rational (floats via their decimal text)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, numbers.Rational):
        return sympy.Rational(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):
        if not math.isfinite(float(value)):
            raise ValueError(f"{name} must be finite, got {value!r}")
        fraction = Fraction(str(value))
        return sympy.Rational(fraction.numerator, fraction.denominator)
    raise TypeError(f"{name} must be a real number, got {value!r}")


def _exact_matrix(values: Any, name: str) -> list[list[sympy.Rational]]:
    """Convert a non-empty rectangular 2-D array-like to exact rationals."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    try:
        rows = [list(row) for row in values]
    except TypeError as exc:
        raise ValueError(f"{name} must be a 2-D array") from exc
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError(f"{name} must be a non-empty rectangular 2-D array")
    return [
        [_exact(value, f"{name}[{i}][{j}]") for j, value in enumerate(row)]
        for i, row in enumerate(rows)
    ]


def _to_python(value: sympy.Expr) -> int | Fraction:
    """Convert an exact SymPy rational to ``int`` (if integral) or ``Fraction``."""
    if value.is_Integer:
        return int(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    raise AssertionError(f"expected an exact rational, got {value}")


def transposed_conv2d(
    x: Any, kernel: Any, stride: int = 1, padding: int = 0, dilation: int = 1
) -> list[list[int | Fraction]]:
    """Exact single-channel 2-D transposed convolution (PyTorch semantics).

    ``x`` and ``kernel`` are 2-D arrays (nested lists or NumPy arrays) of any
    sizes; floats are taken exactly at their decimal value (``0.25`` is 1/4).
    The result is the symbolic output of :func:`transposed_conv_matrix` with
    the values substituted, as nested lists of ``int`` where integral and
    ``fractions.Fraction`` otherwise.  Raises ``ValueError`` if an output side
    would be < 1.

    >>> transposed_conv2d([[1, 2], [3, 4]], [[1, 2, 3], [2, 3, 4], [3, 4, 5]])[0]
    [1, 4, 7, 6]
    """
    xs = _exact_matrix(x, "x")
    ws = _exact_matrix(kernel, "kernel")
    in_shape = (len(xs), len(xs[0]))
    k_shape = (len(ws), len(ws[0]))
    config = _config(in_shape, k_shape, stride, padding, dilation)
    symbolic = _transposed_conv_matrix(config)
    x_sym, w_sym = input_symbols(in_shape), kernel_symbols(k_shape)
    values: dict[sympy.Symbol, sympy.Rational] = {}
    for a in range(in_shape[0]):
        for b in range(in_shape[1]):
            values[x_sym[a, b]] = xs[a][b]
    for p in range(k_shape[0]):
        for q in range(k_shape[1]):
            values[w_sym[p, q]] = ws[p][q]
    return [
        [_to_python(symbolic[i, j].xreplace(values)) for j in range(symbolic.cols)]
        for i in range(symbolic.rows)
    ]
