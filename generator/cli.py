"""The command line: the one place that prints. ``main(argv) -> exit code``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator import __version__
from generator.config import Config, TopicConfig, load_config
from generator.errors import DigestError, Problem
from generator.model import review_text

if TYPE_CHECKING:
    from generator.build import PingReport
    from generator.ingest import FeedHealth


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def print_problems(problems: Sequence[Problem]) -> None:
    for p in problems:
        _err(f"{p.severity}: {p}")


def parse_now(value: str | None) -> datetime:
    """The clock, as a parameter: ``--now``, else ``SOURCE_DATE_EPOCH``, else the wall clock."""
    if value:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def _config(args: argparse.Namespace) -> Config:
    return load_config(Path(args.config))


def _progress_bar() -> Callable[[str, int, int], None] | None:
    """A one-line bar on stderr for long builds; nothing when stderr is not a terminal (CI, pipes)."""
    if not sys.stderr.isatty():
        return None

    def draw(stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        print(f"\r{stage:>9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="",
              file=sys.stderr, flush=True)

    return draw


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import BuildOptions, IngestRequest, build_site

    config = _config(args)
    ingest = None if args.no_ingest else IngestRequest(parse_now(args.now), offline=args.offline)
    report = build_site(config, BuildOptions(drafts=args.drafts, clean=args.clean), progress=_progress_bar(),
                        ingest=ingest)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    print_problems(report.problems)
    if report.failed:
        _err("error: the render failed; site/ was left as it was")
        return 1
    print(f"Built {report.articles} articles, {report.topics} topics, {report.feeds} feeds in "
          f"{report.seconds:.1f} s ({len(report.written)} files written, {len(report.removed)} removed)",
          flush=True)
    if args.verbose:
        print("timings: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.timings.items()))
        if report.search is not None and report.search.ran:
            search = report.search
            parts = f" ({search.indexed} of its {search.parts} parts made)" if search.parts > 1 else ""
            print(f"search: indexed in {search.seconds * 1000:.0f} ms, site/pagefind/ holds "
                  f"{search.files} files, {search.size / 1024:.0f} KB{parts}")
    code = report.exit_code(args.strict)
    if args.ping:
        from generator.build import ping_hub

        pinged = ping_hub(config)
        print_pings(pinged)
        if args.strict and pinged.problems:
            code = 1
    return code


def print_pings(report: PingReport) -> None:
    print_problems(report.problems)
    if report.hub:
        print(f"Pinged {report.hub}: {len(report.accepted)} changed feeds accepted, {report.failed} failed, "
              f"{report.unchanged} unchanged", flush=True)


def cmd_ping(args: argparse.Namespace) -> int:
    from generator.build import ping_hub

    report = ping_hub(_config(args))
    print_pings(report)
    return 1 if report.problems else 0


def cmd_extract(args: argparse.Namespace) -> int:
    from generator.extract import record_to_json
    from generator.ingest import extract_file

    topics: tuple[TopicConfig, ...] = ()
    config_path = Path(args.config)
    if config_path.exists():
        topics = load_config(config_path).topics
    record = extract_file(Path(args.file), topics)
    data = record_to_json(record)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        import yaml

        body = data.pop("body", "")
        print("---")
        print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).rstrip())
        print("---\n")
        print(body)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from generator.ingest import ingest_all

    config = _config(args)
    files = [Path(f) for f in args.files] if args.files else None
    if args.force and not files:
        _err("error: --force needs the FILES to ingest again, e.g. digest ingest --force content/inbox/x.txt")
        return 2
    report = ingest_all(config, parse_now(args.now), offline=args.offline, files=files, force=args.force)
    for path in report.written:
        held = report.held.get(path)
        print(f"wrote {path}" + (f" (held for review: {review_text(held)})" if held else ""))
    print_problems(report.problems)
    return 1 if any(p.severity == "error" for p in report.problems) else 0


def cmd_review(args: argparse.Namespace) -> int:
    from generator.review import age_text, waiting_articles

    config = _config(args)
    now = parse_now(args.now)
    waiting, problems = waiting_articles(config)
    if args.json:
        print(json.dumps([w.as_json(now) for w in waiting], ensure_ascii=False, indent=2))
    elif not waiting:
        print("Nothing is held for review.")
    else:
        print(f"{len(waiting)} article{'s' if len(waiting) != 1 else ''} held for review, oldest first:")
        for w in waiting:
            print(f"\n{w.path}\n  why:     {review_text(w.reasons)}\n  title:   {w.title}\n"
                  f"  source:  {w.source or '-'}\n  waiting: {age_text(w.age(now))}")
        print("\nFix each field, then remove its reason from `review:` (or the whole key); the next build "
              "publishes the article.")
    print_problems(problems)
    return 1 if problems else 0


def cmd_check(args: argparse.Namespace) -> int:
    from generator.check import check_project

    config = _config(args)
    problems = check_project(config)
    print_problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(f"{errors} errors, {warnings} warnings")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_retag(args: argparse.Namespace) -> int:
    from generator.retag import retag

    config = _config(args)
    changed, problems = retag(config)
    for path in changed:
        print(f"retagged {path}")
    print_problems(problems)
    print(f"{len(changed)} articles retagged")
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_new(args: argparse.Namespace) -> int:
    from generator.scaffold import new_article

    config = _config(args)
    path = new_article(config, args.title, parse_now(args.now))
    print(f"created {path.relative_to(config.root)}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from generator.scaffold import init_project

    target = Path(args.dir)
    created = init_project(target)
    for path in created:
        print(f"created {path}")
    print("Next: edit config.yaml, drop saved pages or copied text into content/inbox/, run `digest build`, "
          "then `digest review`.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve

    config = _config(args)
    return int(serve(config, host=args.host, port=args.port, poll=args.poll, offline=args.offline,
                 now=parse_now(args.now) if args.now else None, echo=lambda s: print(s, flush=True),
                 warn=print_problems, config_path=Path(args.config)))


def cmd_fetch(args: argparse.Namespace) -> int:
    from generator.ingest import fetch_only

    config = _config(args)
    report = fetch_only(config, parse_now(args.now))
    print(f"fetched {report.fetched} feeds, {report.not_modified} not modified, {report.new_items} new entries")
    for path in report.written:
        print(f"wrote {path}")
    print_problems(report.problems)
    return 1 if args.strict and report.problems else 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from generator.ingest import add_opml_feeds, feeds_health

    config_path = Path(args.config)
    if args.action == "import":
        if not args.file:
            _err("error: digest feeds import FILE.opml")
            return 2
        added = add_opml_feeds(config_path, Path(args.file))
        print(f"added {added} feeds to {config_path}")
        return 0
    for line in health_table(feeds_health(load_config(config_path))):
        print(line)
    return 0


def health_table(rows: Sequence[FeedHealth]) -> list[str]:
    """``digest feeds`` as aligned text lines."""
    header = ("feed", "status", "last success", "items", "new", "304", "errors", "last error")
    table = [header]
    for r in rows:
        table.append((
            r.name,
            "never fetched" if r.last_success is None and r.error_count == 0 else
            ("ok" if r.ok else "failing") + (f" {r.last_status}" if r.last_status else ""),
            r.last_success.strftime("%Y-%m-%d %H:%M") if r.last_success else "-",
            str(r.items), str(r.new_items),
            f"{r.not_modified_rate:.0%}" if r.not_modified_rate is not None else "-",
            str(r.error_count),
            _shorten(r.last_error, 60) if r.last_error else "",
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    for r in rows:
        if r.permanent_redirect:
            lines.append(f"{r.name}: moved permanently to {r.permanent_redirect} (update config.yaml)")
    return lines


def _shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, marking the cut with ``…``."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-") + "…"


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Turn saved news and feeds into a website.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("-c", "--config", default="config.yaml", help="config file (default: ./config.yaml)")
        p.add_argument("--now", help="the clock for undated inputs, ISO 8601 (default: SOURCE_DATE_EPOCH or now)")
        return p

    b = add("build", "ingest new inputs and feeds, then render site/")
    b.add_argument("--offline", action="store_true", help="do not fetch feeds over the network")
    b.add_argument("--drafts", action="store_true", help="a preview with drafts and articles held for review, marked")
    b.add_argument("--clean", action="store_true", help="ignore and rebuild the render cache")
    b.add_argument("--strict", action="store_true", help="exit 1 on warnings (e.g. broken feeds)")
    b.add_argument("--no-ingest", action="store_true", help="render content/articles only")
    b.add_argument("-v", "--verbose", action="store_true", help="print stage timings")
    b.add_argument("--ping", action="store_true",
                   help="then tell the WebSub hub (websub.hub) which feeds changed; a failure is a warning")
    b.set_defaults(func=cmd_build)

    pg = add("ping", "tell the WebSub hub (websub.hub in config.yaml) which of site/'s feeds changed")
    pg.set_defaults(func=cmd_ping)

    s = add("serve", "build, serve site/ and rebuild + reload browsers on changes")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--poll", action="store_true", help="poll the file system (network drives, containers)")
    s.add_argument("--offline", action="store_true", help="do not fetch feeds at start")
    s.set_defaults(func=cmd_serve)

    e = add("extract", "print the record extracted from one raw file; writes nothing")
    e.add_argument("file")
    e.add_argument("--json", action="store_true", help="one JSON object (front-matter keys + body)")
    e.set_defaults(func=cmd_extract)

    i = add("ingest", "turn new raw files (default: content/inbox/) and feeds into content/articles/")
    i.add_argument("files", nargs="*")
    i.add_argument("--offline", action="store_true")
    i.add_argument("--force", action="store_true",
                   help="ingest FILES again even if their bytes were ingested before (their article was deleted)")
    i.set_defaults(func=cmd_ingest)

    rv = add("review", "list the articles held for review (file, why, title, source, age), oldest first")
    rv.add_argument("--json", action="store_true", help="a JSON list, for scripts")
    rv.set_defaults(func=cmd_review)

    f = add("fetch", "fetch configured feeds into the local state (conditional GET)")
    f.add_argument("--strict", action="store_true")
    f.set_defaults(func=cmd_fetch)

    fd = add("feeds", "show each feed's health, or `feeds import FILE.opml`")
    fd.add_argument("action", nargs="?", choices=["import"])
    fd.add_argument("file", nargs="?")
    fd.set_defaults(func=cmd_feeds)

    c = add("check", "validate config, front matter, links and generated feeds")
    c.add_argument("--strict", action="store_true")
    c.set_defaults(func=cmd_check)

    r = add("retag", "re-apply the topic rules to the articles ingest still owns")
    r.set_defaults(func=cmd_retag)

    n = add("new", "create a new hand-written article")
    n.add_argument("title")
    n.set_defaults(func=cmd_new)

    it = sub.add_parser("init", help="scaffold a new project")
    it.add_argument("dir", nargs="?", default=".")
    it.set_defaults(func=cmd_init)
    return parser


def run() -> NoReturn:
    """The ``digest`` command (and ``python -m generator``): ``main``, then leave at once.

    A build's process ends holding its whole site in memory; letting the interpreter free it object by
    object took 0.36 s after a 10,000-article build printed its summary. Everything is written and closed
    by then (files, the cache, the pools' workers): only the output streams and logging are flushed."""
    code = main()
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (``digest review | head``): as main() treats it
            pass
        except (OSError, ValueError):
            code = code or 1  # a full disk: say so in the exit status
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DigestError as exc:
        print_problems(exc.problems)
        return exc.exit_code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0
