"""Red team 131_shadowing_packages.

Attack: Upload packages named numpy, jedi and matplotlib_inline beside a2.py: Otter's kernel puts the
submission folder on sys.path, so they would run as root there (the test adds them).

Deserves: full marks (12), and no marker.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file).
# --------------------------------------------------------------------------------------------
import numpy as np

Q1_I = (
    'Downsampling (pooling or strided convolution) shrinks the feature maps, so a deep '
    'network with many channels stays affordable in memory and computation, and it '
    'enlarges the receptive field of later layers so that they capture global semantic '
    'context (what is in the image, not only local texture). But semantic segmentation '
    'needs a dense, per-pixel prediction at the size of the input, so the coarse feature '
    'maps are then upsampled (transposed convolution, unpooling or interpolation, often '
    'with skip connections) to restore the spatial resolution and localise boundaries.'
)

Q1_III = (
    'A dilated (atrous) convolution spreads the kernel taps apart, so its receptive field'
    ' grows with the dilation rate (exponentially when rates are stacked) and it sees '
    'larger, multi-scale context. It does so without pooling or striding, so the feature '
    'maps keep their full resolution and fine spatial detail, which matters for dense '
    'prediction such as segmentation. And it adds no extra parameters and no extra '
    'computation per output compared with the ordinary kernel of the same size.'
)

Q2 = (
    'The key difference is the latent space: a VQ-VAE has a discrete latent, while a '
    "VAE's latent is continuous. In a VAE the encoder outputs the mean and variance of a "
    'Gaussian posterior, a latent is sampled from it with the reparameterisation trick, '
    'and a KL term regularises the posterior toward a prior (usually a standard normal). '
    'In a VQ-VAE each encoder output vector is replaced by its nearest vector in a '
    'learned codebook (vector quantisation); there is no sampling or KL term, gradients '
    'pass the quantisation with a straight-through estimator, codebook and commitment '
    'losses train the embeddings, and a separate autoregressive prior (e.g. PixelCNN) is '
    'fit over the discrete codes for generation.'
)

Q3 = (
    'A GAN has two networks: a generator G that maps random noise z to a sample G(z), and'
    ' a discriminator D that outputs the probability that its input is real rather than '
    'generated. They are trained against each other in a two-player minimax game, min_G '
    'max_D E_x[log D(x)] + E_z[log(1 - D(G(z)))]: the discriminator maximises its success'
    ' at telling real data from generated samples, while the generator tries to fool it '
    'by making D(G(z)) large. The aim is that the generated samples become '
    "indistinguishable from real data, i.e. the generator's distribution matches the data"
    ' distribution, at which point the optimal discriminator outputs 1/2 everywhere.'
)

NETWORK_Q1_II = [(3, 1), (5, 2), (5, 1)]


def receptive_field(layers):
    field, jump = 1, 1
    for layer in layers:
        kernel_size, stride = int(layer[0]), int(layer[1])
        dilation = int(layer[2]) if len(layer) > 2 else 1
        field += dilation * (kernel_size - 1) * jump
        jump *= stride
    return field


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    x = np.asarray(x)
    kernel = np.asarray(kernel)
    if x.ndim != 2 or kernel.ndim != 2 or x.size == 0 or kernel.size == 0:
        raise ValueError("x and kernel must be non-empty 2-D arrays")
    h, w = x.shape
    kh, kw = kernel.shape
    full_h = (h - 1) * stride + dilation * (kh - 1) + 1
    full_w = (w - 1) * stride + dilation * (kw - 1) + 1
    out = np.zeros((full_h, full_w), dtype=np.result_type(x, kernel))
    span_h, span_w = (h - 1) * stride + 1, (w - 1) * stride + 1
    for p in range(kh):
        for q in range(kw):
            out[p * dilation:p * dilation + span_h:stride,
                q * dilation:q * dilation + span_w:stride] += kernel[p, q] * x
    return out[padding:full_h - padding, padding:full_w - padding]
