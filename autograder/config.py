"""``grading_config.yaml`` loaded into typed, validated objects.

Precedence is fixed: command line > environment (``AUTOGRADER_*``) > the file >
defaults here. A bad value is reported with the file and the key it came from.
Assignment folders are found next to the config file (``assignments/<name>/``).
"""

from __future__ import annotations

import functools
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from autograder import metrics
from autograder.exceptions import AssignmentError, ConfigError
from autograder.i18n import Language
from autograder.placeholders import DEFAULT_PHRASES, Placeholders
from autograder.sandbox_names import Requested
from autograder.stubs import asked

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_NAME = "grading_config.yaml"
DATA_NAME = "data"  # assignments/<name>/data/: files the notebook reads at ./data/...
ENV_PREFIX = "AUTOGRADER_"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
    """Resource limits for one submission's worker."""

    cell_timeout_s: float = Field(30.0, gt=0, description="wall time of one notebook cell (the ceiling)")
    call_timeout_s: float = Field(10.0, gt=0, description="wall time of one call from a check (the ceiling)")
    call_floor_s: float = Field(1.0, gt=0, description="shortest call limit: a call's limit is "
                                "max(this, reference_factor x the reference's time for the same call)")
    cell_floor_s: float = Field(1.0, gt=0, description="shortest cell limit: a cell's limit is "
                                "max(this, reference_factor x the master notebook's run time)")
    reference_factor: float = Field(50.0, ge=0, description="how many times the reference's own time "
                                    "a call or cell may take; 0 turns the adaptive limits off")
    run_timeout_s: float = Field(120.0, gt=0, description="wall time of all cells together")
    memory_mb: int = Field(1024, ge=64, description="address space a worker may add after imports")
    cpu_s: int = Field(300, ge=1, description="CPU seconds of one worker")
    processes: int = Field(32, ge=1, description="processes the jail's uid may run")
    file_size_mb: int = Field(16, ge=0, description="largest file a worker may write")
    open_files: int = Field(256, ge=16, description="open file descriptors of a worker")
    output_kb: int = Field(64, ge=1, description="printed output kept per cell")


class Tolerance(_Strict):
    rtol: float = Field(1e-6, ge=0)
    atol: float = Field(1e-9, ge=0)


class LatePenalty(_Strict):
    percent_per_day: float = Field(10.0, ge=0, le=100)
    max_percent: float = Field(100.0, ge=0, le=100)
    grace_minutes: float = Field(0.0, ge=0)


class Feedback(_Strict):
    show_hidden_details: bool = Field(
        True, description="show hidden checks' messages in student feedback (else only pass/fail)"
    )


class HiddenData(_Strict):
    """A question scored by a metric of the student's model on a hidden split
    (``autograder.checks.heldout``): full points at ``full`` or better, none at ``zero``
    or worse, linear between."""

    metric: str = Field("accuracy", description="a name of autograder.metrics.METRICS")
    full: float = Field(description="full points at this value or better")
    zero: float = Field(description="no points at this value or worse")
    model: str = Field("model", description="the name the notebook leaves its trained model in")

    @model_validator(mode="after")
    def _known_metric_and_order(self) -> HiddenData:
        try:
            registered = metrics.get(self.metric)
        except KeyError as error:
            raise ValueError(str(error.args[0])) from None
        if self.full == self.zero or (self.full > self.zero) != registered.higher_is_better:
            better = "above" if registered.higher_is_better else "below"
            raise ValueError(f"`full` must be {better} `zero` for {self.metric} (got full={self.full}, "
                             f"zero={self.zero})")
        return self

    @property
    def bands(self) -> metrics.Bands:
        return metrics.Bands(self.full, self.zero)


class Leaderboard(_Strict):
    """Opt-in: the class ranked by a hidden-data question's metric in grades.csv and the summary."""

    question: str = Field(description="a question listed under hidden_data")
    names: bool = Field(False, description="show students' names (else pseudonyms)")


class ServerLimits(_Strict):
    submissions_per_hour: int = Field(10, ge=0, description="submissions one student may make of one "
                                      "assignment in an hour (0: no limit); more are answered 429")


class ServerConfig(_Strict):
    """The course server (``autograder serve``, CONTRACT §4)."""

    limits: ServerLimits = ServerLimits()
    max_upload_mb: float = Field(5.0, gt=0, description="largest notebook accepted (larger: 413)")
    workers: int = Field(0, ge=0, description="grading worker processes; 0 means one per core")
    warm: list[str] = Field(default_factory=list, description="assignments whose jails the workers start "
                            "before the first submission (worker i warms the (i mod n)-th); others warm on first use")


class AssignmentConfig(_Strict):
    title: str = ""
    questions: dict[str, float]
    manual: dict[str, float] = Field(
        default_factory=dict, description="questions graded by hand (name: points), out of the automatic "
                                          "total until scored with `grade --manual SCORES.csv`")
    due: datetime | None = None
    late_penalty: LatePenalty = LatePenalty()
    limits: dict[str, Any] = Field(default_factory=dict)
    tolerance: dict[str, float] = Field(default_factory=dict)
    preload: list[str] | None = Field(
        None, description="modules the jail imports once for every worker "
                          "[default: what the master notebook imports]")
    hidden_data: dict[str, HiddenData] = Field(
        default_factory=dict, description="questions scored by a model's metric on a hidden split")
    leaderboard: Leaderboard | None = None

    @model_validator(mode="after")
    def _hidden_questions_exist(self) -> AssignmentConfig:
        for name in self.hidden_data:
            if name not in self.questions:
                raise ValueError(f"hidden_data names {name!r}, which is not one of the questions")
        if self.leaderboard is not None and self.leaderboard.question not in self.hidden_data:
            raise ValueError(f"leaderboard.question {self.leaderboard.question!r} is not listed under hidden_data")
        return self

    optional: list[str] = Field(
        default_factory=list,
        description="questions students may leave out (the notebook says so): graded and listed "
                    "in feedback as optional, worth 0 points, not required by `verify`")

    @field_validator("questions")
    @classmethod
    def _positive_points(cls, value: dict[str, float]) -> dict[str, float]:
        if not value:
            raise ValueError("an assignment needs at least one question")
        for name, points in value.items():
            if points < 0:
                raise ValueError(f"points of {name!r} must not be negative")
        return value

    @field_validator("manual")
    @classmethod
    def _manual_points(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        for name, points in value.items():
            if points < 0:
                raise ValueError(f"points of {name!r} must not be negative")
            if name in (info.data.get("questions") or {}):
                raise ValueError(f"{name!r} is both a question with checks and one graded by hand")
        return value

    @model_validator(mode="after")
    def _optional_questions(self) -> AssignmentConfig:
        for name in self.optional:
            if name not in self.questions:
                raise ValueError(f"optional: {name!r} is not one of the questions ({', '.join(self.questions)})")
            if self.questions[name] != 0:
                raise ValueError(f"optional: {name!r} is worth {self.questions[name]:g} points; an optional "
                                 f"question carries none (questions: {{{name}: 0}})")
        return self


class GradingConfig(_Strict):
    language: Language = "ru"
    sandbox: Requested = "auto"
    jobs: int = Field(0, ge=0, description="parallel submissions; 0 means one per core")
    limits: Limits = Limits()
    tolerance: Tolerance = Tolerance()
    feedback: Feedback = Feedback()
    server: ServerConfig = ServerConfig()
    placeholders: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PHRASES),
        description="the course's blanks: `<phrase>` in code and `# phrase` over an empty body "
                    "are graded as not done yet (case does not matter)")
    secret: str = Field(
        "", description="the course secret hidden inputs are drawn from (with each submission's "
                        "content); keep it out of what students see [env AUTOGRADER_SECRET]")
    assignments: dict[str, AssignmentConfig]


class Settings:
    """A loaded config plus where it came from, with per-assignment views."""

    def __init__(self, config: GradingConfig, path: Path) -> None:
        self.config = config
        self.path = path
        self.course_dir = path.parent
        self.assignments_dir = path.parent / "assignments"

    @property
    def language(self) -> Language:
        return self.config.language

    @functools.cached_property
    def placeholders(self) -> Placeholders:
        """The course's blanks, as submissions are read (``notebook.read_submission``)."""
        return Placeholders(self.config.placeholders)

    def blanks(self, assignment: str) -> Placeholders:
        """The course's blanks, and the empty bodies (``pass``, ``...``, a docstring) of
        what ``assignment`` asks students to write (``stubs.asked``)."""
        try:
            reference: str | None = (self.assignment_dir(assignment) / "reference.py").read_text(encoding="utf-8")
        except (AssignmentError, OSError, UnicodeDecodeError):  # the reference's own check says why
            reference = None
        return self.placeholders.asking(asked(self.assignment(assignment).questions, reference))

    def assignment(self, name: str) -> AssignmentConfig:
        try:
            return self.config.assignments[name]
        except KeyError:
            known = ", ".join(sorted(self.config.assignments))
            raise AssignmentError(f"unknown assignment {name!r} (known: {known})") from None

    def limits(self, name: str) -> Limits:
        merged = self.config.limits.model_dump() | self.assignment(name).limits
        return _validated(Limits, merged, self.path, f"assignments.{name}.limits")

    def tolerance(self, name: str) -> Tolerance:
        merged = self.config.tolerance.model_dump() | self.assignment(name).tolerance
        return _validated(Tolerance, merged, self.path, f"assignments.{name}.tolerance")

    def preload(self, name: str) -> list[str]:
        """Modules the jail imports before forking workers for this assignment."""
        explicit = self.assignment(name).preload
        if explicit is not None:
            return explicit
        from autograder.instructor import notebook_imports

        master = self.assignment_dir(name) / "source.ipynb"
        return notebook_imports(master) if master.is_file() else ["numpy"]

    def data_dir(self, name: str) -> Path | None:
        """The assignment's ``data/`` folder (the student's code reads it at ``./data``)."""
        folder = self.assignment_dir(name) / DATA_NAME
        return folder if folder.is_dir() else None

    def assignment_dir(self, name: str) -> Path:
        self.assignment(name)
        folder = self.assignments_dir / name
        if not folder.is_dir():
            raise AssignmentError(f"assignment folder {folder} does not exist")
        return folder


def _validated(model: type[_Strict], data: Any, path: Path, prefix: str = "") -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in (prefix, *first["loc"]) if part != "")
        raise ConfigError(str(path), key, first["msg"]) from None


def course_config(folder: Path, where: str = "--course") -> Path:
    """The ``grading_config.yaml`` of the course folder ``folder`` (CONTRACT §2).

    A path to the file itself is accepted too, so ``--course`` and ``--config`` never
    disagree about what a course is.
    """
    if folder.is_file():
        return folder
    if not folder.is_dir():
        raise ConfigError(str(folder), "", f"{where}: no such folder "
                          "(`autograder init DIR` creates a course)")
    config = folder / CONFIG_NAME
    if not config.is_file():
        raise ConfigError(str(folder), "", f"{where}: not a course folder, it has no {CONFIG_NAME} "
                          "(`autograder init DIR` creates a course)")
    return config


def find_config(explicit: Path | None = None, course: Path | None = None) -> Path:
    """The config to use, first found of: ``--config``, ``--course``, ``$AUTOGRADER_CONFIG``,
    ``$AUTOGRADER_COURSE``, the current folder when it holds a config, the bundled course."""
    if explicit is not None:
        return course_config(explicit, "--config") if explicit.is_dir() else explicit
    if course is not None:
        return course_config(course)
    if ENV_PREFIX + "CONFIG" in os.environ:
        return Path(os.environ[ENV_PREFIX + "CONFIG"])
    if os.environ.get(ENV_PREFIX + "COURSE"):
        return course_config(Path(os.environ[ENV_PREFIX + "COURSE"]), "$" + ENV_PREFIX + "COURSE")
    for candidate in (Path.cwd() / CONFIG_NAME, PROJECT_ROOT / CONFIG_NAME):
        if candidate.is_file():
            return candidate
    raise ConfigError(CONFIG_NAME, "", "no grading_config.yaml found (use --course DIR)")


def find_course_of(path: Path) -> Path | None:
    """The config of the course that ``path`` (an assignment, its checks, a file in
    it) belongs to: the nearest folder above with ``grading_config.yaml`` beside an
    ``assignments/`` folder. For instructor tooling run from inside a course (a master
    notebook's kernel, ``pytest assignments/x/checks``), never for the CLI's default."""
    for folder in (path.resolve(), *path.resolve().parents):
        if (folder / CONFIG_NAME).is_file() and (folder / "assignments").is_dir():
            return folder / CONFIG_NAME
    return None


def _environment_overrides() -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for key in ("language", "sandbox", "jobs", "secret"):
        value = os.environ.get(ENV_PREFIX + key.upper())
        if value:
            overrides[key] = value
    return overrides


# libyaml's safe loader where PyYAML was built with it: the same values, 20 ms less for
# every command (the pure-Python one reads the bundled config in about 25 ms)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_settings(path: Path | None = None, course: Path | None = None,
                  **cli_overrides: Any) -> Settings:
    """Read and validate the config (``path``, else ``course``'s, else as
    :func:`find_config` finds it); ``cli_overrides`` with value None are ignored."""
    config_path = find_config(path, course)
    try:
        raw = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise ConfigError(str(config_path), "", "file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(str(config_path), "", f"cannot be read: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(str(config_path), "", "must be a mapping of keys to values")
    raw.update(_environment_overrides())
    raw.update({k: v for k, v in cli_overrides.items() if v is not None})
    return Settings(_validated(GradingConfig, raw, config_path), config_path)
