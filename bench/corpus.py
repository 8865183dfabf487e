"""A synthetic timeline, the same for a given size and seed, written as a content folder.

The events look like real ones in the ways that cost time: Markdown with a
link and citations, a body with a list, three tags from forty, an amount and
two sources; one event in ten has a picture (a small PNG of its own). Dates
have the three precisions the schema allows, so the date
code is exercised as it is by real content.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 2025
TAG_COUNT = 40
WORDS = [
    "authority",
    "regulator",
    "court",
    "tribunal",
    "decision",
    "notice",
    "fine",
    "penalty",
    "order",
    "appeal",
    "ruling",
    "complaint",
    "investigation",
    "finding",
    "breach",
    "data",
    "protection",
    "privacy",
    "biometric",
    "images",
    "faces",
    "database",
    "company",
    "customers",
    "police",
    "search",
    "engine",
    "consent",
    "lawful",
    "basis",
    "retention",
    "deletion",
    "transparency",
    "access",
    "request",
    "controller",
    "processor",
    "commissioner",
    "inquiry",
    "hearing",
    "judgment",
    "settlement",
    "class",
    "action",
    "plaintiffs",
    "defendants",
    "counsel",
    "evidence",
    "statement",
    "report",
    "press",
    "release",
    "published",
    "announced",
    "confirmed",
    "rejected",
    "upheld",
    "dismissed",
    "reduced",
    "increased",
    "annual",
    "turnover",
    "jurisdiction",
    "territory",
    "residents",
    "citizens",
    "platform",
    "scraping",
    "collection",
    "software",
    "service",
    "contract",
    "licence",
    "market",
    "review",
    "oversight",
    "parliament",
    "minister",
    "guidance",
    "code",
    "practice",
    "standard",
    "assessment",
    "risk",
    "impact",
    "safeguards",
    "transfer",
    "abroad",
    "servers",
    "storage",
    "security",
    "incident",
    "notification",
    "deadline",
    "months",
    "weeks",
    "days",
    "payment",
    "enforcement",
    "compliance",
    "undertaking",
    "ban",
    "prohibition",
    "suspension",
]
TAGS = [
    (f"topic-{n:02d}", f"Topic {n:02d}", f"Events about the {WORDS[n * 2]} of {WORDS[n * 2 + 1]}.")
    for n in range(1, TAG_COUNT + 1)
]
COUNTRIES = {
    "GB": "GBP",
    "FR": "EUR",
    "DE": "EUR",
    "IT": "EUR",
    "NL": "EUR",
    "SE": "SEK",
    "US": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "AT": "EUR",
}
AUTHORITIES = ("Data Protection Authority", "Administrative Court", "Court of Appeal")
"""Three per country: a real timeline names a few dozen authorities, and the index's filters list them all."""
IMAGE_EVERY = 10
"""One event in this many has a picture."""
STATUSES = ("announced", "provisional", "final", "appealed", "upheld", "settled", "closed", "pending", "dismissed")


@dataclass(frozen=True)
class Event:
    """One generated event: its file id and the fields of its YAML file, in order."""

    id: str
    fields: dict


def generate_events(count: int, seed: int = SEED) -> list[Event]:
    """`count` events in a fixed order; the same arguments always give the same events."""
    rng = random.Random(seed)
    return [_event(rng, number) for number in range(1, count + 1)]


def _event(rng: random.Random, number: int) -> Event:
    date = _date(rng)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 9))).capitalize()
    event_id = f"{date}-{'-'.join(title.lower().split()[:5])}-{number}"  # the number keeps ids unique
    country = rng.choice(sorted(COUNTRIES))
    summary = _prose(
        rng, 60, f"[{rng.choice(WORDS)} {rng.choice(WORDS)}](https://example.org/{number}/notice)", "[@s1]", "[@s2]"
    )
    body = "\n\n".join([
        _prose(rng, 60, "[@s1]"),
        "\n".join(f"- {_prose(rng, 8)}" for _ in range(4)),
        _prose(rng, 58, "[@s2]"),
    ])  # fmt: skip
    fields = {
        "date": date,
        "title": title,
        "summary": summary,
        "body": body,
        "tags": sorted(rng.sample([key for key, _, _ in TAGS], 3)),
        "jurisdiction": country,
        "authority": f"{rng.choice(AUTHORITIES)} ({country})",
        "amount": {"value": rng.randrange(1000, 50_000_000, 100), "currency": COUNTRIES[country]},
        "status": rng.choice(STATUSES),
        "sources": [_source(rng, number, 1, date, "primary"), _source(rng, number, 2, date, "secondary")],
    }
    if number % IMAGE_EVERY == 0:  # from the number, not the generator: the other fields stay as they were
        fields["media"] = [{"file": f"media/picture-{number}.png", "alt": f"Picture number {number}"}]
    return Event(event_id, fields)


def _date(rng: random.Random) -> str:
    """Mostly a day, sometimes a month, rarely just a year: the precisions real sources give."""
    year, month, day = rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28)
    precision = rng.random()
    if precision < 0.1:
        return f"{year}"
    if precision < 0.3:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _prose(rng: random.Random, words: int, *extras: str) -> str:
    """About `words` words in sentences, with the extras (links, citations) spread among them."""
    tokens = [rng.choice(WORDS) for _ in range(words)]
    for extra in extras:
        tokens.insert(rng.randrange(1, len(tokens)), extra)
    sentences, start = [], 0
    while start < len(tokens):
        end = min(len(tokens), start + rng.randint(8, 16))
        sentences.append(" ".join(tokens[start:end]).capitalize() + ".")
        start = end
    return " ".join(sentences)


def _source(rng: random.Random, number: int, index: int, date: str, kind: str) -> dict:
    # Published on the event's date: an earlier one would trip source-before-event.
    publisher = f"The {rng.choice(WORDS).capitalize()} {'Gazette' if kind == 'secondary' else 'Office'}"
    return {
        "id": f"s{index}",
        "title": " ".join(rng.choice(WORDS) for _ in range(8)).capitalize(),
        "publisher": publisher,
        "url": f"https://example.org/{number}/source-{index}",
        "published": date,
        "kind": kind,
    }


def write_content(content_dir: Path, events: list[Event]) -> None:
    """Write timeline.yaml and one file per event, as a contributor would have them, and their pictures."""
    (content_dir / "events").mkdir(parents=True, exist_ok=True)
    (content_dir / "timeline.yaml").write_text(_timeline_yaml(), encoding="utf-8")
    for event in events:
        (content_dir / "events" / f"{event.id}.yaml").write_text(_event_yaml(event), encoding="utf-8")
        for item in event.fields.get("media", ()):
            (content_dir / "media").mkdir(exist_ok=True)
            (content_dir / item["file"]).write_bytes(_picture(int(item["file"].split("-")[1].split(".")[0])))


def _picture(number: int) -> bytes:
    """A picture of its own for each number: 640 × 360, its colour and squares from the number, as PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), ((number * 37) % 256, (number * 91) % 256, (number * 53) % 256))
    draw = ImageDraw.Draw(image)
    for bit in range(20):  # the number in binary, one square a bit: no two pictures alike
        if number >> bit & 1:
            draw.rectangle((20 + bit * 30, 150, 40 + bit * 30, 210), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _timeline_yaml() -> str:
    lines = [
        "title: Benchmark timeline",
        "description: A synthetic timeline for measuring build times.",
        "language: en-GB",
        "base_url: https://bench.example/",
        # Every generated file would warn about these two; warnings would dominate the output.
        "checks: {schema-line: 'off', no-archive: 'off'}",
        # The fields a record like the worked example declares.
        "fields:",
        "  - {name: jurisdiction, label: Country, type: country, filter: true}",
        "  - {name: authority, label: Authority, type: text, filter: true}",
        "  - {name: amount, label: Amount, type: money}",
        "  - name: status",
        "    label: Status",
        "    type: choice",
        "    choices:",
        *(f"      - {{value: {status}, label: {status.capitalize()}}}" for status in STATUSES),
        "tags:",
    ]
    for key, label, description in TAGS:
        lines += [f"  - key: {key}", f"    label: {label}", f"    description: {_q(description)}"]
    return "\n".join(lines) + "\n"


def _event_yaml(event: Event) -> str:
    """YAML by hand: strings as JSON (valid YAML), long text as block scalars like real files."""
    f = event.fields
    lines = [
        f"date: {_q(f['date'])}",
        f"title: {_q(f['title'])}",
        "summary: >-",
        *_block(f["summary"], wrap=True),
        "body: |",
        *_block(f["body"]),
    ]
    lines += [
        f"tags: [{', '.join(f['tags'])}]",
        f"jurisdiction: {_q(f['jurisdiction'])}",
        f"authority: {_q(f['authority'])}",
    ]
    lines += [
        f"amount: {{value: {f['amount']['value']}, currency: {f['amount']['currency']}}}",
        f"status: {f['status']}",
    ]
    for item in f.get("media", ()):
        lines += ["media:", f"  - file: {item['file']}", f"    alt: {_q(item['alt'])}"]
    lines += ["sources:"]
    for source in f["sources"]:
        lines += [
            f"  - {key}: {_q(value)}" if key == "id" else f"    {key}: {_q(value)}" for key, value in source.items()
        ]
    return "\n".join(lines) + "\n"


def _block(text: str, *, wrap: bool = False) -> list[str]:
    """Indented lines of a block scalar; folded text is wrapped near 78 columns."""
    if not wrap:
        return [f"  {line}" if line else "" for line in text.split("\n")]
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) > 76:
            lines.append(f"  {line}")
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [f"  {line}"]


def _q(value: str) -> str:
    return json.dumps(value)
