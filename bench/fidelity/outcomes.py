"""deequ's rule status as Glue's outcome, shared by deequ_eval.py and compare.py.

deequ's DQDL evaluator answers Passed or Failed only. A Failed whose reason is an exception (Spark's
`[ERROR_CLASS] ...`, a Java `...Exception`), or a process() call that threw, is ERROR here: the rule
was not evaluated, which is what Glue's ERROR result means. A failed precondition (deequ's "Input data
does not include column x!", "Expected type of column x to be ...") stays FAIL: that is deequ's verdict.
"""

import re


def is_exception(reason: str | None) -> bool:
    return reason is not None and (
        re.match(r"\[[A-Z_.]+\]", reason) is not None or "Exception" in reason
    )


def to_outcome(status: str | None, reason: str | None) -> str | None:
    if status is None:
        return None
    if status == "exception" or is_exception(reason):
        return "ERROR"
    return "PASS" if status == "Passed" else "FAIL"
