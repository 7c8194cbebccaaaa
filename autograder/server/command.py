"""``autograder tokens`` and ``autograder serve`` (CONTRACT §4): thin over the package."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.options import config_option, out_file

STATE_HELP = "the server's folder (database, notebooks, results) [default: <course>/server]"


def state_dir(course_dir: Path, state: Path | None) -> Path:
    return state if state is not None else course_dir / "server"


@click.command("tokens")
@click.option("--roster", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="CSV with id,name columns, or a Moodle or Canvas export of the class")
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE", required=True, callback=out_file,
              help="CSV to write: id,name,token, and link with --url (rerun with the same file to keep the tokens in it)")
@click.option("--instructor", is_flag=True,
              help="register the roster's people as instructors (without --roster: one, id 'instructor')")
@click.option("--reissue", multiple=True, metavar="ID", help="replace this person's token (repeatable)")
@click.option("--url", default=None, help="the server's address, to write each person's sign-in link")
@click.option("--state", type=click.Path(path_type=Path, file_okay=False), default=None, help=STATE_HELP)
@config_option
def tokens_command(roster: Path | None, out: Path, instructor: bool, reissue: tuple[str, ...],
                   url: str | None, state: Path | None, config_path: Path | None) -> None:
    """Register the students of ROSTER and write each one's personal token.

    Tokens are stored hashed: the --out file is the only copy. Rerunning keeps the
    tokens listed in --out and issues new ones only to people who have none."""
    from autograder.config import load_settings
    from autograder.exceptions import UsageError
    from autograder.server.roster import Member, read_roster
    from autograder.server.store import Store
    from autograder.server.texts import tr
    from autograder.server.tokens import issue, read_issued, write_tokens

    settings = load_settings(config_path)
    if roster is None and not instructor:
        raise UsageError("--roster is needed (or --instructor for an instructor's token)")
    # the one instructor without a roster is named in the course's language: the name is
    # what the pages show ("Вы вошли как Преподаватель", not "... Instructor" on a Russian page)
    members = read_roster(roster) if roster is not None \
        else [Member("instructor", tr("instructor_name", settings.language))]
    store = Store.create(state_dir(settings.course_dir, state))
    issued = issue(store, members, "instructor" if instructor else "student", read_issued(out), reissue,
                   warn=lambda message: click.echo(f"autograder: warning: {message}", err=True))
    write_tokens(out, issued, url)
    fresh = sum(1 for row in issued if row.token) 
    click.echo(f"wrote {out}: {len(issued)} {'instructor' if instructor else 'student'}(s), "
               f"{fresh} with a token in the file")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(0), default=None,
              help="grading processes [default: server.workers in the config, else one per core]; "
                   "0 on extra web processes sharing one database")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="grade on the Dask cluster of this scheduler (tcp://HOST:8786)")
@click.option("--state", type=click.Path(path_type=Path, file_okay=False), default=None, help=STATE_HELP)
@config_option
def serve_command(host: str, port: int, workers: int | None, scheduler: str | None, state: Path | None,
                  config_path: Path | None) -> None:
    """Run the course server: students submit and read feedback, instructors follow the class."""
    import os

    import uvicorn

    from autograder.config import load_settings
    from autograder.exceptions import UsageError
    from autograder.requirements import check_requirements
    from autograder.server.app import ServerOptions, create_app

    settings = load_settings(config_path)
    ensure_can_listen(host, port)
    for name in settings.config.server.warm:
        settings.assignment(name)  # server.warm names assignments of the course: checked at start
    if scheduler is not None:
        try:
            import distributed  # noqa: F401
        except ImportError as error:
            raise UsageError(f"--scheduler needs Dask: pip install -e '.[cluster]' ({error})") from None
        from autograder.cluster import check_scheduler

        check_scheduler(scheduler)  # a typo is found now, not by the first student who submits
    else:
        check_requirements(settings)  # the jail is here (on a cluster, each worker checks its own)
    # nbformat's documented switch to its fast validator: an upload is checked in ~4 ms, not ~17
    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
    options = ServerOptions(state=state_dir(settings.course_dir, state), workers=workers, scheduler=scheduler)
    app = create_app(settings, options)
    click.echo(f"autograder: serving {settings.course_dir} on http://{host}:{port}/ "
               f"(state in {options.state})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                server_header=False, proxy_headers=True)


def ensure_can_listen(host: str, port: int) -> None:
    """A port in use or a host that is not this machine's is the user's to fix (exit 2,
    one line), found before any jail starts; uvicorn would report it only after."""
    import socket

    from autograder.exceptions import UsageError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
