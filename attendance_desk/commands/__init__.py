"""The command line's commands, one module each (or one per family of subcommands).

Each module adds its commands to the parser with `register(commands)` and imports its work
only when the command runs, so `--version` and `--help` start at once. The commands log in
(`login`) and open the database; the rules they run live in the areas' packages below.
"""
