"""Code as tokens, across languages: enough to compare shapes, not to parse."""

import re

IDENT = re.compile(r"[A-Za-z_]\w*")
TOKEN = re.compile(r"[A-Za-z_]\w*|\d+|\S")
_KEYWORD_TEXT = """
and as assert async await break case catch class const continue def default defer del do elif
else enum except export extends false False final finally fn for from func go if impl import in
interface is let loop match mod module new nil None not null or pass pub raise rescue return
self Self static struct super switch this throw throws true True try type typeof undefined
unless until use var void while with yield
"""
KEYWORDS = frozenset(_KEYWORD_TEXT.split())
# Structure, not words: what a count of the words a change removed or added leaves out.
PUNCTUATION = frozenset("{}()[];,.:")


def normalized(text: str) -> str:
    """The code with white space between tokens ignored: `f( x )` is `f(x)`."""
    return " ".join(TOKEN.findall(text))


def enclosing_call(
    tokens: list[str], index: int, stops: frozenset[str] = frozenset()
) -> str | None:
    """The token before the unclosed `(` left of `tokens[index]`: the callee whose argument
    that token is. None when no parenthesis is open, or when a stop token (`;`, `{`) comes
    first outside parentheses: the argument of a call in an earlier statement is no argument."""
    depth = 0
    for position in range(index - 1, -1, -1):
        token = tokens[position]
        if token == ")":
            depth += 1
        elif token == "(":
            if depth == 0:
                return tokens[position - 1] if position else None
            depth -= 1
        elif depth == 0 and token in stops:
            return None
    return None


def closing_bracket(tokens: list[str], opening: int) -> int:
    """The index of the bracket that closes the one at `opening` (the last token if none)."""
    depth = 0
    for index in range(opening, len(tokens)):
        if tokens[index] in ("(", "[", "{"):
            depth += 1
        elif tokens[index] in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1
