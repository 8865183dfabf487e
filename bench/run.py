"""Measure timeline on a synthetic corpus, against the budget of the performance issue.

    .venv/bin/python bench/run.py --events 1000 10000 --runs 3 --out bench/RESULTS.md

Every measurement runs the real command line in a fresh process, as a
contributor would, and takes that process's own wall time and peak RSS
(`os.wait4`), so nothing the benchmark itself holds in memory is counted.
Each figure is the median of --runs runs. Hugo and Pelican, when found,
build the same corpus in the same run, so their ratios compare like with like
on whatever machine this runs on. Benchmarks are not tests: nothing here
fails on a slow time; the budget column only says where each figure stands.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import peers

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000
BUDGET = {  # seconds (RSS in MB, index in KB): the engine issue's lines, for 10,000 events on 2 cores
    "check_cold": 3.0, "check_warm": 0.5, "build_warm": 0.5, "build_edit": 1.5, "serve_edit": 0.150,
    "build_rss": 200, "serve_rss": 300, "index": 300, "hugo": 1.5, "pelican": 0.2,
}  # fmt: skip
BUDGET_2000 = {"build_edit": 1.0}
"""Where the budget sets another line at 2,000 events (the peers' ratios are set there too)."""


class BenchError(Exception):
    """A command failed: the benchmark cannot go on with this size."""


@dataclass(frozen=True)
class Sample:
    """One run of one process."""

    seconds: float
    """Wall time."""
    cpu: float
    """User and system time: against the wall time, it shows time spent waiting (on the disk, on neighbours)."""
    rss: float
    """Peak resident memory, MB (10^6 bytes)."""
    stdout: str = ""


@dataclass
class Timing:
    """The runs of one measurement."""

    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    @property
    def seconds(self) -> list[float]:
        return [sample.seconds for sample in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def rss(self) -> float:
        return max(sample.rss for sample in self.samples)


@dataclass
class Site:
    """What a cold build wrote: how many HTML pages, the largest, and the index."""

    pages: int
    largest: tuple[int, str]
    index: int


# --- running a command -------------------------------------------------------


def run(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run one process to the end and measure it; a failure stops the benchmark."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise BenchError(f"cannot run {argv[0]}: {exc.strerror}") from None
        # wait4, not wait: it returns the rusage of this child alone.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(map(str, argv))} exited {process.returncode}:\n{tail}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024 / MB, stdout)  # maxrss: KiB on Linux


def timeline(*args: str | Path) -> list[str]:
    """The real command line, through `python -m timeline` of the running interpreter."""
    return [sys.executable, "-m", "timeline", *map(str, args)]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- timeline's measurements -------------------------------------------------


def fresh_content(work: Path, content: Path, name: str) -> Path:
    """A copy of the content in a folder no run has used, so no record of an earlier run can answer for it."""
    folder = work / name
    shutil.copytree(content, folder / "content")
    settle()
    return folder / "content"


def cold_cache(copy: Path) -> dict[str, str]:
    """An empty cache folder of its own: a cold run finds nothing any run left, compiled templates included."""
    return {**os.environ, "XDG_CACHE_HOME": str(copy.parent / "cache")}


def settle() -> None:
    """Let the disk finish what earlier runs and deletions left it, so that the next run does not pay for them.

    Deleting a large site costs the file system work after rmtree returns (the
    journal, and TRIM on a `discard` mount), which would otherwise land in
    whichever build comes next: on a virtual disk it tripled a build's system time.
    """
    os.sync()
    time.sleep(2)


def edit_title(path: Path, mark: str) -> None:
    """Change the event's title as an editor's save would, and move its mtime a second on."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r'^title: "(.*?)(?: \(edit [^)]*\))?"$', lambda m: f'title: "{m[1]} (edit {mark})"', text, count=1, flags=re.M
    )
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def measure_timeline(work: Path, content: Path, edited: Path, runs: int) -> tuple[dict[str, Timing], Site, dict]:
    """Every timeline measurement of one corpus, in the order a contributor meets them."""
    names = ("check_cold", "check_warm", "build_cold", "build_made_images", "build_warm", "build_edit")
    times = {name: Timing() for name in names}
    site = None
    for k in range(runs):
        say(f"  check, cold {k + 1}/{runs}")
        copy = fresh_content(work, content, f"cold-check-{k}")
        times["check_cold"].add(run(timeline("check", "--content", copy), cwd=work, env=cold_cache(copy)))
    for k in range(runs):
        say(f"  build, cold {k + 1}/{runs}")
        copy = fresh_content(work, content, f"cold-build-{k}")
        out = copy.parent / "site"
        times["build_cold"].add(run(timeline("build", "--content", copy, "--out", out), cwd=work, env=cold_cache(copy)))
        site = site or describe_site(copy.parent / "site")
    # The peers make no image copies: the same cold build, with the copies a first build made already there.
    made = work / "cold-build-0" / "cache" / "timeline" / "images"
    for k in range(runs):
        say(f"  build, cold, image copies already made {k + 1}/{runs}")
        copy = fresh_content(work, content, f"cold-images-{k}")
        if made.is_dir():
            shutil.copytree(made, copy.parent / "cache" / "timeline" / "images")
        out = copy.parent / "site"
        cold = run(timeline("build", "--content", copy, "--out", out), cwd=work, env=cold_cache(copy))
        times["build_made_images"].add(cold)
    for k in range(runs):
        for name in ("cold-check", "cold-build", "cold-images"):
            shutil.rmtree(work / f"{name}-{k}")

    run(timeline("check", "--content", content), cwd=work)  # the first run of the series, not timed
    for k in range(runs):
        say(f"  check, nothing changed {k + 1}/{runs}")
        times["check_warm"].add(run(timeline("check", "--content", content), cwd=work))
    out = work / "site"
    run(timeline("build", "--content", content, "--out", out), cwd=work)
    for k in range(runs):
        say(f"  build, nothing changed {k + 1}/{runs}")
        times["build_warm"].add(run(timeline("build", "--content", content, "--out", out), cwd=work))
    for k in range(runs):
        say(f"  build, one title edited {k + 1}/{runs}")
        edit_title(edited, f"build {k + 1}")
        times["build_edit"].add(run(timeline("build", "--content", content, "--out", out), cwd=work))

    say(f"  one edit inside serve, {runs} edits")
    argv = [sys.executable, __file__, "--serve-child", str(content), str(work / "preview"), str(edited), str(runs)]
    child = run(argv, cwd=work)
    result = json.loads(child.stdout)
    edits = Timing([Sample(wall, cpu, child.rss) for wall, cpu in zip(result["edits"], result["cpu"], strict=False)])
    return times, site, {"edit": edits, "first": result["first"], "rss": child.rss}


def serve_child(content: Path, out: Path, edited: Path, runs: int) -> None:
    """Inside one process, as `serve` holds it: a first build, then an edit at a time, timed from the save."""
    import gc

    from timeline.cli import GC_THRESHOLD
    from timeline.engine import Engine
    from timeline.serve import settle_memory

    gc.set_threshold(GC_THRESHOLD, 50, 50)  # as the command line sets it
    engine = Engine(content, persist=False)
    started = time.perf_counter()
    first = engine.update(out)
    settle_memory()  # as serve does after its first build
    result = {"first": time.perf_counter() - started, "edits": [], "cpu": [], "written": []}
    if not first.ok:
        sys.exit(f"the preview's first build failed: {first.failure or first.errors[0]}")
    for k in range(runs):
        edit_title(edited, f"serve {k + 1}")
        started, cpu = time.perf_counter(), time.process_time()
        update = engine.update(out)
        result["edits"].append(time.perf_counter() - started)
        result["cpu"].append(time.process_time() - cpu)
        if not update.ok or not any(path.startswith("events/") for path in update.written):
            sys.exit(f"edit {k + 1} did not update the event's page: {update}")
        result["written"].append(len(update.written))
    print(json.dumps(result))


def describe_site(out: Path) -> Site:
    pages, largest = 0, (0, "")
    for root, _, names in os.walk(out):
        for name in names:
            if name.endswith(".html"):
                pages += 1
                path = os.path.join(root, name)
                largest = max(largest, (os.path.getsize(path), os.path.relpath(path, out)))
    index = out / "index.html"
    return Site(pages, largest, index.stat().st_size if index.exists() else 0)


# --- peers -------------------------------------------------------------------


def measure_peer(peer: peers.Peer, work: Path, events: list[corpus.Event], runs: int) -> tuple[Timing, Site]:
    """Cold builds of the corpus by Hugo or Pelican, each into an output folder that does not exist yet."""
    site = work / peer.name.lower()
    env = dict(os.environ, HUGO_CACHEDIR=str(work / "hugo-cache"))  # not the user's cache
    if peer.name == "Hugo":
        peers.write_hugo_site(site, events)
    else:
        peers.write_pelican_site(site, events)
    timing, described = Timing(), None
    for k in range(runs):
        say(f"  {peer.name}, cold {k + 1}/{runs}")
        out = work / f"{peer.name.lower()}-out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / "hugo-cache", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        settle()
        args = peers.hugo_args(site, out) if peer.name == "Hugo" else peers.pelican_args(site, out)
        timing.add(run(peer.command + args, cwd=work, env=env))
        described = described or describe_site(out)
    return timing, described


# --- the report --------------------------------------------------------------


def describe_machine(found: list[peers.Peer]) -> list[str]:
    """What the figures depend on, so that a reader can compare them with their own."""
    from timeline import __version__
    from timeline.loader import HAS_LIBYAML

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
        platform.processor() or "?",
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- **Date**: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; timeline {__version__} at `{commit or '?'}`",
        f"- **CPU**: {model}, {os.cpu_count()} logical CPUs, {usable} usable by this process",
        f"- **RAM**: {int(memory[1]) / 1024**2:.1f} GiB" if memory else "- **RAM**: ?",
        f"- **System**: {platform.system()} {platform.release()} {platform.machine()}",
        f"- **Python**: {platform.python_version()}; PyYAML with libyaml: {'yes' if HAS_LIBYAML else 'no'}",
        f"- **Peers**: {', '.join(f'{p.name} {p.version}' for p in found) or 'none found'}",
    ]


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 0.9995 else f"{value:.2f} s"


def spread(timing: Timing) -> str:
    """The median, with the fastest and slowest run when there were several."""
    if len(timing.seconds) == 1:
        return seconds(timing.median)
    return f"{seconds(timing.median)} ({seconds(min(timing.seconds))}–{seconds(max(timing.seconds))})"


def mark(value: float, limit: float, text: str) -> str:
    return f"{'✓' if value <= limit else '✗'} ≤ {text}"


def table(
    count: int, times: dict[str, Timing], site: Site, serve: dict, peer_rows: list[list[str]], runs: int
) -> list[str]:
    """One Markdown table for one corpus size."""
    build_rss = max(times[name].rss for name in ("build_cold", "build_warm", "build_edit"))
    edit_limit = BUDGET_2000["build_edit"] if count <= 2000 else BUDGET["build_edit"]
    rows = [
        measured("`check`, cold", times["check_cold"], "check_cold", "3 s"),
        measured("`check`, nothing changed", times["check_warm"], "check_warm", "0.5 s"),
        measured("`build`, cold (no output folder)", times["build_cold"]) + ["see the peers below"],
        measured("`build`, cold, image copies already made", times["build_made_images"]) + ["see the peers below"],
        measured("`build`, nothing changed", times["build_warm"], "build_warm", "0.5 s"),
        measured("`build`, one title edited (a fresh process)", times["build_edit"])
        + [mark(times["build_edit"].median, edit_limit, f"{edit_limit:g} s")],
        measured("one edit inside `serve` (`Engine.update`)", serve["edit"], "serve_edit", "150 ms"),
        ["`serve`'s first build, in process", seconds(serve["first"]), "", "", ""],
        ["peak RSS, any `build`", f"{build_rss:.0f} MB", "", "", mark(build_rss, BUDGET["build_rss"], "200 MB")],
        [
            "peak RSS, `serve` after its edits",
            f"{serve['rss']:.0f} MB",
            "",
            "",
            mark(serve["rss"], BUDGET["serve_rss"], "300 MB"),
        ],
        [
            "pages per second, cold `build`",
            f"{site.pages / times['build_cold'].median:,.0f} ({site.pages:,} HTML pages)",
            "",
            "",
            "",
        ],
        ["largest HTML page", f"{site.largest[0] / 1000:,.0f} KB (`{site.largest[1]}`)", "", "", ""],
        [
            "index page (`index.html`)",
            f"{site.index / 1000:,.0f} KB",
            "",
            "",
            mark(site.index / 1000, BUDGET["index"], "300 KB"),
        ],
    ]
    heading = f"measurement (median of {runs}{', fastest–slowest' if runs > 1 else ''})"
    lines = [
        f"### {count:,} events",
        "",
        f"| {heading} | wall time | CPU time | peak RSS | budget |",
        "|---|---|---|---|---|",
    ]
    return lines + [f"| {' | '.join(row)} |" for row in rows + peer_rows] + [""]


def measured(label: str, timing: Timing, budget: str | None = None, text: str = "") -> list[str]:
    """A row for one measurement; with `budget`, marked against that line of the budget."""
    row = [label, spread(timing), seconds(timing.cpu), f"{timing.rss:.0f} MB"]
    return row + [mark(timing.median, BUDGET[budget], text)] if budget else row


def peer_rows(
    peer_name: str, found: peers.Peer | None, result: tuple[Timing, Site] | str | None, cold: Timing, made: Timing
) -> list[list[str]]:
    """A peer's cold build and timeline's ratios to it (a cold build, and one with its image copies made), or why
    there is none."""
    if found is None:
        return [[f"{peer_name}: not found (install it, or pass --{peer_name.lower()} PATH)", "—", "", "", ""]]
    if isinstance(result, str):
        return [[f"{peer_name} {found.version}: build failed ({result})", "—", "", "", ""]]
    timing, site = result
    limit = BUDGET[peer_name.lower()]
    rows = [measured(f"{peer_name} {found.version}, cold build ({site.pages:,} HTML pages)", timing) + [""]]
    for label, ours in (("cold build", cold), ("cold build, image copies already made", made)):
        ratio = ours.median / timing.median
        rows.append([f"timeline ÷ {peer_name}, {label}", f"{ratio:.2f}×", "", "", mark(ratio, limit, f"{limit:g}×")])
    return rows


NOTES = """\
How to read this: every figure is a fresh process running the real command
line (`python -m timeline …`), timed from start to exit; peak RSS is that
process's own (`os.wait4`). Cold runs use a fresh copy of the content and no
output folder; the operating system's file cache is warm for every run,
and everything is written in memory (`/dev/shm`) where the system has it.
CPU time is the process's user and system time (for `serve`, the rebuild's):
where the wall time is well above it, the process was waiting, on the disk
or for other processes; Hugo and timeline's builds work on every core, so
their CPU time can exceed their wall time. "Nothing changed" repeats a
command on the same content and output after a first untimed run (timeline
then answers from the record of its last run); "one title edited" changes
one event's title before each build. "One edit inside `serve`" is `Engine.update()` after the save, in
one process that built the site first: the engine of `serve`, without the
watcher's delay. The budget is the engine issue's, set for 10,000 events
(one edit: 1 s at 2,000; the peers' ratios at 2,000) on a 2-core machine;
at other sizes it is shown for reference.
timeline writes more pages than the peers (embeds, sources, feeds and data
besides the event, index and tag pages they build), and a search index;
ratios compare wall time for the whole build all the same. One event in
ten shows an image: a cold build makes its copies (resized, WebP and JPEG)
as well, which the peers, given no images, do not; "image copies already
made" is a cold build that finds them in the cache folder, as every build
after a timeline's first does. Regenerate with
`.venv/bin/python bench/run.py --events 2000 10000 --runs 3 --out bench/RESULTS.md`
(add `--hugo PATH --pelican PATH` where they are not on PATH).
"""


# --- the command line --------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark timeline on synthetic timelines, against Hugo and Pelican when installed."
    )
    parser.add_argument(
        "--events", type=int, nargs="+", default=[2000, 10000], metavar="N", help="corpus sizes (default: 2000 10000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, metavar="K", help="runs per measurement; the median is reported (default: 3)"
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="also write the Markdown report to FILE")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (default: a temporary folder)"
    )
    parser.add_argument(
        "--seed", type=int, default=corpus.SEED, help=f"the corpus generator's seed (default: {corpus.SEED})"
    )
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    parser.add_argument("--hugo", metavar="PATH", help="the hugo program (default: on PATH or beside this Python)")
    parser.add_argument("--pelican", metavar="PATH", help="the pelican program (default: on PATH)")
    parser.add_argument("--serve-child", nargs=4, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def bench_size(count: int, args: argparse.Namespace, root: Path, found: dict[str, peers.Peer | None]) -> list[str]:
    """Generate one corpus, measure timeline and the peers on it, and return its table."""
    work = root / f"{count}-events"
    say(f"{count:,} events: generating into {work}")
    events = corpus.generate_events(count, args.seed)
    corpus.write_content(work / "project" / "content", events)
    content = work / "project" / "content"
    edited = content / "events" / f"{events[count // 2].id}.yaml"
    times, site, serve = measure_timeline(work, content, edited, args.runs)
    rows = []
    for name, peer in found.items():
        if args.no_peers:
            continue
        result: tuple[Timing, Site] | str | None = None
        if peer is not None:
            try:
                result = measure_peer(peer, work, events, args.runs)
            except BenchError as exc:
                result = str(exc).splitlines()[-1][:120]
                say(f"  {name} failed: {exc}")
        rows += peer_rows(name, peer, result, times["build_cold"], times["build_made_images"])
    return table(count, times, site, serve, rows, args.runs)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve_child:
        content, out, edited, runs = args.serve_child
        serve_child(Path(content), Path(out), Path(edited), int(runs))
        return 0
    found = {} if args.no_peers else {"Hugo": peers.find_hugo(args.hugo), "Pelican": peers.find_pelican(args.pelican)}
    # In memory where the system has it (/dev/shm), as the budget's figures were taken: the disk's own
    # speed at creating tens of thousands of files is not what is compared.
    memory = Path("/dev/shm")
    root = args.keep or Path(tempfile.mkdtemp(prefix="timeline-bench-", dir=memory if memory.is_dir() else None))
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        sys.exit(f"--keep {args.keep}: the folder is not empty; choose a new one")
    # timeline's records of unchanged runs go beside the corpus, not into the user's cache.
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    lines = ["# Benchmark results", "", *describe_machine([p for p in found.values() if p]), ""]
    try:
        for count in args.events:
            lines += bench_size(count, args, root, found)
    except BenchError as exc:
        sys.exit(f"error: {exc}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report = "\n".join(lines + [NOTES])
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
