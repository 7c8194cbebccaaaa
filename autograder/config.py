"""``grading_config.yaml`` loaded into typed, validated objects.

Precedence is fixed: command line > environment (``AUTOGRADER_*``) > the file >
defaults here. A bad value is reported with the file and the key it came from.
Assignment folders are found next to the config file (``assignments/<name>/``).
"""

from __future__ import annotations

import functools
import os
import re
import types
import typing
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
import msgspec
from msgspec import Meta, field

from autograder import metrics
from autograder.exceptions import AssignmentError, ConfigError
from autograder.i18n import Language
from autograder.moments import parse_timestamp
from autograder.placeholders import DEFAULT_PHRASES, Placeholders
from autograder.sandbox_names import Requested
from autograder.stubs import asked

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_NAME = "grading_config.yaml"
DATA_NAME = "data"  # assignments/<name>/data/: files the notebook reads at ./data/...
ENV_PREFIX = "AUTOGRADER_"


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A config section: unknown keys are errors (a typo must not pass as a default),
    and a loaded config never changes (:func:`replace` makes a changed copy). Each
    subclass says ``frozen=True`` again for mypy, which does not inherit it.

    Read with :func:`validated`, which checks types and bounds; a section constructed
    in code (tests, defaults) is checked only by its ``__post_init__`` rules."""


class Limits(_Strict, frozen=True, kw_only=True):
    """Resource limits for one submission's worker."""

    cell_timeout_s: Annotated[float, Meta(gt=0, description="wall time of one notebook cell (the ceiling)")] = 30.0
    call_timeout_s: Annotated[float, Meta(gt=0, description="wall time of one call from a check (the ceiling)")] = 10.0
    call_floor_s: Annotated[float, Meta(gt=0, description="shortest call limit: a call's limit is "
                                        "max(this, reference_factor x the reference's time for the same call)")] = 1.0
    cell_floor_s: Annotated[float, Meta(gt=0, description="shortest cell limit: a cell's limit is "
                                        "max(this, reference_factor x the master notebook's run time)")] = 1.0
    reference_factor: Annotated[float, Meta(ge=0, description="how many times the reference's own time "
                                            "a call or cell may take; 0 turns the adaptive limits off")] = 50.0
    run_timeout_s: Annotated[float, Meta(gt=0, description="wall time of all cells together")] = 120.0
    memory_mb: Annotated[int, Meta(ge=64, description="address space a worker may add after imports")] = 1024
    cpu_s: Annotated[int, Meta(ge=1, description="CPU seconds of one worker")] = 300
    processes: Annotated[int, Meta(ge=1, description="processes the jail's uid may run")] = 32
    file_size_mb: Annotated[int, Meta(ge=0, description="largest file a worker may write")] = 16
    open_files: Annotated[int, Meta(ge=16, description="open file descriptors of a worker")] = 256
    output_kb: Annotated[int, Meta(ge=1, description="printed output kept per cell")] = 64


class Tolerance(_Strict, frozen=True, kw_only=True):
    rtol: Annotated[float, Meta(ge=0)] = 1e-6
    atol: Annotated[float, Meta(ge=0)] = 1e-9


class LatePenalty(_Strict, frozen=True, kw_only=True):
    percent_per_day: Annotated[float, Meta(ge=0, le=100)] = 10.0
    max_percent: Annotated[float, Meta(ge=0, le=100)] = 100.0
    grace_minutes: Annotated[float, Meta(ge=0)] = 0.0


class Feedback(_Strict, frozen=True, kw_only=True):
    show_hidden_details: Annotated[bool, Meta(
        description="show hidden checks' messages in student feedback (else only pass/fail)")] = True


class HiddenData(_Strict, frozen=True, kw_only=True):
    """A question scored by a metric of the student's model on a hidden split
    (``autograder.checks.heldout``): full points at ``full`` or better, none at ``zero``
    or worse, linear between."""

    metric: Annotated[str, Meta(description="a name of autograder.metrics.METRICS")] = "accuracy"
    full: Annotated[float, Meta(description="full points at this value or better")]
    zero: Annotated[float, Meta(description="no points at this value or worse")]
    model: Annotated[str, Meta(description="the name the notebook leaves its trained model in")] = "model"

    def __post_init__(self) -> None:
        """A known metric, and ``full`` on its better side of ``zero``."""
        try:
            registered = metrics.get(self.metric)
        except KeyError as error:
            raise ValueError(str(error.args[0])) from None
        if self.full == self.zero or (self.full > self.zero) != registered.higher_is_better:
            better = "above" if registered.higher_is_better else "below"
            raise ValueError(f"`full` must be {better} `zero` for {self.metric} (got full={self.full}, "
                             f"zero={self.zero})")

    @property
    def bands(self) -> metrics.Bands:
        return metrics.Bands(self.full, self.zero)


class Leaderboard(_Strict, frozen=True, kw_only=True):
    """Opt-in: the class ranked by a hidden-data question's metric in grades.csv and the summary."""

    question: Annotated[str, Meta(description="a question listed under hidden_data")]
    names: Annotated[bool, Meta(description="show students' names (else pseudonyms)")] = False


class ServerLimits(_Strict, frozen=True, kw_only=True):
    submissions_per_hour: Annotated[int, Meta(ge=0, description="submissions one student may make of one "
                                              "assignment in an hour (0: no limit); more are answered 429")] = 10


class ServerConfig(_Strict, frozen=True, kw_only=True):
    """The course server (``autograder serve``, CONTRACT §4)."""

    limits: ServerLimits = field(default_factory=ServerLimits)
    max_upload_mb: Annotated[float, Meta(gt=0, description="largest notebook accepted (larger: 413)")] = 5.0
    workers: Annotated[int, Meta(ge=0, description="grading worker processes; 0 means one per core")] = 0
    warm: Annotated[list[str], Meta(
        description="assignments whose jails the workers start before the first submission "
                    "(worker i warms the (i mod n)-th); others warm on first use")] = field(default_factory=list)


class AssignmentConfig(_Strict, frozen=True, kw_only=True):
    title: str = ""
    questions: dict[str, float]
    manual: Annotated[dict[str, float], Meta(
        description="questions graded by hand (name: points), out of the automatic "
                    "total until scored with `grade --manual SCORES.csv`")] = field(default_factory=dict)
    due: datetime | None = None
    late_penalty: LatePenalty = field(default_factory=LatePenalty)
    limits: dict[str, Any] = field(default_factory=dict)
    tolerance: dict[str, float] = field(default_factory=dict)
    preload: Annotated[list[str] | None, Meta(
        description="modules the jail imports once for every worker "
                    "[default: what the master notebook imports]")] = None
    hidden_data: Annotated[dict[str, HiddenData], Meta(
        description="questions scored by a model's metric on a hidden split")] = field(default_factory=dict)
    leaderboard: Leaderboard | None = None
    optional: Annotated[list[str], Meta(
        description="questions students may leave out (the notebook says so): graded and listed "
                    "in feedback as optional, worth 0 points, not required by `verify`")] = field(default_factory=list)
    independent_checks: Annotated[bool, Meta(
        description="the checks do not depend on what other checks leave behind in the grader, as "
                    "pytest's tests: consecutive checks' first calls go to the jail in one frame "
                    "(autograder/gather.py); false: one check at a time")] = True

    def __post_init__(self) -> None:
        """The rules between keys, in the order a reader meets the keys."""
        self._check_points()
        self._check_hidden_questions()
        self._check_optional()

    def _check_points(self) -> None:
        if not self.questions and not self.manual:  # graded by hand only is an assignment too (imported ones)
            raise ValueError("questions: an assignment needs at least one question (with checks, or graded "
                             "by hand under manual:)")
        for name, points in self.questions.items():
            if points < 0:
                raise ValueError(f"questions: points of {name!r} must not be negative")
        for name, points in self.manual.items():
            if points < 0:
                raise ValueError(f"manual: points of {name!r} must not be negative")
            if name in self.questions:
                raise ValueError(f"manual: {name!r} is both a question with checks and one graded by hand")

    def _check_hidden_questions(self) -> None:
        for name in self.hidden_data:
            if name not in self.questions:
                raise ValueError(f"hidden_data names {name!r}, which is not one of the questions")
        if self.leaderboard is not None and self.leaderboard.question not in self.hidden_data:
            raise ValueError(f"leaderboard.question {self.leaderboard.question!r} is not listed under hidden_data")

    def _check_optional(self) -> None:
        for name in self.optional:
            if name not in self.questions:
                raise ValueError(f"optional: {name!r} is not one of the questions ({', '.join(self.questions)})")
            if self.questions[name] != 0:
                raise ValueError(f"optional: {name!r} is worth {self.questions[name]:g} points; an optional "
                                 f"question carries none (questions: {{{name}: 0}})")


def _default_placeholders() -> list[str]:
    return list(DEFAULT_PHRASES)


class GradingConfig(_Strict, frozen=True, kw_only=True):
    language: Language = "ru"
    sandbox: Requested = "auto"
    jobs: Annotated[int, Meta(ge=0, description="parallel submissions; 0 means one per core")] = 0
    limits: Limits = field(default_factory=Limits)
    tolerance: Tolerance = field(default_factory=Tolerance)
    feedback: Feedback = field(default_factory=Feedback)
    server: ServerConfig = field(default_factory=ServerConfig)
    placeholders: Annotated[list[str], Meta(
        description="the course's blanks: `<phrase>` in code and `# phrase` over an empty body "
                    "are graded as not done yet (case does not matter)")] = field(default_factory=_default_placeholders)
    secret: Annotated[str, Meta(
        description="the course secret hidden inputs are drawn from (with each submission's "
                    "content); keep it out of what students see [env AUTOGRADER_SECRET]")] = ""
    timezone: Annotated[str, Meta(
        description="the course's time zone (an IANA name such as Europe/Moscow): due dates and "
                    "submission times written without one are read in it; else in this machine's")] = ""
    assignments: dict[str, AssignmentConfig]

    def __post_init__(self) -> None:
        if self.timezone:
            zone_of(self.timezone)


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
        merged = msgspec.structs.asdict(self.config.limits) | self.assignment(name).limits
        return validated(Limits, merged, self.path, f"assignments.{name}.limits")

    def tolerance(self, name: str) -> Tolerance:
        merged = msgspec.structs.asdict(self.config.tolerance) | self.assignment(name).tolerance
        return validated(Tolerance, merged, self.path, f"assignments.{name}.tolerance")

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


_Section = TypeVar("_Section", bound=msgspec.Struct)


def validated(model: type[_Section], data: Any, path: Path | str, prefix: str = "") -> _Section:
    """``data`` (YAML's values) read as ``model``, or a :class:`ConfigError` naming the
    file ``path`` and the key (``prefix`` + the path inside ``data``, an assignment or a
    question by its name) with what was expected there.

    Not strict: ``"4"`` from ``$AUTOGRADER_JOBS`` is read as 4, as YAML would have."""
    data = _readable_moments(data, path) if model is GradingConfig else data
    try:
        return msgspec.convert(data, model, strict=False)
    except msgspec.ValidationError as error:
        key, reason = _located(str(error), data, model)
        raise ConfigError(str(path), ".".join(part for part in (prefix, key) if part), reason) from None


def to_data(section: msgspec.Struct) -> dict[str, Any]:
    """``section`` as plain JSON-able data, nested sections too (datetimes as ISO text):
    what a version hash, an archive's config or a message over a pipe holds."""
    data: dict[str, Any] = msgspec.to_builtins(section)
    return data


def replace(section: _Section, **changes: Any) -> _Section:
    """A copy of ``section`` with ``changes`` (not validated: the caller's own values)."""
    return msgspec.structs.replace(section, **changes)


def zone_of(name: str) -> ZoneInfo:
    """The time zone ``timezone:`` names; ValueError (said as the key's error) when none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone: unknown time zone {name!r} (an IANA name such as Europe/Moscow)") from None


def _readable_moments(data: Any, path: Path | str) -> Any:
    """``data`` with each assignment's ``due`` as a datetime where YAML left a date
    (``due: 2026-12-01``) or text (``due: 2026-12-01 23:59``, which YAML does not read as
    a time; ``2026-12-01 23:59 UTC``): msgspec takes neither for a datetime. Text is read
    as a manifest's times are (:mod:`autograder.moments`), and what cannot be read is a
    :class:`ConfigError` saying why (an ambiguous ``12/1/2026``), naming file and key."""
    assignments = data.get("assignments") if isinstance(data, dict) else None
    if not isinstance(assignments, dict):
        return data
    zone = _course_zone(data.get("timezone"))
    return {**data, "assignments": {name: _with_moment(entry, zone, path, name)
                                    for name, entry in assignments.items()}}


def _course_zone(name: Any) -> ZoneInfo | None:
    """The course's ``timezone:`` when it is one (a bad name is said by the model's check)."""
    try:
        return zone_of(name) if isinstance(name, str) and name else None
    except ValueError:
        return None


def _with_moment(entry: Any, zone: ZoneInfo | None, path: Path | str, assignment: Any) -> Any:
    """``entry`` with its ``due`` a datetime, in the course's zone when written without one."""
    due = entry.get("due") if isinstance(entry, dict) else None
    if isinstance(due, date) and not isinstance(due, datetime):
        due = datetime(due.year, due.month, due.day)
    elif isinstance(due, str):
        try:
            due = parse_timestamp(due)
        except ValueError as error:
            raise ConfigError(str(path), f"assignments.{assignment}.due", str(error)) from None
    if not isinstance(due, datetime):
        return entry
    if due.tzinfo is None and zone is not None:
        due = due.replace(tzinfo=zone)
    return {**entry, "due": due}


# msgspec's message ends in " - at `$.assignments[...].limits`" (or " - at `key` in `$...`"
# when a mapping's key is wrong); a dict's entry is `[...]`, a list's item `[3]`
_AT = re.compile(r" - at `(key` in `)?\$([^`]*)`$")
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_UNKNOWN = re.compile(r"^Object contains unknown field `(.+)`$")
_MISSING = re.compile(r"^Object missing required field `(.+)`$")
_ENUM = re.compile(r"^Invalid enum value (.+)$")


def _located(message: str, data: Any, model: type) -> tuple[str, str]:
    """The dotted key msgspec's ``message`` is about, with each ``[...]`` replaced by the
    name of the entry that fails (found by reading each entry again), and the reason in
    words a course's author knows (the key that is unknown or missing, the values allowed)."""
    found = _AT.search(message)
    reason = message[:found.start()] if found else message
    parts: list[str] = []
    value: Any = data
    kind: Any = model
    for name, item in _STEP.findall(found.group(2)) if found else []:
        kind = _bare(kind)
        if name:
            value = value.get(name) if isinstance(value, dict) else None
            kind = _field_type(kind, name)
            parts.append(name)
        elif item == "...":
            key, value, kind = _failing_entry(value, kind, key_only=False)
            parts.append(key)
        else:
            value = value[int(item)] if isinstance(value, list) and int(item) < len(value) else None
            kind = (typing.get_args(kind) or (Any,))[0]
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
    if found and found.group(1):  # the name of an entry is wrong, not its value
        key, _, _ = _failing_entry(value, _bare(kind), key_only=True)
        parts.append(key)
        return ".".join(parts), f"a name must be text (quote it: '{key}')"
    reason = _reworded(reason, parts, _bare(kind))
    return ".".join(parts), reason


# msgspec's names of what it expected, as a course's author would say them
_KINDS = {"float": "a number", "int": "a whole number", "str": "text", "bool": "true or false",
          "object": "a mapping (key: value)", "array": "a list", "null": "nothing", "date": "a date",
          "datetime": "a date and time"}


def _reworded(reason: str, parts: list[str], kind: Any) -> str:
    """msgspec's reason in a course author's words; an unknown or missing key is moved
    from the reason into the key path (``parts``)."""
    if unknown := _UNKNOWN.match(reason):
        parts.append(unknown.group(1))
        known = ", ".join(f.name for f in msgspec.structs.fields(kind)) if _is_section(kind) else ""
        return f"unknown key{f' (known: {known})' if known else ''}"
    if missing := _MISSING.match(reason):
        parts.append(missing.group(1))
        return "required, but missing"
    if (wrong := _ENUM.match(reason)) and typing.get_origin(kind) is Literal:
        allowed = ", ".join(repr(choice) for choice in typing.get_args(kind))
        return f"must be one of {allowed} (got {wrong.group(1)})"
    if reason.startswith("Invalid RFC3339"):
        return "expected a date and time such as 2026-12-01T23:59:00+03:00"
    if reason.startswith("Expected `"):
        return "expected " + re.sub(r"`([^`]+)`", _in_words, reason[len("Expected "):])
    return reason


def _in_words(kinds: re.Match[str]) -> str:
    """``array | null`` as "a list or nothing"."""
    return " or ".join(_KINDS.get(kind, kind) for kind in kinds.group(1).split(" | "))


def _failing_entry(value: Any, kind: Any, key_only: bool) -> tuple[str, Any, Any]:
    """``(name, value, type)`` of the first entry of the mapping ``value`` (typed
    ``kind``, a ``dict[K, V]`` or a section) that does not read as its type: msgspec stops
    at the first."""
    key_type, value_type = (str, Any) if _is_section(kind) else typing.get_args(kind) or (Any, Any)
    if isinstance(value, dict):
        for key, entry in value.items():
            if not _reads(key, key_type):
                return str(key), None, Any
            if not key_only and not _reads(entry, value_type):
                return str(key), entry, value_type
    return "[...]", None, Any


def _reads(value: Any, kind: Any) -> bool:
    try:
        msgspec.convert(value, kind, strict=False)
    except msgspec.ValidationError:
        return False
    return True


def _bare(kind: Any) -> Any:
    """``kind`` without ``Annotated`` and ``| None``: the type the value itself has."""
    while True:
        if typing.get_origin(kind) is Annotated:
            kind = typing.get_args(kind)[0]
            continue
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(options) == 1:
            kind = options[0]
            continue
        return kind


def _is_section(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, msgspec.Struct)


def _field_type(kind: Any, name: str) -> Any:
    if _is_section(kind):
        for info in msgspec.structs.fields(kind):
            if info.name == name:
                return info.type
    return Any


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


def unreadable(error: Exception) -> str:
    """Why a YAML file of the course cannot be read, in one line that says where:
    PyYAML's own text spans several lines and names the file "<unicode string>"."""
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return f"cannot be read: {error}"
    mark = error.problem_mark
    said = f"cannot be read: line {mark.line + 1}, column {mark.column + 1}: {error.problem or 'not YAML'}"
    if error.context and error.context_mark is not None:
        said += f" ({error.context} at line {error.context_mark.line + 1})"
    return said


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
        raise ConfigError(str(config_path), "", unreadable(error)) from None
    if not isinstance(raw, dict):
        raise ConfigError(str(config_path), "", "must be a mapping of keys to values")
    raw.update(_environment_overrides())
    raw.update({k: v for k, v in cli_overrides.items() if v is not None})
    return Settings(validated(GradingConfig, raw, config_path), config_path)
