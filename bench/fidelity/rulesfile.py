"""bench/fidelity's ruleset files: one rule a line inside `Rules = [ ... ]`, as rules.dqdl keeps them."""


def read_rules(path: str) -> list[str]:
    """The rules' text, in order (a trailing comma dropped; blank and `#` lines skipped)."""
    rules, inside = [], False
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for line in lines:
        s = line.strip()
        if s.startswith("Rules") and s.endswith("["):
            inside = True
        elif s == "]":
            inside = False
        elif inside and s and not s.startswith("#"):
            rules.append(s.removesuffix(","))
    return rules


def write_rules(path: str, rules: list[str]) -> None:
    """A ruleset with rule i on line i + 2."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("Rules = [\n    " + ",\n    ".join(rules) + "\n]\n")
