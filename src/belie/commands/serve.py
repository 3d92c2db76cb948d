"""`belie serve CASE`: the local web app to review claims and watch the findings."""
from __future__ import annotations

import secrets

import click

from belie.errors import InputError, Problem


def resolve_token(host: str, token: str | None) -> tuple[str | None, bool]:
    """The token the server will require, and whether it was generated here.

    On a loopback address no token is needed (one given is still enforced); on any
    other address one is required, and made up when none is given."""
    from belie.web.app import is_loopback_host

    if token:
        return token, False
    if is_loopback_host(host):
        return None, False
    return secrets.token_urlsafe(24), True


#: A token shorter than this, or made of fewer distinct characters, can be guessed.
MIN_TOKEN_CHARS = 16


def token_warning(host: str, token: str | None) -> str | None:
    """A warning when *token* guards an address other machines can reach and could be
    guessed (short, or few distinct characters); None otherwise."""
    from belie.web.app import is_loopback_host

    if not token or is_loopback_host(host):
        return None
    if len(token) >= MIN_TOKEN_CHARS and len(set(token)) >= 8:
        return None
    return (f"the token is easy to guess ({len(token)} characters, {len(set(token))} different) and "
            f"{host} can be reached from other machines: anyone who guesses it can read and change "
            f"the case. Use {MIN_TOKEN_CHARS} or more random characters, or leave --token out for a "
            "random one")


def _listen(app, host: str, port: int):
    """A threaded WSGI server for *app*, bound to host:port (not yet serving)."""
    import socket

    from werkzeug.serving import make_server

    def cannot(why) -> InputError:
        return InputError(Problem(f"{host}:{port}", None, None,
                                  f"cannot listen there: {why}; try another --port (or --port 0)"))

    if port:
        try:   # werkzeug would print its own message and exit; say it our way first
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise cannot(exc.strerror or exc) from exc
    try:
        return make_server(host.strip("[]"), port, app, threaded=True)
    except OSError as exc:
        raise cannot(exc.strerror or exc) from exc
    except SystemExit as exc:
        raise cannot("the address is in use") from exc


def _serve(server) -> None:
    """Serve until Ctrl-C (tests replace this)."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")


@click.command("serve")
@click.argument("case", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any address other than loopback requires a token.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--token", envvar="BELIE_TOKEN", default=None,
              help="Require this token on every request (also read from $BELIE_TOKEN). "
                   "Made up and printed when --host is not loopback and none is given.")
@click.option("--reviewer", default=None,
              help="The name recorded with each decision when the page gives none.")
@click.option("--tiles", default=None, metavar="URL|FILE",
              help="Background tiles for the map: an XYZ URL template ({z}/{x}/{y}) or a local "
                   ".mbtiles or .pmtiles file of raster tiles. Off by default: the map draws its built-in coastlines and "
                   "nothing leaves this machine.")
def command(case, host, port, token, reviewer, tiles):
    """Open a local web app to read the sources, review candidate claims and see the findings.

    The pages: Sources (each text with the claims' quotes marked), Review (accept,
    reject or edit the claims proposed by `belie extract`; accepted claims go to
    CASE/claims/reviewed.yaml, every decision is logged with who and when), and
    Findings (`belie check`, run again whenever the case files change).

    It listens on 127.0.0.1 only, unless --host says otherwise; then every request
    must carry a token, printed in the address to open. See docs/web.md.

    \b
    Examples:
      belie serve examples/moscow-1936
      belie serve cases/marchand --reviewer "A. Archivist" --port 9000
      belie serve cases/marchand --host 0.0.0.0        # prints http://HOST:8765/?token=...
      belie serve cases/marchand --tiles ~/maps/europe.pmtiles
    """
    from belie.web.app import create_app, serve_url
    from belie.web.maproutes import tile_setting

    try:
        tile_setting(tiles)
    except ValueError as exc:
        raise InputError(Problem("--tiles", None, None, str(exc))) from None
    token, generated = resolve_token(host, token)
    warning = token_warning(host, token)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    app = create_app(case, token=token, reviewer=reviewer, tiles=tiles)
    ws = app.extensions["belie"]
    loaded = ws.load()
    name = loaded.case.name if loaded.case is not None else ws.case_dir.name
    click.echo(f"belie serve: {name}")
    if loaded.problems:
        click.echo(f"warning: the case files have {len(loaded.problems)} problem(s), e.g. "
                   f"{loaded.problems[0]}; the pages show them all", err=True)
    try:
        server = _listen(app, host, port)
    except BaseException:
        ws.close()
        raise
    try:
        click.echo(f"open {serve_url(host, server.server_port, token)}")
        if host in ("0.0.0.0", "::", "[::]"):
            import socket

            click.echo(f"  from other machines: {serve_url(socket.gethostname(), server.server_port, token)}")
        if generated:
            click.echo(f"token: {token}  (made up for this run; pass --token to choose one)")
        if token:
            click.echo("every request must carry the token: keep the address to yourself")
        click.echo("press Ctrl-C to stop")
        _serve(server)
    finally:
        server.server_close()
        ws.close()
