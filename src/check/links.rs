//! `markdown-links`: relative links and anchors in Markdown files that lead nowhere.

use super::config::config;
use super::files::is_markdown;
use super::{FileCtx, Pre, Primitive, ScanCx};
use crate::diag::Problems;
use crate::escape::code;
use crate::facts::{Facts, roles};
use crate::finding::{Hit, Location, Position};
use crate::markdown::{self, Link, LinkKind, MarkdownDoc};
use crate::paths;
use crate::pattern::Globs;
use crate::spanned::Fields;

#[derive(Debug)]
pub struct LinksCheck {
    files: Globs,
    exclude: Globs,
    anchors: bool,
}

config! {
    /// The `[check]` table of `markdown-links`: links and anchors in Markdown files that lead nowhere.
    pub struct LinksConfig {
        /// The Markdown files to read.
        required "files" => files: Globs,
        /// Files to leave out.
        "exclude" => exclude: Globs,
        /// Check `#fragments` too (default `true`).
        "anchors" => anchors: bool,
    }
}

impl Primitive for LinksCheck {
    const KIND: &'static str = "markdown-links";
    type Config = LinksConfig;
    type Acc = Vec<Hit>;

    fn compile(config: LinksConfig, _: &Fields<'_>, _: &mut Problems) -> Option<LinksCheck> {
        Some(LinksCheck {
            files: config.files.value()?,
            exclude: config.exclude.or(Globs::empty())?,
            anchors: config.anchors.or_lenient(true),
        })
    }

    fn repository_level(&self) -> bool {
        false
    }

    fn selects(&self, path: &str) -> bool {
        is_markdown(path) && self.files.is_match(path) && !self.exclude.is_match(path)
    }

    fn pre(&self, facts: &Facts) -> Pre {
        if facts.tree().files.iter().any(|path| self.selects(path)) { Pre::Scan } else { Pre::Done(Vec::new()) }
    }

    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        if is_rustdoc_fragment(facts, file.path) {
            return;
        }
        let Some(doc) = facts.markdown(file.path, Some(file.text)) else { return };
        // A page that links to its neighbours as built pages (`upgrading.html` beside
        // `upgrading.md`) is written for a site a generator builds, wherever it sits.
        let site =
            facts.in_docs_site(file.path) || doc.links.iter().any(|link| links_a_built_page(facts, file.path, link));
        for link in &doc.links {
            if marked_external(file.text, link) {
                continue;
            }
            if let Some(problem) = self.judge(file.path, &doc, link, site, facts) {
                let location = Location {
                    path: file.path.to_string(),
                    start: Position { line: link.span.start.line, column: link.span.start.column },
                    end: Position { line: link.span.end.line, column: link.span.end.column },
                };
                out.push(Hit::at(location, problem, link.dest.clone()));
            }
        }
    }

    fn post(&self, _: &Facts, hits: Vec<Hit>) -> Vec<Hit> {
        hits
    }
}

impl LinksCheck {
    /// Why `link` in the document at `path` is broken, or `None` when it is fine or not ours to judge.
    fn judge(&self, path: &str, doc: &MarkdownDoc, link: &Link, site: bool, facts: &Facts) -> Option<String> {
        let dest = link.dest.trim();
        if dest.is_empty() || paths::is_external(dest) || is_templated(dest) || is_email(dest) {
            return None;
        }
        // ExDoc and rustdoc auto-links (`[insert](`Ecto.Repo.insert/2`)`) name code, not files.
        if dest.starts_with('`') {
            return None;
        }
        let (target, fragment) = match dest.split_once('#') {
            Some((target, fragment)) => (target, Some(fragment)),
            None => (dest, None),
        };
        let target = target.split('?').next().unwrap_or_default();
        // In a documentation site the generator gives headings their ids (its own slugs, attr_list's
        // `{ #id }`, MyST labels) and resolves extensionless targets as routes or cross-references:
        // neither is judged there. File links are, as the generator builds and copies them.
        if target.is_empty() {
            let fragment = fragment?;
            return (self.anchors
                && !site
                && link.kind != LinkKind::Html
                && !has_anchor(doc, fragment, in_docs_folder(path)))
            .then(|| format!("no heading or anchor {} in this file", code(&format!("#{fragment}"))));
        }
        // In MDX and in documentation sites, a link from the root is a route the generator
        // resolves (versioned docs, blog posts, API pages), not a path in the repository.
        if target.starts_with('/') && (path.ends_with(".mdx") || site) {
            return None;
        }
        let decoded = paths::percent_decode(target);
        let resolved = paths::resolve(paths::parent(path), &decoded)?;
        let file_name = decoded.rsplit('/').next().unwrap_or_default();
        let url_form = !file_name.contains('.');
        // `wagtail.models.Site`, `django.contrib.auth.views.LoginView`: a cross-reference to code.
        if site && (url_form || !has_file_extension(file_name)) {
            return None;
        }
        if !facts.tree().exists(&resolved) && file_name.ends_with(".html") {
            // A link to a page of the built site (`upgrading.html#rails-8`, `../ch04-01.html`):
            // fine when the page's source is in the repository, under the same name; inside a
            // site, built output is the generator's to make.
            let stem = &file_name[..file_name.len() - ".html".len()];
            if site || built_page_source(facts, &resolved, stem) {
                return None;
            }
        }
        let found = existing(facts, &resolved)
            .or_else(|| without_locale(facts, path, &resolved))
            .or_else(|| translated_twin(facts, path, &resolved))
            .or_else(|| from_page_folder(facts, path, &decoded));
        // A site copies assets and falls back to another language's page: a target whose path, as
        // written, ends a file of the repository resolves there.
        if found.is_none() && site && copied_by_the_site(facts, &decoded) {
            return None;
        }
        let Some(found) = found else {
            // Behind a folder apelint could not read, the target may well exist.
            if facts.tree().in_unreadable(&resolved) || names_a_page_not_a_file(facts, path, &decoded, &resolved) {
                return None;
            }
            return Some(match differently_cased(facts, &resolved) {
                Some(actual) => {
                    format!(
                        "{} does not exist ({} does; paths are case-sensitive on GitHub)",
                        code(target),
                        code(&actual)
                    )
                }
                None if looks_like_domain(target) => {
                    format!("{} does not exist; it looks like a URL without `https://`", code(target))
                }
                None if doc.references.contains(&target.to_lowercase()) => format!(
                    "{} does not exist; it is the label of a reference definition, so write {}",
                    code(target),
                    code(&format!("[text][{target}]"))
                ),
                None => format!("{} does not exist", code(target)),
            });
        };
        let fragment = fragment.filter(|fragment| self.anchors && !fragment.is_empty() && !is_line_anchor(fragment))?;
        if !is_markdown(&found) || site || facts.in_docs_site(&found) {
            return None;
        }
        let target_doc = facts.markdown(&found, None)?;
        (!has_anchor(&target_doc, fragment, in_docs_folder(&found)))
            .then(|| format!("no heading or anchor {} in {}", code(&format!("#{fragment}")), code(&found)))
    }
}

/// Whether a missing target is a page something other than GitHub serves, by a convention that
/// says so in the link itself:
/// - RDoc's output layout: `files/activerecord/README.rdoc` is the page RDoc builds for the
///   repository file `activerecord/README.rdoc` (a gem's RDoc main page links its files so);
/// - the forge's web routes: `../tree/HEAD/README.md`, `blob/main/x` in a pull-request comment
///   template, where no such folder exists;
/// - an app's routes: a link from the root (`/settings/integrations/slack`) in a document the
///   product ships as content (inside its source, not a README or docs), whose first folder is
///   not one of the repository's.
fn names_a_page_not_a_file(facts: &Facts, path: &str, written: &str, resolved: &str) -> bool {
    let tree = facts.tree();
    let parts: Vec<&str> = written.split('/').filter(|part| !matches!(*part, "" | "." | "..")).collect();
    if let Some(rest) = written.trim_start_matches("./").strip_prefix("files/") {
        if tree.exists(rest) {
            return true;
        }
    }
    // The forge's routes: the `tree` or `blob` folder the link goes through is not in the tree.
    let mut walked = String::new();
    for (at, part) in written.split('/').enumerate() {
        if at > 0 {
            walked.push('/');
        }
        walked.push_str(part);
        if matches!(part, "tree" | "blob") && parts.len() > 2 {
            let folder = paths::resolve(paths::parent(path), &walked).unwrap_or_default();
            if !tree.is_dir(&folder) {
                return true;
            }
        }
    }
    if written.starts_with('/') && path.contains('/') && roles::is_product_path(path) && !is_project_document(path) {
        let first = resolved.split('/').next().unwrap_or_default();
        let extensionless = !parts.iter().any(|part| part.contains('.'));
        if extensionless && !tree.exists(first) {
            return true;
        }
    }
    false
}

/// Whether the link carries an attribute list marking it external (`[llms.txt](llms.txt){.external}`
/// in MyST and kramdown): its target is a URL of the published site, not a file of the repository.
fn marked_external(text: &str, link: &Link) -> bool {
    let after = text.get(link.span.offset + link.span.len..).unwrap_or_default();
    let line = after.split('\n').next().unwrap_or_default();
    let Some(close) = line.find(')') else { return false };
    let rest = &line[close + 1..];
    rest.starts_with('{')
        && rest.find('}').is_some_and(|end| {
            rest[..end].split_whitespace().any(|part| part.trim_start_matches(['{', ':']) == ".external")
        })
}

/// Whether the file is one of the project documents GitHub shows on its own (README,
/// CONTRIBUTING, CHANGELOG, SECURITY, ...), whose links GitHub resolves.
fn is_project_document(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or_default();
    matches!(stem, "readme" | "contributing" | "changelog" | "security" | "code_of_conduct" | "support" | "history")
}

/// Whether the built page `stem.html` at `resolved` has its source in the repository: beside it,
/// or anywhere under the same file name (generators that flatten their pages, like ExDoc).
fn built_page_source(facts: &Facts, resolved: &str, stem: &str) -> bool {
    let folder = paths::parent(resolved);
    let tree = facts.tree();
    SOURCE_EXTENSIONS.iter().any(|extension| {
        let beside =
            if folder.is_empty() { format!("{stem}.{extension}") } else { format!("{folder}/{stem}.{extension}") };
        tree.exists(&beside) || tree.any_ends_with(&format!("/{stem}.{extension}"))
    })
}

/// Whether `link` in the page at `path` names a built page whose source is beside it: `x.html`
/// where `x.md` (or `.rst`, ...) is the file.
fn links_a_built_page(facts: &Facts, path: &str, link: &Link) -> bool {
    let dest = link.dest.split(['#', '?']).next().unwrap_or_default();
    let Some(stem) = dest.strip_suffix(".html") else { return false };
    if paths::is_external(dest) || stem.is_empty() {
        return false;
    }
    let Some(resolved) = paths::resolve(paths::parent(path), &paths::percent_decode(stem)) else { return false };
    let tree = facts.tree();
    !tree.exists(&format!("{resolved}.html"))
        && SOURCE_EXTENSIONS.iter().any(|extension| tree.exists(&format!("{resolved}.{extension}")))
}

/// Whether `name` ends in an extension files are named with (`guide.md`, `logo.svg`), not in a
/// part of a dotted code name (`wagtail.models.Site`, `context_processors.i18n`).
fn has_file_extension(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "md",
        "mdx",
        "markdown",
        "rst",
        "adoc",
        "txt",
        "html",
        "htm",
        "pdf",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "ico",
        "avif",
        "mp4",
        "webm",
        "mov",
        "json",
        "yml",
        "yaml",
        "toml",
        "xml",
        "csv",
        "ini",
        "cfg",
        "conf",
        "env",
        "lock",
        "sql",
        "sh",
        "bash",
        "ps1",
        "bat",
        "py",
        "js",
        "mjs",
        "cjs",
        "ts",
        "tsx",
        "jsx",
        "rs",
        "go",
        "rb",
        "java",
        "kt",
        "cs",
        "php",
        "ex",
        "exs",
        "c",
        "h",
        "cpp",
        "hpp",
        "cc",
        "swift",
        "css",
        "scss",
        "zip",
        "gz",
        "tgz",
        "tar",
        "proto",
        "graphql",
        "ipynb",
        "dockerfile",
        "tf",
        "vue",
        "svelte",
        "astro",
        "wasm",
    ];
    name.rsplit_once('.').is_some_and(|(_, extension)| EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()))
}

/// The files a documentation generator builds pages from.
const SOURCE_EXTENSIONS: &[&str] = &["md", "mdx", "markdown", "rst", "adoc", "rdoc", "txt"];

/// Whether a file of the repository ends with the link's path as written (its `./` and `../` left
/// out): an asset the site copies from another folder, a page another language provides.
fn copied_by_the_site(facts: &Facts, written: &str) -> bool {
    let mut tail = written;
    while let Some(rest) = tail.strip_prefix("./").or_else(|| tail.strip_prefix("../")) {
        tail = rest;
    }
    !tail.is_empty() && facts.tree().any_ends_with(&format!("/{tail}"))
}

/// Whether `doc` has the anchor `#fragment` as GitHub renders it. Inside a documentation site
/// anchors are not judged: generators slug headings their own way. A documentation folder
/// (`doc/`, `docs/`) is usually published by a site too, one apelint may not know: there an anchor
/// is also found when it is a heading as the sluggers that turn each run of spaces and
/// punctuation into one hyphen write it (`#install-i` for `install / i`, `#composer-home` for
/// `COMPOSER_HOME`); a README or any other file GitHub shows is held to GitHub's slugs.
fn has_anchor(doc: &MarkdownDoc, fragment: &str, in_docs: bool) -> bool {
    let wanted = markdown::normalise_fragment(&paths::percent_decode(fragment));
    if wanted.is_empty() || doc.anchors.contains(&wanted) {
        return true;
    }
    // Only a fragment a slugger could have written (letters, digits, `-`, `_`, `.`): one that
    // keeps a heading's spaces, backticks or other punctuation is no slugger's output.
    let slug_like = wanted.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let collapsed = markdown::collapse_fragment(&wanted);
    in_docs && slug_like && !collapsed.is_empty() && doc.collapsed_anchors().contains(&collapsed)
}

/// Whether the file sits in a documentation folder, which a site may publish.
fn in_docs_folder(path: &str) -> bool {
    roles::Question::Product.leaves_out(path)
        && !roles::Question::Product.leaves_out_unless(path, &[roles::Reason::Docs])
}

/// `github.com/owner/repo`, `docs.example.io`: a URL whose scheme was left out, which GitHub then
/// treats as a relative path.
fn looks_like_domain(target: &str) -> bool {
    let host = target.split('/').next().unwrap_or_default();
    let Some((_, tld)) = host.rsplit_once('.') else { return false };
    host.contains('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && ["com", "org", "net", "io", "dev", "app", "co", "ai", "sh", "so", "me", "xyz", "info", "edu", "gov"]
            .contains(&tld)
}

/// Markdown inside a Rust crate's `src/` is documentation the crate includes with `include_str!`:
/// its links are rustdoc links (`crate`, `middleware/index.html`), resolved against the API docs.
fn is_rustdoc_fragment(facts: &Facts, path: &str) -> bool {
    let tree = facts.tree();
    let mut prefix = String::new();
    for part in path.split('/') {
        if part == "src" && tree.exists(&format!("{prefix}Cargo.toml")) {
            return true;
        }
        prefix.push_str(part);
        prefix.push('/');
    }
    false
}

fn rustdoc_kind(dest: &str) -> bool {
    ["fn@", "struct@", "enum@", "trait@", "mod@", "macro@", "type@", "const@", "static@", "method@", "union@"]
        .iter()
        .any(|prefix| dest.starts_with(prefix))
}

/// Translations laid over the original docs at build time (`i18n/de/pages/guide.md` published in
/// place of `docs/guide.md`) link to pages of the original: the part of the path after the locale
/// folder is looked for under the original's folders.
fn translated_twin(facts: &Facts, from: &str, resolved: &str) -> Option<String> {
    let parts: Vec<&str> = from.split('/').collect();
    let locale = parts.iter().position(|part| is_locale(part))?;
    let prefix = parts[..=locale].join("/");
    let rest = resolved.strip_prefix(&format!("{prefix}/"))?;
    let rest =
        ["pages/", "docs/", "content/", "src/"].iter().find_map(|folder| rest.strip_prefix(folder)).unwrap_or(rest);
    let before_locale = parts[..locale].join("/");
    let mut bases = vec![String::new(), "docs".to_string()];
    if let Some((base, _)) = before_locale.rsplit_once('/') {
        bases.push(base.to_string());
    }
    bases.extend(
        facts.docs_sites().iter().flat_map(|site| [site.clone(), paths::resolve(site, "docs").unwrap_or_default()]),
    );
    bases.iter().find_map(|base| {
        let candidate = if base.is_empty() { rest.to_string() } else { format!("{base}/{rest}") };
        existing(facts, &candidate)
    })
}

/// `<someone@example.com>` is an e-mail autolink, whose destination has no `mailto:`.
fn is_email(dest: &str) -> bool {
    dest.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !dest.contains('/'))
}

/// `#L10` and `#L10-L20` point at lines of a file on GitHub, not at headings.
fn is_line_anchor(fragment: &str) -> bool {
    let rest = fragment.strip_prefix('L').unwrap_or_default();
    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '-' || c == 'L' || c == 'C')
}

/// Links written by a template engine or a docs generator are resolved at build time, not here.
fn is_templated(dest: &str) -> bool {
    // `[X](…)` in a how-to-write-docs page, and rustdoc intra-doc links (`tower::Service`,
    // `fn@crate::middleware::from_fn`) in Markdown that a crate includes as documentation.
    if dest.contains('…') || dest.starts_with("...") || dest.contains("::") || rustdoc_kind(dest) {
        return true;
    }
    let first = dest.split('/').next().unwrap_or_default();
    // `IMG_URL/logo.png`, `STATIC_URL/x.css`: a name the app replaces when it renders the page.
    let placeholder = first.len() > 1
        && first.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && first.chars().any(|c| c == '_');
    placeholder
        || dest.contains("{{")
        || dest.contains("{%")
        || dest.contains('$')
        || dest.starts_with('<')
        || dest.contains("](")
}

/// The path a link leads to, allowing the forms docs generators resolve: `guide` for `guide.md`,
/// `guide.html` for `guide.md`, a folder for its `README.md` or `index.md`.
fn existing(facts: &Facts, resolved: &str) -> Option<String> {
    let tree = facts.tree();
    // Ignored paths are build output (`build/reports/`, generated API docs): they exist once the
    // project is built, so a link to one is not judged.
    if tree.exists(resolved) || facts.is_ignored(resolved) {
        return Some(resolved.to_string());
    }
    // Excluded or ignored files still exist for a reader of a local checkout.
    if !resolved.is_empty() && facts.exists_inside(resolved) {
        return Some(resolved.to_string());
    }
    candidates(resolved).into_iter().find(|candidate| tree.exists(candidate))
}

fn candidates(resolved: &str) -> Vec<String> {
    let stem = resolved.strip_suffix(".html").unwrap_or(resolved).trim_end_matches('/');
    let name = stem.rsplit('/').next().unwrap_or(stem);
    // mdBook publishes `cli/README.md` as `cli/index.html`.
    let folder_readme = stem.strip_suffix("index").map(|folder| format!("{folder}README.md"));
    let mut candidates = vec![
        format!("{stem}.md"),
        format!("{stem}.mdx"),
        format!("{stem}/README.md"),
        format!("{stem}/index.md"),
        format!("{stem}/_index.md"),
        format!("{stem}/index.mdx"),
        format!("{stem}/{name}.md"),
        format!("{stem}/{name}.mdx"),
    ];
    candidates.extend(folder_readme);
    candidates
}

/// The real spelling of a path that exists under another case (also in the forms of [`existing`]).
fn differently_cased(facts: &Facts, resolved: &str) -> Option<String> {
    let tree = facts.tree();
    let mut wanted = candidates(resolved);
    wanted.insert(0, resolved.trim_end_matches('/').to_string());
    // The first in the tree's order (files, then folders, each sorted) that any form names.
    let first = |found: Vec<&str>| found.into_iter().min().map(str::to_string);
    first(wanted.iter().filter_map(|candidate| tree.file_in_any_case(candidate)).collect())
        .or_else(|| first(wanted.iter().filter_map(|candidate| tree.dir_in_any_case(candidate)).collect()))
}

/// Site generators with pretty URLs (Hugo, Jekyll, Docusaurus) publish `guide/setup.md` as
/// `guide/setup/`, so authors write links relative to that folder: `../install/` for the sibling
/// page `guide/install.md`.
fn from_page_folder(facts: &Facts, path: &str, target: &str) -> Option<String> {
    // A link ending in `/` is written in URL form whatever the generator, so it is tried too.
    if !facts.in_docs_site(path) && !target.ends_with('/') {
        return None;
    }
    let page = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    let resolved = paths::resolve(page, target)?;
    existing(facts, &resolved)
}

/// Translated docs (`docs/ja/guide.md`) often link to pages that exist only in the original
/// language; mkdocs and Docusaurus fall back to those. A folder of the linking file's own path that
/// looks like a locale is tried without.
fn without_locale(facts: &Facts, from: &str, resolved: &str) -> Option<String> {
    let from_parts: Vec<&str> = from.split('/').collect();
    let parts: Vec<&str> = resolved.split('/').collect();
    // Each locale folder is tried once, where it first appears: a link of thousands of `en/`
    // parts costs one try, not one per part.
    let mut tried = std::collections::HashSet::new();
    for (at, part) in parts.iter().enumerate() {
        if is_locale(part) && from_parts.contains(part) && tried.insert(*part) {
            let mut rest = parts.clone();
            rest.remove(at);
            if let Some(found) = existing(facts, &rest.join("/")) {
                return Some(found);
            }
        }
    }
    None
}

fn is_locale(part: &str) -> bool {
    let (language, region) = part.split_once(['-', '_']).unwrap_or((part, ""));
    language.len() == 2
        && language.chars().all(|c| c.is_ascii_lowercase())
        && (region.is_empty() || (2..=4).contains(&region.len()) && region.chars().all(|c| c.is_ascii_alphabetic()))
}
