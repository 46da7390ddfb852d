"""``accord token``: create, list and revoke API tokens.

No Django import at module level: ``accord --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli.runtime import setup_django

token_app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The login the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Create a token for USERNAME and print it once; only its hash is kept."""
    setup_django()
    from accord.api import services
    from accord.directory.models import Person

    person = Person.objects.filter(user__username=username, is_active=True).first()
    if person is None:
        typer.echo(f"No active person with the login {username!r}.", err=True)
        raise typer.Exit(1)
    token, raw = services.token_create(person=person, name=name)
    typer.echo(raw)
    typer.echo(
        f"Token {token.prefix}… for {person.name}: copy it now, it is not shown again.", err=True
    )


@token_app.command("list")
def token_list() -> None:
    """List tokens (prefix, person, last use); never the tokens themselves."""
    setup_django()
    from accord.api.models import ApiToken

    for token in ApiToken.objects.select_related("person"):
        state = "revoked" if token.revoked_at else f"last used {token.last_used_at or 'never'}"
        typer.echo(f"{token.pk:>5}  {token.prefix}…  {token.person.name}  {token.name}  {state}")


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The id from `accord token list`.")],
) -> None:
    """Revoke a token: requests with it answer 401 from now on."""
    setup_django()
    from accord.api import services
    from accord.api.models import ApiToken

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        typer.echo(f"No token with id {token_id}.", err=True)
        raise typer.Exit(1)
    services.token_revoke(token=token)
    typer.echo(f"Revoked {token.prefix}…")


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
