"""`attendance-desk settings list | get KEY | set KEY VALUE`: the Settings tab for IT set-up.

Values are checked by the same registry and checks as the Settings tab, only the
administrator may change them, and each change is audited. A password is never printed;
`settings set smtp.password -` reads it from standard input, out of the shell's history.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

LIST_WIDTH = 32


def register(commands: Any) -> None:
    """Add `settings list`, `settings get` and `settings set` to the subcommands."""
    parser = commands.add_parser("settings", help="read or change the Settings tab's values")
    actions = parser.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every setting, its value and what it is").set_defaults(
        handler=cmd_list
    )
    get = actions.add_parser("get", help="one setting's value")
    get.add_argument("key")
    get.set_defaults(handler=cmd_get)
    put = actions.add_parser("set", help="change a setting (administrator; audited)")
    put.add_argument("key")
    put.add_argument("value", help="the new value; - reads it from standard input")
    put.set_defaults(handler=cmd_set)


def cmd_list(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.school import settings, settings_change

    with factory() as session:
        values = {
            key: settings_change.shown(option, settings.get(session, option)) or "(empty)"
            for key, option in settings.REGISTRY.items()
        }
    keys = max(len(key) for key in values)
    for key, value in values.items():
        if len(value) > LIST_WIDTH:  # `settings get KEY` prints all of it
            value = value[: LIST_WIDTH - 1] + "…"
        print(f"{key:<{keys}}  {value:<{LIST_WIDTH}}  # {settings.REGISTRY[key].label}")
    return 0


def cmd_get(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.school import settings, settings_change

    option = settings_change.option_named(args.key)
    with factory() as session:
        print(settings_change.shown(option, settings.get(session, option)))
    return 0


def cmd_set(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.commands.login import acting_user
    from attendance_desk.school import settings, settings_change
    from attendance_desk.store.db import transaction

    option = settings_change.option_named(args.key)
    text = sys.stdin.readline().rstrip("\r\n") if args.value == "-" else args.value
    value = option.parse(text)
    with transaction(factory) as session:
        user = acting_user(session, args.login)
        old = settings_change.shown(option, settings.get(session, option))
        changed = settings_change.change(session, option, value, user=user, now=datetime.now())
        new = settings_change.shown(option, value)
    if changed:
        print(
            f"{option.key}: {old or '(empty)'} -> {new or '(empty)'} (changed by {user.full_name})"
        )
    else:
        print(f"{option.key} is already {new or '(empty)'}; nothing changed.")
    return 0
