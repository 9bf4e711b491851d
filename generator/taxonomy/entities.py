"""People, organizations and places as pages: names merged by slug and by the alias file (Taxonomy, pure).

The alias file (``content/aliases.yaml``, read by Sources and handed in by Build) maps a canonical name
to the other names it goes by: ``Bank of Canada: [BoC, Banque du Canada]``. Every spelling is merged by
its slug first (``Ontario`` and ``ontario`` are one page); an alias's slug then points to the canonical
name's. An entity gets a page when it is named in at least ``min_articles`` published articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model import Article
from generator.slug import slugify


@dataclass(frozen=True)
class Group:
    """A tag, a person, an organization, a place or a month: a named, slugged list of articles in site order."""

    name: str
    slug: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Aliases:
    """Canonical names and the names that stand for them, keyed by slug."""

    canonical: Mapping[str, str]  # slug of any name (canonical ones too) → the canonical name

    @classmethod
    def from_names(cls, names: Mapping[str, Sequence[str]]) -> Aliases:
        """``{"Bank of Canada": ["BoC"]}`` as the alias file gives it."""
        canonical: dict[str, str] = {}
        for name in sorted(names):
            canonical[slugify(name)] = name
            for alias in names[name]:
                canonical.setdefault(slugify(alias), name)
        return cls(canonical)

    def name(self, name: str) -> str:
        """The canonical name for ``name`` (itself when no alias names it)."""
        return self.canonical.get(slugify(name), name)

    def slugs(self) -> dict[str, str]:
        """Slug of a name → slug of its canonical name (for story clustering's entity terms)."""
        return {s: slugify(n) for s, n in self.canonical.items() if slugify(n) != s}


NO_ALIASES = Aliases({})


def group_names(pairs: Iterable[tuple[str, Article]], order: Sequence[Article] | Mapping[str, int],
                aliases: Aliases = NO_ALIASES, min_articles: int = 1) -> tuple[Group, ...]:
    """Group by slug, after aliases; named by the canonical name, else the most used spelling.

    ``order``: the articles in site order, or each one's position in it."""
    position = order if isinstance(order, Mapping) else {a.slug: i for i, a in enumerate(order)}
    members: dict[str, dict[str, Article]] = defaultdict(dict)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    fixed: dict[str, str] = {}
    for raw, article in pairs:
        name = aliases.name(raw)
        slug = slugify(name)
        if name != raw or slugify(raw) in aliases.canonical:
            fixed[slug] = name
        members[slug][article.slug] = article
        spellings[slug][name] += 1
    groups = []
    for slug in sorted(members):
        if len(members[slug]) < min_articles:
            continue
        name = fixed.get(slug) or sorted(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        arts = sorted(members[slug].values(), key=lambda a: position[a.slug])
        groups.append(Group(name=name, slug=slug, articles=tuple(arts)))
    return tuple(groups)


def is_named_person(name: str) -> bool:
    """Unnamed speakers (``U.S. embassy official``) keep their quote but get no people page."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 3)


def people_pairs(articles: Iterable[Article]) -> Iterable[tuple[str, Article]]:
    for a in articles:
        for p in (*a.people, *(q.speaker for q in a.quotes if q.speaker)):
            if is_named_person(p):
                yield p, a


def entity_slugs(article: Article, kind: str, aliases: Aliases) -> tuple[str, ...]:
    """The slugs ``article``'s people / organizations / places have as pages (before ``min_articles``)."""
    names: Iterable[str] = (p for p, _ in people_pairs((article,))) if kind == "people" else getattr(article, kind)
    return tuple(dict.fromkeys(slugify(aliases.name(n)) for n in names))
