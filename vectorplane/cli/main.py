"""The `vectorplane` command."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import uvicorn
from pydantic import ValidationError
from sqlalchemy import select

from vectorplane.api.app import create_app
from vectorplane.cli import logs, wiring
from vectorplane.domain.clock import SystemClock
from vectorplane.domain.errors import EngineError
from vectorplane.domain.ids import TeamId
from vectorplane.reconciler.loop import Reconciler
from vectorplane.runtime.base import Ports
from vectorplane.runtime.engine import EngineCatalog
from vectorplane.settings import Settings
from vectorplane.store import operations, teams
from vectorplane.store.tables import Placement, Team, Token, VectorDB

logger = logging.getLogger(__name__)


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--data-dir and --store-url, each also read from the environment."""

    @click.option(
        "--data-dir", envvar="VECTORPLANE_DATA_DIR", type=click.Path(path_type=Path),
        default=None, help="Folder for the store, TLS files and database data [.vectorplane].",
    )  # fmt: skip
    @click.option(
        "--store-url", envvar="VECTORPLANE_STORE_URL", default=None,
        help="SQLAlchemy URL of the store; default SQLite in the data folder.",
    )  # fmt: skip
    @functools.wraps(command)
    def wrapper(*args: Any, data_dir: Path | None, store_url: str | None, **kwargs: Any) -> Any:
        overrides: dict[str, Any] = {}
        if data_dir is not None:
            overrides["data_dir"] = data_dir
        if store_url:
            overrides["store_url"] = store_url
        return command(*args, settings=load_settings(**overrides), **kwargs)

    return wrapper


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and flags; a bad value stops the command with a message
    that names the setting and never repeats the values given (they may be secrets)."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False, include_url=False, include_context=False):
            field = ".".join(str(part) for part in error["loc"])
            where = f"VECTORPLANE_{field.upper()}: " if field else ""
            problems.append(f"  {where}{error['msg']}")
        raise click.ClickException("invalid settings:\n" + "\n".join(problems)) from None


@click.group()
def main() -> None:
    """vectorplane: a control plane for managed Weaviate."""


@main.command()
@store_options
@click.option("--host", envvar="VECTORPLANE_HOST", default=None, help="Address to listen on.")
@click.option("--port", envvar="VECTORPLANE_PORT", type=int, default=None, help="HTTPS port.")
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Run the HTTPS API and the reconciler."""
    if host is not None:
        settings = settings.model_copy(update={"host": host})
    if port is not None:
        settings = settings.model_copy(update={"port": port})
    logs.configure(settings.log_json)

    engines = EngineCatalog(settings.engine_dir, settings.engine_versions)
    if not engines.is_installed(settings.default_engine_version):
        _install_engine(engines, settings.default_engine_version)

    store = wiring.open_store(settings)
    deps = wiring.build_deps(settings, store)
    tls = wiring.api_tls(settings)
    token = wiring.bootstrap_token(settings, store)
    if token is not None:
        click.echo("Created the first API token, full access (shown once):")
        click.echo(f"  {token}")
        click.echo(f"It is also saved in {settings.data_dir / wiring.INITIAL_TOKEN_FILE}.")

    problem = deps.storage.check_access()
    if problem:
        # Databases still work; backups, restores and forks will fail until this is fixed.
        logger.error("Backup storage is not usable: %s", problem)
    reconciler = Reconciler(deps)
    app = create_app(settings, store, deps.box, deps.clock, poke=reconciler.poke)
    reconciler.start()
    click.echo(
        f"vectorplane listening on https://{settings.host}:{settings.port}"
        f" (CA: {settings.ca_path.resolve()})"
    )
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            ssl_certfile=str(tls.cert),
            ssl_keyfile=str(tls.key),
            log_config=None,
            timeout_graceful_shutdown=5,
        )
    finally:
        # Servers keep running: a restarted control plane adopts them.
        reconciler.stop()
        store.dispose()


@main.group()
def team() -> None:
    """Manage teams."""


@team.command("create")
@store_options
@click.argument("name")
def team_create(settings: Settings, name: str) -> None:
    """Create a team; prints its id."""
    store = wiring.open_store(settings)
    with store.session() as session:
        if teams.find_team(session, name) is not None:
            raise click.ClickException(f"team {name!r} already exists")
        created = teams.create_team(session, name, SystemClock().now())
    click.echo(created.id)


@main.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@store_options
@click.option("--team", "team_name", required=True, help="Team name or id.")
@click.option(
    "--scopes", required=True,
    help="Comma-separated scopes (database:read,database:create,...), or * for full access.",
)  # fmt: skip
@click.option("--name", default="cli", help="A label to recognise the token by.")
def token_create(settings: Settings, team_name: str, scopes: str, name: str) -> None:
    """Create a token; prints only the token."""
    store = wiring.open_store(settings)
    wanted = [s.strip() for s in scopes.split(",") if s.strip()]
    with store.session() as session:
        found = teams.find_team(session, team_name)
        if found is None:
            raise click.ClickException(f"no team {team_name!r}")
        try:
            issued = teams.issue_token(session, TeamId(found.id), wanted, name, SystemClock().now())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(issued.secret)


@token.command("revoke")
@store_options
@click.argument("token_or_id")
def token_revoke(settings: Settings, token_or_id: str) -> None:
    """Revoke a token, given its id or the token itself."""
    store = wiring.open_store(settings)
    with store.session() as session:
        by_secret = teams.find_token_by_secret(session, token_or_id)
        token_id = by_secret.id if by_secret else token_or_id
        if not teams.revoke_token(session, token_id, SystemClock().now()):
            raise click.ClickException("no such token")
    click.echo(f"revoked {token_id}")


@token.command("list")
@store_options
def token_list(settings: Settings) -> None:
    """List tokens (ids and scopes; never the tokens themselves)."""
    store = wiring.open_store(settings)
    with store.session() as session:
        rows = session.execute(select(Token, Team.name).join(Team)).all()
        for tok, team_name in rows:
            state = "revoked" if tok.revoked_at else "active"
            click.echo(f"{tok.id}  {team_name}  {tok.name}  {','.join(tok.scopes)}  {state}")


@main.group()
def db() -> None:
    """Inspect vector databases."""


@db.command("list")
@store_options
def db_list(settings: Settings) -> None:
    """List every vector database of every team."""
    store = wiring.open_store(settings)
    with store.session() as session:
        rows = session.execute(
            select(VectorDB, Team.name, Placement.port_base)
            .join(Team)
            .outerjoin(Placement, Placement.vector_db_id == VectorDB.id)
            .order_by(VectorDB.created_at)
        ).all()
        click.echo(f"{'ID':36}  {'TEAM':12}  {'NAME':20}  {'STATUS':9}  {'SIZE':7}  ENDPOINT")
        for vdb, team_name, port_base in rows:
            endpoint = (
                f"https://{settings.advertise_host}:{Ports(port_base).http}" if port_base else ""
            )
            click.echo(
                f"{vdb.id:36}  {team_name[:12]:12}  {vdb.name[:20]:20}  {vdb.status:9}"
                f"  {vdb.size:7}  {endpoint}"
            )


@db.command("delete")
@store_options
@click.argument("vector_db_id")
def db_delete(settings: Settings, vector_db_id: str) -> None:
    """Delete a vector database of any team (a running control plane carries it out)."""
    store = wiring.open_store(settings)
    now = SystemClock().now()
    with store.session() as session:
        vdb = session.get(VectorDB, vector_db_id)
        if vdb is None:
            raise click.ClickException(f"no vector database {vector_db_id}")
        operations.request_delete(session, vdb, now)
    click.echo(f"deleting {vector_db_id}")


@main.group()
def engine() -> None:
    """Manage Weaviate server builds."""


@engine.command("install")
@click.argument("version", required=False)
def engine_install(version: str | None) -> None:
    """Build a Weaviate version (default: the first offered) from its Go module."""
    settings = load_settings()
    engines = EngineCatalog(settings.engine_dir, settings.engine_versions)
    _install_engine(engines, version or settings.default_engine_version)


def _install_engine(engines: EngineCatalog, version: str) -> None:
    try:
        engines.install(version, progress=lambda line: click.echo(line, err=True))
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@store_options
def migrate(settings: Settings) -> None:
    """Bring the store's schema up to date (serve does this too)."""
    wiring.open_store(settings)
    click.echo("store is up to date")


if __name__ == "__main__":
    main()
