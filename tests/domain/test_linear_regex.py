"""The journal's `matches` patterns: Python's own answers on ordinary patterns, linear time on
the patterns that make a backtracking engine run for ever, and refusals that say what and where.

No test times anything (benchmarks do, scripts/measure_bounds.py): each pathological case below
is one a backtracking matcher does not finish in the life of the test run, so the run itself is
the check.
"""

from __future__ import annotations

import random
import re

import pytest

from mock_server.domain.double.linear_regex import (
    MAX_PATTERN_CHARS,
    LinearRegex,
    PatternError,
    linear_regex,
)

# Texts long enough that a backtracking engine would never end on the patterns below.
LONG = 100_000


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.35:
        return rng.choice(["a", "b", ".", "[ab]", "[^a]", r"\d", "c", "[a-c]", r"\.", "x?"])
    if roll < 0.55:
        return _random_pattern(rng, depth + 1) + _random_pattern(rng, depth + 1)
    if roll < 0.7:
        return f"(?:{_random_pattern(rng, depth + 1)}|{_random_pattern(rng, depth + 1)})"
    quantifier = rng.choice(["*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "{0,2}"])
    return f"({_random_pattern(rng, depth + 1)}){quantifier}"


def test_agrees_with_pythons_re_on_thousands_of_random_patterns() -> None:
    rng = random.Random(23)
    for _ in range(3000):
        pattern = _random_pattern(rng)
        compiled = linear_regex(pattern)
        reference = re.compile(pattern, re.DOTALL)
        for _ in range(6):
            text = "".join(rng.choice("abc1.\n") for _ in range(rng.randrange(9)))
            expected = reference.fullmatch(text) is not None
            assert compiled.fullmatch(text) == expected, (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("7916.*", "79165554433", True),
        ("7916.*", "79005554433", False),
        ("7916[0-9]{7}", "79165554433", True),
        ("7916[0-9]{7}", "791655544331", False),
        (r"\d{11}", "79165554433", True),
        ("^7916.*$", "79165554433", True),  # anchors change nothing: the whole text matches
        ("916", "79165554433", False),  # never a part of the text
        (".*916.*", "79165554433", True),
        ("a.b", "a\nb", True),  # `.` takes the newline too
        (r"[\d.]+", "1.5", True),
        (r"\$\{x\}", "${x}", True),
        ("[]a]+", "]a]", True),  # `]` first in a class is itself
        ("[a-]+", "-a", True),
        (r"\u0416\x41", "ЖA", True),
        ("Ж+", "ЖЖ", True),
        ("", "", True),
        ("(?:ab|cd){2}", "abcd", True),
        ("a{0}", "", True),
        ("a{2,}?", "aaa", True),
    ],
)
def test_grammar(pattern: str, text: str, expected: bool) -> None:
    assert linear_regex(pattern).fullmatch(text) is expected


@pytest.mark.parametrize(
    ("pattern", "matches_all_a"),
    [
        ("(a*)*b", False),
        ("(a|a)*b", False),
        ("(a|aa)*c", False),
        ("a*" * 30 + "b", False),
        ("(x+x+)+y", False),
        ("(.*a){50}b", False),
        ("(?:(?:a*)*)*b", False),
        ("(a|b)*a(a|b){30}", True),
        ("(.*){20}b", False),
    ],
)
def test_takes_linear_time_on_patterns_that_backtrack(pattern: str, matches_all_a: bool) -> None:
    # Python's own re does not finish most of these on 40 characters: the answers are written.
    compiled = linear_regex(pattern)
    assert not compiled.fullmatch("a" * LONG + "!")
    assert compiled.fullmatch("a" * LONG) is matches_all_a
    rng = random.Random(pattern)
    noise = "".join(rng.choice("ab") for _ in range(LONG))  # a new DFA state almost every step
    compiled.fullmatch(noise)  # the check is that it ends


def test_a_long_text_that_matches() -> None:
    assert linear_regex("(a|aa)*b").fullmatch("a" * LONG + "b")
    assert linear_regex("[^x]*").fullmatch("y" * LONG)


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (r"(a)\1", "backreferences are not supported at character 4"),
        ("(?=a)", "only (?:...) groups are supported"),
        ("(?i)a", "only (?:...) groups are supported"),
        ("(?P<n>a)", "only (?:...) groups are supported"),
        (r"\bword", "\\b (a word boundary) is not supported at character 1"),
        ("a*+", "'+' repeats a repetition"),
        ("a**", "'*' repeats a repetition"),
        ("*a", "nothing before '*' to repeat at character 1"),
        ("a{101}", "a count above 100"),
        ("a{3,2}", "is backwards"),
        ("a{x}", "'{' starts no count"),
        ("(a", "'(' is never closed at character 1"),
        ("a)", "unmatched ')' at character 2"),
        ("[ab", "'[' is never closed at character 1"),
        ("[z-a]", "a range out of order"),
        ("a^b", "'^' is allowed only at the start"),
        ("a$b", "'$' is allowed only at the end"),
        ("a\\", "a trailing backslash"),
        (r"\q", "unknown escape \\q"),
        (r"\x4", "\\x needs 2 hexadecimal digits"),
        ("(" * 33 + "a" + ")" * 33, "groups nested more than 32 deep"),
        ("a" * (MAX_PATTERN_CHARS + 1), "a pattern longer than 500 characters"),
        ("(?:abc){100}(?:cd){100}x", "more than 500 character positions"),
        ("((a{100}){100}){100}", "more than 500 character positions"),
        ("((){100}){100}", "more than 2000 nodes"),
    ],
)
def test_refuses_what_needs_backtracking_or_is_too_large(pattern: str, problem: str) -> None:
    with pytest.raises(PatternError) as refused:
        LinearRegex(pattern)
    assert problem in str(refused.value)
