

# ---------------------------------------------------------------------------------------------
# A Q1(iv) answer wrong everywhere, appended to the reference by the manifest's 'q1_iv_wrong'
# example: the student slides the (unflipped) kernel over the zero-padded input, an ordinary
# convolution of the right output size, and adds a bias of 1 as a convolution layer would.
# Every entry of every case is wrong, so the example loses exactly Q1(iv)'s 2 marks; every
# other part stays correct.
# ---------------------------------------------------------------------------------------------
def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    size_h = (x.shape[0] - 1) * stride - 2 * padding + dilation * (kh - 1) + 1
    size_w = (x.shape[1] - 1) * stride - 2 * padding + dilation * (kw - 1) + 1
    padded = np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    out = np.zeros((size_h, size_w))
    for i in range(min(size_h, padded.shape[0] - kh + 1)):
        for j in range(min(size_w, padded.shape[1] - kw + 1)):
            out[i, j] = np.sum(padded[i:i + kh, j:j + kw] * kernel) + 1.0
    return out
