#!/usr/bin/env python3
"""Score the extractor against hand-labelled fixtures (``NAME.txt``/``NAME.html`` + ``NAME.gold.yaml``).

    scripts/score_extract.py [--dir tests/fixtures/articles] [--cmd 'digest extract {file} --json'] [-v] [--min F]

Each field of each file gets a score in [0, 1]; a field's score is its mean over the files and the last
line, ``overall F1 0.xx``, is the unweighted mean of the 14 field scores. The gold format and the matching
conventions (normalisation, ``a|b`` alternatives, ``*_optional`` lists, quote and boilerplate rules) are the
ones of the shared labelling guide, implemented here from that description so the project needs nothing
outside its own tree. By default extraction runs in-process (one interpreter for all files instead of one per
file); ``--cmd`` scores any command that prints the extractor's JSON instead, e.g. another implementation.

Standard library + PyYAML only, so it runs wherever the project's tests run.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "tests" / "fixtures" / "articles"
SOURCE_SUFFIXES = (".txt", ".html")
TOPIC_SET = ("Trade War", "Steel and Aluminum", "Canada-US Relations", "Sports", "Wildfires", "Interest Rates")
FIELDS = ("title", "section", "source", "date", "image_credit", "people", "organizations", "places",
          "authors+contrib", "topics", "quote speakers", "boilerplate", "body_first", "body_last")
SET_FIELDS = ("people", "organizations", "places", "authors+contrib", "topics", "quote speakers")
CMD_TIMEOUT = 120

# ---------------------------------------------------------------------------------------------------------
# Normalisation: the guide makes every comparison insensitive to case, accents, punctuation and spacing,
# so two labellers (or a labeller and the extractor) never disagree over "U.S." vs "US" or curly quotes.

# Letters NFKD does not decompose into base + accent.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ł": "l",
                       "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i"})
_APOSTROPHES = re.compile(r"[’‘ʼ`´]")
_POSSESSIVE = re.compile(r"'s\b")
# Hyphens, dashes, slashes, bars and bullets separate words; every other punctuation mark just vanishes.
_SEPARATORS = re.compile(r"[-‐‑‒–—―−/\\|•·‣◦⁃∙▪●]")
_OTHER = re.compile(r"[^\w\s]|_")
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|hon)\s+")


def norm(text: str | None) -> str:
    """Comparable form of a label or a prediction (see the module comment above for why)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _APOSTROPHES.sub("'", text).replace("&", " and ")
    text = _POSSESSIVE.sub("", text)
    text = _OTHER.sub("", _SEPARATORS.sub(" ", text))
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else ("" if text == "the" else text)


def norm_name(text: str | None) -> str:
    """A person's name: also drops a leading Mr/Mrs/Ms/Dr/Sir/Hon, the only titles the guide ignores."""
    return _HONORIFIC.sub("", norm(text))


def alternatives(value: str | None, normaliser: Callable[[str | None], str] = norm) -> set[str]:
    """``"a|b"`` → {norm(a), norm(b)}: a gold value lists every acceptable variant explicitly."""
    if value is None:
        return set()
    return {n for n in (normaliser(part) for part in str(value).split("|")) if n}


def contains(haystack: str, needle: str) -> bool:
    """Whole-word containment of normalised strings ("us" must not match inside "focus")."""
    return bool(needle) and f" {needle} " in f" {haystack} "


# ---------------------------------------------------------------------------------------------------------
# Field scorers. Each takes the gold mapping and the prediction and returns a score in [0, 1] plus a short
# note for -v; keeping them separate keeps each rule of the guide in one readable place.


@dataclass
class FieldScore:
    """One field of one file: the score, and P/R for set fields so the summary can print them."""

    score: float
    precision: float | None = None
    recall: float | None = None
    note: str = ""


@dataclass
class SetCount:
    """Counts behind a set F1; ``missing``/``extra`` are kept only to explain a low score."""

    tp: int = 0
    fp: int = 0
    gold: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def result(self) -> FieldScore:
        """P = TP/(TP+FP), 1 with nothing counted; R = TP/|gold|, 1 with empty gold; F1 = harmonic mean."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / self.gold if self.gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        note = ""
        if self.missing or self.extra:
            note = f"missing={self.missing} extra={self.extra}"
        return FieldScore(f1, precision, recall, note)


def score_choice(gold: Any, predicted: str | None,
                 normaliser: Callable[[str | None], str] = norm) -> FieldScore:
    """Single-valued fields: 1 if the prediction equals any accepted alternative, ``null`` ≙ empty.

    ``gold`` may be a string with ``a|b`` alternatives, ``None``, or a list mixing both.
    """
    options = gold if isinstance(gold, list) else [gold]
    accepted: set[str] = set()
    null_ok = False
    for option in options:
        if option is None or not str(option).strip():
            null_ok = True
        else:
            accepted |= alternatives(option, normaliser)
    got = normaliser(predicted)
    ok = (not got and null_ok) or (bool(got) and got in accepted)
    return FieldScore(1.0 if ok else 0.0, note="" if ok else f"got={predicted!r} want={gold!r}")


def score_date(gold: Any, predicted: str | None) -> FieldScore:
    """Publication day only: the prediction's ``YYYY-MM-DD`` prefix, taken in the page's own local time."""
    day = None
    if predicted:
        m = re.match(r"\d{4}-\d{2}-\d{2}", str(predicted).strip())
        day = m.group(0) if m else str(predicted)
    options = gold if isinstance(gold, list) else [gold]
    ok = day in {str(o) for o in options if o} or (day is None and any(o is None for o in options))
    return FieldScore(1.0 if ok else 0.0, note="" if ok else f"got={predicted!r} want={gold!r}")


def score_set(gold: Sequence[str] | None, optional: Sequence[str] | None, predicted: Iterable[str],
              normaliser: Callable[[str | None], str] = norm) -> FieldScore:
    """Set F1 where each gold item is a set of alternatives and optional items are neither TP nor FP.

    A prediction naming an already-matched gold item again ("Fed" after "Federal Reserve") is the same
    entity listed twice, so it is ignored rather than counted as a false positive.
    """
    wanted = [alternatives(item, normaliser) for item in gold or []]
    spare = set().union(*(alternatives(item, normaliser) for item in optional or []))
    found = [False] * len(wanted)
    count = SetCount(gold=len(wanted))
    seen: set[str] = set()
    for raw in predicted:
        key = normaliser(raw)
        if not key or key in seen:
            continue
        seen.add(key)
        hit = next((i for i, alts in enumerate(wanted) if key in alts), None)
        if hit is not None:
            if not found[hit]:
                found[hit] = True
                count.tp += 1
        elif key not in spare:
            count.fp += 1
            count.extra.append(raw)
    count.missing = [str(item) for item, ok in zip(gold or [], found, strict=True) if not ok]
    return count.result()


def score_topics(gold: Any, predicted: Iterable[str]) -> FieldScore:
    """Topics: set F1 over the fixed topic set; project topics outside it are not labelled, so not scored."""
    allowed = {norm(t) for t in TOPIC_SET}
    kept = [t for t in predicted if norm(t) in allowed]
    return score_set(gold.get("topics"), gold.get("topics_optional"), kept)


@dataclass
class Quote:
    """A labelled quote: who may have said it (alternatives) and the normalised opening words."""

    speakers: set[str]
    start: str
    label: str


def _gold_quotes(items: Sequence[dict[str, Any]] | None) -> list[Quote]:
    quotes = []
    for item in items or []:
        start = norm(item.get("text_start"))
        quotes.append(Quote(alternatives(item.get("speaker"), norm_name), start,
                            f"{item.get('speaker')}: {item.get('text_start')}"))
    return quotes


def score_quotes(gold: dict[str, Any], predicted: Sequence[dict[str, Any]]) -> tuple[FieldScore, int, int]:
    """F1 over quotes: a hit needs the predicted text to contain ``text_start`` *and* the speaker to match.

    A predicted quote whose text matches only an optional quote is ignored (the guide ignores the speaker
    there); one that matches a required quote with the wrong speaker counts as a false positive, which is
    exactly the mistake this field exists to catch. Also returns (gold quotes whose text was found
    regardless of speaker, gold quotes) for the text-recall line.
    """
    required = _gold_quotes(gold.get("quotes"))
    optional = _gold_quotes(gold.get("quotes_optional"))
    found = [False] * len(required)
    text_found = [False] * len(required)
    count = SetCount(gold=len(required))
    for quote in predicted:
        text = norm(quote.get("text"))
        speaker = norm_name(quote.get("speaker"))
        matched = False
        for i, q in enumerate(required):
            if contains(text, q.start):
                text_found[i] = True
                if speaker in q.speakers and not found[i]:
                    found[i] = matched = True
                    count.tp += 1
                    break
                if speaker in q.speakers:
                    matched = True  # the same quote extracted twice: not a new mistake
                    break
        if matched or any(contains(text, q.start) for q in optional):
            continue
        count.fp += 1
        count.extra.append(f"{quote.get('speaker')}: {' '.join(str(quote.get('text', '')).split()[:6])}")
    count.missing = [q.label for q, ok in zip(required, found, strict=True) if not ok]
    return count.result(), sum(text_found), len(required)


def body_lines(body: Any) -> list[str]:
    """The body as normalised lines; the JSON may give one string or a list of paragraphs."""
    parts = body if isinstance(body, list) else [body or ""]
    return [n for part in parts for line in str(part).splitlines() if (n := norm(line))]


def score_boilerplate(declared: Sequence[str] | None, lines: Sequence[str]) -> tuple[FieldScore, list[str]]:
    """1 − leaked/declared. Lines of ≥ 4 words leak anywhere in the body; shorter ones only as a whole line.

    The asymmetry lets "Share" or a place name occur inside a sentence while still catching a lone "Share".
    An empty body scores 0: an extractor must not pass this field by returning nothing.
    """
    if not lines:
        return FieldScore(0.0, note="empty body"), []
    whole = " ".join(lines)
    line_set = set(lines)
    leaked = []
    for raw in declared or []:
        key = norm(raw)
        if not key:
            continue
        if (len(key.split()) >= 4 and contains(whole, key)) or key in line_set:
            leaked.append(raw)
    total = len([d for d in declared or [] if norm(d)])
    score = 1 - len(leaked) / total if total else 1.0
    return FieldScore(score, note=f"leaked={leaked}" if leaked else ""), leaked


def score_presence(snippet: str | None, lines: Sequence[str]) -> FieldScore:
    """body_first/body_last: the labelled words must occur in the body (normalised substring)."""
    key = norm(snippet)
    ok = bool(lines) and (not key or contains(" ".join(lines), key))
    return FieldScore(1.0 if ok else 0.0, note="" if ok else f"not in body: {snippet!r}")


# ---------------------------------------------------------------------------------------------------------
# One file → 14 field scores.


@dataclass
class FileResult:
    """Everything printed about one fixture."""

    name: str
    fields: dict[str, FieldScore]
    error: str = ""
    leaks: int = 0
    declared: int = 0
    quote_text_hits: int = 0
    quote_total: int = 0

    @property
    def mean(self) -> float:
        return sum(f.score for f in self.fields.values()) / len(self.fields)


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def score_file(name: str, gold: dict[str, Any], pred: dict[str, Any]) -> FileResult:
    """Score one prediction (the extractor's JSON) against its gold mapping. Missing keys count as empty."""
    image = pred.get("image") if isinstance(pred.get("image"), dict) else {}
    lines = body_lines(pred.get("body"))
    quotes = [q for q in pred.get("quotes") or [] if isinstance(q, dict)]
    quote_score, text_hits, quote_total = score_quotes(gold, quotes)
    boiler, leaked = score_boilerplate(gold.get("boilerplate"), lines)
    fields = {
        "title": score_choice(gold.get("title"), pred.get("title")),
        "section": score_choice(gold.get("section"), pred.get("section")),
        "source": score_choice(gold.get("source"), pred.get("source")),
        "date": score_date(gold.get("date"), pred.get("date")),
        # The reversed "Name/Agency" order is accepted only where the label lists it as an alternative.
        "image_credit": score_choice(gold.get("image_credit"), image.get("credit")),
        "people": score_set(gold.get("people"), gold.get("people_optional"), _as_list(pred.get("people")),
                            norm_name),
        "organizations": score_set(gold.get("organizations"), gold.get("organizations_optional"),
                                   _as_list(pred.get("organizations"))),
        "places": score_set(gold.get("places"), gold.get("places_optional"), _as_list(pred.get("places"))),
        "authors+contrib": score_set([*(gold.get("authors") or []), *(gold.get("contributors") or [])],
                                     gold.get("credits_optional"),
                                     [*_as_list(pred.get("authors")), *_as_list(pred.get("contributors"))],
                                     norm_name),
        "topics": score_topics(gold, _as_list(pred.get("topics"))),
        "quote speakers": quote_score,
        "boilerplate": boiler,
        "body_first": score_presence(gold.get("body_first"), lines),
        "body_last": score_presence(gold.get("body_last"), lines),
    }
    declared = len([d for d in gold.get("boilerplate") or [] if norm(d)])
    return FileResult(name, fields, leaks=len(leaked), declared=declared,
                      quote_text_hits=text_hits, quote_total=quote_total)


def failed_file(name: str, gold: dict[str, Any], error: str) -> FileResult:
    """A crash, non-zero exit or unreadable output scores 0 on every field (but still counts its gold)."""
    return FileResult(name, {f: FieldScore(0.0, 0.0, 0.0) for f in FIELDS}, error=error,
                      declared=len(gold.get("boilerplate") or []), quote_total=len(gold.get("quotes") or []))


# ---------------------------------------------------------------------------------------------------------
# Running the extractor.

Extractor = Callable[[Path], dict[str, Any]]


def in_process_extractor(config: Path | None) -> Extractor:
    """The project's own extractor, imported once; topic rules come from ``config`` when it exists."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from generator.config import load_config
    from generator.extract import record_to_json
    from generator.ingest import extract_file

    topics = load_config(config).topics if config is not None and config.exists() else ()

    def run(path: Path) -> dict[str, Any]:
        return record_to_json(extract_file(path, topics))

    return run


def command_extractor(template: str, cwd: Path | None = None) -> Extractor:
    """Any shell command printing one JSON object; ``{file}`` becomes the article's quoted absolute path."""

    def run(path: Path) -> dict[str, Any]:
        command = template.replace("{file}", shlex.quote(str(path.resolve())))
        done = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=CMD_TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
        data = json.loads(done.stdout)
        if not isinstance(data, dict):
            raise ValueError("output is not a JSON object")
        return data

    return run


def fixtures(directory: Path) -> list[tuple[Path, Path]]:
    """Every ``NAME.txt``/``NAME.html`` that has a ``NAME.gold.yaml`` beside it, sorted by name."""
    pairs = []
    for gold in sorted(directory.glob("*.gold.yaml")):
        stem = gold.name[: -len(".gold.yaml")]
        for suffix in SOURCE_SUFFIXES:
            source = directory / f"{stem}{suffix}"
            if source.exists():
                pairs.append((source, gold))
                break
    return pairs


def score_directory(directory: Path, extract: Extractor) -> list[FileResult]:
    """Extract and score every fixture; a failure costs that file, never the whole run."""
    results = []
    for source, gold_path in fixtures(directory):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}
        try:
            pred = extract(source)
        except Exception as exc:  # the scorer reports any extractor failure as a zero, by design
            results.append(failed_file(source.name, gold, f"{type(exc).__name__}: {exc}"))
            continue
        results.append(score_file(source.name, gold, pred))
    return results


# ---------------------------------------------------------------------------------------------------------
# Report.


@dataclass
class Summary:
    """Per-field means over the files, and the overall mean of those."""

    fields: dict[str, FieldScore]
    overall: float
    leaks: int
    declared: int
    quote_text_recall: float


def summarise(results: Sequence[FileResult]) -> Summary:
    """Average each field over the files (so every file weighs the same), then average the fields."""
    n = len(results) or 1
    fields = {}
    for name in FIELDS:
        scores = [r.fields[name] for r in results]
        mean = sum(s.score for s in scores) / n
        if name in SET_FIELDS:
            p = sum(s.precision if s.precision is not None else 0.0 for s in scores) / n
            r = sum(s.recall if s.recall is not None else 0.0 for s in scores) / n
            fields[name] = FieldScore(mean, p, r)
        else:
            fields[name] = FieldScore(mean)
    overall = sum(f.score for f in fields.values()) / len(FIELDS) if results else 0.0
    total_quotes = sum(r.quote_total for r in results)
    recall = sum(r.quote_text_hits for r in results) / total_quotes if total_quotes else 1.0
    return Summary(fields, overall, sum(r.leaks for r in results), sum(r.declared for r in results), recall)


def report(results: Sequence[FileResult], summary: Summary, verbose: bool, out: Any = None) -> None:
    """Per-file lines (per-field columns and reasons with -v), per-field table, then ``overall F1``.

    ``out`` defaults to the *current* ``sys.stdout`` (looked up per call, so redirection and capture work).
    """
    out = out if out is not None else sys.stdout
    width = max((len(r.name) for r in results), default=10)
    for r in results:
        line = f"{r.name:<{width}}  {r.mean:.2f}"
        if r.error:
            line += f"  ERROR {r.error}"
        elif verbose:
            line += "  " + " ".join(f"{k}={v.score:.2f}" for k, v in r.fields.items())
        print(line, file=out)
        if verbose and not r.error:
            for key, value in r.fields.items():
                if value.note and value.score < 1:
                    print(f"    {key:<15} {value.note}", file=out)
    print(f"\n{len(results)} articles", file=out)
    print(f"{'field':<16} {'P':>5} {'R':>5} {'score':>6}", file=out)
    for name, value in summary.fields.items():
        p = f"{value.precision:5.2f}" if value.precision is not None else " " * 5
        r = f"{value.recall:5.2f}" if value.recall is not None else " " * 5
        print(f"{name:<16} {p} {r} {value.score:6.2f}", file=out)
    print(f"boilerplate leaks: {summary.leaks} of {summary.declared} lines", file=out)
    print(f"quote text recall (speaker ignored, not in overall): {summary.quote_text_recall:.2f}", file=out)
    print(f"overall F1 {summary.overall:.2f}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="fixtures folder (default: %(default)s)")
    parser.add_argument("--cmd", help="run this shell command per file instead of extracting in-process; "
                                      "{file} = the article's absolute path; it must print JSON")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"),
                        help="topic rules for in-process extraction (default: ./config.yaml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-field scores and what was missed")
    parser.add_argument("--min", type=float, help="exit 1 when overall F1 is below this")
    args = parser.parse_args(argv)

    extract = command_extractor(args.cmd) if args.cmd else in_process_extractor(args.config)
    results = score_directory(args.dir, extract)
    if not results:
        print(f"no NAME.txt/NAME.html with NAME.gold.yaml in {args.dir}", file=sys.stderr)
        return 2
    summary = summarise(results)
    report(results, summary, args.verbose)
    if args.min is not None and summary.overall < args.min:
        print(f"overall F1 {summary.overall:.3f} is below --min {args.min}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
