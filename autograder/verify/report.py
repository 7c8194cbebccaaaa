"""What ``verify`` found, per question: the verdict, its text and its JSON.

A mutant is *caught* when its question scores less than full marks (a change outside
every question's function is caught when any question does); it *survives* when the
question still gets full marks, which is what a student who made that mistake would
get. Survivors fail ``verify`` unless reviewed as equivalent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from autograder.results import SubmissionResult
from autograder.verify.mutate import Mutant

Status = Literal["caught", "survived", "equivalent"]
CheckKey = tuple[str, str]  # (question, check name)


def question_of(scope: str, questions: Iterable[str]) -> str | None:
    """The question a change in ``scope`` belongs to: ``Perceptron.fit`` is its own
    question, ``XorNet.forward`` belongs to ``XorNet``; None outside every question."""
    matches = [q for q in questions if scope == q or scope.startswith(q + ".")]
    return max(matches, key=len) if matches else None


def failed_checks(result: SubmissionResult) -> list[CheckKey]:
    return [(q.name, c.name) for q in result.questions for c in q.checks if not c.passed]


def lost_points(result: SubmissionResult, question: str | None) -> bool:
    if question is None:
        return result.score < result.max_score - 1e-9
    return any(q.score < q.max_score - 1e-9 for q in result.questions if q.name == question)


@dataclass(frozen=True)
class MutantOutcome:
    mutant: Mutant
    question: str | None
    status: Status
    caught_by: tuple[CheckKey, ...]     # the checks that failed on it: its question's (EarlyStop), a survivor's all
    reason: str = ""                    # of an equivalent mutant, from the file
    marked_but_caught: bool = False     # listed as equivalent, yet a check catches it

    def to_json(self) -> dict[str, Any]:
        return {"id": self.mutant.id, "question": self.question, "operator": self.mutant.operator,
                "status": self.status, "change": self.mutant.change, "diff": self.mutant.diff,
                "caught_by": [list(key) for key in self.caught_by], "reason": self.reason,
                "marked_but_caught": self.marked_but_caught}


@dataclass(frozen=True)
class Problem:
    """Something about the solution or the stub that makes the assignment wrong."""

    question: str
    message: str


@dataclass
class VerifyReport:
    assignment: str
    questions: list[str]
    solution_problems: list[Problem] = field(default_factory=list)
    stub_problems: list[Problem] = field(default_factory=list)
    stub_notes: list[Problem] = field(default_factory=list)
    examples: dict[str, int] = field(default_factory=dict)   # question -> public examples
    mutants: list[MutantOutcome] = field(default_factory=list)
    checks: dict[CheckKey, list[str]] = field(default_factory=dict)  # check -> mutant ids it caught
    catalogue: dict[CheckKey, list[str]] = field(default_factory=dict)  # idle check -> entries it fails on
    catalogue_size: int = 0
    stale_equivalents: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    jobs: int = 1
    equivalents_file: str = ""

    # ---- verdict -----------------------------------------------------------------------

    @property
    def survivors(self) -> list[MutantOutcome]:
        return [m for m in self.mutants if m.status == "survived"]

    @property
    def idle_checks(self) -> list[CheckKey]:
        """Checks that no mutant and no catalogue entry makes fail: they prove nothing yet."""
        return [key for key, caught in self.checks.items() if not caught and not self.catalogue.get(key)]

    @property
    def ok(self) -> bool:
        return not self.solution_problems and not self.stub_problems and not self.survivors

    def score(self, question: str | None = None) -> tuple[int, int]:
        """(caught, non-equivalent mutants), of one question or of all."""
        chosen = [m for m in self.mutants if question is None or m.question == question]
        counted = [m for m in chosen if m.status != "equivalent"]
        return sum(m.status == "caught" for m in counted), len(counted)

    # ---- text ----------------------------------------------------------------------------

    def render(self, verbose: bool = False) -> str:
        lines = [self._headline(), *self._basics(), ""]
        for question in [*self.questions, None]:
            lines += self._question(question, verbose)
        lines += self._footer()
        return "\n".join(lines).rstrip() + "\n"

    def _headline(self) -> str:
        caught, total = self.score()
        counted = f"{caught}/{total} caught, " if total else ""
        return (f"verify {self.assignment}: {len(self.mutants)} mutants, {counted}"
                f"{sum(m.status == 'equivalent' for m in self.mutants)} marked equivalent "
                f"({self.duration_s:.1f} s, {self.jobs} at a time)")

    def _basics(self) -> list[str]:
        lines = []
        if self.solution_problems:
            lines.append("  solution: NOT full marks")
            lines += [f"    {p.question}: {_indent(p.message, 6)}" for p in self.solution_problems]
        else:
            lines.append("  solution: full marks on every question")
        if self.stub_problems:
            lines.append("  student notebook (unchanged): NOT zero")
            lines += [f"    {p.question}: {_indent(p.message, 6)}" for p in self.stub_problems]
        else:
            lines.append("  student notebook (unchanged): 0 on every question, \"not implemented yet\"")
        lines += [f"    note, {p.question}: {_indent(p.message, 6)}" for p in self.stub_notes]
        total = sum(self.examples.values())
        missing = [q for q in self.questions if not self.examples.get(q)]
        lines.append(f"  public examples: {total}, confirmed against the reference"
                     + (" and passed by the solution" if not self.solution_problems else "")
                     + (f"; none for {', '.join(missing)}" if missing else ""))
        return lines

    def _question(self, question: str | None, verbose: bool) -> list[str]:
        outcomes = [m for m in self.mutants if m.question == question]
        checks = [key for key in self.checks if key[0] == question]
        if question is None and not outcomes:
            return []
        caught, total = self.score(question)
        title = question if question is not None else "(code outside the questions' functions)"
        equivalent = sum(m.status == "equivalent" for m in outcomes)
        counted = f"{caught}/{total} mutants caught" if total else "no mutant counted"
        lines = [f"{title}: {counted}" + (f", {equivalent} equivalent" if equivalent else "")]
        for outcome in outcomes:
            if outcome.status == "survived":
                lines.append(f"  SURVIVED {outcome.mutant.id}: {outcome.mutant.description}")
                lines.append(_indent(outcome.mutant.diff, 4, first=True))
                elsewhere = sorted({q for q, _ in outcome.caught_by if q != question})
                if elsewhere:
                    lines.append(f"    (points lost only in {', '.join(elsewhere)})")
            elif outcome.marked_but_caught:
                lines.append(f"  marked equivalent but caught: {outcome.mutant.id} "
                             f"(by {_checks(outcome.caught_by)}): remove it from {self.equivalents_file}")
            elif verbose and outcome.status == "caught":
                lines.append(f"  caught {outcome.mutant.id} by {_checks(outcome.caught_by, question)}")
                lines.append(_indent(outcome.mutant.diff, 4, first=True))
            elif verbose:
                lines.append(f"  equivalent {outcome.mutant.id}: {outcome.reason}")
        for key in checks:
            caught_ids = self.checks[key]
            note = ""
            if not caught_ids:
                entries = self.catalogue.get(key, [])
                note = (f"   <- catches no mutant; catalogue: {', '.join(entries[:3])}"
                        f"{' ...' if len(entries) > 3 else ''}" if entries else
                        "   <- catches no mutant" + (" and no catalogue entry" if self.catalogue_size else ""))
            lines.append(f"  {len(caught_ids):4d}  {key[1]}{note}")
        return lines + [""]

    def _footer(self) -> list[str]:
        lines = []
        idle = self.idle_checks
        if idle:
            lines.append("checks that fail on nothing: " + "; ".join(f"{q}: {name}" for q, name in idle))
        if self.stale_equivalents:
            lines.append(f"{self.equivalents_file} lists mutants that are no longer made: "
                         + ", ".join(self.stale_equivalents))
        lines.append(self._score_line())
        if self.ok:
            lines.append("verified: the solution scores full marks, the student notebook 0, "
                         "every non-equivalent mutant is caught")
        else:
            reasons = []
            if self.solution_problems:
                reasons.append("the solution does not score full marks")
            if self.stub_problems:
                reasons.append("the unchanged student notebook scores points")
            if self.survivors:
                reasons.append(f"{len(self.survivors)} mutant(s) survived: catch them with a check, "
                               f"or list them with a reason in {self.equivalents_file}")
            lines.append("NOT verified: " + "; ".join(reasons))
        return lines

    def _score_line(self) -> str:
        """``mutation score: 9/10 (90%): f 4/4, g 5/6``; when nothing is counted, why."""
        caught, total = self.score()
        if total:
            scores = [f"{q} {c}/{t}" for q in self.questions for c, t in [self.score(q)]]
            return f"mutation score: {caught}/{total} ({100 * caught / total:.0f}%): " + ", ".join(scores)
        if not self.questions:
            why = "no question is graded by checks (graded by hand or optional): nothing to mutate"
        elif self.mutants:
            why = "every mutant is marked equivalent"
        else:
            why = "no mutant made (no solution code inside the questions' functions)"
        return f"mutation score: none counted, {why}"

    # ---- JSON ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        caught, total = self.score()
        return {
            "assignment": self.assignment,
            "ok": self.ok,
            "mutation_score": {"caught": caught, "counted": total,
                               "per_question": {q: dict(zip(("caught", "counted"), self.score(q)))
                                                for q in self.questions}},
            "solution_problems": [vars(p) for p in self.solution_problems],
            "stub_problems": [vars(p) for p in self.stub_problems],
            "public_examples": self.examples,
            "mutants": [m.to_json() for m in self.mutants],
            "checks": [{"question": q, "check": name, "caught": ids, "catalogue": self.catalogue.get((q, name), [])}
                       for (q, name), ids in self.checks.items()],
            "idle_checks": [list(key) for key in self.idle_checks],
            "stale_equivalents": self.stale_equivalents,
            "duration_s": round(self.duration_s, 3),
        }


def _checks(keys: Iterable[CheckKey], question: str | None = None) -> str:
    shown = [name if q == question else f"{q}: {name}" for q, name in keys]
    return "; ".join(shown[:4]) + (" ..." if len(shown) > 4 else "")


def _indent(text: str, spaces: int, first: bool = False) -> str:
    pad = " " * spaces
    lines = text.splitlines() or [""]
    head = pad + lines[0] if first else lines[0]
    return "\n".join([head, *(pad + line for line in lines[1:])])
