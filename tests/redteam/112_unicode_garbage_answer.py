"""Red team 112_unicode_garbage_answer.

Attack: Q1_III made of lone surrogates, NULs, bidirectional overrides, escape sequences and emoji.

Deserves: Q1(iii) lost (11); results.json stays valid UTF-8 JSON.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
Q1_III = ("\udcff\ud800" * 500 + "\x00" * 500 + "\u202e\u2066" * 200 + "\x1b[31m" * 100
          + "\U0001f600" * 100)
