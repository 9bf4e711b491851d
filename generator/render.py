"""Jobs → bytes, through Jinja2 templates (pages and feeds alike): the environment, its filters,
template fingerprints, and turning template failures into ``path:line`` errors. Never writes files.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

import jinja2
from jinja2 import meta

from generator.config import Config
from generator.errors import Location, Problem, TemplateError
from generator.fragments import FragmentCache
from generator.markup import render_markdown
from generator.model import Article
from generator.plan import GENERATOR, Job, month_label
from generator.slug import slugify
from generator.templating import PageEnvironment

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"
if not DEFAULT_TEMPLATES.is_dir():  # running from a source checkout
    DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


# ---------------------------------------------------------------- template environment

def template_dirs(config: Config) -> list[Path]:
    """The project's own ``templates/`` first (file-by-file override), then the default theme."""
    own = config.root / "templates"
    return [own, DEFAULT_TEMPLATES] if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES else [DEFAULT_TEMPLATES]


def make_environment(config: Config) -> jinja2.Environment:
    tz = config.tz
    env = PageEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(["html", "xml", "opml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the Builder makes a new environment when a template file changes
        extensions=[FragmentCache],
    )

    def local(value: datetime) -> datetime:
        return value.astimezone(tz)

    @functools.cache
    def month(number: int) -> str:
        """``strftime('%B')`` of any date in that month (a page shows a date or two: each cost a microsecond)."""
        return datetime(2000, number, 1).strftime("%B")

    def date_long(value: datetime) -> str:
        v = local(value)
        return f"{month(v.month)} {v.day}, {v.year}"

    def date_time(value: datetime) -> str:
        v = local(value)
        hour = v.hour % 12 or 12
        ampm = "a.m." if v.hour < 12 else "p.m."
        return f"{month(v.month)} {v.day}, {v.year}, {hour}:{v.minute:02d} {ampm} {v.tzname() or ''}".rstrip()

    env.filters.update(
        date_long=date_long,
        date_time=date_time,
        iso=lambda v: v.isoformat(),
        rfc3339=lambda v: v.isoformat(),
        rfc822=lambda v: format_datetime(v),
        month_name=lambda v: month_label(local(v)),
        topic_path=lambda name: f"topics/{slugify(name)}/",
        tag_path=lambda name: f"tags/{slugify(name)}/",
        person_path=lambda name: f"people/{slugify(name)}/",
        json=to_json,
    )
    env.globals.update(site=config.site, generator=GENERATOR, search_enabled=config.search)
    return env


def to_json(value: object) -> str:
    """A JSON document (``feed.json``): keys in the order given, text as UTF-8, compact (the json module's C
    encoder: indenting goes through its Python one, a third of a serve rebuild that touches the feeds)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def templates_stamp(config: Config) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every template file: when it is unchanged, so are the fingerprints."""
    found = []
    for directory in template_dirs(config):
        if directory.is_dir():
            for path in directory.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    st = path.stat()
                    found.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(sorted(found))


def template_fingerprints(env: jinja2.Environment, names: Sequence[str]) -> dict[str, str]:
    """A hash per template over its own source and everything it extends, includes or imports."""
    loader = env.loader
    assert loader is not None
    sources: dict[str, str] = {}

    def source(name: str) -> str:
        if name not in sources:
            try:
                sources[name] = loader.get_source(env, name)[0]
            except jinja2.TemplateNotFound:
                sources[name] = ""
        return sources[name]

    parsed: dict[str, list[str | None]] = {}  # name -> the templates it names (each template parsed once)

    def references(name: str) -> list[str | None]:
        if name not in parsed:
            text = source(name)
            try:
                parsed[name] = list(meta.find_referenced_templates(env.parse(text))) if text else []
            except jinja2.TemplateSyntaxError:
                parsed[name] = []  # reported when the template is loaded for real
        return parsed[name]

    def closure(name: str, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        for ref in references(name):
            if ref:
                closure(ref, seen)

    result = {}
    for name in names:
        seen: set[str] = set()
        closure(name, seen)
        h = hashlib.sha256()
        for dep in sorted(seen):
            h.update(dep.encode() + b"\0" + source(dep).encode() + b"\0")
        result[name] = h.hexdigest()
    return result


# ---------------------------------------------------------------- rendering

def render_job(env: jinja2.Environment, job: Job) -> bytes:
    try:
        template = env.get_template(job.template)
        return template.render(job.context()).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(Problem(Location(_template_path(env, exc.name or job.template), exc.lineno),
                                    f"template syntax error: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(Problem(Location(f"templates/{job.template}"), f"template not found: {exc.name}",
                                    "copy it from the default theme or fix the name")) from None
    except jinja2.UndefinedError as exc:
        name, line = _template_frame(exc, job.template)
        raise TemplateError(Problem(Location(_template_path(env, name), line),
                                    f"undefined in template: {exc.message}",
                                    f"while rendering {job.path}; check the name against docs/templates.md")) from None
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        name, line = _template_frame(exc, job.template)
        raise TemplateError(Problem(Location(_template_path(env, name), line),
                                    f"error in template: {exc}", f"while rendering {job.path}")) from None


def _template_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The innermost template frame of a traceback: Jinja maps it back to the template's line."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (default, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if tb.tb_frame.f_globals.get("__jinja_template__") is not None or filename.endswith((".html", ".xml", ".txt")):
            found = (Path(filename).name if "/" in filename else filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_path(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        for directory in loader.searchpath:
            candidate = Path(directory) / name
            if candidate.is_file():
                return str(candidate)
    return f"templates/{name}"


def static_files(config: Config) -> dict[str, Path]:
    """``templates/static/**`` of the theme and the project (project wins) → ``static/…`` outputs."""
    found: dict[str, Path] = {}
    for directory in reversed(template_dirs(config)):
        static = directory / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found["static/" + path.relative_to(static).as_posix()] = path
    return found


def body_html(article: Article, hotlink: bool) -> str:
    return render_markdown(article.body, allow_html=article.allow_html, hotlink=hotlink)
