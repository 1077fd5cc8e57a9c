"""The terminal interface: Typer commands, one module per command group, Rich for output.

Every module here that defines `register(app)` is found and registered by `cli.app`, so a new
command group is one new file. Modules keep heavy imports inside their command functions so
`kneecoach --help` stays fast.
"""
