"""The compat harness itself: tokenising, tolerant comparison, exception extraction."""
from harness import compare_output, exception_type, tokens


def test_tokens_split_numbers_words_and_punctuation():
    got = tokens("Tensor(shape=[2], dtype=Float32, value= [ 1.5e+00, -nan])")
    assert got[:17] == ["Tensor", "(", "shape", "=", "[", 2.0, "]", ",", "dtype", "=", "Float32", ",", "value", "=",
                        "[", 1.5, ","]
    assert isinstance(got[17], float) and got[17] != got[17]  # -nan is a number
    assert got[18:] == ["]", ")"]


def test_numbers_compare_with_tolerance_and_whitespace_is_ignored():
    assert compare_output("[0.66636676 0.6143003]", "[0.6663667  0.6143003 ]") is None
    assert compare_output("[0.667 0.6143003]", "[0.6663667 0.6143003]") is not None


def test_skeleton_must_match_exactly():
    assert compare_output("Tensor(shape=[2], dtype=Float32)", "Tensor(shape=[2], dtype=Float64)") is not None
    assert compare_output("(1, 2)", "((1, 2),)") is not None


def test_nan_matches_nan_only():
    assert compare_output("nan inf", "nan inf") is None
    assert compare_output("nan", "1.0") is not None


def test_exception_type_is_found_after_the_last_traceback():
    stderr = ("warning: something\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n"
              "    f()\nValueError: The shape should be [2, 3]\n\n-----\n- C++ Call Stack:\nfoo.cc:12 Bar\n")
    assert exception_type(stderr) == "ValueError"
    assert exception_type("no traceback here") is None
