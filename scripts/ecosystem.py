#!/usr/bin/env python3
"""The ecosystem check: apelint's findings on real repositories nobody tuned it for.

In the manner of ruff's ecosystem check and clippy's lintcheck, this runs a release build of
apelint over the pinned repositories of `tests/ecosystem/repos.toml`, writes one snapshot per
repository into `tests/ecosystem/snapshots/` (one line per finding: rule, severity, path:line,
fingerprint; never any of the repository's code), prints what changed against the committed
snapshots, and prints the precision of every rule from the verdicts of
`tests/ecosystem/verdicts.toml`.

    scripts/ecosystem.py run [--only OWNER/NAME ...] [--mirror DIR] [--dir DIR] [--no-build]
    scripts/ecosystem.py precision [--held-out | --tuning] [--markdown]
    scripts/ecosystem.py unjudged [--only OWNER/NAME ...]
    scripts/ecosystem.py check

The repositories are cloned into a folder outside this repository (`--dir`, default
`$APELINT_ECOSYSTEM_DIR` or `~/.cache/apelint/ecosystem`), from `--mirror DIR` when given (a
folder of git mirrors named `owner+name`, `owner+name/repo` or `owner/name`) and from GitHub
otherwise, and checked out at their pinned commit. Each run fixes apelint's clock at the pinned
commit's date (`APELINT_NOW`), so a snapshot only changes when apelint does.

A verdict judges the findings of one rule in one repository (`*` for any) under one path glob
(`*` matches any characters, `/` included): `right`, `wrong` or `debatable`, with why. The first
verdict that matches a finding judges it, so put narrow globs before wide ones. Precision is
right / (right + wrong): debatable findings are counted and shown, not scored. `check` (run by CI)
fails when the pinned list, the snapshots and the verdicts disagree (a verdict naming a repository
or rule that does not exist, a snapshot taken at another commit). A verdict whose findings are gone
is kept: it judges them again if a later change brings them back.
"""

from __future__ import annotations

import argparse
import collections
import fnmatch
import json
import os
import pathlib
import subprocess
import sys
import tomllib
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "ecosystem"
REPOS = HERE / "repos.toml"
VERDICTS = HERE / "verdicts.toml"
SNAPSHOTS = HERE / "snapshots"
VERDICT_WORDS = ("right", "wrong", "debatable")
SEVERITIES = ("error", "warning", "info")


class Problem(Exception):
    """A mistake in the ecosystem files or the environment, said in one line."""


@dataclass(frozen=True)
class Repo:
    name: str
    rev: str
    kind: str
    language: str
    held_out: bool

    @property
    def slug(self) -> str:
        return self.name.replace("/", "+")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    fingerprint: str

    def text(self) -> str:
        return f"{self.rule}\t{self.severity}\t{self.path}:{self.line}\t{self.fingerprint}"

    @property
    def key(self) -> tuple[str, str, str, str]:
        # A finding that only moved (edits above it) keeps its fingerprint: not a change.
        return (self.rule, self.severity, self.path, self.fingerprint)


@dataclass(frozen=True)
class Verdict:
    index: int
    rule: str
    repo: str
    path: str
    verdict: str
    why: str

    def judges(self, repo: str, finding: Finding) -> bool:
        return (
            self.rule in ("*", finding.rule)
            and self.repo in ("*", repo)
            and fnmatch.fnmatchcase(finding.path, self.path)
        )


def load_repos() -> list[Repo]:
    with REPOS.open("rb") as f:
        data = tomllib.load(f)
    repos = []
    seen = set()
    for i, entry in enumerate(data.get("repo", [])):
        try:
            repo = Repo(
                name=entry["name"],
                rev=entry["rev"],
                kind=entry["kind"],
                language=entry["language"],
                held_out=bool(entry.get("held-out", False)),
            )
        except KeyError as missing:
            raise Problem(f"{REPOS}: repo #{i + 1} has no {missing}") from None
        if repo.name.count("/") != 1 or len(repo.rev) != 40:
            raise Problem(f"{REPOS}: {repo.name}@{repo.rev} is not owner/name@<40-hex sha>")
        if repo.name in seen:
            raise Problem(f"{REPOS}: {repo.name} is listed twice")
        seen.add(repo.name)
        repos.append(repo)
    return repos


def load_verdicts() -> list[Verdict]:
    with VERDICTS.open("rb") as f:
        data = tomllib.load(f)
    verdicts = []
    for i, entry in enumerate(data.get("verdict", [])):
        where = f"{VERDICTS}: verdict #{i + 1}"
        unknown = set(entry) - {"rule", "repo", "path", "verdict", "why"}
        if unknown:
            raise Problem(f"{where} has unknown keys {sorted(unknown)}")
        try:
            v = Verdict(i + 1, entry["rule"], entry["repo"], entry["path"], entry["verdict"], entry["why"])
        except KeyError as missing:
            raise Problem(f"{where} has no {missing}") from None
        if v.verdict not in VERDICT_WORDS:
            raise Problem(f"{where}: verdict {v.verdict!r} is not one of {', '.join(VERDICT_WORDS)}")
        if not v.why.strip():
            raise Problem(f"{where}: say why")
        verdicts.append(v)
    return verdicts


def parse_snapshot(text: str) -> list[Finding]:
    findings = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        rule, severity, place, fingerprint = line.split("\t")
        path, _, number = place.rpartition(":")
        findings.append(Finding(rule, severity, path, int(number), fingerprint))
    return findings


def read_snapshot(repo: Repo) -> list[Finding] | None:
    path = SNAPSHOTS / f"{repo.slug}.txt"
    return parse_snapshot(path.read_text()) if path.exists() else None


def committed_snapshot(repo: Repo) -> list[Finding]:
    rel = (SNAPSHOTS / f"{repo.slug}.txt").relative_to(ROOT)
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"HEAD:{rel.as_posix()}"], capture_output=True, text=True
    )
    return parse_snapshot(shown.stdout) if shown.returncode == 0 else []


def write_snapshot(repo: Repo, findings: list[Finding]) -> None:
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    lines = [f"# {repo.name}@{repo.rev}"] + sorted(f.text() for f in findings)
    (SNAPSHOTS / f"{repo.slug}.txt").write_text("\n".join(lines) + "\n")


def git(*args: str, cwd: pathlib.Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def source_of(repo: Repo, mirror: pathlib.Path | None) -> str:
    if mirror:
        owner, name = repo.name.split("/")
        for candidate in (mirror / repo.slug / "repo", mirror / repo.slug, mirror / owner / name):
            if (candidate / "HEAD").exists() or (candidate / ".git").exists():
                return str(candidate)
    return f"https://github.com/{repo.name}.git"


def checkout(repo: Repo, base: pathlib.Path, mirror: pathlib.Path | None) -> pathlib.Path:
    """The repository at its pinned commit, cloned once and reused."""
    into = base / repo.slug
    if not (into / ".git").exists():
        base.mkdir(parents=True, exist_ok=True)
        source = source_of(repo, mirror)
        shared = ["--shared"] if not source.startswith("https://") else []
        git("clone", "--quiet", "--no-checkout", *shared, source, str(into))
    marker = into / ".git" / "apelint-ecosystem-rev"
    if marker.exists() and marker.read_text() == repo.rev:
        return into
    if git("cat-file", "-e", f"{repo.rev}^{{commit}}", cwd=into, check=False).returncode != 0:
        git("fetch", "--quiet", "origin", repo.rev, cwd=into)
    done = git("checkout", "--quiet", "--force", "--detach", repo.rev, cwd=into, check=False)
    if done.returncode != 0:
        # A mirror whose largest files are left out (snapshots that skip LFS-sized blobs): check
        # out everything else and say which files are missing.
        missing = absent_blobs(repo, into)
        if not missing:
            raise Problem(f"{repo.name}: git checkout failed: {done.stderr.strip()}")
        git("sparse-checkout", "init", "--no-cone", cwd=into)
        patterns = "/*\n" + "".join(f"!/{glob_escape(p)}\n" for p in missing)
        (into / ".git" / "info" / "sparse-checkout").write_text(patterns)
        git("checkout", "--quiet", "--force", "--detach", repo.rev, cwd=into)
        print(f"  {repo.name}: {len(missing)} file(s) absent from the mirror, left out", file=sys.stderr)
    marker.write_text(repo.rev)
    return into


def glob_escape(path: str) -> str:
    return "".join("\\" + c if c in "*?[\\!# " else c for c in path)


def absent_blobs(repo: Repo, into: pathlib.Path) -> list[str]:
    listing = git("ls-tree", "-r", repo.rev, cwd=into).stdout.splitlines()
    entries = [line.split("\t", 1) for line in listing]
    blobs = [(meta.split()[2], path) for meta, path in entries if meta.split()[1] == "blob"]
    batch = subprocess.run(
        ["git", "cat-file", "--batch-check"],
        cwd=into,
        input="".join(f"{sha}\n" for sha, _ in blobs),
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [path for (_, path), answer in zip(blobs, batch) if answer.endswith(" missing")]


@dataclass
class Noise:
    """What a person sees: lines of the default human report, grouped findings at warning or above."""

    lines: int
    loud: int


def run_apelint(binary: pathlib.Path, repo: Repo, tree: pathlib.Path) -> tuple[list[Finding], Noise]:
    when = git("show", "-s", "--format=%ct", repo.rev, cwd=tree).stdout.strip()
    env = dict(os.environ, APELINT_NOW=when, NO_COLOR="1", COLUMNS="100")
    env.pop("GITHUB_ACTIONS", None)
    # The snapshot holds the preview rules too, so that their precision keeps being measured; the
    # human report is what a user sees by default.
    outputs = []
    for form, extra in (("json", ["--preview"]), ("human", [])):
        done = subprocess.run(
            [str(binary), "check", str(tree), "--format", form, *extra], capture_output=True, text=True, env=env
        )
        if done.returncode not in (0, 1):
            raise Problem(f"{repo.name}: apelint exited {done.returncode}: {done.stderr.strip()[:500]}")
        outputs.append(done.stdout)
    report = json.loads(outputs[0])
    preview = preview_rules()
    loud = sum(1 for f in report["findings"] if f["severity"] in ("error", "warning") and f["rule"] not in preview)
    noise = Noise(lines=len(outputs[1].splitlines()), loud=loud)
    findings = []
    for f in report["findings"]:
        # One line per place: a grouped finding's places are judged one by one.
        places = f.get("locations") or [dict(f.get("location") or {}, fingerprint=f["fingerprint"])]
        for where in places:
            findings.append(
                Finding(f["rule"], f["severity"], where.get("path", "."), where.get("line", 0), where["fingerprint"])
            )
    return findings, noise


def preview_rules() -> set[str]:
    """The built-in rules marked `preview = true`: not run by default."""
    out = set()
    for path in (ROOT / "rules").glob("*/*.toml"):
        with path.open("rb") as f:
            if tomllib.load(f).get("preview", False):
                out.add(path.stem)
    return out


def diff(old: list[Finding], new: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    before = collections.Counter(f.key for f in old)
    after = collections.Counter(f.key for f in new)
    added, removed = [], []
    budget = after - before
    for f in new:
        if budget[f.key] > 0:
            budget[f.key] -= 1
            added.append(f)
    budget = before - after
    for f in old:
        if budget[f.key] > 0:
            budget[f.key] -= 1
            removed.append(f)
    return added, removed


def cmd_run(args: argparse.Namespace) -> int:
    repos = selected(args.only)
    binary = pathlib.Path(args.bin) if args.bin else ROOT / "target" / "release" / "apelint"
    if not args.no_build and not args.bin:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    base = pathlib.Path(args.dir).expanduser()
    mirror = pathlib.Path(args.mirror) if args.mirror else None
    by_rule: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    changes = []
    failures = 0
    for repo in repos:
        print(f"{repo.name}@{repo.rev[:10]}", file=sys.stderr)
        try:
            tree = checkout(repo, base, mirror)
            findings, noise = run_apelint(binary, repo, tree)
        except (Problem, subprocess.CalledProcessError) as e:
            failures += 1
            detail = e.stderr.strip() if isinstance(e, subprocess.CalledProcessError) else str(e)
            print(f"  FAILED: {detail}", file=sys.stderr)
            continue
        write_snapshot(repo, findings)
        added, removed = diff(committed_snapshot(repo), findings)
        for f in added:
            by_rule[f.rule][0] += 1
        for f in removed:
            by_rule[f.rule][1] += 1
        changes.append((repo, len(findings), added, removed, noise))
    print_changes(changes, by_rule, args.show)
    return 2 if failures else 0


def print_changes(changes, by_rule, show: int) -> None:
    print("## Against the committed snapshots\n")
    print("(findings: places; human lines: the default report; loud: grouped findings at warning or above)\n")
    print(f"{'repository':<44} {'findings':>8} {'added':>6} {'removed':>8} {'human lines':>12} {'loud':>5}")
    for repo, total, added, removed, noise in changes:
        print(f"{repo.name:<44} {total:>8} {len(added):>+6} {-len(removed):>+8} {noise.lines:>12} {noise.loud:>5}")
    if changes:
        most = max(changes, key=lambda change: change[4].lines)
        loudest = max(changes, key=lambda change: change[4].loud)
        print(f"\nlongest report: {most[0].name}, {most[4].lines} lines; most loud findings: {loudest[0].name}, {loudest[4].loud}")
    if by_rule:
        print(f"\n{'rule':<44} {'added':>15} {'removed':>8}")
        for rule, (a, r) in sorted(by_rule.items()):
            print(f"{rule:<44} {a:>+15} {-r:>+8}")
    for repo, _, added, removed, _ in changes:
        if show == 0 or (not added and not removed):
            continue
        print(f"\n### {repo.name}")
        for sign, group in (("+", added), ("-", removed)):
            for f in group[:show]:
                print(f"{sign} {f.text()}")
            if len(group) > show:
                print(f"{sign} ... and {len(group) - show} more")
    if not any(a or r for _, _, a, r, _ in changes):
        print("\nNo finding added or removed.")


def selected(only: list[str] | None) -> list[Repo]:
    repos = load_repos()
    if not only:
        return repos
    known = {r.name for r in repos}
    for name in only:
        if name not in known:
            raise Problem(f"{name} is not in {REPOS.relative_to(ROOT)}")
    return [r for r in repos if r.name in only]


def judge(repos: list[Repo], verdicts: list[Verdict]):
    """Every finding of the snapshots with the verdict that judges it (or None)."""
    out = []
    for repo in repos:
        for f in read_snapshot(repo) or []:
            v = next((v for v in verdicts if v.judges(repo.name, f)), None)
            out.append((repo, f, v))
    return out


@dataclass
class Tally:
    findings: int = 0
    right: int = 0
    wrong: int = 0
    debatable: int = 0
    unjudged: int = 0

    def add(self, verdict: Verdict | None) -> None:
        self.findings += 1
        if verdict is None:
            self.unjudged += 1
        else:
            setattr(self, verdict.verdict, getattr(self, verdict.verdict) + 1)

    def precision(self) -> str:
        scored = self.right + self.wrong
        return f"{100 * self.right / scored:.1f}%" if scored else "-"


def tables(judged, markdown: bool) -> str:
    """Precision per rule, then per severity over the rules that run by default (preview rules,
    which run only when asked for, are shown per rule and totalled apart)."""
    preview = preview_rules()
    rules: dict[tuple[str, str], Tally] = collections.defaultdict(Tally)
    severities: dict[str, Tally] = collections.defaultdict(Tally)
    gate = Tally()
    previewed = Tally()
    wrong_errors = collections.Counter()
    for repo, f, v in judged:
        rules[(f.rule, f.severity)].add(v)
        if f.rule in preview:
            previewed.add(v)
            continue
        severities[f.severity].add(v)
        if f.severity in ("error", "warning"):
            gate.add(v)
        if f.severity == "error" and v is not None and v.verdict == "wrong":
            wrong_errors[repo.name] += 1
    rows = [((rule, sev), t) for (rule, sev), t in sorted(rules.items(), key=lambda kv: (SEVERITIES.index(kv[0][1]), kv[0][0]))]
    head = ("rule", "severity", "findings", "right", "wrong", "debatable", "unjudged", "precision")
    body = [
        (rule + (" (preview)" if rule in preview else ""), sev, t.findings, t.right, t.wrong, t.debatable, t.unjudged, t.precision())
        for (rule, sev), t in rows
    ]
    sev_body = [
        (sev, severities[sev].findings, severities[sev].right, severities[sev].wrong, severities[sev].debatable,
         severities[sev].unjudged, severities[sev].precision())
        for sev in SEVERITIES
        if sev in severities
    ]
    sev_body.append(("error+warning", gate.findings, gate.right, gate.wrong, gate.debatable, gate.unjudged, gate.precision()))
    sev_body.append(("preview rules", previewed.findings, previewed.right, previewed.wrong, previewed.debatable, previewed.unjudged, previewed.precision()))
    text = render(head, body, markdown) + "\n\n" + render(head[1:], sev_body, markdown)
    repos = {repo.name for repo, _, _ in judged}
    text += f"\n\n{len(repos)} repositories, {len(judged)} findings."
    if wrong_errors:
        text += "\nWrong errors: " + ", ".join(f"{n} in {r}" for r, n in sorted(wrong_errors.items()))
    else:
        text += "\nNo repository has a wrong error."
    return text


def render(head, rows, markdown: bool) -> str:
    cells = [tuple(str(c) for c in row) for row in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(head)]
    fmt = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))  # noqa: E731
    return "\n".join([fmt(head)] + [fmt(r) for r in cells])


def cmd_precision(args: argparse.Namespace) -> int:
    repos = load_repos()
    if args.held_out:
        repos = [r for r in repos if r.held_out]
    elif args.tuning:
        repos = [r for r in repos if not r.held_out]
    missing = [r.name for r in repos if read_snapshot(r) is None]
    if missing:
        print(f"no snapshot yet for {', '.join(missing)} (scripts/ecosystem.py run)", file=sys.stderr)
    print(tables(judge(repos, load_verdicts()), args.markdown))
    return 0


def cmd_unjudged(args: argparse.Namespace) -> int:
    """Findings no verdict judges yet, grouped by rule, repository and folder, to judge next."""
    groups = collections.Counter()
    example = {}
    for repo, f, v in judge(selected(args.only), load_verdicts()):
        if v is None:
            folder = f.path.rsplit("/", 1)[0] + "/" if "/" in f.path else ""
            key = (f.rule, f.severity, repo.name, folder)
            groups[key] += 1
            example.setdefault(key, f"{f.path}:{f.line}")
    for (rule, sev, repo, folder), n in sorted(groups.items()):
        print(f"{rule}\t{sev}\t{repo}\t{folder or '.'}\t{n}\te.g. {example[(rule, sev, repo, folder)]}")
    return 0


def cmd_check(_: argparse.Namespace) -> int:
    """The ecosystem files agree with each other: what CI can check without the repositories."""
    repos = load_repos()
    verdicts = load_verdicts()
    names = {r.name for r in repos}
    rules = {p.stem for p in (ROOT / "rules").glob("*/*.toml")}
    problems = []
    if len(repos) < 60:
        problems.append(f"{REPOS.name} pins {len(repos)} repositories; the check needs at least 60")
    for v in verdicts:
        if v.repo != "*" and v.repo not in names:
            problems.append(f"verdict #{v.index}: {v.repo} is not in {REPOS.name}")
        if v.rule != "*" and v.rule not in rules:
            problems.append(f"verdict #{v.index}: no rule {v.rule}")
    for r in repos:
        snap = SNAPSHOTS / f"{r.slug}.txt"
        if not snap.exists():
            problems.append(f"{r.name} has no snapshot ({snap.relative_to(ROOT)})")
        elif not snap.read_text().startswith(f"# {r.name}@{r.rev}\n"):
            problems.append(f"{snap.relative_to(ROOT)} was not taken at {r.name}@{r.rev}")
    # A verdict whose findings are gone is kept: it judges them again if they come back.
    used = {v.index for _, _, v in judge(repos, verdicts) if v is not None}
    idle = [v for v in verdicts if v.index not in used]
    if idle:
        print(f"ecosystem: {len(idle)} verdict(s) judge no finding of the snapshots now", file=sys.stderr)
    stray = {p.stem for p in SNAPSHOTS.glob("*.txt")} - {r.slug for r in repos}
    problems += [f"snapshots/{s}.txt belongs to no repository of {REPOS.name}" for s in sorted(stray)]
    for p in problems:
        print(f"ecosystem: {p}", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run apelint over the repositories and diff the snapshots")
    run.add_argument("--only", nargs="+", metavar="OWNER/NAME")
    run.add_argument("--bin", help="an apelint binary to run instead of building one")
    run.add_argument("--no-build", action="store_true", help="use target/release/apelint as it is")
    run.add_argument(
        "--dir",
        default=os.environ.get("APELINT_ECOSYSTEM_DIR", "~/.cache/apelint/ecosystem"),
        help="where the repositories are cloned (outside this repository)",
    )
    run.add_argument("--mirror", help="a folder of git mirrors to clone from instead of GitHub")
    run.add_argument("--show", type=int, default=20, help="findings listed per repository and direction")
    run.set_defaults(func=cmd_run)
    precision = sub.add_parser("precision", help="precision per rule and severity from the verdicts")
    which = precision.add_mutually_exclusive_group()
    which.add_argument("--held-out", action="store_true", help="only the held-out repositories")
    which.add_argument("--tuning", action="store_true", help="only the repositories rules were tuned on")
    precision.add_argument("--markdown", action="store_true")
    precision.set_defaults(func=cmd_precision)
    unjudged = sub.add_parser("unjudged", help="findings no verdict judges, by rule, repository and folder")
    unjudged.add_argument("--only", nargs="+", metavar="OWNER/NAME")
    unjudged.set_defaults(func=cmd_unjudged)
    check = sub.add_parser("check", help="the pinned list, snapshots and verdicts agree (run by CI)")
    check.set_defaults(func=cmd_check)
    args = parser.parse_args()
    try:
        return args.func(args)
    except (Problem, tomllib.TOMLDecodeError, OSError) as e:
        print(f"ecosystem: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
