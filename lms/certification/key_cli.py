"""``flask lms badge-keys …``: the issuer's keys for signing Open Badges credentials. Each command commits
once at its end."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.certification import credential_signing
from lms.certification.models import IssuerKey
from lms.db import db

badge_keys_cli = AppGroup("badge-keys", help="The issuer's keys that sign Open Badges credentials.")


@badge_keys_cli.command("list")
def list_keys():
    """Every key: its thumbprint, algorithm, state and dates."""
    for key in db.session.scalars(select(IssuerKey).order_by(IssuerKey.created_at)):
        dates = f"made {key.created_at:%Y-%m-%d}" + (f", retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "") \
            + (f", revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "")
        click.echo(f"{key.thumbprint}  {key.algorithm}  {key.state.value:8} {dates}")


@badge_keys_cli.command("rotate")
@click.option("--algorithm", type=click.Choice(sorted(credential_signing.ALGORITHMS)), default=None,
              help="RS256 (the default, which every Open Badges verifier must support) or ES256.")
def rotate(algorithm):
    """Make a new signing key (also the first one); the previous one retires and stays published."""
    key = credential_signing.rotate_key(algorithm)
    db.session.commit()
    click.echo(f"Signing with {key.thumbprint} ({key.algorithm}); earlier keys stay published.")


@badge_keys_cli.command("revoke")
@click.argument("thumbprint")
def revoke(thumbprint):
    """Withdraw a lost or compromised key: no longer published, so what it signed no longer verifies
    (holders download their credential again, signed with the active key)."""
    try:
        key = credential_signing.revoke_key(thumbprint)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Revoked {key.thumbprint}.")
