"""The terminal interface: Typer commands, one module per command group, Rich for output.

Every command module defines `register(app)` and is listed in `cli.app.COMMAND_MODULES`, so a
new command group is one new file and one line there (the import contracts see it). Modules keep heavy imports inside their command functions so
`kneecoach --help` stays fast.
"""
