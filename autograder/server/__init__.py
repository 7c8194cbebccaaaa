"""The course server (CONTRACT §4): students submit notebooks and read their feedback in
seconds; instructors follow the class.

Modules, one concern each: ``store`` (SQLite in WAL mode: people, submissions, the
queue), ``tokens`` and ``roster`` (who may sign in), ``files`` (notebooks and results
on disk, by server-made ids), ``engine`` (the one place that calls the grading
library), ``worker`` and ``pool`` (grading processes with warm jails), ``service``
(the rules the API and the pages share), ``api``, ``pages`` and ``staff`` (HTTP),
``auth`` (tokens, cookies, CSRF), ``limits`` (request size), ``views`` and
``templates/`` (the pages), ``app`` (the ASGI application) and ``command`` (the CLI).
"""
