"""The `prisoners-api` command: serve, migrate, validate, publish, review, protect, import, generate-demo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from api import migrate as migrations
from api.dataset import files
from api.dataset.validation import DatasetError
from api.db import create_db_engine, sqlite_damage
from api.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="Open data API on political prisoners in Belarus: serve it, load dataset releases, check them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


def _migrate(settings: Settings, revision: str = "head") -> None:
    try:
        migrations.upgrade(
            settings.effective_database_url, revision, settings.dataset_dir, settings.migrations_dir
        )
    except DatasetError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    except (OSError, OperationalError) as error:  # an unwritable data folder, a read-only database file
        reason = error.orig if isinstance(error, OperationalError) else error
        typer.echo(f"cannot write the database {_where(settings)}: {reason}", err=True)
        raise typer.Exit(2) from None


def _check_database(settings: Settings) -> None:
    """Refuse to start on a damaged SQLite file (garbage, malformed pages): one line, exit status 2."""
    try:
        engine = create_db_engine(settings.effective_database_url)
    except OSError:
        return  # an unwritable data folder: not damage; the migration says so
    try:
        damage = sqlite_damage(engine)
    except OperationalError:
        damage = None  # cannot open or locked: not damage; the migration or the service will say
    finally:
        engine.dispose()
    if damage:
        typer.echo(
            f"the database {_where(settings)} is damaged ({damage}): restore it from a backup, or delete "
            "it to rebuild it from the bundled dataset",
            err=True,
        )
        raise typer.Exit(2)


def _where(settings: Settings) -> str:
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: setting HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: setting PORT).")] = None,
) -> None:
    """Serve the API with uvicorn, first applying pending migrations when AUTO_MIGRATE is on.

    Logs are JSON lines on standard output; on SIGTERM, requests in flight finish first (for up to
    TIMEOUT_GRACEFUL_SHUTDOWN seconds)."""
    import uvicorn

    from api.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level)
    _check_database(settings)
    if settings.auto_migrate:
        _migrate(settings)
    uvicorn.run(
        "api.main:app",
        host=host or settings.host,
        port=port or settings.port,
        server_header=False,
        proxy_headers=bool(settings.forwarded_allow_ips),  # empty: no peer is trusted
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_graceful_shutdown=settings.timeout_graceful_shutdown,
        log_config=None,  # configure_logging above renders uvicorn's records as JSON too
        log_level=settings.log_level,
        access_log=False,  # the app's EdgeMiddleware writes the access log, with request ids
    )


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision; `head` loads every release.")] = "head",
) -> None:
    """Apply the schema and data migrations (load every dataset release) up to REVISION."""
    settings = _settings()
    _check_database(settings)
    _migrate(settings, revision)
    head = migrations.head_revision(settings.migrations_dir)
    typer.echo(f"database at {head if revision == 'head' else revision}")


@app.command()
def validate(
    folder: Annotated[
        Path, typer.Argument(help="A release folder: record-level (private) or a publication.")
    ],
) -> None:
    """Check a record-level release folder or a publication against dataset/schema without a database;
    exit 1 listing every problem."""
    from api.publication.folder import read_publication

    folder = folder.resolve()
    dataset_dir = folder.parent.parent if folder.parent.name == "releases" else _settings().dataset_dir
    try:
        if (folder / files.CASES_FILE).exists():
            metadata, cases = files.validate_release(folder, dataset_dir)
            what = f"{cases} cases (record-level: never commit or publish this folder)"
        else:
            metadata, answers = read_publication(folder, dataset_dir)
            what = f"publication of {len(answers)} answers"
    except DatasetError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    kind = "synthetic" if metadata.synthetic else "real"
    typer.echo(f"{metadata.id}: valid, {what}, as of {metadata.valid_as_of}, {kind}")


Earlier = Annotated[
    list[Path] | None,
    typer.Option(
        "--earlier",
        help="A record-level folder of an earlier release (repeat, oldest first); kept private.",
    ),
]


@app.command()
def publish(
    records: Annotated[Path, typer.Argument(help="The record-level release folder (private storage).")],
    earlier: Earlier = None,
    out: Annotated[
        Path | None, typer.Option(help="Publication folder to write (default: dataset/releases/<id>).")
    ] = None,
    publications: Annotated[
        Path | None,
        typer.Option(help="Where the earlier releases' publications are (default: dataset/releases)."),
    ] = None,
) -> None:
    """Compute, protect and audit every table the API can answer for a release, and write its
    publication: the only thing that leaves the curator's machine. Exit 1 if it cannot be protected."""
    from api.publication.publish import PublishRefused
    from api.publication.publish import publish as publish_release

    settings = _settings()
    try:
        release_id = files.read_release_metadata(records, settings.dataset_dir).id
        target = out or files.release_folder(settings.dataset_dir, release_id)
        result = publish_release(
            settings, records, target, earlier or [], progress=typer.echo, publications=publications
        )
    except (DatasetError, ValueError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    except PublishRefused as refused:
        from api.audit.report import summary

        typer.echo(summary(refused.audit), err=True)
        typer.echo(str(refused), err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{result.release}: published {result.answers} answers ({result.suppressed_cells} suppressed cells, "
        f"{result.listed} sets of people on the suppression list) to {target}"
    )
    if result.protection is not None:
        from api.audit.protect import write_suppression

        # Private, beside the records: the list the answers were computed with (review, audits and the
        # next publish of this release start from it); none, when it is empty.
        if result.protection.listed:
            path = write_suppression(records, result.protection, settings, "prisoners-api publish")
            typer.echo(f"{result.release}: its suppression list is kept beside the records, in {path}")
        else:
            (records / files.SUPPRESSION_FILE).unlink(missing_ok=True)


@app.command()
def review(
    records: Annotated[Path, typer.Argument(help="The record-level release folder (private storage).")],
    earlier: Earlier = None,
) -> None:
    """Before publishing: changes since the previous release and suppressed cells per table (no database
    needed: a throwaway SQLite workspace is built)."""
    from api.review import review_report

    settings = _settings()
    try:
        typer.echo(review_report(settings, records, earlier or []))
    except DatasetError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


@app.command()
def protect(
    records: Annotated[Path, typer.Argument(help="The record-level release folder (private storage).")],
) -> None:
    """Run the anonymity audit on the release and hide more until it passes; write the folder's
    suppression.json (none when nothing more is needed). Exit 1 if it cannot pass. `publish` does
    this too; this command keeps the list beside the records."""
    from api.audit.protect import protect_release, write_suppression
    from api.audit.report import summary
    from api.publication.workspace import workspace

    settings = _settings()
    try:
        release = files.read_release_metadata(records, settings.dataset_dir).id
        with workspace(settings, [records]) as (engine, scratch):
            report = protect_release(engine, scratch, release, progress=typer.echo)
    except DatasetError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(summary(report.audit))
    if not report.passed:
        typer.echo(f"{release}: the audit still fails; suppression.json not written", err=True)
        raise typer.Exit(1)
    if report.listed == report.before:
        typer.echo(f"{release}: passes; its suppression list is unchanged ({len(report.listed)} cells)")
        return
    path = write_suppression(records, report, settings)
    hidden = sum(report.listed.values())
    typer.echo(f"{release}: passes; wrote {path} ({hidden} hidden, {len(report.listed) - hidden} shown)")


@app.command("import")
def import_release(
    source: Annotated[Path, typer.Argument(help="A curator's export: UTF-8 CSV or a JSON array.")],
    release: Annotated[str, typer.Option(help="Id of the new release (the folder name).")],
    valid_as_of: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="Data valid on.")],
    id_map: Annotated[Path, typer.Option(help="Private case-id map, kept outside the published dataset.")],
    out: Annotated[
        Path, typer.Option(help="Private folder for record-level releases, outside any repository.")
    ],
    title: Annotated[str | None, typer.Option(help="Title of the release.")] = None,
) -> None:
    """Turn a per-person export into an anonymized record-level release folder in private storage (no
    names, months, age bands, regions): the input of `publish`, never committed."""
    from api.dataset.importer import import_export

    settings = _settings()
    try:
        report = import_export(source, settings.dataset_dir, release, valid_as_of.date(), id_map, out, title)
    except (ValueError, DatasetError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(report.summary())


@app.command("generate-demo")
def generate_demo(
    out: Annotated[Path, typer.Argument(help="Release folder to write (cases.csv and release.json).")],
    records: Annotated[int | None, typer.Option(help="Scale to this many records (benchmarks).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (the committed release: default).")] = 20260331,
) -> None:
    """Write a synthetic demonstration release calibrated to the published figures (never real records)."""
    from api.dataset import demo

    release_id = out.name if records else demo.DEMO_RELEASE_ID
    folder = demo.write_demo_release(out, seed=seed, records=records, release_id=release_id)
    typer.echo(f"wrote synthetic release {release_id} to {folder}")


if __name__ == "__main__":
    app()
