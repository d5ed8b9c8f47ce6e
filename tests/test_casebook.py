"""The casebook: reproducible, exact, derived from the manifest's references."""

from fractions import Fraction

from autograder.casebook import decode_exact, encode_exact, materialise, public_view


def _group(casebook, part_id, group_id):
    part = next(p for p in casebook["parts"] if p["id"] == part_id)
    return next(g for g in part["groups"] if g["id"] == group_id)


def test_same_manifest_same_casebook(manifest, casebook):
    assert materialise(manifest) == casebook


def test_question_cases_carry_the_derived_answers(casebook):
    (rf,) = _group(casebook, "q1_ii", "question")["cases"]
    assert rf["expected"] == 15
    (tc,) = _group(casebook, "q1_iv", "question")["cases"]
    assert tc["expected"] == [[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]]
    assert tc["exact"] is True


def test_float_cases_are_exact_rationals_and_compared_with_tolerance(casebook):
    floats = [c for c in _group(casebook, "q1_iv", "general")["cases"] if "float" in c["tags"]]
    assert floats and all(c["exact"] is False for c in floats)
    values = [v for c in floats for row in decode_exact(c["expected"]) for v in row]
    assert any(v.denominator > 1 for v in values)


def test_hidden_groups_cover_the_promised_kinds(casebook):
    tags = {t for c in _group(casebook, "q1_iv", "general")["cases"] for t in c["tags"]}
    assert {"stride", "padding", "dilation", "non-square", "float"} <= tags
    tags = {t for c in _group(casebook, "q1_ii", "general")["cases"] for t in c["tags"]}
    assert {"dilated", "strided", "mixed-tuples"} <= tags


def test_public_view_drops_hidden_cases_and_rubrics(casebook):
    view = public_view(casebook)
    assert view["public_only"] is True
    for part in view["parts"]:
        assert "rubric" not in part
        for group in part.get("groups", []):
            assert group["visibility"] == "public" or not group["cases"]
    assert casebook["public_only"] is False  # the original is untouched


def test_exact_encoding_round_trips():
    value = [[1, Fraction(3, 4)], [Fraction(-5, 2), 0]]
    assert decode_exact(encode_exact(value)) == value


def test_the_grading_cache_is_its_owners_alone(manifest, tmp_path):
    # The cache holds every hidden case and its reference: a submission graded on this machine
    # runs as another user and must not be able to enter it, whatever the umask (a folder left
    # world-readable is made private again).
    import stat

    from autograder.casebook import cached_grading_data

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    cache.chmod(0o755)
    folder = cached_grading_data(manifest, cache)
    assert (folder / "casebook.json").is_file()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
