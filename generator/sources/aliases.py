"""``content/aliases.yaml``: the names a person, organization or place also goes by.

    Bank of Canada: [BoC, Banque du Canada]
    Donald Trump: [Trump, President Trump]

Each key is the name shown on the site; its list holds the other spellings, which are merged into it on
entity pages, article pages and in story clustering. The file is optional; a broken one is an error with
its line, and the build goes on as if it were empty.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.errors import Location, Problem

ALIASES_FILE = "aliases.yaml"


def read_aliases(content_dir: Path,
                 display: str = "content/aliases.yaml") -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """(canonical name → its other names, problems). No file: no aliases."""
    path = content_dir / ALIASES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(Location(display), f"cannot read: {exc}", "save it as UTF-8 text")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [Problem(Location(display, mark.line + 1 if mark else None),
                            f"invalid YAML: {getattr(exc, 'problem', None) or exc}", "check indentation and quoting")]
    if node is None:
        return {}, []
    hint = "write `Canonical name: [other name, another]`, one name per line"
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(Location(display, node.start_mark.line + 1), "expected a mapping of names", hint)]
    names: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not str(key.value).strip():
            problems.append(Problem(Location(display, line), "a name must be text", hint))
            continue
        name = str(key.value).strip()
        if isinstance(value, yaml.ScalarNode):
            others = [value.value] if value.value not in ("", "~", "null") else []
        elif isinstance(value, yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode) for v in value.value):
            others = [v.value for v in value.value]
        else:
            problems.append(Problem(Location(display, line), f"{name}: expected a list of names", hint))
            continue
        clean = tuple(o.strip() for o in others if str(o).strip())
        for other in clean:
            if other.casefold() in seen and seen[other.casefold()] != name:
                problems.append(Problem(Location(display, line), f"{other!r} is already an alias of "
                                        f"{seen[other.casefold()]!r}", "give each name one canonical name"))
            seen[other.casefold()] = name
        names[name] = clean
    return names, problems
