"""Red team 120_non_utf8_source.

Attack: The file is not valid UTF-8: the test submits it encoded in Latin-1 (see Attack.encoding in
tests/redteam_catalog.py), so its accented letters become bytes Python rejects; there is no
coding declaration.

Deserves: the short answers only (8): Python cannot import it; its literal answers are still read.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
# Café crème: Latin-1 bytes in a comment, which Python tolerates,
_LABEL = "and in a string, which it does not: café"
