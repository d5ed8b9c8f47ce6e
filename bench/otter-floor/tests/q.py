OK_FORMAT = True

# Otter's floor: one test that grades nothing, so a run costs only what Otter itself does.
test = {
    "name": "q",
    "points": 1,
    "suites": [
        {
            "cases": [{"code": ">>> True\nTrue", "hidden": False, "locked": False}],
            "scored": True,
            "setup": "",
            "teardown": "",
            "type": "doctest",
        }
    ],
}
