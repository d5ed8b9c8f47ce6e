"""AI6126 Assignment 2: your answers.

Fill in this file and submit it, named ``a2.py``, as the only file of your submission.

* Short answers (Q1(i), Q1(iii), Q2, Q3) are the strings ``Q1_I``, ``Q1_III``, ``Q2`` and ``Q3``.
  Write them in full sentences, as you would on paper (Q3 asks for a conceptual answer, not
  just equations). They are marked after the deadline against a marking scheme.
* Q1(ii) and Q1(iv) are the functions ``receptive_field`` and ``transposed_conv2d``. They are
  called on the question's own case (public: ``python check.py a2.py`` shows you the result)
  and on hidden cases of the kinds described in each docstring. Use only Python's standard
  library and NumPy. Do not print large amounts of text or read or write files.

Each function is run in a separate, restricted process with a time limit of a few seconds per
call; a function that hangs or crashes loses only the cases it hangs or crashes on.
"""

import numpy as np  # noqa: F401  (you may use NumPy)

# ---------------------------------------------------------------------------------------------
# Q1(i) What is the motivation for using downsampling and upsampling in the Fully
# Convolutional Network for semantic segmentation?  (2 marks)
# ---------------------------------------------------------------------------------------------
Q1_I = ""

# ---------------------------------------------------------------------------------------------
# Q1(ii) Given the network below, calculate the receptive field.  (2 marks)
# ---------------------------------------------------------------------------------------------

#: The network of Q1(ii), from the input to the output, as (kernel_size, stride) per layer:
#: layer 1 is a 3x3 convolution with stride 1, layer 2 a 5x5 convolution with stride 2 and
#: layer 3 a 5x5 convolution with stride 1. Leave this as it is.
NETWORK_Q1_II = [(3, 1), (5, 2), (5, 1)]


def receptive_field(layers):
    """Return the receptive field of one unit of the last layer, in input pixels along one side.

    Args:
        layers: a sequence of layers from the input to the output. Each layer is a tuple
            (or list) ``(kernel_size, stride)`` or ``(kernel_size, stride, dilation)``;
            a layer without a dilation has dilation 1. All values are positive ints.
            A dilated layer with kernel size k and dilation d spans ``d * (k - 1) + 1``
            of its inputs.

    Returns:
        The receptive field as an integer (an ``int``, a NumPy integer or an integral float
        are all accepted).

    Example (the question's network):

    >>> receptive_field(NETWORK_Q1_II)
    15

    Marks: 1 for the question's network, earned on hidden networks of the same shape (three
    layers, other kernels and strides): the answer above is printed here, so returning it
    earns nothing; the public check only tells you whether this case is right. 1 for hidden
    stacks of 1 to 7 layers with kernel sizes 1 to 7, strides 1 to 4 and dilations 1 to 4,
    mixing 2- and 3-element layers.
    Answers are compared exactly.
    """
    raise NotImplementedError("Q1(ii): compute the receptive field")


# ---------------------------------------------------------------------------------------------
# Q1(iii) What are the advantages of dilated convolution over standard convolution for the
# semantic segmentation task?  (1 mark)
# ---------------------------------------------------------------------------------------------
Q1_III = ""


# ---------------------------------------------------------------------------------------------
# Q1(iv) Transposed convolution.  (2 marks)
# ---------------------------------------------------------------------------------------------
def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    """Return the single-channel 2-D transposed convolution of ``x`` with ``kernel``.

    Semantics are those of PyTorch's ``torch.nn.functional.conv_transpose2d`` with one input
    and one output channel, no bias and no output padding: each input entry ``x[i, j]``
    adds ``x[i, j] * kernel[p, q]`` to output position
    ``(i * stride + p * dilation - padding, j * stride + q * dilation - padding)``; the kernel
    is not flipped, and positions that fall outside the output are dropped. The output has
    ``(H - 1) * stride - 2 * padding + dilation * (K - 1) + 1`` rows (and likewise columns,
    with the widths), for an ``H x W`` input and a ``K x L`` kernel.

    Args:
        x: the input, a 2-D array-like of numbers (a list of lists or a NumPy array),
            not necessarily square.
        kernel: the kernel, a 2-D array-like of numbers, not necessarily square.
        stride: an int >= 1.
        padding: an int >= 0 (the hidden cases always leave an output of at least 1 x 1).
        dilation: an int >= 1.

    Returns:
        The output as a 2-D NumPy array (lists of lists, tuples and ``numpy.matrix`` are
        accepted too), of any numeric dtype.

    Example (the question's case):

    >>> transposed_conv2d([[1, 2], [3, 4]], [[1, 2, 3], [2, 3, 4], [3, 4, 5]]).tolist()
    [[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]]

    Marks: 1 for the question's case, earned on hidden inputs and kernels of the same shape
    (2 x 2 and 3 x 3, stride 1, other values): the answer above is printed here, so returning
    it earns nothing; the public check only tells you whether this case is right. 1 for hidden
    cases with stride 2-3, padding 1-2,
    dilation 2-3, non-square inputs and kernels (sides 1 to 5 and 1 to 4) and float inputs.
    Integer inputs are compared exactly; float inputs within a relative tolerance of 1e-6
    (absolute 1e-9). A wrong shape, NaN or an exception scores 0 for that case.
    """
    raise NotImplementedError("Q1(iv): compute the transposed convolution")


# ---------------------------------------------------------------------------------------------
# Q2 What is the key difference between VQ-VAE and VAE?  (2 marks)
# ---------------------------------------------------------------------------------------------
Q2 = ""

# ---------------------------------------------------------------------------------------------
# Q3 What is the training objective of Generative Adversarial Networks? Answer conceptually,
# i.e. do not just pose mathematical equations.  (3 marks)
# ---------------------------------------------------------------------------------------------
Q3 = ""
