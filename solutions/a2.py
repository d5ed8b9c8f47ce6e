"""AI6126 Assignment 2: reference submission (full marks).

This file is written in the format a student submits: the answers to the
written questions are module-level strings, and the two computational parts
are plain functions that use only NumPy and the standard library.
"""

import numpy as np

# --------------------------------------------------------------------------- #
# Q1(i) Why fully convolutional networks downsample and then upsample
# --------------------------------------------------------------------------- #

Q1_I = (
    "Downsampling (pooling or strided convolution) shrinks the feature maps, so a deep "
    "network with many channels stays affordable in memory and computation, and it "
    "enlarges the receptive field of later layers so that they capture global semantic "
    "context (what is in the image, not only local texture). But semantic segmentation "
    "needs a dense, per-pixel prediction at the size of the input, so the coarse feature "
    "maps are then upsampled (transposed convolution, unpooling or interpolation, often "
    "with skip connections) to restore the spatial resolution and localise boundaries."
)

# --------------------------------------------------------------------------- #
# Q1(ii) Receptive field
# --------------------------------------------------------------------------- #

#: The network of Q1(ii), from the input onwards: (kernel_size, stride) per layer.
NETWORK_Q1_II = [(3, 1), (5, 2), (5, 1)]


def receptive_field(layers):
    """Receptive field, in input pixels, of one unit of the last layer.

    Args:
        layers: the layers from the input onwards, each given as
            ``(kernel_size, stride)`` or ``(kernel_size, stride, dilation)``
            (a missing dilation is 1).

    Returns:
        The receptive field size as an ``int``.

    Each layer widens the field by ``dilation * (kernel_size - 1)`` of its own
    inputs, and one step between those inputs spans ``jump`` input pixels,
    the product of the strides of all earlier layers:
    ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``, ``j_l = j_{l-1} s_l``,
    starting from ``r_0 = j_0 = 1``.  For ``NETWORK_Q1_II`` this gives
    ``1 + 2 + 4 + 4 * 2 = 15``.
    """
    field = 1
    jump = 1
    for layer in layers:
        kernel_size, stride = int(layer[0]), int(layer[1])
        dilation = int(layer[2]) if len(layer) > 2 else 1
        field += dilation * (kernel_size - 1) * jump
        jump *= stride
    return field


# --------------------------------------------------------------------------- #
# Q1(iii) Advantages of dilated convolution
# --------------------------------------------------------------------------- #

Q1_III = (
    "A dilated (atrous) convolution spreads the kernel taps apart, so its receptive field "
    "grows with the dilation rate (exponentially when rates are stacked) and it sees "
    "larger, multi-scale context. It does so without pooling or striding, so the feature "
    "maps keep their full resolution and fine spatial detail, which matters for dense "
    "prediction such as segmentation. And it adds no extra parameters and no extra "
    "computation per output compared with the ordinary kernel of the same size."
)

# --------------------------------------------------------------------------- #
# Q1(iv) Transposed convolution
# --------------------------------------------------------------------------- #


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    """Single-channel 2-D transposed convolution (as PyTorch ``conv_transpose2d``).

    Args:
        x: 2-D input array of shape ``(H, W)``.
        kernel: 2-D kernel of shape ``(KH, KW)``; it is not flipped.
        stride: step between the positions where consecutive input pixels
            place the kernel in the output.
        padding: number of rows and columns cropped from each border of the
            full output.
        dilation: spacing between kernel taps.

    Returns:
        A NumPy array of shape
        ``((H - 1) * stride - 2 * padding + dilation * (KH - 1) + 1,
        (W - 1) * stride - 2 * padding + dilation * (KW - 1) + 1)``; integer
        inputs give an integer array, float inputs a float array.

    Raises:
        ValueError: if an input is not 2-D or an output side would be < 1.

    Every input pixel ``x[a, b]`` scatters ``x[a, b] * kernel`` into the output,
    with tap ``(p, q)`` landing at
    ``(a * stride + p * dilation - padding, b * stride + q * dilation - padding)``;
    overlapping contributions are summed.
    """
    x = np.asarray(x)
    kernel = np.asarray(kernel)
    if x.ndim != 2 or kernel.ndim != 2 or x.size == 0 or kernel.size == 0:
        raise ValueError("x and kernel must be non-empty 2-D arrays")
    if stride < 1 or dilation < 1 or padding < 0:
        raise ValueError("stride and dilation must be >= 1 and padding >= 0")
    h, w = x.shape
    kh, kw = kernel.shape
    full_h = (h - 1) * stride + dilation * (kh - 1) + 1
    full_w = (w - 1) * stride + dilation * (kw - 1) + 1
    if full_h - 2 * padding < 1 or full_w - 2 * padding < 1:
        raise ValueError("the output would be empty: padding is too large")

    out = np.zeros((full_h, full_w), dtype=np.result_type(x, kernel))
    span_h = (h - 1) * stride + 1
    span_w = (w - 1) * stride + 1
    for p in range(kh):
        for q in range(kw):
            # Tap (p, q) of every input pixel lands on a strided grid offset by (p*d, q*d).
            out[
                p * dilation : p * dilation + span_h : stride,
                q * dilation : q * dilation + span_w : stride,
            ] += kernel[p, q] * x
    return out[padding : full_h - padding, padding : full_w - padding]


# --------------------------------------------------------------------------- #
# Q2 VQ-VAE versus VAE
# --------------------------------------------------------------------------- #

Q2 = (
    "The key difference is the latent space: a VQ-VAE has a discrete latent, while a VAE's "
    "latent is continuous. In a VAE the encoder outputs the mean and variance of a Gaussian "
    "posterior, a latent is sampled from it with the reparameterisation trick, and a KL "
    "term regularises the posterior toward a prior (usually a standard normal). In a "
    "VQ-VAE each encoder output vector is replaced by its nearest vector in a learned "
    "codebook (vector quantisation); there is no sampling or KL term, gradients pass the "
    "quantisation with a straight-through estimator, codebook and commitment losses train "
    "the embeddings, and a separate autoregressive prior (e.g. PixelCNN) is fit over the "
    "discrete codes for generation."
)

# --------------------------------------------------------------------------- #
# Q3 The training objective of GANs
# --------------------------------------------------------------------------- #

Q3 = (
    "A GAN has two networks: a generator G that maps random noise z to a sample G(z), and a "
    "discriminator D that outputs the probability that its input is real rather than "
    "generated. They are trained against each other in a two-player minimax game, "
    "min_G max_D E_x[log D(x)] + E_z[log(1 - D(G(z)))]: the discriminator maximises its "
    "success at telling real data from generated samples, while the generator tries to fool "
    "it by making D(G(z)) large. The aim is that the generated samples become "
    "indistinguishable from real data, i.e. the generator's distribution matches the data "
    "distribution, at which point the optimal discriminator outputs 1/2 everywhere."
)
