"""What a node's own checks report to (lms.calls.definition.validate asks each node to check itself):
the criteria, variables, nodes and placeholders of the scenario, and the errors found so far."""

from flask_babel import gettext

from lms.calls.engine import PLACEHOLDER, Outcome, Scenario, ScenarioError
from lms.calls.expressions import Expr


class Checks:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.criteria = {c.id for c in scenario.rubric}
        self.variables = set(scenario.variables)
        self.placeholders = set().union(*(set(v) for v in scenario.variants)) | {"agent_id"}
        self.errors: list[ScenarioError] = []

    def error(self, message: str, where: str) -> None:
        self.errors.append(ScenarioError(message, where))

    def texts(self, texts: list[str], where: str) -> None:
        """Every {placeholder} in the texts is filled by every variant."""
        for text in texts:
            for name in PLACEHOLDER.findall(text):
                if name not in self.placeholders:
                    self.error(gettext("{%(name)s} is in no variant", name=name), where)

    def uses(self, expr: Expr | None, where: str) -> None:
        """The expression uses only declared variables."""
        for used in (expr.names() if expr else set()) - self.variables:
            self.error(gettext("uses undeclared variable %(name)s", name=used), where)

    def outcome(self, outcome: Outcome, where: str) -> None:
        """Its marks name criteria of the rubric, it sets declared variables, its branches lead to nodes."""
        for cid, _mark in outcome.marks:
            if cid not in self.criteria:
                self.error(gettext("marks unknown criterion %(criterion)s", criterion=cid), where)
        for name, expr in outcome.sets:
            if name not in self.variables:
                self.error(gettext("sets undeclared variable %(name)s", name=name), where)
            self.uses(expr, where)
        for condition, target in outcome.goto:
            if target not in self.scenario.nodes:
                self.error(gettext("goes to unknown node %(node)s", node=target), where)
            self.uses(condition, where)
