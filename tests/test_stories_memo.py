"""The story clustering's memo (taxonomy/stories.py, storyindex.py, storygroups.py): carried through edits
and through new processes it gives what a cold clustering gives, an edit assigns again only the units
near it, and the read step's texts are what clustering reads."""

from __future__ import annotations

import pickle
import random
import zlib
from array import array
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import article
from storyset import load_set

import generator.taxonomy.stories as stories_module
import generator.taxonomy.storyindex as storyindex
import generator.taxonomy.storylinks as storylinks
from generator.build.read import ParseSettings, parse_slice
from generator.cache import decode_article
from generator.config import load_config
from generator.model import Article
from generator.sources.articles import read_article
from generator.taxonomy import Aliases, StoryMemo, build_index, replace_articles
from generator.taxonomy.stories import Stories, StorySettings, find_stories
from generator.taxonomy.storytext import sketch, story_text


def _timeline(copies: int, days: int) -> list[Article]:
    """The labelled sets again every ``days`` days: a long time line of stories far apart."""
    base = load_set("dev")[0] + load_set("holdout")[0]
    out = []
    for k in range(copies):
        for a in base:
            assert a.date is not None
            pin = f"{a.story}-{k}" if a.story and a.story != "none" else a.story
            out.append(replace(a, slug=f"{a.slug}-{k}", path=f"content/articles/{a.slug}-{k}.md",
                               date=a.date + timedelta(days=days * k), story=pin))
    return out


def _shape(found: Stories) -> tuple[object, ...]:
    return (sorted(found.groups.values()), [(s.slug, [a.slug for a in s.articles]) for s in found.stories],
            sorted((slug, story.slug) for slug, story in found.story_of.items()))


def test_a_memo_through_edits_and_new_processes_equals_a_cold_clustering() -> None:
    """Several edits at once (far apart too), wire copies, pins, dates moved, articles gone and back, and now
    and then the memo stored and taken up by a "new process" (pickled): the same stories as from scratch,
    made of the articles given (not older versions of them)."""
    pool = _timeline(3, 45)
    rng = random.Random(7)
    current = {a.slug: a for a in pool[::2]}
    memo = StoryMemo()
    for step in range(70):
        for _ in range(rng.choice([1, 1, 2, 3, 6])):
            slug = rng.choice(sorted(current))
            a = current[slug]
            assert a.date is not None
            roll = rng.random()
            if roll < 0.15:
                spare = [b for b in pool if b.slug not in current]
                if spare:
                    new = rng.choice(spare)
                    current[new.slug] = new
            elif roll < 0.3 and len(current) > 10:
                del current[slug]
            elif roll < 0.45:
                other = current[rng.choice(sorted(current))]
                current[slug] = replace(a, title=a.title + " " + " ".join(other.title.split()[:3]))
            elif roll < 0.55:
                current[slug] = replace(a, date=a.date + timedelta(hours=rng.choice([-70, -6, 9, 80])))
            elif roll < 0.7:
                copy = f"copy-{step}-{rng.randrange(1000)}"
                current[copy] = replace(a, slug=copy, path=f"content/articles/{copy}.md",
                                        date=a.date + timedelta(hours=rng.randrange(100)))
            elif roll < 0.85:
                target = rng.choice([rng.choice(sorted(current)), "none", "Named story", "other name"])
                current[slug] = replace(a, story=target)
            else:
                current[slug] = replace(a, story=None, body=" ".join(a.body.split()[::-1]))
        articles = list(current.values())
        rng.shuffle(articles)
        warm = find_stories(articles, StorySettings(), memo=memo)
        fresh = StoryMemo()
        cold = find_stories(sorted(articles, key=lambda a: a.slug), StorySettings(), memo=fresh)
        assert _shape(warm) == _shape(cold), step
        assert _edges(memo) == _edges(fresh), step
        assert all(a is current[a.slug] for s in warm.stories for a in s.articles), step
        if rng.random() < 0.25:
            memo = pickle.loads(pickle.dumps(memo))


WORDS = ["harbour", "ferry", "crane", "port", "strike", "union", "wage", "council", "budget", "tariff", "steel",
         "mill", "rail", "grain", "barge", "fog", "storm", "bridge", "toll", "levy", "fish", "quota", "dock", "pilot",
         "tug", "cargo", "berth", "lock", "canal", "pier", "fuel", "ice", "flood"]
NAMES = ["Ada Brook", "Ravi Lund", "Mei Torres", "Olu Grant", "Ines Falk", "Tom Reyes"]


def _dense(n: int, days: int, rng: random.Random) -> list[Article]:
    """``n`` articles over ``days`` days from a small vocabulary: many similar pairs, long chains of
    choices (one assignment changing the next), as in a busy news week."""
    start = load_set("dev")[0][0].date
    assert start is not None
    out = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 8))).capitalize()
        body = ". ".join(" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(5)) + "."
        out.append(Article(path=f"content/articles/d{i}.md", slug=f"d{i}", title=title, body=body,
                           date=start + timedelta(minutes=rng.randrange(days * 1440)),
                           people=tuple(rng.sample(NAMES, rng.randint(0, 2)))))
    return out


def test_a_busy_week_through_edits_equals_a_cold_clustering() -> None:
    """Where one changed choice changes the next (stories close in time and alike), the memo goes on
    assigning until the choices come out as before: still what a cold clustering gives."""
    rng = random.Random(11)
    pool = _dense(360, 12, rng)
    current = {a.slug: a for a in pool[:300]}
    memo = StoryMemo()
    for step in range(30):
        for _ in range(rng.choice([1, 2, 4])):
            slug = rng.choice(sorted(current))
            a = current[slug]
            assert a.date is not None
            roll = rng.random()
            if roll < 0.3:
                current[slug] = replace(a, title=" ".join(rng.choice(WORDS) for _ in range(6)))
            elif roll < 0.5:
                current[slug] = replace(a, date=a.date + timedelta(hours=rng.choice([-40, 30])))
            elif roll < 0.7 and len(current) > 200:
                del current[slug]
            else:
                spare = [b for b in pool if b.slug not in current]
                if spare:
                    current[spare[0].slug] = spare[0]
        articles = list(current.values())
        warm = find_stories(articles, StorySettings(), memo=memo)
        fresh = StoryMemo()
        cold = find_stories(sorted(articles, key=lambda a: a.slug), StorySettings(), memo=fresh)
        assert _shape(warm) == _shape(cold), step
        assert _edges(memo) == _edges(fresh), step


def test_an_edit_assigns_again_only_the_units_near_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six copies of the labelled sets two months apart: retitling one article, or two in copies far
    apart, assigns again the units around them, not every article in between (a word whose weight moves
    for articles everywhere, or the site's size crossing a power of two, assigns everything again)."""
    articles = _timeline(6, 60)
    per_copy = len(articles) // 6
    memo = StoryMemo()
    find_stories(articles, StorySettings(), memo=memo)
    assigned: list[int] = []
    real = stories_module.assign

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        got = real(*args, **kwargs)
        assigned.append(len(got))
        return got

    monkeypatch.setattr(stories_module, "assign", counted)
    edited = list(articles)
    for picks in ([2 * per_copy + 5], [per_copy + 3, 4 * per_copy + 7]):
        for k in picks:  # a word no other article has: only the edited articles' weights move
            edited[k] = replace(edited[k], title=f"{edited[k].title} zyzzyva{k}")
        warm = find_stories(edited, StorySettings(), memo=memo)
        assert 0 < assigned[-1] <= len(picks) * per_copy // 2, assigned
        assert _shape(warm) == _shape(find_stories(edited, StorySettings()))


def test_a_memo_taken_up_with_nothing_changed_clusters_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _timeline(2, 30)
    memo = StoryMemo()
    before = find_stories(articles, StorySettings(), memo=memo)
    stored = pickle.dumps(memo)
    assert len(stored) < 3000 * len(articles)  # a few hundred bytes an article, plus its sketch
    loaded = pickle.loads(stored)
    monkeypatch.setattr(StoryMemo, "_change", lambda *a: pytest.fail("clustered again"))
    again = find_stories([replace(a) for a in articles], StorySettings(), memo=loaded)
    assert _shape(again) == _shape(before)


def _plain_sketch(tokens: list[str]) -> tuple[int, ...]:
    """The one-permutation MinHash as storytext.py defines it, written the plain way."""
    mask = (1 << 61) - 1
    if len(tokens) < 8:
        return ()
    ids = [zlib.crc32(t.encode("utf-8")) for t in tokens]
    bins = [mask] * 64
    for i in range(len(ids) - 2):
        h = (ids[i] * 0x9E3779B97F4A7C15) ^ (ids[i + 1] * 0xC2B2AE3D27D4EB4F) ^ (ids[i + 2] * 0x165667B19E3779F9)
        h = ((h ^ (h >> 29)) * 0xBF58476D1CE4E5B9) & mask
        bins[h % 64] = min(bins[h % 64], h // 64)
    for b in range(64):
        if bins[b] == mask:
            for d in range(1, 64):
                if bins[(b + d) % 64] != mask:
                    bins[b] = bins[(b + d) % 64] + d * (mask // 64)
                    break
    return tuple(bins)


def test_the_sketch_is_its_definition() -> None:
    rng = random.Random(3)
    vocabulary = ["tariff", "steel", "port", "québec", "2,400", "l'usine", "a", "the", "李明", "ǆ", "",
                  *(f"w{i}" for i in range(40))]
    for n in (0, 7, 8, 9, 10, 12, 30, 200, 201, 1000):
        for _ in range(20):
            tokens = [rng.choice(vocabulary[: rng.randint(2, len(vocabulary))]) for _ in range(n)]
            bins = array("Q")
            bins.frombytes(sketch(tokens))
            assert tuple(bins) == _plain_sketch(tokens)


def test_the_read_workers_texts_are_what_clustering_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_slice (run by the read step's workers) makes each article's story text; a memo that learnt the
    texts clusters without reading any article text itself, into the same stories."""
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True)
    body = ("The port authority closed the container terminal on Monday after a crane collapsed onto two ships, "
            "and said the berths would stay shut while inspectors examined the other cranes at the terminal.")
    for i, (title, when) in enumerate([("Crane collapse shuts container terminal", "2025-05-05T09:00:00-04:00"),
                                       ("Port terminal closed after crane falls on ships", "2025-05-05T10:00:00-04:00"),
                                       ("City council approves new bike lanes", "2025-05-06T10:00:00-04:00")]):
        (folder / f"a{i}.md").write_text(article(title, when, body if i < 2 else "Council voted 9-2 for lanes.",
                                                 places=["Halifax"]), encoding="utf-8")
    settings = ParseSettings(tmp_path, ZoneInfo("America/Halifax"), hotlink=False)
    parsed = parse_slice(settings, sorted(folder.glob("*.md")))
    articles = []
    for p in parsed:
        assert p.blob is not None and p.story is not None
        a = decode_article(p.blob)
        assert p.story == story_text(a)
        articles.append(a)
    want = find_stories(articles, StorySettings())
    memo = StoryMemo()
    memo.learn({a.content_hash: p.story for a, p in zip(articles, parsed, strict=True) if p.story})
    monkeypatch.setattr(storyindex, "story_text", lambda a: pytest.fail("read the text again"))
    got = find_stories(articles, StorySettings(), memo=memo)
    assert _shape(got) == _shape(want)
    assert [a.slug for a in got.stories[0].articles] == ["a0", "a1"]


CONFIG = """\
site: {title: Swap Digest, url: https://example.org/, timezone: Pacific/Kiritimati}
topics:
  - name: Harbour
    match: {any: [harbour, ferry], min_hits: 1}
"""


def test_swapping_edited_articles_into_the_index_equals_building_it(tmp_project) -> None:  # type: ignore[no-untyped-def]
    """The watch-mode index (replace_articles) swaps only the groups an article is in: the same index as
    building it again, for articles at month ends in a UTC+14 site, with tags, people, places, aliases."""
    files = {}
    days = ["2025-01-31T09:30:00Z", "2025-01-31T11:00:00Z", "2025-02-01T00:30:00+01:00", "2025-02-14T12:00:00Z",
            "2025-02-28T10:30:00Z", "2025-03-01T08:00:00-05:00"]
    for i, when in enumerate(days):
        files[f"content/articles/n{i}.md"] = article(
            f"Harbour ferry note {i}", when, "The ferry ran late." if i % 2 else "Harbour news.",
            tags=["Ferries", f"t{i % 3}"], people=["Tiff Macklem", "T. Macklem"][: 1 + i % 2],
            places=["Halifax"] if i % 3 else ["Dartmouth", "Halifax"], organizations=["HA"] if i % 2 else [])
    root = tmp_project(files, config=CONFIG)
    config = load_config(root / "config.yaml")
    aliases = Aliases.from_names({"Tiff Macklem": ["T. Macklem"], "Harbour Authority": ["HA"]})
    articles = [read_article(p, f"content/articles/{p.name}", config.tz)
                for p in sorted((root / "content" / "articles").glob("*.md"))]
    index = build_index(articles, config, aliases=aliases)
    for k in range(len(articles)):
        old = articles[k]
        new = replace(old, title=old.title + " (updated)", body=old.body + " More.")
        articles = [new if a is old else a for a in articles]
        swapped = replace_articles(index, {id(old): new}, index.stories)
        built = build_index(articles, config, aliases=aliases)
        assert swapped is not None
        for name in ("articles", "topic_articles", "tags", "people", "months", "organizations", "places"):
            assert getattr(swapped, name) == getattr(built, name), (k, name)
        index = swapped


def _crowded_days(n: int, days: int, rng: random.Random) -> list[Article]:
    """``n`` versions of one story over ``days`` days, each from a few of 120 story words rare on the site:
    most articles are candidates of each other, far more than an article is compared with."""
    start = load_set("dev")[0][0].date
    assert start is not None
    vocab = [a + b for a in ("bar", "cel", "dun", "fen", "gor", "hal", "jur", "kim", "lon", "mab", "nor", "pel")
             for b in ("ick", "om", "ust", "ade", "ern", "ilt", "ope", "ux", "ash", "ey")]
    out = []
    for i in range(n):
        title = " ".join(rng.sample(vocab, 6)).capitalize()
        body = " ".join(rng.sample(vocab, 8)) + "."
        out.append(Article(path=f"content/articles/c{i}.md", slug=f"c{i}", title=title, body=body,
                           date=start + timedelta(minutes=rng.randrange(days * 1440)),
                           people=tuple(rng.sample(NAMES, rng.randint(0, 2)))))
    return out


@pytest.mark.parametrize("days", [1, 6])
def test_where_the_cap_on_comparisons_binds_edits_in_any_order_equal_a_cold_clustering(days: int) -> None:
    """A crowded day or week (each article with more candidates than MAX_COMPARED, so which ones it compares
    with depends on the others; in a day every one has more than OPEN_CANDIDATES, so is compared only with
    those it chose, in six days about half): edits in two different orders, each step equal to a cold
    clustering."""
    rng = random.Random(5)
    pool = _crowded_days(190, days, rng)
    size = 150
    cold = find_stories(pool[:size], StorySettings())
    memo = StoryMemo()
    find_stories(pool[:size], StorySettings(), memo=memo)
    ix = memo.index
    window = StorySettings().window_days * storyindex.DAY
    counts = [len(storylinks.candidates(ix, i, window)) for i in ix.live()]
    assert min(counts) > storylinks.MAX_COMPARED  # the cap binds
    closed = sum(n > storylinks.OPEN_CANDIDATES for n in counts)
    if days == 1:
        assert closed == size
    else:  # the others are compared with those that chose them too
        assert size // 4 < closed < size * 3 // 4
    for seed in (1, 3):  # (3: an edit makes an article closed and changes no choice; its edges change)
        order = random.Random(seed)
        current = {a.slug: a for a in pool[:size]}
        memo = StoryMemo()
        for step in range(12):
            for _ in range(order.choice([1, 3])):
                slug = order.choice(sorted(current))
                a = current[slug]
                assert a.date is not None
                roll = order.random()
                if roll < 0.35:
                    current[slug] = replace(a, title=" ".join(order.sample(a.title.split(), 4)))
                elif roll < 0.55:
                    current[slug] = replace(a, date=a.date + timedelta(hours=order.choice([-5, 7])))
                elif roll < 0.75:
                    del current[slug]
                else:
                    current.update((b.slug, b) for b in order.sample(pool[size:], 2))
            articles = list(current.values())
            warm = find_stories(articles, StorySettings(), memo=memo)
            fresh = StoryMemo()
            assert _shape(warm) == _shape(find_stories(sorted(articles, key=lambda a: a.slug), StorySettings(),
                                                       memo=fresh)), step
            assert _edges(memo) == _edges(fresh), step  # the same pairs compared, the same similarities
    assert cold.stories  # the day is one story or several, not nothing


def _edges(memo: StoryMemo) -> list[tuple[str, str, float]]:
    """The similarity graph: a pair's similarity is a function of the two articles, whatever the order."""
    ix = memo.index
    return sorted((ix.slug[i] or "", ix.slug[o] or "", sim)
                  for i in ix.live() for o, sim in zip(ix.nbrs[i], ix.sims[i], strict=True))
