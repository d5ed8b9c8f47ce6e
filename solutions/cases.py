"""Case generators for the function parts of AI6126 Assignment 2.

The grading manifest names these generators.  Each takes a
``random.Random`` (seeded by the engine from the manifest's seed, so a build
is reproducible) and returns a list of JSON-serialisable cases::

    {"args": [...], "kwargs": {...}, "tags": [...], "description": "..."}

Tuples are written as lists, since the cases travel as JSON.  Descriptions
say what kind of case it is (the settings exercised), never the input values.
Expected values are not produced here: the engine computes them with the
references in ``derivations.py``.
"""

from __future__ import annotations

import random
from typing import Any

__all__ = [
    "receptive_field_general",
    "receptive_field_question",
    "transposed_conv_general",
    "transposed_conv_question",
]

Case = dict[str, Any]

# --------------------------------------------------------------------------- #
# Q1(ii): receptive field
# --------------------------------------------------------------------------- #

#: The network of Q1(ii): (kernel_size, stride) per layer, from the input.
QUESTION_NETWORK = [[3, 1], [5, 2], [5, 1]]


def _case(args: list[Any], kwargs: dict[str, Any], tags: list[str], description: str) -> Case:
    """Assemble one case dictionary."""
    return {"args": args, "kwargs": kwargs, "tags": tags, "description": description}


def receptive_field_question(rng: random.Random) -> list[Case]:
    """The one public case: the three-layer network of Q1(ii)."""
    del rng  # the question's network is fixed
    layers = [list(layer) for layer in QUESTION_NETWORK]
    return [_case([layers], {}, ["question"], "the network of the question")]


SIBLINGS = 6
"""Unseen siblings of each question's case: the mark for the question's own case comes from
these, so a function that only returns the printed answer earns nothing."""


def receptive_field_question_siblings(rng: random.Random) -> list[Case]:
    """Three-layer networks of 2-tuples like the question's, with other kernels and strides."""
    cases: list[Case] = []
    while len(cases) < SIBLINGS:
        layers = [[rng.choice([3, 5, 7]), rng.randint(1, 3)] for _ in range(3)]
        if layers == QUESTION_NETWORK or any(c["args"][0] == layers for c in cases):
            continue
        cases.append(_case([layers], {}, ["question-siblings"],
                           "a network shaped like the question's, other kernels and strides"))
    return cases


def _layer(rng: random.Random, *, stride: int | None = None, dilated: bool = False) -> list[int]:
    """One random layer: kernel 1-7, stride 1-4, and a dilation 1-4 if ``dilated``."""
    kernel = rng.randint(1, 7)
    stride = rng.randint(1, 4) if stride is None else stride
    if dilated:
        return [kernel, stride, rng.randint(1, 4)]
    return [kernel, stride]


def _rf_tags(layers: list[list[int]]) -> list[str]:
    """Tags describing a layer stack by what it contains."""
    tags = []
    if len(layers) == 1:
        tags.append("single-layer")
    if any(layer[1] > 1 for layer in layers):
        tags.append("strided")
    if any(len(layer) == 3 and layer[2] > 1 for layer in layers):
        tags.append("dilated")
    if len({len(layer) for layer in layers}) > 1:
        tags.append("mixed-tuples")
    if len(layers) >= 5:
        tags.append("deep")
    return tags


def _single_layer(rng: random.Random, index: int) -> tuple[list[list[int]], str]:
    """A one-layer stack; the kind rotates with ``index``."""
    kind = index % 4
    if kind == 0:
        return [[rng.randint(2, 7), 1]], "a single layer with stride 1"
    if kind == 1:
        return [[rng.randint(2, 7), rng.randint(2, 4)]], "a single strided layer"
    if kind == 2:
        return [[rng.randint(2, 7), 1, rng.randint(2, 4)]], "a single dilated layer (3-tuple)"
    return [[rng.randint(2, 7), rng.randint(2, 4), rng.randint(2, 4)]], (
        "a single strided, dilated layer (3-tuple)"
    )


def _strided_stack(rng: random.Random) -> list[list[int]]:
    """2-4 layers as 2-tuples, at least one with stride > 1."""
    layers = [_layer(rng) for _ in range(rng.randint(2, 4))]
    layers[rng.randrange(len(layers))][1] = rng.randint(2, 4)
    return layers


def _dilated_stack(rng: random.Random) -> list[list[int]]:
    """2-4 layers as 3-tuples, at least one with dilation > 1."""
    layers = [_layer(rng, dilated=True) for _ in range(rng.randint(2, 4))]
    layers[rng.randrange(len(layers))][2] = rng.randint(2, 4)
    return layers


def _mixed_stack(rng: random.Random, low: int, high: int) -> list[list[int]]:
    """``low``-``high`` layers mixing 2-tuples and 3-tuples (both present, a dilation > 1)."""
    n = rng.randint(max(low, 2), high)
    layers = [_layer(rng, dilated=rng.random() < 0.5) for _ in range(n)]
    first, second = rng.sample(range(n), 2)
    layers[first] = layers[first][:2]
    layers[second] = layers[second][:2] + [rng.randint(2, 4)]
    return layers


def receptive_field_general(rng: random.Random) -> list[Case]:
    """24 hidden cases: single layers, strided, dilated, mixed-tuple and deep stacks.

    Kernel sizes are 1-7, strides 1-4 and dilations 1-4; stacks have 1-7
    layers.  Each tag (``single-layer``, ``strided``, ``dilated``,
    ``mixed-tuples``, ``deep``) is carried by several cases; tags are derived
    from the layers themselves.
    """
    cases: list[Case] = []

    def add(layers: list[list[int]], description: str) -> None:
        cases.append(_case([layers], {}, _rf_tags(layers), description))

    for index in range(4):
        add(*_single_layer(rng, index))
    for _ in range(5):
        add(_strided_stack(rng), "a stack of strided layers (2-tuples)")
    for _ in range(5):
        add(_dilated_stack(rng), "a stack of dilated layers (3-tuples)")
    for _ in range(5):
        add(_mixed_stack(rng, 2, 4), "a stack mixing 2-tuples and 3-tuples")
    for _ in range(5):
        layers = _mixed_stack(rng, 5, 7)
        # Keep the deep stacks' field sizes moderate but non-trivial: strides of 1-2.
        for layer in layers:
            layer[1] = rng.randint(1, 2)
        add(layers, "a deep stack with strides, dilations and mixed tuples")
    return cases


# --------------------------------------------------------------------------- #
# Q1(iv): transposed convolution
# --------------------------------------------------------------------------- #

#: The input and kernel of Q1(iv).
QUESTION_X = [[1, 2], [3, 4]]
QUESTION_KERNEL = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]


def transposed_conv_question(rng: random.Random) -> list[Case]:
    """The one public case: the question's 2x2 input and 3x3 kernel, stride 1."""
    del rng  # the question's input and kernel are fixed
    return [
        _case(
            [[list(row) for row in QUESTION_X], [list(row) for row in QUESTION_KERNEL]],
            {"stride": 1, "padding": 0, "dilation": 1},
            ["question"],
            "the input and kernel of the question",
        )
    ]


def transposed_conv_question_siblings(rng: random.Random) -> list[Case]:
    """2x2 inputs and 3x3 kernels like the question's, stride 1, other integer values."""
    cases: list[Case] = []
    question = ([list(row) for row in QUESTION_X], [list(row) for row in QUESTION_KERNEL])
    while len(cases) < SIBLINGS:
        x = [[rng.randint(-5, 9) for _ in range(2)] for _ in range(2)]
        kernel = [[rng.randint(-5, 9) for _ in range(3)] for _ in range(3)]
        if (x, kernel) == question:
            continue
        cases.append(_case([x, kernel], {"stride": 1, "padding": 0, "dilation": 1},
                           ["question-siblings"],
                           "an input and kernel shaped like the question's, other values"))
    return cases


def _output_side(n: int, k: int, stride: int, padding: int, dilation: int) -> int:
    """Side of the transposed-convolution output along one axis."""
    return (n - 1) * stride - 2 * padding + dilation * (k - 1) + 1


def _matrix(rng: random.Random, rows: int, cols: int, floats: bool) -> list[list[Any]]:
    """Random integer entries in [-4, 9], or dyadic floats k/4 or k/8 in [-4, 4]."""
    if not floats:
        return [[rng.randint(-4, 9) for _ in range(cols)] for _ in range(rows)]
    denominator = rng.choice((4, 8))
    return [
        [rng.randint(-4 * denominator, 4 * denominator) / denominator for _ in range(cols)]
        for _ in range(rows)
    ]


def _tc_tags(
    x: list[list[Any]], kernel: list[list[Any]], stride: int, padding: int, dilation: int
) -> list[str]:
    """Tags describing a transposed-convolution case by what it exercises."""
    tags = []
    if stride > 1:
        tags.append("stride")
    if padding > 0:
        tags.append("padding")
    if dilation > 1:
        tags.append("dilation")
    if len(x) != len(x[0]) or len(kernel) != len(kernel[0]):
        tags.append("non-square")
    if any(isinstance(v, float) for row in x + kernel for v in row):
        tags.append("float")
    if (stride > 1) + (padding > 0) + (dilation > 1) >= 2:
        tags.append("combined")
    return tags


def _tc_description(
    kind: str,
    x_shape: tuple[int, int],
    k_shape: tuple[int, int],
    stride: int,
    padding: int,
    dilation: int,
) -> str:
    """Human description of the settings of a case (never its values)."""
    return (
        f"{kind}: stride {stride}, padding {padding}, dilation {dilation}, "
        f"{x_shape[0]}x{x_shape[1]} input, {k_shape[0]}x{k_shape[1]} kernel"
    )


def transposed_conv_general(rng: random.Random) -> list[Case]:
    """30 hidden cases in six kinds of five: stride, padding, dilation, shapes, floats, all.

    Input sides are 1-5 and kernel sides 1-4; strides 2-3, paddings 1-2 and
    dilations 2-3 are exercised, with padding only where every output side
    stays >= 1.  Float cases use dyadic values (k/4 or k/8), exactly
    representable in binary.  Tags (``stride``, ``padding``, ``dilation``,
    ``non-square``, ``float``, ``combined``) are derived from each case; each
    is carried by at least four cases.
    """
    cases: list[Case] = []

    def square(low: int, high: int) -> tuple[int, int]:
        side = rng.randint(low, high)
        return side, side

    def non_square(low: int, high: int) -> tuple[int, int]:
        rows, cols = rng.sample(range(low, high + 1), 2)
        return rows, cols

    def draw(kind: str) -> tuple[tuple[int, int], tuple[int, int], int, int, int, bool]:
        """Settings for one case of ``kind``; invalid (empty-output) draws are redrawn."""
        while True:
            floats = False
            if kind == "stride":
                x_shape, k_shape = square(1, 4), square(1, 4)
                stride, padding, dilation = rng.randint(2, 3), 0, 1
            elif kind == "padding":
                x_shape, k_shape = square(2, 5), square(2, 4)
                stride, padding, dilation = 1, rng.randint(1, 2), 1
            elif kind == "dilation":
                x_shape, k_shape = square(1, 4), square(2, 4)
                stride, padding, dilation = 1, 0, rng.randint(2, 3)
            elif kind == "non-square":
                x_shape, k_shape = non_square(1, 5), non_square(1, 4)
                stride, padding, dilation = 1, 0, 1
            elif kind == "float":
                x_shape = (rng.randint(1, 5), rng.randint(1, 5))
                k_shape = (rng.randint(1, 4), rng.randint(1, 4))
                stride, padding, dilation = rng.randint(1, 3), rng.randint(0, 1), rng.randint(1, 2)
                floats = True
            else:  # "combined"
                x_shape, k_shape = non_square(1, 5), non_square(1, 4)
                stride, padding, dilation = rng.randint(2, 3), rng.randint(1, 2), rng.randint(2, 3)
            sides = [
                _output_side(n, k, stride, padding, dilation)
                for n, k in zip(x_shape, k_shape, strict=True)
            ]
            if min(sides) >= 1:
                return x_shape, k_shape, stride, padding, dilation, floats

    kinds = {
        "stride": "strided",
        "padding": "padding crops the borders",
        "dilation": "dilated kernel",
        "non-square": "non-square input and kernel",
        "float": "float (dyadic) input and kernel",
        "combined": "stride, padding and dilation combined, non-square",
    }
    for kind, label in kinds.items():
        for _ in range(5):
            x_shape, k_shape, stride, padding, dilation, floats = draw(kind)
            x = _matrix(rng, *x_shape, floats=floats)
            kernel = _matrix(rng, *k_shape, floats=floats)
            cases.append(
                _case(
                    [x, kernel],
                    {"stride": stride, "padding": padding, "dilation": dilation},
                    _tc_tags(x, kernel, stride, padding, dilation),
                    _tc_description(label, x_shape, k_shape, stride, padding, dilation),
                )
            )
    return cases
