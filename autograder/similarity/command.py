"""``autograder similarity``: which students' code is alike (CONTRACT §2)."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.options import config_option, out_folder


@click.command("similarity")
@click.option("--assignment", "-a", required=True, help="assignment name, as in grading_config.yaml")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), metavar="DIRECTORY",
              required=True, callback=out_folder,
              help="folder for similarity.csv and similarity.html")
@click.option("--top", type=click.IntRange(1), default=30, show_default=True,
              help="pairs shown side by side in similarity.html")
@click.option("--language", type=click.Choice(["ru", "en"]),
              help="language of the page [default: from the config, ru]")
@config_option
def similarity_command(assignment: str, paths: tuple[Path, ...], out_dir: Path, top: int,
                       language: str | None, config_path: Path | None) -> None:
    """Compare the code students wrote for ASSIGNMENT's questions across PATHS (notebooks,
    folders, LMS archives, as for grade); the starter code is left out. Nothing is run."""
    from autograder.config import load_settings
    from autograder.similarity.run import compare_paths

    settings = load_settings(config_path, language=language)
    run = compare_paths(list(paths), assignment, settings, out_dir, top=top,
                        warn=lambda message: click.echo(f"autograder: warning: {message}", err=True))
    for skipped in run.skipped:
        click.echo(f"not compared: {skipped}", err=True)
    pairs = run.comparison.pairs
    click.echo(f"compared {len(run.comparison.prints.codes)} notebooks ({len(pairs)} pairs); most alike:")
    for pair in pairs[:5]:
        click.echo(f"  {pair.score:.2f}  {pair.a}  {pair.b}")
    for path in run.written:
        click.echo(f"wrote {path}")
