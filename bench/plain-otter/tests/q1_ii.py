# ruff: noqa: E501
OK_FORMAT = True

# Q1(ii) Receptive field: the question's case is public, the others hidden (no 'hidden' key).
# Written as an instructor would for plain Otter: doctests comparing with == and
# numpy.allclose; the hidden cases share the points the public one leaves. Generated
# once from the casebook of solutions/manifest.yaml.
test = {
    "name": "q1_ii",
    "points": 2.0,
    "suites": [
        {
            "cases": [
                {
                    "code": ">>> receptive_field([[3, 1], [5, 2], [5, 1]]) == 15\nTrue",
                    "points": 1.0,
                    "hidden": False,
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[3, 1]]) == 3\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[4, 3]]) == 4\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[7, 1, 3]]) == 19\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[5, 4, 3]]) == 13\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[6, 3], [3, 2]]) == 12\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[7, 4], [5, 4]]) == 23\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[2, 3], [4, 4], [7, 1], [3, 2]]) == 107\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[6, 1], [3, 2], [3, 3]]) == 12\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[7, 3], [6, 4], [5, 2]]) == 70\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[6, 4, 1], [6, 3, 2], [3, 3, 4], [4, 2, 2]]) == 358\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[4, 1, 1], [6, 1, 4]]) == 24\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[7, 1, 2], [7, 1, 2]]) == 25\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[7, 3, 4], [4, 4, 1], [7, 1, 3]]) == 250\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[2, 3, 2], [3, 1, 3]]) == 21\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[1, 1], [2, 3], [7, 4], [2, 1, 4]]) == 68\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[7, 3, 3], [1, 1]]) == 19\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[5, 2, 2], [1, 3], [6, 1]]) == 39\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[3, 3, 1], [7, 2, 3], [6, 4]]) == 87\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[4, 2, 2], [4, 2], [3, 4]]) == 21\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[1, 2, 4], [3, 1, 4], [7, 2], [3, 2], [3, 1, 4], [4, 2], [6, 1]]) == 205\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[4, 2], [2, 2], [4, 2], [7, 2, 4], [7, 2, 3], [5, 1, 2]]) == 754\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[4, 2, 2], [5, 1], [6, 1, 2], [5, 1, 3], [2, 2]]) == 61\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[3, 1], [6, 2, 1], [6, 1], [7, 2, 2], [2, 2, 3]]) == 54\nTrue",
                    "locked": False
                },
                {
                    "code": ">>> receptive_field([[3, 2], [4, 1], [3, 2, 4], [4, 1, 3], [3, 2, 3], [4, 1, 3]]) == 157\nTrue",
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
