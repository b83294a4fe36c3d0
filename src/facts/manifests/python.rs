//! Python: `pyproject.toml` (PEP 621, Poetry, PDM), `Pipfile`, `requirements*.txt`, `setup.cfg`, `setup.py`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::lines::{Lines, Occurrences, TokenLines, TomlLines, quoted_strings};
use super::shared::{
    QUOTED_RE, blank_comments, first_capture, is_spec, parse_toml, regex, regexes, str_at, table_at, toml_at,
    toml_entries, toml_strings,
};
use super::{Manifest, ManifestError, file_name};

const PY_DEV_GROUPS: [&str; 7] = ["test", "tests", "dev", "lint", "docs", "doc", "typing"];

/// The distribution name at the start of a PEP 508 requirement, if it looks like one.
fn pep508_name(req: &str) -> Option<&str> {
    let req = req.trim();
    let end = req.find(|c: char| "[<>=!~;@(,".contains(c) || c.is_whitespace()).unwrap_or(req.len());
    let name = &req[..end];
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let edges =
        name.starts_with(|c: char| c.is_ascii_alphanumeric()) && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    (valid && edges).then_some(name)
}

/// The quoted strings of a TOML text by line, and the distribution names they start with: where
/// the requirements of its arrays are written.
struct Requirements<'t> {
    written: TokenLines<'t>,
    names: TokenLines<'t>,
}

impl<'t> Requirements<'t> {
    fn new(text: &'t str) -> Self {
        let (mut written, mut names) = (Vec::new(), Vec::new());
        for (i, line) in text.lines().enumerate() {
            for string in quoted_strings(line) {
                written.push((string, i));
                names.extend(pep508_name(string).map(|name| (name, i)));
            }
        }
        Requirements { written: TokenLines::new(written), names: TokenLines::new(names) }
    }

    /// 1-based line of requirement `req`, named `name`: the first string written as `req` at or
    /// after 0-based line `start` (its table's header), else anywhere; else, since TOML escapes
    /// can make the decoded string differ from the source, the first string starting with `name`
    /// likewise; else `start` itself. (A search for `req` as any substring, as before, would cost
    /// a scan of the text per requirement.)
    fn line(&self, start: usize, req: &str, name: &str) -> usize {
        let found = self.written.nearest(req, start).or_else(|| self.names.nearest(name, start));
        found.unwrap_or(start) + 1
    }
}

fn add_requirements<'a>(
    m: &mut Manifest,
    written: &Requirements<'_>,
    start: usize,
    reqs: impl Iterator<Item = &'a str>,
    dev: bool,
) {
    for req in reqs {
        if let Some(name) = pep508_name(req) {
            m.add_dep(name, dev, written.line(start, req, name));
        }
    }
}

pub(super) fn parse_pyproject(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines = TomlLines::new(text);
    let written = Requirements::new(text);
    m.set_name(str_at(&doc, &["project", "name"]).or(str_at(&doc, &["tool", "poetry", "name"])));
    m.has_library = doc.contains_key("build-system") || doc.contains_key("project");

    let project_deps = toml_strings(toml_at(&doc, &["project", "dependencies"]));
    let start = lines.header("project").unwrap_or(0);
    add_requirements(m, &written, start, project_deps, false);
    // Optional-dependency groups are dev only when named so; PEP 735 and PDM groups always are.
    // PEP 735 `{include-group = "x"}` entries are tables, which toml_strings skips.
    let groups: [(&[&str], bool); 3] = [
        (&["project", "optional-dependencies"], false),
        (&["dependency-groups"], true),
        (&["tool", "pdm", "dev-dependencies"], true),
    ];
    for (path, always_dev) in groups {
        let start = lines.header(&path.join(".")).unwrap_or(0);
        for (group, reqs) in toml_entries(&doc, path) {
            let dev = always_dev || PY_DEV_GROUPS.contains(&group.to_lowercase().as_str());
            let before = m.dependencies.len();
            add_requirements(m, &written, start, toml_strings(Some(reqs)), dev);
            // An extra (`pip install pkg[postgres]`) is installed only when asked for.
            if !always_dev {
                for dependency in &mut m.dependencies[before..] {
                    dependency.optional = true;
                }
            }
        }
    }

    let mut poetry_tables = vec![(vec!["tool", "poetry", "dependencies"], false)];
    poetry_tables.push((vec!["tool", "poetry", "dev-dependencies"], true));
    for (group, _) in toml_entries(&doc, &["tool", "poetry", "group"]) {
        poetry_tables.push((vec!["tool", "poetry", "group", group, "dependencies"], true));
    }
    for (path, dev) in poetry_tables {
        let section = lines.section(&path);
        for (key, spec) in table_at(&doc, &path).into_iter().flatten() {
            if key != "python" && is_spec(spec) {
                m.add_dep(key, dev, lines.key_line(&section, key));
            }
        }
    }
    let script_tables = [&["project", "scripts"][..], &["project", "gui-scripts"], &["tool", "poetry", "scripts"]];
    for path in script_tables {
        toml_entries(&doc, path).for_each(|(k, _)| m.add_binary(k));
    }
    Ok(())
}

pub(super) fn parse_pipfile(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines = TomlLines::new(text);
    for (section, dev) in [("packages", false), ("dev-packages", true)] {
        let place = lines.section(&[section]);
        for (key, _) in toml_entries(&doc, &[section]).filter(|(_, v)| is_spec(v)) {
            m.add_dep(key, dev, lines.key_line(&place, key));
        }
    }
    Ok(())
}

pub(super) fn parse_requirements(m: &mut Manifest, text: &str) {
    let lower = file_name(&m.path).to_lowercase();
    let dev = lower.contains("dev") || lower.contains("test");
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw);
        let line = line.split("\t#").next().unwrap_or(line).trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        let name = if line.contains("://") || line.starts_with("git+") {
            match line.split_once("#egg=") {
                Some((_, egg)) => pep508_name(egg.split('&').next().unwrap_or(egg)),
                // PEP 508 direct reference: `name @ https://...`.
                None => line.split_once('@').and_then(|(n, _)| pep508_name(n)),
            }
        } else {
            pep508_name(line)
        };
        if let Some(name) = name {
            m.add_dep(name, dev, i + 1);
        }
    }
}

/// Borrowed from the text: a long section name is not copied into each of its entries.
struct IniEntry<'t> {
    section: &'t str,
    key: &'t str,
    /// Value lines with their 1-based line numbers (first line plus indented continuations).
    values: Vec<(usize, &'t str)>,
}

fn parse_ini(text: &str) -> Vec<IniEntry<'_>> {
    let mut entries: Vec<IniEntry> = Vec::new();
    let mut section = "";
    let mut continuing = false;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let last = entries.last_mut().filter(|_| continuing);
        if let Some(last) = last.filter(|_| raw.starts_with([' ', '\t'])) {
            last.values.push((i + 1, trimmed));
        } else if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed.trim_matches(['[', ']']).trim();
            continuing = false;
        } else if let Some(sep) = trimmed.find(['=', ':']) {
            continuing = true;
            let value = trimmed[sep + 1..].trim();
            let values = if value.is_empty() { vec![] } else { vec![(i + 1, value)] };
            let key = trimmed[..sep].trim();
            entries.push(IniEntry { section, key, values });
        }
    }
    entries
}

pub(super) fn parse_setup_cfg(m: &mut Manifest, text: &str) {
    for entry in parse_ini(text) {
        let values = entry.values.iter().copied();
        match (entry.section, entry.key) {
            ("metadata", "name") => m.set_name(entry.values.first().map(|v| v.1)),
            ("options", "install_requires") => setup_cfg_reqs(m, values, false),
            ("options", "tests_require" | "setup_requires") => setup_cfg_reqs(m, values, true),
            ("options.extras_require", group) => {
                let dev = PY_DEV_GROUPS.contains(&group.to_lowercase().as_str());
                setup_cfg_reqs(m, values, dev);
            }
            ("options.entry_points", "console_scripts" | "gui_scripts") => {
                for (_, v) in values {
                    m.add_binary(v.split('=').next().unwrap_or(v));
                }
            }
            _ => {}
        }
        if entry.section == "metadata" || entry.section.starts_with("options") {
            m.has_library = true;
        }
    }
}

fn setup_cfg_reqs<'a>(m: &mut Manifest, values: impl Iterator<Item = (usize, &'a str)>, dev: bool) {
    for (line, value) in values {
        if let Some(name) = pep508_name(value) {
            m.add_dep(name, dev, line);
        }
    }
}

regexes! {
    SETUP_NAME_RE = r#"\bname\s*=\s*["']([^"'\n]+)["']"#;
    // Followed by `[...]` or by the name of a module-level list: see `SetupLists`.
    SETUP_LIST_RE = r#"\b(install_requires|tests_require|setup_requires)\s*=\s*"#;
    IDENTIFIER_RE = r"\A[A-Za-z_]\w*";
    LINE_WORD_RE = r"(?m)^\w+";
    CONSOLE_SCRIPTS_RE = r#"["'](?:console|gui)_scripts["']\s*:\s*\[([^\]]*)\]"#;
}

/// The requirement lists of a `setup.py` (already without comments): `install_requires=[...]`, or
/// `install_requires=NAME` with `NAME = [...]` at the start of a line, each list up to the first
/// `]`. Found by hand rather than with one regex and a regex per `NAME`: an unclosed `[` made every
/// later search scan to the end of the text, and each `NAME` was looked for from its start.
struct SetupLists<'t> {
    text: &'t str,
    lines: Lines,
    closers: Occurrences,
    /// Offsets just after each word that starts a line, by word, in order.
    line_words: HashMap<&'t str, Vec<usize>>,
    /// The list each name was found to hold.
    assigned: HashMap<&'t str, Option<Range<usize>>>,
    /// The lists (start, dev) already read.
    seen: HashSet<(usize, bool)>,
    /// For lists ending at one `]` (and dev): the offset from which its whole lines were read.
    read_from: HashMap<(usize, bool), usize>,
}

impl<'t> SetupLists<'t> {
    fn new(text: &'t str) -> Self {
        let mut line_words: HashMap<&str, Vec<usize>> = HashMap::new();
        for word in LINE_WORD_RE.find_iter(text) {
            line_words.entry(word.as_str()).or_default().push(word.end());
        }
        SetupLists {
            text,
            lines: Lines::new(text),
            closers: Occurrences::new(text, b']'),
            line_words,
            assigned: HashMap::new(),
            seen: HashSet::new(),
            read_from: HashMap::new(),
        }
    }

    /// The inside of the list opening at `open` (a `[`), if it is closed.
    fn list_at(&self, open: usize) -> Option<Range<usize>> {
        Some(open + 1..self.closers.next(open + 1)?)
    }

    /// The list assigned to `name` at the start of a line: the first `NAME = [...]`.
    fn assigned(&mut self, name: &'t str) -> Option<Range<usize>> {
        if let Some(found) = self.assigned.get(name) {
            return found.clone();
        }
        let text = self.text;
        let mut found = None;
        for &after in self.line_words.get(name).into_iter().flatten() {
            let rest = text[after..].trim_start();
            let Some(rest) = rest.strip_prefix('=').map(str::trim_start) else { continue };
            if rest.starts_with('[') {
                // Without a `]` after this one, none later is closed either.
                found = self.list_at(text.len() - rest.len());
                break;
            }
        }
        self.assigned.insert(name, found.clone());
        found
    }

    /// Each requirement list with whether it is for development: `(list, dev)`.
    fn all(&mut self) -> Vec<(Range<usize>, bool)> {
        let text = self.text;
        let mut lists = Vec::new();
        let mut at = 0;
        while let Some(caps) = SETUP_LIST_RE.captures_at(text, at) {
            let (Some(whole), Some(kind)) = (caps.get(0), caps.get(1)) else { break };
            let dev = kind.as_str() != "install_requires";
            at = whole.end();
            let rest = &text[at..];
            if rest.starts_with('[') {
                if let Some(list) = self.list_at(at) {
                    at = list.end + 1;
                    lists.push((list, dev));
                }
            } else if let Some(name) = IDENTIFIER_RE.find(rest) {
                at += name.end();
                // `install_requires=requires`: follow the module-level list assignment.
                if let Some(list) = self.assigned(&text[at - name.len()..at]) {
                    lists.push((list, dev));
                }
            }
        }
        lists
    }

    /// Adds the requirements quoted in `list`. Lists ending at the same `]` overlap (`a = [` with
    /// no `]` of its own): the first line of each is read from the list's start, and its other
    /// lines, the same in each, once per `]`.
    fn read(&mut self, m: &mut Manifest, list: Range<usize>, dev: bool) {
        if !self.seen.insert((list.start, dev)) {
            return;
        }
        let first_end = self.text[list.clone()].find('\n').map_or(list.end, |nl| list.start + nl + 1);
        self.add(m, list.start..first_end, dev);
        let read_from = *self.read_from.get(&(list.end, dev)).unwrap_or(&list.end);
        if first_end < read_from {
            self.add(m, first_end..read_from, dev);
            self.read_from.insert((list.end, dev), first_end);
        }
    }

    fn add(&self, m: &mut Manifest, span: Range<usize>, dev: bool) {
        for q in QUOTED_RE.captures_iter(&self.text[span.clone()]) {
            let (Some(whole), Some(req)) = (q.get(0), q.get(1)) else {
                continue;
            };
            if let Some(name) = pep508_name(req.as_str()) {
                m.add_dep(name, dev, self.lines.line(span.start + whole.start()));
            }
        }
    }
}

pub(super) fn parse_setup_py(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "#", "\n");
    m.has_library = true;
    m.set_name(first_capture(&SETUP_NAME_RE, text));
    let mut lists = SetupLists::new(text);
    for (list, dev) in lists.all() {
        lists.read(m, list, dev);
    }
    for caps in CONSOLE_SCRIPTS_RE.captures_iter(text) {
        for q in QUOTED_RE.captures_iter(&caps[1]) {
            m.add_binary(q[1].split('=').next().unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, summary};

    #[test]
    fn django_requirements_txt() {
        let text = "-r base.txt
# pinned
Django==4.2.7  # LTS
celery[redis]>=5

--index-url https://pypi.org/simple
-e git+https://github.com/x/y.git#egg=My_Lib
https://example.com/pkg.tar.gz
psycopg2-binary ; python_version < '3.12'
requests @ https://example.com/requests.whl
./local/pkg
    --hash=sha256:abc
";
        let m = ok("requirements.txt", text);
        assert_eq!(summary(&m), "django@3 celery@4 psycopg2-binary@9 requests@10");
        let m = ok("requirements/dev.txt", "-r base.txt\npytest-django\n");
        assert_eq!(summary(&m), "+pytest-django@2");
        let m = ok("requirements-test.txt", "git+https://x/y#egg=foo&subdirectory=a\n");
        assert_eq!(summary(&m), "+foo@1");
        let m = ok("requirements.txt", "flask\nFlask>=2\nflask_cors\n");
        assert_eq!(summary(&m), "flask@1 flask-cors@3", "duplicates keep the first line");
    }

    #[test]
    fn poetry_pyproject() {
        let text = r#"[tool.poetry]
name = "acme-api"

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.110"
SQLAlchemy = { version = "^2", extras = ["asyncio"] }

[tool.poetry.group.dev.dependencies]
pytest = "^8"

[tool.poetry.dev-dependencies]
black = "*"

[tool.poetry.scripts]
acme = "acme.cli:main"

[build-system]
requires = ["poetry-core"]
"#;
        let m = ok("pyproject.toml", text);
        assert_eq!(m.name.as_deref(), Some("acme-api"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["acme"]);
        assert_eq!(summary(&m), "fastapi@6 sqlalchemy@7 +pytest@10 +black@13");
    }

    #[test]
    fn pep621_pyproject() {
        let text = r#"[project]
name = "My.Tool"
dependencies = [
    "httpx>=0.27",
    "rich[jupyter]",
    "tomli; python_version < \"3.11\"",
]

[project.optional-dependencies]
postgres = ["psycopg>=3"]
test = ["pytest", "pytest-cov"]

[project.scripts]
mytool = "my_tool.__main__:main"

[dependency-groups]
lint = ["ruff", {include-group = "typing"}]

[tool.pdm.dev-dependencies]
docs = ["mkdocs"]
"#;
        let m = ok("tools/pyproject.toml", text);
        assert_eq!(m.name.as_deref(), Some("My.Tool"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["mytool"]);
        let want = "httpx@4 rich@5 tomli@6 psycopg@10 +pytest@11 +pytest-cov@11 +ruff@17 +mkdocs@20";
        assert_eq!(summary(&m), want);
        assert!(!ok("pyproject.toml", "[tool.ruff]\nline-length = 100\n").has_library);
    }

    #[test]
    fn setup_cfg() {
        let text = "[metadata]
name = acme

[options]
packages = find:
install_requires =
    requests>=2
    click

[options.extras_require]
test =
    pytest
yaml = PyYAML

[options.entry_points]
console_scripts =
    acme = acme.cli:main

[flake8]
max-line-length = 100
";
        let m = ok("setup.cfg", text);
        assert_eq!(m.name.as_deref(), Some("acme"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["acme"]);
        assert_eq!(summary(&m), "requests@7 click@8 +pytest@12 pyyaml@13");
        assert!(!ok("setup.cfg", "[flake8]\nignore = E501\n").has_library);
    }

    #[test]
    fn pipfile_and_setup_py() {
        let text = r#"[[source]]
url = "https://pypi.org/simple"

[packages]
flask = "*"
"Flask-Login" = {version = "*"}

[dev-packages]
pytest = "*"
"#;
        assert_eq!(summary(&ok("Pipfile", text)), "flask@5 flask-login@6 +pytest@9");

        let text = r#"from setuptools import setup
# install_requires=['fake']
TESTS = ['pytest']
setup(
    name='acme',
    install_requires=[
        'numpy>=1.20',
        "pandas",
    ],
    tests_require=TESTS,
    entry_points={'console_scripts': ['acme=acme.cli:main']},
)
"#;
        let m = ok("setup.py", text);
        assert_eq!(m.name.as_deref(), Some("acme"));
        assert_eq!(m.binaries, ["acme"]);
        assert_eq!(summary(&m), "+pytest@3 numpy@7 pandas@8");
    }

    #[test]
    fn setup_py_lists_sharing_a_bracket() {
        // Unclosed lists run to the next `]`, as the regular expression `\[([^\]]*)\]` read them.
        let text = "a = ['x',\nb = ['y',\n'z']\nsetup(install_requires=a, tests_require=b, setup_requires=a,\n  \
            install_requires=['w'], tests_require=missing, install_requires=[)\n";
        assert_eq!(summary(&ok("setup.py", text)), "x@1 +x@1 y@2 +y@2 z@3 +z@3 w@5");
        let text = "r = ['p', 'q']\nsetup(install_requires=r)\nsetup(install_requires=r)\n";
        assert_eq!(summary(&ok("setup.py", text)), "p@1 q@1");
        let text = "r = [\"a[\", 'b'\n, 'c']\ns = ['d', 'e'\nsetup(install_requires=r, tests_require=s)\n";
        assert_eq!(summary(&ok("setup.py", text)), "a@1 b@1 c@2");
    }
}
