"""The steps after reading: index → plan → render → write, each a function returning a typed value.

``plan`` decides which outputs exist and which must be rendered again (a job's fingerprint changed or
its file is missing); ``render`` renders those in the executor's workers into temp files (or straight
into a cold build's staging folder); ``write`` swaps them in only when the whole render succeeded, so a
render error writes nothing, and removes the outputs that no longer exist.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2

from generator.build.bodies import BodyRenderer
from generator.build.state import BuildState, IndexMemo, Templates
from generator.cache import BodyReader
from generator.config import Config
from generator.errors import Problem, TemplateError
from generator.executor import fork_map
from generator.model import Article
from generator.plan import TEMPLATES, FeedRow, Job, SitePlanner
from generator.render import make_environment, render_job, static_files, template_fingerprints, templates_stamp
from generator.taxonomy import (
    NO_ALIASES,
    Aliases,
    SiteIndex,
    build_index,
    replace_articles,
    stories_of,
    undefined_topic_problems,
)
from generator.write import (
    Staged,
    commit_staged,
    copy_fresh_file,
    discard_staged,
    existing_outputs,
    make_folders,
    remove_outputs,
    remove_page_placeholders,
    safe_output_path,
    stage_file,
    write_fresh_file,
)

PARALLEL_RENDER = 400  # outputs to render before forking pays off

Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------- index

def index_site(config: Config, state: BuildState, articles: Sequence[Article], swaps: dict[int, Article] | None,
               *, drafts: bool, aliases: Aliases = NO_ALIASES) -> tuple[SiteIndex, list[Problem]]:
    """Topics, tags, people, stories and archives; last build's index is reused when no article can have
    moved (its stories are found again: an edit of the text may move an article between stories)."""
    index = None
    memo = state.index
    if memo is not None and swaps is not None and memo.drafts == drafts and memo.aliases == aliases:
        new_articles = [swaps.get(id(a), a) for a in memo.index.articles]
        index = replace_articles(memo.index, swaps, stories_of(new_articles, config, aliases, state.stories))
    reused = index is not None
    if index is None:
        index = build_index(articles, config, drafts=drafts, aliases=aliases, story_memo=state.stories)
    state.index = IndexMemo(drafts, index, reused, aliases)
    problems = undefined_topic_problems(index)
    return index, problems


# ---------------------------------------------------------------- plan

@dataclass(frozen=True)
class SitePlan:
    """This build's plan. ``whole``: every output was compared with site/ and the last fingerprints; else
    (a long-lived Builder after a build that completed) only the outputs planned in this build were, as
    the others are last build's, as they were."""

    planner: SitePlanner
    env: jinja2.Environment
    bodies: BodyRenderer
    planned: Mapping[str, Job]  # every output the site has, by path (the plan memo's: read, never changed)
    todo: list[Job]  # the jobs to render in this build
    previous: dict[str, str]  # last build's fingerprints (Builder._keep makes them this build's: commit())
    existing: set[str]  # files in site/ before this build
    static: dict[str, Path]  # static output path -> source file
    gone: set[str]  # outputs of the last build that this one has not
    fresh: list[Job]  # the jobs planned in this build
    whole: bool

    @cached_property
    def jobs(self) -> list[Job]:
        return list(self.planned.values())

    @cached_property
    def fingerprints(self) -> dict[str, str]:
        """Output path -> fingerprint of its inputs, for every output."""
        return {path: job.digest for path, job in self.planned.items()}

    @property
    def feeds(self) -> int:
        """The site's and the topics' feeds, as DESIGN.md's summary line counts them."""
        return 2 * sum(1 for _, folder in self.planner.published_feeds if not folder.startswith("tags/"))

    def stale(self, also_keep: Collection[str] = ()) -> set[str]:
        """Files of site/ that are no outputs (any more): all those not planned in a ``whole`` plan, else
        the outputs this build has no longer."""
        if self.whole:
            return self.existing - self.planned.keys() - self.static.keys() - set(also_keep)
        return {p for p in self.gone if p in self.existing and p not in self.static and p not in also_keep}

    def outputs(self, also: Collection[str]) -> set[str]:
        """The files of site/ after this build's write (``also``: the search index's)."""
        if self.whole:
            return set(self.planned) | set(self.static) | set(also)
        outputs = self.existing  # last build's (BuildState.outputs), brought up to date
        outputs.difference_update(self.gone)
        outputs.update(j.path for j in self.fresh)
        outputs.update(self.static, also)
        return outputs

    def touches(self, prefix: str) -> bool:
        """Whether an output under ``prefix`` is rendered or removed in this build."""
        return any(j.path.startswith(prefix) for j in self.todo) or any(p.startswith(prefix) for p in self.gone)

    def commit(self) -> dict[str, str]:
        """The fingerprints of site/ once this build's todo is written: last build's, brought up to date."""
        previous = self.previous
        previous.update((j.path, j.digest) for j in self.todo)
        for path in self.gone:
            previous.pop(path, None)
        return previous


def environment(config: Config, state: BuildState) -> Templates:
    """The Jinja environment, made again only when a template file changed."""
    stamp = templates_stamp(config)
    if state.templates is None or state.templates.stamp != stamp:
        state.templates = Templates(stamp, make_environment(config))
    state.templates.env.fragment_cache.clear()  # type: ignore[attr-defined]  # fragments live for one build
    return state.templates


def plan_site(config: Config, state: BuildState, index: SiteIndex, cache_fingerprints: Callable[[], dict[str, str]],
              cache_path: Path | None, out: Path, *, cold: bool, feed_rows: Sequence[FeedRow] | None) -> SitePlan:
    """Every job of the site with its fingerprint (the plan memo, ``plan/memo.py``, spares re-planning
    what did not change), and the jobs to render: a changed fingerprint, or a file missing from site/."""
    templates_before = state.templates
    templates = environment(config, state)
    if templates.fingerprints is None:
        templates.fingerprints = template_fingerprints(templates.env, list(TEMPLATES))
    if state.body_renderer is None:
        state.body_renderer = BodyRenderer(config.images == "hotlink", state.bodies, BodyReader(cache_path))
    bodies = state.body_renderer
    bodies.new = {}
    memo, state.plan = state.plan, None  # the memo is updated in place: only a plan that completed is kept
    planner = SitePlanner(config, index, bodies, memo, templates.fingerprints)
    bodies.want(planner.feed_articles())
    planned = planner.plan(feed_rows)
    state.plan = planner.memo
    jobs = planner.memo.jobs
    whole = cold or planned.whole or templates is not templates_before or state.plan_pending \
        or state.fingerprints is None or state.outputs is None
    state.plan_pending = True  # until Builder._keep: a build that fails leaves its plan unrendered
    if cold:
        previous: dict[str, str] = {}
        existing: set[str] = set()
        todo, gone = list(jobs.values()), set()
    elif whole:
        previous = state.fingerprints if state.fingerprints is not None else cache_fingerprints()
        existing = state.outputs if state.outputs is not None else existing_outputs(out)
        todo = [j for j in jobs.values() if previous.get(j.path) != j.digest or j.path not in existing]
        gone = previous.keys() - jobs.keys()
    else:  # only this build's jobs can differ from site/: the others were rendered (or kept) as they are
        assert state.fingerprints is not None and state.outputs is not None
        previous, existing = state.fingerprints, state.outputs
        todo = [j for j in planned.fresh if previous.get(j.path) != j.digest or j.path not in existing]
        gone = planned.gone
    assert all(j.digest for j in planned.fresh), "a job without a fingerprint would never be rendered again"
    return SitePlan(planner, templates.env, bodies, jobs, todo, previous, existing, static_files(config), gone,
                    planned.fresh, whole)


# ---------------------------------------------------------------- render

@dataclass(frozen=True)
class Rendered:
    staged: list[Staged]  # temp files to swap in (none in a cold build: files are written in place)
    written: list[str]  # output paths whose bytes changed
    problems: list[Problem]

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def _weight(job: Job) -> int:
    """Rough cost order for scheduling: 0 feeds and other XML, 1 listings, 2 article pages."""
    if not job.path.endswith(".html"):
        return 0
    return 2 if job.path.startswith("articles/") else 1


def render_site(plan: SitePlan, target: Path, *, cold: bool, premade: frozenset[str], spool: Path | None,
                workers: int, progress: Progress | None) -> Rendered:
    """Render the plan's jobs into ``target`` (the staging folder of a cold build, else site/ by way of
    temp files in ``spool``)."""
    if cold:
        # Article folders not made while parsing (their parse came from the cache) are made here,
        # in one process; the render workers make the listings' folders as they need them.
        make_folders(target, [j.path for j in plan.todo if j.path.startswith("articles/")
                              and j.path.split("/")[1] not in premade])
    else:
        make_folders(target, [j.path for j in plan.todo])
    jobs = plan.todo
    if workers > 1 and len(jobs) >= PARALLEL_RENDER:
        # The costliest jobs (feeds, the sitemap, then listings) go first, so that what is left for
        # the end are article pages, small enough for both workers to finish together.
        jobs = sorted(jobs, key=_weight)
    env, bodies = plan.env, plan.bodies
    staged: list[Staged] = []
    written: list[str] = []
    problems: list[Problem] = []
    new_bodies: dict[str, str] = {}

    def render_slice(part: Sequence[Job]) -> tuple[list[Staged], list[str], dict[str, str], list[Problem]]:
        bodies.new = {}  # report only this slice's bodies, or the dict grows with every slice
        part_staged, part_written, part_problems = [], [], []
        for job in part:
            try:
                data = render_job(env, job)
            except TemplateError as exc:
                part_problems.extend(exc.problems)
                break
            path = safe_output_path(target, job.path)
            if cold:  # a fresh staging folder nobody reads yet (its folders exist): no temp files
                write_fresh_file(path, data)
                part_written.append(job.path)
            else:
                tmp = stage_file(path, data, spool=spool)
                if tmp is not None:
                    part_staged.append(Staged(tmp, job.path))
                    part_written.append(job.path)
        return part_staged, part_written, bodies.new, part_problems

    def taken(result: tuple[list[Staged], list[str], dict[str, str], list[Problem]], done: int) -> None:
        part_staged, part_written, new, part_problems = result
        staged.extend(part_staged)
        written.extend(part_written)
        bodies.known.update(new)
        new_bodies.update(new)
        problems.extend(part_problems)
        if progress is not None and len(jobs) >= PARALLEL_RENDER:
            progress("rendering", done, len(jobs))

    fork_map(render_slice, jobs, workers=workers, parallel_from=PARALLEL_RENDER, min_slice=40, taken=taken)
    bodies.new = new_bodies
    if not problems:
        for rel, src in plan.static.items():
            dest = safe_output_path(target, rel)
            if cold:
                copy_fresh_file(src, dest)
                written.append(rel)
            else:
                tmp = stage_file(dest, src.read_bytes(), spool=spool)
                if tmp is not None:
                    staged.append(Staged(tmp, rel))
                    written.append(rel)
    if cold:  # folders made while parsing for an article that got no page (a clash with an unread file)
        used = {j.path.split("/")[1] for j in plan.jobs if j.path.startswith("articles/")}
        remove_page_placeholders(target / "articles", premade - used)
    if problems:
        discard_staged(staged)
        return Rendered([], [], problems)
    return Rendered(staged, written, [])


# ---------------------------------------------------------------- write

def write_site(plan: SitePlan, rendered: Rendered, out: Path,
               also_keep: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """Swap the staged files in and remove outputs that no longer exist (but ``also_keep``: the search
    index, which the search step owns); (written, removed)."""
    commit_staged(out, rendered.staged)
    removed = remove_outputs(out, plan.stale(also_keep))
    return sorted(rendered.written), removed
