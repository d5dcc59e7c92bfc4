"""The tiny expression language of scenario conditions and variable updates.

Integers, true/false, variable names, + and -, comparisons (== != < <= > >=), and/or/not and
parentheses. It is parsed into a small tree and evaluated by walking it: nothing is ever handed to
Python's eval, and nothing outside this grammar is accepted.
"""

import re
from dataclasses import dataclass

MAX_LENGTH = 200
TOKEN = re.compile(r"\s*(?:(\d+)|(true|false)\b|(and|or|not)\b|([a-z_][a-z0-9_]*)|(==|!=|<=|>=|<|>|\+|-|\(|\)))",
                   re.ASCII)
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


class ExpressionError(ValueError):
    pass


@dataclass(frozen=True)
class Expr:
    op: str  # num, bool, var, neg, not, and, or, +, -, ==, !=, <, <=, >, >=
    args: tuple

    def names(self) -> set[str]:
        if self.op == "var":
            return {self.args[0]}
        found = set()
        for arg in self.args:
            if isinstance(arg, Expr):
                found |= arg.names()
        return found


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters")
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read '{text[position:position + 10]}'")
        number, boolean, word, name, symbol = match.groups()
        if number is not None:
            if len(number) > 6:
                raise ExpressionError("numbers have at most 6 digits")
            tokens.append(("num", number))
        elif boolean is not None:
            tokens.append(("bool", boolean))
        elif word is not None:
            tokens.append((word, word))
        elif name is not None:
            tokens.append(("name", name))
        else:
            tokens.append((symbol, symbol))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.index = tokens, 0

    def peek(self):
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def take(self, kind=None):
        if self.index >= len(self.tokens):
            raise ExpressionError("the expression ends too early")
        token = self.tokens[self.index]
        if kind and token[0] != kind:
            raise ExpressionError(f"expected '{kind}' but found '{token[1]}'")
        self.index += 1
        return token

    def parse(self) -> Expr:
        expr = self.or_expr()
        if self.index != len(self.tokens):
            raise ExpressionError(f"unexpected '{self.tokens[self.index][1]}'")
        return expr

    def chain(self, operators: tuple[str, ...], operand):
        """Operands joined by any of the operators, grouped from the left."""
        left = operand()
        while self.peek() in operators:
            op = self.take()[0]
            left = Expr(op, (left, operand()))
        return left

    def or_expr(self):
        return self.chain(("or",), self.and_expr)

    def and_expr(self):
        return self.chain(("and",), self.not_expr)

    def prefixed(self, token: str, op: str, operand):
        """An operand after any number of a prefix operator (not not x, - - x)."""
        if self.peek() == token:
            self.take()
            return Expr(op, (self.prefixed(token, op, operand),))
        return operand()

    def not_expr(self):
        return self.prefixed("not", "not", self.comparison)

    def comparison(self):
        left = self.additive()
        if self.peek() in COMPARISONS:
            op = self.take()[0]
            left = Expr(op, (left, self.additive()))
            if self.peek() in COMPARISONS:
                raise ExpressionError("chain comparisons with 'and'")
        return left

    def additive(self):
        return self.chain(("+", "-"), self.unary)

    def unary(self):
        return self.prefixed("-", "neg", self.primary)

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            return Expr("num", (int(value),))
        if kind == "bool":
            return Expr("bool", (value == "true",))
        if kind == "name":
            return Expr("var", (value,))
        if kind == "(":
            inner = self.or_expr()
            self.take(")")
            return inner
        raise ExpressionError(f"unexpected '{value}'")


def parse(text) -> Expr:
    """Parse an expression; bare YAML values (true, 3) are accepted as their literal."""
    if isinstance(text, bool):
        return Expr("bool", (text,))
    if isinstance(text, int):
        return Expr("num", (text,))
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression is needed")
    return _Parser(_tokens(text)).parse()


def _variable(args, variables):
    if args[0] not in variables:
        raise ExpressionError(f"unknown variable {args[0]}")
    return variables[args[0]]


# The operators that look at their arguments' expressions ("and" and "or" evaluate their right side
# only when it decides the result) …
_OPERATORS = {
    "num": lambda args, _v: args[0],
    "bool": lambda args, _v: args[0],
    "var": _variable,
    "not": lambda args, v: not _bool(evaluate(args[0], v)),
    "and": lambda args, v: _bool(evaluate(args[0], v)) and _bool(evaluate(args[1], v)),
    "or": lambda args, v: _bool(evaluate(args[0], v)) or _bool(evaluate(args[1], v)),
    "neg": lambda args, v: -_int(evaluate(args[0], v)),
}
# … and those that take the values of both sides.
_BINARY = {
    "+": lambda left, right: _int(left) + _int(right),
    "-": lambda left, right: _int(left) - _int(right),
    "==": lambda left, right: left == right,
    "!=": lambda left, right: left != right,
    "<": lambda left, right: _int(left) < _int(right),
    "<=": lambda left, right: _int(left) <= _int(right),
    ">": lambda left, right: _int(left) > _int(right),
    ">=": lambda left, right: _int(left) >= _int(right),
}


def evaluate(expr: Expr, variables: dict) -> int | bool:
    if expr.op in _BINARY:
        return _BINARY[expr.op](evaluate(expr.args[0], variables), evaluate(expr.args[1], variables))
    return _OPERATORS[expr.op](expr.args, variables)


def _int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpressionError("arithmetic and ordering need numbers")
    return value


def _bool(value) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError("and/or/not need true or false")
    return value
