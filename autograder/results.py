"""Typed result records and their JSON: the contract other tools read.

``SubmissionResult.to_json()`` produces exactly the keys of CONTRACT.md section 3,
plus a few extra keys the contract allows (``status``, ``sandbox``, ``language``,
``sha256``, ``late``, ``version``). ``from_json`` reads it back, so reports can be
produced from result files alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from autograder import pretty_json
from autograder.atomic import write_atomic
from autograder.sandbox_names import Backend

RESULT_VERSION = 1

Visibility = Literal["hidden", "public", "manual"]  # a hidden check, the public examples, the instructor's score
Status = Literal["graded", "error"]
SandboxKind = Backend  # what isolated the student's code


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    score: float
    max_score: float
    visibility: Visibility = "hidden"
    message: str = ""
    metric: dict[str, Any] | None = None  # {"name", "value"}: a model's metric on hidden data
    check_bug: bool = False  # the check broke, not the answer: "internal error" to the student

    @property
    def graded_by_hand(self) -> bool:
        """The instructor's score of a manual question: what it says (the score, the
        comment) is their word, shown as it is; missing points are no error to fix."""
        return self.visibility == "manual"

    def to_json(self) -> dict[str, Any]:
        data = {
            "name": self.name,
            "passed": self.passed,
            # 12 digits, not 6: a question's score is the sum of its checks' as read back
            # (three checks of 1/3 each must give 1.0, not 0.999999)
            "score": round(self.score, 12),
            "max_score": round(self.max_score, 12),
            "visibility": self.visibility,
            "message": self.message,
        }
        if self.metric is not None:  # an extra key (CONTRACT §3 allows them), only when measured
            data["metric"] = {"name": str(self.metric["name"]), "value": float(self.metric["value"])}
        if self.check_bug:  # an extra key too: kept in the file, so a resumed batch still counts it
            data["check_bug"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        return cls(
            name=str(data["name"]),
            passed=bool(data["passed"]),
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            visibility=data.get("visibility", "hidden"),
            message=str(data.get("message", "")),
            metric=dict(data["metric"]) if isinstance(data.get("metric"), dict) else None,
            check_bug=data.get("check_bug") is True,
        )


@dataclass(frozen=True)
class QuestionResult:
    name: str
    checks: tuple[CheckResult, ...]
    max_score: float
    cause: str = ""  # why the question's function could not be called, said once (or "")
    optional: bool = False  # the assignment lets students leave it out (0 points)

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def passed(self) -> bool:
        """Every check passed, and there was at least one; a question that scored none
        of its points is never passed."""
        return bool(self.checks) and all(c.passed for c in self.checks) and \
            (self.score > 0 or self.max_score == 0)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "checks": [c.to_json() for c in self.checks],
        }
        if self.cause:
            data["cause"] = self.cause
        if self.optional:
            data["optional"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuestionResult:
        return cls(
            name=str(data["name"]),
            checks=tuple(CheckResult.from_json(c) for c in data.get("checks", [])),
            max_score=float(data["max_score"]),
            cause=str(data.get("cause", "")),
            optional=data.get("optional") is True,
        )


@dataclass(frozen=True)
class LateInfo:
    """How late a submission was and what it cost."""

    submitted_at: str
    days_late: float
    penalty_percent: float

    def to_json(self) -> dict[str, Any]:
        return {
            "submitted_at": self.submitted_at,
            "days_late": self.days_late,
            "penalty_percent": self.penalty_percent,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LateInfo:
        return cls(
            submitted_at=str(data["submitted_at"]),
            days_late=float(data["days_late"]),
            penalty_percent=float(data["penalty_percent"]),
        )


@dataclass(frozen=True)
class SubmissionResult:
    assignment: str
    submission: str
    questions: tuple[QuestionResult, ...]
    errors: tuple[str, ...] = ()
    duration_s: float = 0.0
    status: Status = "graded"
    sandbox: SandboxKind = "bwrap"
    language: str = "ru"
    sha256: str = ""
    late: LateInfo | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def raw_score(self) -> float:
        return round(sum(q.score for q in self.questions), 6)

    @property
    def hit_check_bug(self) -> bool:
        """Some check of the assignment broke on this submission (a bug of the checks, not
        the student's): its score stands, but the batch that graded it is not fine."""
        return any(c.check_bug for q in self.questions for c in q.checks)

    def awaits_hand_score(self, question: QuestionResult) -> bool:
        """``question`` is graded by hand and the instructor has not scored it yet: no score
        to show, not a 0. The ``manual`` summary (extra key) says so by its ``"score": null``,
        also for a question worth 0 points, whose check alone cannot tell "not scored" from
        "scored 0"; a result written before the summary existed is judged by its question
        (:func:`unscored_by_hand`)."""
        manual = self.extra.get("manual")
        entry = manual.get(question.name) if isinstance(manual, dict) else None
        if isinstance(entry, dict) and "score" in entry:
            return entry["score"] is None and any(c.graded_by_hand for c in question.checks)
        return unscored_by_hand(question)

    @property
    def score(self) -> float:
        """The score after any late penalty."""
        if self.late is None:
            return self.raw_score
        return round(self.raw_score * (1 - self.late.penalty_percent / 100), 6)

    @property
    def max_score(self) -> float:
        return round(sum(q.max_score for q in self.questions), 6)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "assignment": self.assignment,
            "submission": self.submission,
            "score": self.score,
            "max_score": self.max_score,
            "questions": [q.to_json() for q in self.questions],
            "errors": list(self.errors),
            "duration_s": round(self.duration_s, 3),
            "status": self.status,
            "sandbox": self.sandbox,
            "language": self.language,
            "sha256": self.sha256,
            "version": RESULT_VERSION,
        }
        if self.late is not None:
            data["raw_score"] = self.raw_score
            data["late"] = self.late.to_json()
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubmissionResult:
        known = {
            "assignment", "submission", "score", "max_score", "questions", "errors",
            "duration_s", "status", "sandbox", "language", "sha256", "version",
            "raw_score", "late",
        }
        late = data.get("late")
        return cls(
            assignment=str(data["assignment"]),
            submission=str(data["submission"]),
            questions=tuple(QuestionResult.from_json(q) for q in data.get("questions", [])),
            errors=tuple(str(e) for e in data.get("errors", [])),
            duration_s=float(data.get("duration_s", 0.0)),
            status=data.get("status", "graded"),
            sandbox=data.get("sandbox", "bwrap"),
            language=str(data.get("language", "ru")),
            sha256=str(data.get("sha256", "")),
            late=LateInfo.from_json(late) if late else None,
            extra={k: v for k, v in data.items() if k not in known},
        )

    def dumps(self) -> str:
        return pretty_json.dumps(self.to_json())  # json.dumps(..., ensure_ascii=False, indent=2)


def unscored_by_hand(question: QuestionResult) -> bool:
    """A question graded by hand that the instructor has not scored yet (its one check,
    the instructor's score, is worth nothing until then): no score to show, not a 0."""
    return bool(question.checks) and all(c.graded_by_hand and c.max_score == 0 for c in question.checks)


def save_result(result: SubmissionResult, out_dir: Path) -> Path:
    path = out_dir / f"{result.submission}.json"
    write_atomic(path, result.dumps() + "\n")
    return path


def load_result(path: Path) -> SubmissionResult:
    return SubmissionResult.from_json(json.loads(path.read_text(encoding="utf-8")))
