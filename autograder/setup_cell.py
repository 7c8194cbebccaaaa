"""The generated setup cell of a student notebook, as text.

``check``/``check_all`` with the public examples embedded as data, the ``student``
package's modules as source text (``embedded``), built by a small loader that first asks
the grading jail for the copy it built once (``sandbox/inside/prebuilt.py``), and
``submit(token)`` when the notebook can send itself to the course server. ``assign``
writes it into every student notebook; the grader sends the same text to the jail, which
compiles it once for all the workers (``Jail.teach``, ``sandbox/inside/known.py``). A
module of its own, light to import: the grader needs it and not the rest of ``assign``.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from autograder import embedded
from student.messages import text


def _literal(value: str) -> str:
    """``value`` as a readable Python string literal (raw triple quotes when exact)."""
    for candidate in (f"r'''{value}'''", f'r"""{value}"""'):
        try:
            if ast.literal_eval(candidate) == value:
                return candidate
        except (SyntaxError, ValueError):
            continue
    return repr(value)


_LOADER = '''
def _load_checker(sources):
    """Builds the `student` package from the sources above, without files or installs
    (the grading jail lends a copy it built once, when the sources are exactly its own)."""
    import sys, types
    prebuilt = sys.modules.get("_autograder_prebuilt")
    package = prebuilt.lend("student", sources) if prebuilt is not None else None
    if package is None:
        package = types.ModuleType("student")
        package.__path__ = []
        sys.modules["student"] = package
        for name, source in sources.items():
            module = types.ModuleType("student." + name)
            module.__package__ = "student"
            sys.modules[module.__name__] = module
            setattr(package, name, module)
            exec(compile(source, "<student/" + name + ".py>", "exec"), module.__dict__)
    return package.checker
'''


def setup_source(examples: list[dict[str, Any]], language: str, server: str | None = None,
                 assignment: str = "") -> str:
    """The generated setup cell: ``check``/``check_all`` with the examples embedded, and
    ``submit(token)`` to the course server at ``server`` when one is given."""
    title = text("setup_title", language)
    sources = embedded.sources(submit=bool(server))
    modules = "\n".join(f"    {name!r}: {_literal(source)}," for name, source in sources.items())
    submit = (f"submit = __import__('sys').modules['student.submit'].make_submit({server!r}, {assignment!r}, "
              f"{language!r})\n") if server else ""
    data = "[\n" + ",\n".join(json.dumps(e, separators=(",", ":")) for e in examples) + "\n]"
    return (
        f"#@title {title}\n"
        "import json as _json\n\n"
        f"_CHECKER_SOURCES = {{\n{modules}\n}}\n"
        f"{_LOADER}\n"
        f"EXAMPLES = _json.loads({_literal(data)})\n"
        f"check, check_all = _load_checker(_CHECKER_SOURCES).make_checker(EXAMPLES, globals(), {language!r})\n"
        f"{submit}"
        "del _json, _CHECKER_SOURCES, _load_checker\n"
    )
