"""The benchmark behind ``make bench``: this project against plain Otter-Grader, figure by figure.

Not a test suite: it measures and reports (bench/README.md says what each figure means).
"""
