"""Which regular expressions can backtrack for ages: a schema's pattern runs on every cell, in
Python's re (as frictionless runs it), so one that can take exponential or square time on some
text would let a pull request hang validation. Conservative: a refused pattern may be harmless,
an accepted one is not slow."""

from __future__ import annotations

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse


def parse(pattern: str) -> list:
    """The pattern as re parses it (re.error if it does not compile)."""
    return list(sre_parse.parse(pattern))


def slow(parsed: list) -> bool:
    """A repeat inside a repeat that can match the same text two ways, or two wildcards."""
    return ambiguous(parsed) or wide(parsed) > 1


def wide(items: list) -> int:
    """How many unbounded repeats of an item that takes almost any character the pattern has:
    two side by side (.*.*) already cost time by the square of the text's length."""
    count = 0
    for op, av in items:
        unbounded = op in REPEATS and av[1] == sre_constants.MAXREPEAT
        count += unbounded and almost_anything(list(av[2]))
        count += sum(wide(part) for part in parts(op, av))
    return count


def almost_anything(body: list) -> bool:
    """One item such as ., [^;], \\S or [\\s\\S]."""
    if len(body) != 1:
        return False
    op, av = body[0]
    if op in (sre_constants.ANY, sre_constants.NOT_LITERAL):
        return True
    return op is sre_constants.IN and any(
        o is sre_constants.NEGATE or str(a).startswith("CATEGORY_NOT") for o, a in av
    )


REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
REPEATS |= {getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


def ambiguous(items: list) -> bool:
    """A repeat around another repeat or an alternation, unless each round of the outer repeat
    starts with a literal character that nothing inside it can match (`(-[a-z]+)*` is fine)."""
    for op, av in items:
        if op in REPEATS:
            _, high, body = av
            body = list(body)
            if high > 1 and risky(body) and not guarded(body):
                return True
        if any(ambiguous(part) for part in parts(op, av)):
            return True
    return False


def parts(op, av) -> list[list]:
    """The sub-patterns of one parsed item."""
    if op in REPEATS:
        return [list(av[2])]
    if op is sre_constants.SUBPATTERN:
        return [list(av[-1])]
    if op is sre_constants.BRANCH:
        return [list(b) for b in av[1]]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [list(av[1])]
    return []


def risky(items: list) -> bool:
    return any(
        (op in REPEATS and av[1] > 1) or op is sre_constants.BRANCH or risky_part(op, av)
        for op, av in items
    )


def risky_part(op, av) -> bool:
    return any(risky(part) for part in parts(op, av))


def guarded(body: list) -> bool:
    while len(body) == 1 and body[0][0] is sre_constants.SUBPATTERN:
        body = list(body[0][1][-1])  # (a group) around the whole body
    if not body or body[0][0] is not sre_constants.LITERAL:
        return False
    first = chr(body[0][1])
    return not any(may_match(op, av, first) for op, av in loose(body[1:]))


def loose(items: list, inside: bool = False) -> list:
    """The single-character items that sit in a repeat or an alternation (where the text they
    take is open to choice); those in fixed places cannot make a round ambiguous."""
    out = []
    for op, av in items:
        found = parts(op, av)
        if not found:
            out += [(op, av)] if inside else []
            continue
        opens = op is sre_constants.BRANCH or (op in REPEATS and av[1] > 1)
        out += [i for part in found for i in loose(part, inside or opens)]
    return out


def may_match(op, av, char: str) -> bool:
    """Whether one single-character item could match `char` (True when unsure)."""
    if op is sre_constants.LITERAL:
        return chr(av) == char
    if op is sre_constants.NOT_LITERAL:
        return chr(av) != char
    if op is sre_constants.IN:
        return any(in_set(o, a, char) for o, a in av)
    return op not in (sre_constants.AT,)


def in_set(op, av, char: str) -> bool:
    if op is sre_constants.LITERAL:
        return chr(av) == char
    if op is sre_constants.RANGE:
        return av[0] <= ord(char) <= av[1]
    return True  # a class such as \w, or a negated set: assume it may
