"""Known wrong methods for the numeric parts of AI6126 Assignment 2, computed exactly.

Each function here is a misconception written out as a method: it takes the arguments of the
student's function and returns what a student holding that misconception would return, exactly
(ints and ``fractions.Fraction``), or raises ``ValueError`` where the method gives no answer for
that case (an output side below 1). ``misconceptions.yaml`` names them and says which concept
each one gets wrong.

The engine evaluates these once, when it builds the casebook, and ships only their results
(which method gives which value on which case): the grading image, Gradescope and the student
bundle never import this module. The transposed-convolution methods are the SymPy reference
(``derivations.transposed_conv2d``) applied to the inputs or settings the misconception changes,
so a method differs from the reference only by the misconception itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from derivations import _exact_matrix, _to_python, transposed_conv2d

Grid = list[list[Any]]

# --------------------------------------------------------------------------- #
# Q1(ii): receptive field
# --------------------------------------------------------------------------- #


def _layers(layers: Sequence[Sequence[int]]) -> list[tuple[int, int, int]]:
    """Layers as (kernel, stride, dilation), a missing dilation being 1."""
    return [(int(layer[0]), int(layer[1]), int(layer[2]) if len(layer) > 2 else 1)
            for layer in layers]


def rf_strides_summed(layers: Sequence[Sequence[int]]) -> int:
    """The jump grows by each stride (``jump += s``) instead of being multiplied by it."""
    field, jump = 1, 1
    for kernel, stride, dilation in _layers(layers):
        field += dilation * (kernel - 1) * jump
        jump += stride
    return field


def rf_current_stride(layers: Sequence[Sequence[int]]) -> int:
    """Each layer's own stride is counted in its jump (the jump is updated before it is used)."""
    field, jump = 1, 1
    for kernel, stride, dilation in _layers(layers):
        jump *= stride
        field += dilation * (kernel - 1) * jump
    return field


def rf_dilation_ignored(layers: Sequence[Sequence[int]]) -> int:
    """The recursion run with every dilation taken as 1."""
    field, jump = 1, 1
    for kernel, stride, _ in _layers(layers):
        field += (kernel - 1) * jump
        jump *= stride
    return field


def rf_from_the_output(layers: Sequence[Sequence[int]]) -> int:
    """The recursion run from the last layer back to the first."""
    field, jump = 1, 1
    for kernel, stride, dilation in reversed(_layers(layers)):
        field += dilation * (kernel - 1) * jump
        jump *= stride
    return field


def rf_strides_ignored(layers: Sequence[Sequence[int]]) -> int:
    """Every layer widens the field by its own span only, as if every stride were 1."""
    return 1 + sum(dilation * (kernel - 1) for kernel, _, dilation in _layers(layers))


def rf_kernel_sizes_summed(layers: Sequence[Sequence[int]]) -> int:
    """The layers' (dilated) kernel sizes added up, with neither the overlap nor the strides."""
    return sum(dilation * (kernel - 1) + 1 for kernel, _, dilation in _layers(layers))


# --------------------------------------------------------------------------- #
# Q1(iv): transposed convolution
# --------------------------------------------------------------------------- #


def _grid(values: Any, name: str) -> Grid:
    return [[_to_python(v) for v in row] for row in _exact_matrix(values, name)]


def _zero_border(grid: Grid, top: int, bottom: int, left: int, right: int) -> Grid:
    """``grid`` with rows and columns of zeros added on each side."""
    width = len(grid[0]) + left + right
    middle = [[0] * left + list(row) + [0] * right for row in grid]
    return [[0] * width for _ in range(top)] + middle + [[0] * width for _ in range(bottom)]


def _crop(grid: Grid, amount: int) -> Grid:
    rows = grid[amount:len(grid) - amount]
    out = [row[amount:len(row) - amount] for row in rows]
    if not out or not out[0]:
        raise ValueError("the output would be empty")
    return out


def tc_flipped_kernel(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """A true convolution: the kernel rotated by 180 degrees before it is scattered."""
    flipped = [row[::-1] for row in _grid(kernel, "kernel")[::-1]]
    return transposed_conv2d(x, flipped, stride, padding, dilation)


def tc_direct_convolution(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """The direct convolution (PyTorch ``conv2d``): the kernel slid over the zero-padded input,
    whose output side is ``(H + 2p - d(K - 1) - 1) // s + 1``."""
    xs, ks = _grid(x, "x"), _grid(kernel, "kernel")
    padded = _zero_border(xs, padding, padding, padding, padding)
    rows = (len(padded) - dilation * (len(ks) - 1) - 1) // stride + 1
    cols = (len(padded[0]) - dilation * (len(ks[0]) - 1) - 1) // stride + 1
    if rows < 1 or cols < 1:
        raise ValueError("the direct convolution has no output here")
    return [[sum((Fraction(ks[p][q]) * padded[i * stride + p * dilation][j * stride + q * dilation]
                  for p in range(len(ks)) for q in range(len(ks[0]))), Fraction(0))
             for j in range(cols)] for i in range(rows)]


def tc_padding_added(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """``padding`` rows and columns of zeros added around the full output instead of cropped."""
    full = transposed_conv2d(x, kernel, stride, 0, dilation)
    return _zero_border(full, padding, padding, padding, padding)


def tc_padding_pads_input(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """The input zero-padded by ``padding``, as a direct convolution would, and nothing cropped."""
    padded = _zero_border(_grid(x, "x"), padding, padding, padding, padding)
    return transposed_conv2d(padded, kernel, stride, 0, dilation)


def tc_stride_ignored(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """The stride taken as 1."""
    return transposed_conv2d(x, kernel, 1, padding, dilation)


def tc_dilation_ignored(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """The dilation taken as 1."""
    return transposed_conv2d(x, kernel, stride, padding, 1)


def tc_zero_insertion_gap(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """``stride`` zeros inserted between input pixels instead of ``stride - 1``."""
    return transposed_conv2d(x, kernel, stride + 1, padding, dilation)


def tc_zero_insertion_trailing(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """Zeros inserted after the last input pixel too: the upsampled input is ``H * stride``
    long instead of ``(H - 1) * stride + 1``, so the output has ``stride - 1`` extra rows and
    columns at the bottom and right before the crop."""
    full = transposed_conv2d(x, kernel, stride, 0, dilation)
    extra = stride - 1
    return _crop(_zero_border(full, 0, extra, 0, extra), padding)


def tc_transposed_input(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """The input transposed (rows and columns swapped) before the transposed convolution."""
    xs = _grid(x, "x")
    return transposed_conv2d([list(column) for column in zip(*xs)], kernel, stride, padding,
                             dilation)


def tc_transposed_output(x, kernel, stride=1, padding=0, dilation=1) -> Grid:
    """The output transposed (rows and columns swapped): the row and column indices exchanged
    where the output is written. With a symmetric kernel, as in the question, this equals
    transposing the input, so both are named there; other cases tell them apart."""
    return [list(column) for column in zip(*transposed_conv2d(x, kernel, stride, padding,
                                                              dilation))]
