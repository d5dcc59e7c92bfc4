"""``flask lms content import|export``."""

from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale

from lms.content.files import ContentErrors
from lms.db import db, refresh_planner_statistics

content_cli = click.Group("content", help="Import and export the curriculum files.")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--overwrite-edited", is_flag=True,
              help="Replace items edited in the browser since the last import with the files' version.")
def import_command(path: Path | None, overwrite_edited: bool):
    """Import courses/ and quizzes/ under PATH (default: the project folder). Items edited in the
    browser since the last import are kept (and listed) unless --overwrite-edited is given."""
    from lms.curriculum.importer import import_tree

    root = (path or PROJECT_ROOT).resolve()
    # The command speaks English, like the rest of the CLI; the browser editors report the same
    # problems in the user's language.
    with current_app.test_request_context("/"), force_locale("en"):
        try:
            with click.progressbar(length=11, label="Importing content", show_pos=True) as bar:
                report = import_tree(root, progress=lambda _name: bar.update(1),
                                     overwrite_edited=overwrite_edited)
        except ContentErrors as exc:
            db.session.rollback()
            click.echo(f"Nothing was imported: {len(exc.errors)} problem(s).", err=True)
            for error in exc.errors:
                click.echo(f"  {error}", err=True)
            raise SystemExit(1) from None
        refresh_planner_statistics()
        db.session.commit()
    for what, counts in report.lines:
        click.echo(f"  {what:20} {counts}")
    _echo_edits(report.edits)


def _echo_edits(edits) -> None:
    """List the items edited in the browser since the last import: kept, or overwritten when told to."""
    if edits.kept:
        click.echo(f"Kept {len(edits.kept)} item(s) edited in the browser since the last import "
                   "(their files differ; --overwrite-edited replaces them):")
        for what in edits.kept:
            click.echo(f"  {what}")
    if edits.overwritten:
        click.echo(f"Overwrote {len(edits.overwritten)} item(s) edited in the browser since the last import:")
        for what in edits.overwritten:
            click.echo(f"  {what}")


@content_cli.command("export")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def export_command(path: Path):
    """Write the content in the database to files under PATH (courses/…)."""
    from lms.curriculum.exporter import export_tree

    with current_app.test_request_context("/"):
        counts = export_tree(path)
    for what, n in counts.items():
        click.echo(f"  {what:20} {n}")
