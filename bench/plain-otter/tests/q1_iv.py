# ruff: noqa: E501
OK_FORMAT = True

# Q1(iv) Transposed convolution: the question's case is public, the others hidden (no 'hidden' key).
# Written as an instructor would for plain Otter: doctests comparing with == and
# numpy.allclose; the hidden cases share the points the public one leaves. Generated
# once from the casebook of solutions/manifest.yaml.
test = {
    "name": "q1_iv",
    "points": 2.0,
    "suites": [
        {
            "cases": [
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[1, 2], [3, 4]], [[1, 2, 3], [2, 3, 4], [3, 4, 5]], stride=1, padding=0, dilation=1), np.array([[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "points": 1.0,
                    "hidden": False,
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[5, -1, 6, 2], [1, 2, 5, -3], [7, 2, -3, 9], [0, -3, 4, -4]], [[-3]], stride=3, padding=0, dilation=1), np.array([[-15, 0, 0, 3, 0, 0, -18, 0, 0, -6], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [-3, 0, 0, -6, 0, 0, -15, 0, 0, 9], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [-21, 0, 0, -6, 0, 0, 9, 0, 0, -27], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 9, 0, 0, -12, 0, 0, 12]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[1, 5, 5], [6, 4, 9], [1, 2, 7]], [[5, -4, 8, -4], [9, -3, 8, 7], [1, 9, 2, 9], [-3, 9, -1, 7]], stride=2, padding=0, dilation=1), np.array([[5, -4, 33, -24, 65, -40, 40, -20], [9, -3, 53, -8, 85, 20, 40, 35], [31, -15, 75, 14, 92, 38, 82, 9], [51, -9, 68, 82, 93, 81, 67, 98], [11, 50, 34, 78, 68, 81, 74, 53], [-9, 51, 8, 79, 48, 102, 47, 112], [1, 9, 4, 27, 11, 81, 14, 63], [-3, 9, -7, 25, -23, 77, -7, 49]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[5, 2, 0], [0, 7, 9], [6, 4, 8]], [[-2, 4, 6, 6], [5, 7, 3, 0], [2, 8, 4, 5], [2, 6, 9, 7]], stride=2, padding=0, dilation=1), np.array([[-10, 20, 26, 38, 12, 12, 0, 0], [25, 35, 25, 14, 6, 0, 0, 0], [10, 40, 10, 69, 32, 88, 54, 54], [10, 30, 84, 96, 84, 77, 27, 0], [-12, 24, 42, 108, 54, 163, 84, 93], [30, 42, 52, 70, 133, 159, 105, 63], [12, 48, 32, 62, 32, 84, 32, 40], [12, 36, 62, 66, 52, 76, 72, 56]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[3, 2], [4, -3]], [[-1, -4, 8], [9, 7, 2], [-4, -2, 5]], stride=2, padding=0, dilation=1), np.array([[-3, -12, 22, -8, 16], [27, 21, 24, 14, 4], [-16, -22, 42, 8, -14], [36, 28, -19, -21, -6], [-16, -8, 32, 6, -15]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[0]], [[9, 2, 2], [3, -3, 0], [-4, 9, -1]], stride=3, padding=0, dilation=1), np.array([[0, 0, 0], [0, 0, 0], [0, 0, 0]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[6, -2, -4, 7], [8, 2, 6, 5], [-2, -3, 5, 5], [4, 7, 5, 5]], [[0, 2], [2, 9]], stride=1, padding=2, dilation=1), np.array([[24]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[8, -3, -3], [6, -4, -4], [-3, 9, 3]], [[-3, -2, 4], [7, 3, -2], [9, -3, 0]], stride=1, padding=2, dilation=1), np.array([[-109]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[3, -4, -4, 2, 3], [-1, -2, 7, 0, -1], [3, 5, 3, 7, 6], [6, 6, 7, 4, -1], [1, -1, 8, 9, -4]], [[7, 7, 1, 3], [9, -4, -2, 4], [-2, -2, 4, 6], [-3, 2, -3, 0]], stride=1, padding=2, dilation=1), np.array([[160, 62, 28, 68], [79, 124, 111, 36], [51, 179, 23, 61], [64, 63, -47, 81]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-3, -1, 4, 3, -3], [0, -1, 8, 9, 6], [5, 3, 0, 5, 5], [1, -1, 6, -1, 8], [9, -2, 9, 5, 9]], [[6, -3], [5, -1]], stride=1, padding=1, dilation=1), np.array([[-8, 72, 41, -9], [-2, 32, 67, 36], [1, 36, 1, 71], [-45, 91, -8, 80]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[4, 8], [-2, 2]], [[-1, 3, 3, 5], [-3, 8, 4, 0], [-4, 2, -3, 0], [7, -1, 9, -4]], stride=1, padding=2, dilation=1), np.array([[12]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[0]], [[0, 6], [3, 7]], stride=1, padding=0, dilation=2), np.array([[0, 0, 0], [0, 0, 0], [0, 0, 0]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[4]], [[4, 3], [4, 4]], stride=1, padding=0, dilation=3), np.array([[16, 0, 0, 12], [0, 0, 0, 0], [0, 0, 0, 0], [16, 0, 0, 16]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-1]], [[-1, 7, 7], [3, -1, 1], [8, 9, 2]], stride=1, padding=0, dilation=2), np.array([[1, 0, -7, 0, -7], [0, 0, 0, 0, 0], [-3, 0, 1, 0, -1], [0, 0, 0, 0, 0], [-8, 0, -9, 0, -2]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[8, -3, -3], [-4, 4, 1], [-1, -1, 5]], [[6, -4, 7], [1, 4, -1], [2, -4, 6]], stride=1, padding=0, dilation=2), np.array([[48, -18, -50, 12, 68, -21, -21], [-24, 24, 22, -16, -32, 28, 7], [2, -9, 63, -8, -47, -4, 38], [-4, 4, -15, 16, 8, -4, -1], [15, -7, -37, 8, 81, -17, -23], [-8, 8, 18, -16, -28, 24, 6], [-2, -2, 14, 4, -26, -6, 30]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[2, -2, 7], [7, 1, 0], [3, -4, -3]], [[4, 6, 8, 3], [9, -1, 8, -1], [3, -1, 1, 3], [-4, 1, -2, -1]], stride=1, padding=0, dilation=2), np.array([[8, -8, 40, -12, 58, -16, 62, -6, 21], [28, 4, 42, 6, 56, 8, 21, 3, 0], [30, -34, 67, -22, 15, -48, 39, -10, -16], [63, 9, -7, -1, 56, 8, -7, -1, 0], [33, -42, -11, 6, 22, -34, -14, -2, 24], [21, 3, -7, -1, 7, 1, 21, 3, 0], [1, -4, -38, 2, 9, 0, -10, -10, -16], [-28, -4, 7, 1, -14, -2, -7, -1, 0], [-12, 16, 15, -4, -9, 8, 3, 4, 3]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[4, 2, 3, 8, 6], [-1, -3, -2, 0, -2], [-1, -4, 5, 5, 7], [7, 6, 6, 3, -4]], [[9, 1, 1], [4, 7, 4]], stride=1, padding=0, dilation=1), np.array([[36, 22, 33, 77, 65, 14, 6], [7, 8, 20, 56, 72, 72, 22], [-13, -56, 7, 20, 57, -2, -1], [59, 38, 55, 78, 56, 68, 24], [28, 73, 94, 78, 29, -16, -16]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[2, 6, 1]], [[8, -3, 3, 0], [8, 6, 1, 7], [0, 4, 8, 4]], stride=1, padding=0, dilation=1), np.array([[16, 42, -4, 15, 3, 0], [16, 60, 46, 26, 43, 7], [0, 8, 40, 60, 32, 4]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-4, -2], [4, -2], [7, -1], [2, -4]], [[4, 4]], stride=1, padding=0, dilation=1), np.array([[-16, -24, -8], [16, 8, -8], [28, 24, -4], [8, -8, -16]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[7, 8, 6, -4]], [[0], [-2], [4]], stride=1, padding=0, dilation=1), np.array([[0, 0, 0, 0], [-14, -16, -12, 8], [28, 32, 24, -16]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[4, 7, 8, 0], [-1, 6, 2, 6]], [[-3, 6], [1, 2], [-3, -2], [2, 7]], stride=1, padding=0, dilation=1), np.array([[-12, 3, 18, 48, 0], [7, -9, 52, 10, 36], [-13, -25, -24, -6, 12], [11, 26, 47, 34, -12], [-2, 5, 46, 26, 42]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[0.5, -3.75, -0.75, -0.75, -0.25], [-3.5, -1.5, 3.25, 0.0, -3.5], [3.25, 0.75, 3.75, -2.75, -2.5]], [[2.5, 1.75], [-2.5, -1.5], [3.75, 1.0], [-0.5, 1.0]], stride=1, padding=0, dilation=1), np.array([[1.25, -8.5, -8.4375, -3.1875, -1.9375, -0.4375], [-10, -1.25, 13, 8.6875, -7, -5.75], [18.75, 3, -1.75, -8.75, -4, 0.625], [-21.5, -13.5, -3.1875, 4.125, -3.375, 0], [13.9375, 3.3125, 11.6875, -3.3125, -10.375, -6], [-1.625, 2.875, -1.125, 5.125, -1.5, -2.5]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-0.5, 1.5], [2.0, -2.0], [-3.75, -3.0]], [[-3.5], [2.0], [-2.0], [-1.25]], stride=1, padding=0, dilation=1), np.array([[1.75, -5.25], [-8, 10], [18.125, 3.5], [-10.875, -3.875], [5, 8.5], [4.6875, 3.75]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-0.5, -1.0, 2.25], [-0.5, 2.875, -1.875], [-2.25, -2.125, -1.125], [2.625, 3.875, 2.625]], [[-1.25, -3.0], [3.25, -0.25]], stride=1, padding=0, dilation=2), np.array([[0.625, 1.25, -1.3125, 3, -6.75], [0.625, -3.59375, 3.84375, -8.625, 5.625], [1.1875, -0.59375, 15.59375, 6.625, 2.8125], [-4.90625, 4.5, -17.125, -12.34375, -7.40625], [-7.3125, -6.90625, -3.09375, 0.53125, 0.28125], [8.53125, 12.59375, 7.875, -0.96875, -0.65625]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-4.0, -3.25], [3.0, -3.0], [-0.5, 3.5], [-2.5, -0.5]], [[-2.5, 3.0, 1.75], [4.0, -1.0, 4.0]], stride=1, padding=0, dilation=1), np.array([[10, -3.875, -16.75, -5.6875], [-23.5, 7.5, -16.5, -18.25], [13.25, -25.25, 24.625, -5.875], [4.25, 8.25, -11.375, 13.125], [-10, 0.5, -9.5, -2]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[1.25, 2.0, -2.25], [-3.0, -0.25, -3.5], [3.75, 2.0, -0.75], [1.0, -1.5, -1.0]], [[-3.125, 0.125, -2.75, 2.75], [-0.875, 1.625, -1.875, -1.375], [3.75, -3.25, -2.375, 3.125], [-0.75, 3.75, -1.125, -1.625]], stride=2, padding=0, dilation=1), np.array([[-3.90625, 0.15625, -9.6875, 3.6875, 1.53125, 5.21875, 6.1875, -6.1875], [-1.09375, 2.03125, -4.09375, 1.53125, -1.78125, -6.40625, 4.21875, 3.09375], [14.0625, -4.4375, 13.5625, -10.875, -1.5625, 12.4375, 14.96875, -16.65625], [1.6875, -0.1875, 2.9375, 9.1875, 2.96875, -17.03125, 9.09375, 8.46875], [-22.96875, 10.21875, -10.375, 2, -15.6875, 16, 10.375, -13], [-1.03125, -5.15625, -5.21875, 2.03125, -0.1875, -16.6875, 5.34375, 6.71875], [10.9375, -12.0625, 0.53125, 7.78125, -0.3125, 4.4375, 4.53125, -5.09375], [-3.6875, 15.6875, -6.28125, -2.40625, 2, -5.625, 2.71875, 2.59375], [3.75, -3.25, -8, 8, -0.1875, -1.4375, 2.375, -3.125], [-0.75, 3.75, 0, -7.25, 2.4375, -1.3125, 1.125, 1.625]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[7, 3, 4, 1, 4]], [[6, 8], [5, -3], [6, -1], [3, -3]], stride=2, padding=1, dilation=2), np.array([[0, 0, 0, 0, 0, 0, 0, 0, 0], [0, -6, 0, 11, 0, -7, 0, 17, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 11, 0, 21, 0, 2, 0, 23, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[6, 8], [8, 8], [5, 2], [8, 3]], [[4, -3, 5, 5]], stride=2, padding=2, dilation=3), np.array([[32, -24, 0, -24, 40, 0, 40, 40], [0, 0, 0, 0, 0, 0, 0, 0], [8, -15, 0, -6, 25, 0, 10, 25]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[-3, -1], [1, 3], [1, -4], [4, 3]], [[9, 6, -3, 2], [1, 0, 9, 1], [-4, 1, -4, -4]], stride=3, padding=2, dilation=3), np.array([[0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 32, 0, 0, -12, 0, 0, -19, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, -26, 0, 0, -7, 0, 0, 58, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 36, 0, 0, 14, 0, 0, -52, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 20, 0, 0, 28, 0, 0, 43, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[6], [5], [0], [8]], [[9, -4, -4, 7], [-3, 3, 8, 5], [7, 6, 5, 8]], stride=2, padding=2, dilation=3), np.array([[0, -20, 0, 0, -20, 0], [0, 18, 0, 0, 48, 0], [0, 0, 0, 0, 0, 0], [0, 15, 0, 0, 40, 0], [0, 4, 0, 0, -2, 0], [0, 0, 0, 0, 0, 0], [0, 30, 0, 0, 25, 0], [0, 24, 0, 0, 64, 0], [0, 0, 0, 0, 0, 0]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> import numpy as np\n>>> np.allclose(transposed_conv2d([[6, -3, 8, 7], [-2, -1, 3, 9], [7, 2, 1, 6], [3, -2, 8, -3], [-4, -3, 2, 1]], [[4, 2, -2, 6], [8, 1, -3, -3], [6, -4, -4, 8]], stride=2, padding=2, dilation=2), np.array([[-26, 0, 57, 0, 87, 0, -2, 0, -45], [0, 0, 0, 0, 0, 0, 0, 0, 0], [-30, 0, 59, 0, 218, 0, -59, 0, -6], [0, 0, 0, 0, 0, 0, 0, 0, 0], [23, 0, 41, 0, 78, 0, -93, 0, 21], [0, 0, 0, 0, 0, 0, 0, 0, 0], [-49, 0, 33, 0, 51, 0, -53, 0, -21], [0, 0, 0, 0, 0, 0, 0, 0, 0], [-52, 0, 69, 0, 13, 0, -32, 0, 67]]), rtol=1e-06, atol=1e-09)\nTrue",
                    "locked": False
                }
            ],
            "scored": True,
            "setup": "",
            "teardown": "",
            "type": "doctest"
        }
    ]
}
