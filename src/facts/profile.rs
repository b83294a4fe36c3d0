//! The repository's profile (library, cli, service, web app, monorepo, prototype), derived from its
//! manifests and entry points, with the evidence for each, so that rules can say where they apply.

use super::Facts;
use super::manifests::{Ecosystem, Manifest};
use serde::Serialize;
use std::cell::OnceCell;
use std::collections::{BTreeSet, HashSet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    Library,
    Cli,
    Service,
    WebApp,
    Monorepo,
    Prototype,
}

impl Profile {
    pub const ALL: [Profile; 6] =
        [Profile::Library, Profile::Cli, Profile::Service, Profile::WebApp, Profile::Monorepo, Profile::Prototype];

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Library => "library",
            Profile::Cli => "cli",
            Profile::Service => "service",
            Profile::WebApp => "web-app",
            Profile::Monorepo => "monorepo",
            Profile::Prototype => "prototype",
        }
    }

    /// Every profile's name, for messages.
    pub fn names() -> impl Iterator<Item = &'static str> + Clone {
        Profile::ALL.into_iter().map(Profile::as_str)
    }

    pub fn parse(text: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|profile| profile.as_str() == text)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the repository was given a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub profile: Profile,
    pub reason: String,
    pub path: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProfileFact {
    pub profiles: BTreeSet<Profile>,
    pub evidence: Vec<Evidence>,
    /// Set when `apelint.toml` named the profile instead of detection.
    pub configured: bool,
}

/// A repository with fewer source files than this is a prototype: small enough that process
/// (docs sites, ADRs, infrastructure) would be out of place.
pub const PROTOTYPE_MAX_SOURCE_FILES: usize = 10;

/// Dependencies that make a package a long-running service (an HTTP or RPC server, a worker).
const SERVICE_DEPENDENCIES: &[(Ecosystem, &str)] = &[
    (Ecosystem::Cargo, "axum"),
    (Ecosystem::Cargo, "actix-web"),
    (Ecosystem::Cargo, "rocket"),
    (Ecosystem::Cargo, "warp"),
    (Ecosystem::Cargo, "tonic"),
    (Ecosystem::Cargo, "poem"),
    (Ecosystem::Cargo, "tide"),
    (Ecosystem::Cargo, "salvo"),
    (Ecosystem::Cargo, "lambda-runtime"),
    (Ecosystem::Cargo, "lambda-http"),
    (Ecosystem::Cargo, "pingora"),
    (Ecosystem::Cargo, "loco-rs"),
    (Ecosystem::Npm, "express"),
    (Ecosystem::Npm, "fastify"),
    (Ecosystem::Npm, "koa"),
    (Ecosystem::Npm, "@nestjs/core"),
    (Ecosystem::Npm, "@hapi/hapi"),
    (Ecosystem::Npm, "hapi"),
    (Ecosystem::Npm, "restify"),
    (Ecosystem::Npm, "hono"),
    (Ecosystem::Npm, "@apollo/server"),
    (Ecosystem::Npm, "apollo-server"),
    (Ecosystem::Npm, "graphql-yoga"),
    (Ecosystem::Npm, "@trpc/server"),
    (Ecosystem::Npm, "elysia"),
    (Ecosystem::Npm, "@adonisjs/core"),
    (Ecosystem::Npm, "@feathersjs/feathers"),
    (Ecosystem::Npm, "moleculer"),
    (Ecosystem::Python, "fastapi"),
    (Ecosystem::Python, "flask"),
    (Ecosystem::Python, "starlette"),
    (Ecosystem::Python, "tornado"),
    (Ecosystem::Python, "sanic"),
    (Ecosystem::Python, "falcon"),
    (Ecosystem::Python, "pyramid"),
    (Ecosystem::Python, "bottle"),
    (Ecosystem::Python, "litestar"),
    (Ecosystem::Python, "quart"),
    (Ecosystem::Python, "celery"),
    (Ecosystem::Python, "uvicorn"),
    (Ecosystem::Python, "gunicorn"),
    (Ecosystem::Go, "github.com/gin-gonic/gin"),
    (Ecosystem::Go, "github.com/labstack/echo"),
    (Ecosystem::Go, "github.com/labstack/echo/v4"),
    (Ecosystem::Go, "github.com/gofiber/fiber/v2"),
    (Ecosystem::Go, "github.com/gofiber/fiber/v3"),
    (Ecosystem::Go, "github.com/go-chi/chi"),
    (Ecosystem::Go, "github.com/go-chi/chi/v5"),
    (Ecosystem::Go, "github.com/gorilla/mux"),
    (Ecosystem::Go, "github.com/valyala/fasthttp"),
    (Ecosystem::Go, "github.com/julienschmidt/httprouter"),
    (Ecosystem::Go, "connectrpc.com/connect"),
    (Ecosystem::Go, "github.com/grpc-ecosystem/grpc-gateway/v2"),
    (Ecosystem::Ruby, "sinatra"),
    (Ecosystem::Ruby, "hanami"),
    (Ecosystem::Ruby, "roda"),
    (Ecosystem::Ruby, "grape"),
    (Ecosystem::Ruby, "sidekiq"),
    (Ecosystem::Maven, "org.springframework.boot:spring-boot-starter-web"),
    (Ecosystem::Maven, "org.springframework.boot:spring-boot-starter-webflux"),
    (Ecosystem::Maven, "io.quarkus:quarkus-resteasy"),
    (Ecosystem::Maven, "io.quarkus:quarkus-rest"),
    (Ecosystem::Maven, "io.micronaut:micronaut-http-server-netty"),
    (Ecosystem::Maven, "io.dropwizard:dropwizard-core"),
    (Ecosystem::Maven, "io.javalin:javalin"),
    (Ecosystem::Maven, "io.vertx:vertx-web"),
    (Ecosystem::Gradle, "org.springframework.boot:spring-boot-starter-web"),
    (Ecosystem::Gradle, "org.springframework.boot:spring-boot-starter-webflux"),
    (Ecosystem::Gradle, "io.ktor:ktor-server-core"),
    (Ecosystem::Gradle, "io.ktor:ktor-server-netty"),
    (Ecosystem::Gradle, "io.javalin:javalin"),
    (Ecosystem::Gradle, "io.micronaut:micronaut-http-server-netty"),
    (Ecosystem::Hex, "plug_cowboy"),
    (Ecosystem::Hex, "bandit"),
    (Ecosystem::Composer, "slim/slim"),
    (Ecosystem::Composer, "laravel/lumen-framework"),
];

/// Command-line frameworks that make a Go main package a CLI.
const GO_CLI_DEPENDENCIES: &[(Ecosystem, &str)] = &[
    (Ecosystem::Go, "github.com/spf13/cobra"),
    (Ecosystem::Go, "github.com/urfave/cli"),
    (Ecosystem::Go, "github.com/urfave/cli/v2"),
    (Ecosystem::Go, "github.com/urfave/cli/v3"),
    (Ecosystem::Go, "github.com/alecthomas/kong"),
];

/// Frameworks for applications that serve pages to people.
const WEB_APP_DEPENDENCIES: &[(Ecosystem, &str)] = &[
    (Ecosystem::Npm, "next"),
    (Ecosystem::Npm, "nuxt"),
    (Ecosystem::Npm, "@remix-run/react"),
    (Ecosystem::Npm, "@react-router/dev"),
    (Ecosystem::Npm, "@sveltejs/kit"),
    (Ecosystem::Npm, "gatsby"),
    (Ecosystem::Npm, "astro"),
    (Ecosystem::Npm, "@solidjs/start"),
    (Ecosystem::Npm, "@angular/platform-browser"),
    (Ecosystem::Npm, "react-scripts"),
    (Ecosystem::Npm, "expo"),
    (Ecosystem::Python, "django"),
    (Ecosystem::Ruby, "rails"),
    (Ecosystem::Ruby, "railties"),
    (Ecosystem::Composer, "laravel/framework"),
    (Ecosystem::Composer, "symfony/framework-bundle"),
    (Ecosystem::Hex, "phoenix"),
    (Ecosystem::Cargo, "leptos"),
    (Ecosystem::Cargo, "yew"),
    (Ecosystem::Cargo, "dioxus"),
];

/// UI libraries that make a *private* package (one that is not published) a web app.
const UI_DEPENDENCIES: &[&str] = &["react-dom", "vue", "svelte", "solid-js", "preact", "@angular/core", "lit"];

impl ProfileFact {
    pub fn configured(profiles: &[Profile]) -> Self {
        ProfileFact {
            profiles: profiles.iter().copied().collect(),
            evidence: profiles
                .iter()
                .map(|profile| Evidence { profile: *profile, reason: "set in apelint.toml".to_string(), path: None })
                .collect(),
            configured: true,
        }
    }

    pub fn has(&self, profile: Profile) -> bool {
        self.profiles.contains(&profile)
    }

    /// Whether the repository is a prototype and nothing more: a handful of source files with no
    /// manifest or entry point that makes it a library, tool, service, web app or monorepo (a
    /// teaching example, a spike). A small library or tool someone installs is still judged as one.
    pub fn prototype_only(&self) -> bool {
        self.profiles.len() == 1 && self.has(Profile::Prototype)
    }

    /// The evidence, for messages: `prototype: 4 source files`.
    pub fn describe_evidence(&self) -> String {
        self.evidence
            .iter()
            .map(|evidence| format!("{}: {}", evidence.profile, evidence.reason))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn describe(&self) -> String {
        if self.profiles.is_empty() {
            "unknown".to_string()
        } else {
            self.profiles.iter().map(|profile| profile.as_str()).collect::<Vec<_>>().join(", ")
        }
    }
}

/// The profile being detected: each piece of evidence is kept once, however many packages give it.
#[derive(Default)]
struct Detection {
    fact: ProfileFact,
    seen: HashSet<(Profile, String)>,
}

impl Detection {
    fn has(&self, profile: Profile) -> bool {
        self.fact.has(profile)
    }

    fn add(&mut self, profile: Profile, reason: impl Into<String>, path: Option<&str>) {
        self.fact.profiles.insert(profile);
        let reason = reason.into();
        if self.seen.insert((profile, reason.clone())) {
            self.fact.evidence.push(Evidence { profile, reason, path: path.map(str::to_string) });
        }
    }
}

/// Derives the profile from manifests, entry points and size.
pub fn detect(facts: &Facts) -> ProfileFact {
    let mut detection = Detection::default();
    // A docs site's folder is the site's, with every package in it (a Next.js app under a Docusaurus
    // site that draws its social cards).
    let sites: Vec<&str> = facts
        .manifests()
        .list
        .iter()
        .filter(|manifest| is_docs_site(manifest))
        .map(|manifest| dir_of(&manifest.path))
        .filter(|dir| !dir.is_empty())
        .collect();
    let manifests: Vec<&Manifest> = facts
        .manifests()
        .list
        .iter()
        .filter(|manifest| !is_docs_site(manifest) && !sites.iter().any(|site| is_within(&manifest.path, site)))
        .collect();
    // The folders holding a gemspec, found once for every Ruby package that asks.
    let gemspec_dirs = OnceCell::new();
    for manifest in &manifests {
        classify(manifest, facts, &gemspec_dirs, &mut detection);
    }
    detect_servers(facts, &mut detection);
    detect_monorepo(facts, &manifests, &mut detection);
    if manifests.is_empty() {
        detect_entry_points(facts, &mut detection);
    }
    let sources = facts.source_file_count();
    // Small in code and in everything else: 40 Helm charts with one script are not a prototype.
    if sources < PROTOTYPE_MAX_SOURCE_FILES && sources > 0 && facts.tree().files.len() < 100 {
        detection.add(Profile::Prototype, format!("{sources} source files"), None);
    }
    // The source of a project template (a `dotnet new` or cookiecutter template, a Composer
    // skeleton) is installed by version and copied, not deployed: judged as a library is, beside
    // what its code would be once copied.
    if facts.project_template().is_some() {
        detection.add(Profile::Library, TEMPLATE_SOURCE, None);
    }
    let mut fact = detection.fact;
    // A service or web app is judged as one, not as a library or tool because one of its packages
    // has a lib target or a helper binary. A package published on npm stays a library.
    // A root package's own evidence stands beside a service elsewhere in the tree (a CLI at the
    // root with an API server under services/), but not beside a server the root itself runs.
    let app_at_root = fact.evidence.iter().any(|evidence| {
        matches!(evidence.profile, Profile::Service | Profile::WebApp) && at_root(evidence.path.as_deref())
    });
    if fact.has(Profile::Service) || fact.has(Profile::WebApp) {
        fact.evidence.retain(|evidence| match evidence.profile {
            Profile::Cli | Profile::Library if evidence.reason == PUBLISHED_PACKAGE => true,
            Profile::Library if evidence.reason == TEMPLATE_SOURCE => true,
            Profile::Cli | Profile::Library => at_root(evidence.path.as_deref()) && !app_at_root,
            _ => true,
        });
        fact.profiles = fact.evidence.iter().map(|evidence| evidence.profile).collect();
    }
    fact
}

/// Whether evidence comes from the repository root (or from no file in particular). The commands
/// under a Go module's `cmd/` are the root module's own.
fn at_root(path: Option<&str>) -> bool {
    path.is_none_or(|path| !path.contains('/') || (path.starts_with("cmd/") && path.ends_with(".go")))
}

const PUBLISHED_PACKAGE: &str = "published package with an entry point";
const TEMPLATE_SOURCE: &str = "the source of a project template, installed by version";

/// Packages that build a documentation site or a component workshop: not the product.
const DOCS_SITE_DEPENDENCIES: &[&str] = &[
    "@docusaurus/core",
    "vitepress",
    "vuepress",
    "nextra",
    "@astrojs/starlight",
    "docsify",
    "docsify-cli",
    "@storybook/react",
    "@storybook/vue3",
    "storybook",
    "mkdocs",
    "sphinx",
];

fn is_docs_site(manifest: &Manifest) -> bool {
    // Only runtime dependencies: a library whose dev group installs Sphinx is still a library.
    manifest.dependencies.iter().any(|dependency| {
        !dependency.dev && !dependency.optional && DOCS_SITE_DEPENDENCIES.contains(&dependency.name.as_str())
    })
}

/// Evidence of a long-running server that no manifest shows: a `Procfile` web process, a
/// Dockerfile that exposes a port, a Go main package that listens.
fn detect_servers(facts: &Facts, fact: &mut Detection) {
    if fact.has(Profile::Service) || fact.has(Profile::WebApp) {
        return;
    }
    let tree = facts.tree();
    if tree.exists("Procfile")
        && facts.read("Procfile").is_some_and(|text| text.lines().any(|line| line.starts_with("web:")))
    {
        fact.add(Profile::Service, "Procfile declares a web process", Some("Procfile"));
        return;
    }
    // The root module's commands: `main.go`, and every package under `cmd/` (a Cobra command
    // package such as `cmd/daemon/serve.go` starts the server as often as a `main.go` does).
    let go_commands = tree.files.iter().filter(|path| {
        path.as_str() == "main.go"
            || (path.starts_with("cmd/")
                && path.ends_with(".go")
                && !path.ends_with("_test.go")
                && !super::roles::is_test_path(path))
    });
    for path in go_commands {
        if facts.read(path).is_some_and(|text| {
            ["ListenAndServe(", "http.Server{", "grpc.NewServer(", ".Serve(listener", "net.Listen("]
                .iter()
                .any(|call| text.contains(call))
        }) {
            let reason = if path.ends_with("main.go") {
                "Go main package starts a server"
            } else {
                "Go command package starts a server"
            };
            fact.add(Profile::Service, reason, Some(path));
            return;
        }
    }
    // A deploy manifest: Heroku's `app.json` (the deploy button's), with the environment, add-ons,
    // buildpacks or process formation of the app it deploys (Expo's `app.json` has none of them).
    if tree.exists("app.json")
        && facts.read("app.json").and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok()).is_some_and(
            |doc| {
                doc.get("expo").is_none()
                    && ["buildpacks", "addons", "formation", "env", "stack"].iter().any(|key| doc.get(key).is_some())
            },
        )
    {
        fact.add(Profile::Service, "app.json deploys it to Heroku", Some("app.json"));
        return;
    }
    if tree.exists("Dockerfile")
        && facts
            .read("Dockerfile")
            .is_some_and(|text| text.lines().any(|line| line.trim_start().to_ascii_uppercase().starts_with("EXPOSE ")))
    {
        fact.add(Profile::Service, "Dockerfile exposes a port", Some("Dockerfile"));
    }
}

/// Whether `path` lies in the folder `dir` (not the root).
fn is_within(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
}

fn framework(manifest: &Manifest, table: &[(Ecosystem, &str)]) -> Option<String> {
    manifest
        .dependencies
        .iter()
        // A framework that only another requirement needs (Go's `// indirect`: a database driver's
        // gRPC gateway) is not one the package runs on.
        .filter(|dependency| !dependency.dev && !dependency.optional && !dependency.indirect)
        .find(|dependency| {
            table.iter().any(|(ecosystem, name)| {
                compatible(*ecosystem, dependency.ecosystem)
                    && (dependency.name == *name || dependency.name.starts_with(&format!("{name}/")))
            })
        })
        .map(|dependency| dependency.name.clone())
}

fn compatible(a: Ecosystem, b: Ecosystem) -> bool {
    a == b || matches!((a, b), (Ecosystem::Maven, Ecosystem::Gradle) | (Ecosystem::Gradle, Ecosystem::Maven))
}

fn classify<'f>(
    manifest: &Manifest,
    facts: &'f Facts,
    gemspec_dirs: &OnceCell<HashSet<&'f str>>,
    fact: &mut Detection,
) {
    let tree = facts.tree();
    let dir = dir_of(&manifest.path);
    let path = Some(manifest.path.as_str());
    // A private workspace root (npm or yarn `workspaces`, pnpm's `pnpm-workspace.yaml` beside it)
    // holds the monorepo's tooling: its dependencies say what the packages are built, tested and
    // demonstrated with, not what the repository is (tRPC's root depends on express).
    if manifest.ecosystem == Ecosystem::Npm
        && manifest.private
        && (!manifest.workspace_members.is_empty() || tree.exists(&join(dir, "pnpm-workspace.yaml")))
    {
        return;
    }
    let application = is_application(manifest, facts, gemspec_dirs);
    if let Some(name) = framework(manifest, WEB_APP_DEPENDENCIES).filter(|_| application) {
        fact.add(Profile::WebApp, format!("depends on {name}"), path);
        return;
    }
    if manifest.ecosystem == Ecosystem::Npm && manifest.private {
        if let Some(ui) = manifest.dependencies.iter().find(|d| !d.dev && UI_DEPENDENCIES.contains(&d.name.as_str())) {
            fact.add(Profile::WebApp, format!("private package using {}", ui.name), path);
            return;
        }
    }
    // A Go command built on a command-line framework (Cobra, urfave/cli, Kong) is a CLI even if a
    // dependency can serve HTTP (a cache server it embeds): whether its commands start a server is
    // read from them (`detect_servers`).
    let go_cli = manifest.ecosystem == Ecosystem::Go && framework(manifest, GO_CLI_DEPENDENCIES).is_some();
    if let Some(name) = framework(manifest, SERVICE_DEPENDENCIES).filter(|_| application && !go_cli) {
        fact.add(Profile::Service, format!("depends on {name}"), path);
        return;
    }
    // Profiles have no "mobile app"; an app people use is judged as a web app is.
    if manifest.mobile_app {
        fact.add(Profile::WebApp, "Android application module", path);
        return;
    }
    if manifest.web_sdk {
        let profile = if manifest.ecosystem == Ecosystem::Nuget { Profile::WebApp } else { Profile::Service };
        fact.add(profile, "web SDK or Spring Boot", path);
        return;
    }
    match manifest.ecosystem {
        Ecosystem::Cargo => {
            let lib = manifest.has_library || tree.exists(&join(dir, "src/lib.rs"));
            let bin = !manifest.binaries.is_empty()
                || tree.exists(&join(dir, "src/main.rs"))
                || tree.is_dir(&join(dir, "src/bin"));
            if bin {
                fact.add(Profile::Cli, "Rust binary target", path);
            }
            if lib && !bin {
                fact.add(Profile::Library, "Rust library crate", path);
            }
        }
        Ecosystem::Npm => {
            if !manifest.binaries.is_empty() {
                fact.add(Profile::Cli, "package.json declares `bin`", path);
            } else if !manifest.private && manifest.has_library {
                fact.add(Profile::Library, PUBLISHED_PACKAGE, path);
            }
        }
        Ecosystem::Python => {
            // A package with console scripts is usually importable too (httpx is both).
            if !manifest.binaries.is_empty() {
                fact.add(Profile::Cli, "declares console scripts", path);
            }
            if manifest.has_library && manifest.name.is_some() {
                fact.add(Profile::Library, "Python package metadata", path);
            }
        }
        Ecosystem::Go => {
            if manifest.path.ends_with("go.mod") {
                if tree.exists(&join(dir, "main.go")) || tree.is_dir(&join(dir, "cmd")) {
                    fact.add(Profile::Cli, "Go main package", path);
                    // Commands under `cmd/` beside an importable package at the module's root: a
                    // library with its command-line tool (golang-migrate).
                    if exports_go_package(facts, dir) {
                        fact.add(Profile::Library, "Go module exporting a package beside its commands", path);
                    }
                } else {
                    fact.add(Profile::Library, "Go module without a main package", path);
                }
            }
        }
        Ecosystem::Ruby => {
            if manifest.path.ends_with(".gemspec") {
                if manifest.binaries.is_empty() {
                    fact.add(Profile::Library, "gemspec", path);
                } else {
                    fact.add(Profile::Cli, "gemspec with executables", path);
                }
            }
        }
        Ecosystem::Maven | Ecosystem::Gradle | Ecosystem::Composer | Ecosystem::Nuget | Ecosystem::Hex => {
            if !manifest.binaries.is_empty() {
                fact.add(Profile::Cli, "executable output", path);
            } else if manifest.has_library {
                fact.add(Profile::Library, "library package", path);
            }
        }
    }
}

/// Whether the Go module at `dir` holds, at its root, a package other than `main`.
fn exports_go_package(facts: &Facts, dir: &str) -> bool {
    facts
        .tree()
        .files
        .iter()
        .filter(|file| dir_of(file) == dir && file.ends_with(".go") && !file.ends_with("_test.go"))
        .filter_map(|file| facts.read(file))
        .any(|text| {
            text.lines()
                .find_map(|line| line.trim().strip_prefix("package "))
                .is_some_and(|name| name.split_whitespace().next().is_some_and(|name| name != "main"))
        })
}

/// Whether a package runs as an application, so that a web framework among its dependencies makes
/// it a service or web app. A library built on a framework (an axum extension crate, a Django app
/// published on PyPI, a Rails engine, Fiber middleware) stays a library.
fn is_application<'f>(manifest: &Manifest, facts: &'f Facts, gemspec_dirs: &OnceCell<HashSet<&'f str>>) -> bool {
    let tree = facts.tree();
    let dir = dir_of(&manifest.path);
    let name = manifest.path.rsplit('/').next().unwrap_or(&manifest.path);
    match manifest.ecosystem {
        Ecosystem::Cargo => {
            !manifest.binaries.is_empty()
                || tree.exists(&join(dir, "src/main.rs"))
                || tree.is_dir(&join(dir, "src/bin"))
        }
        Ecosystem::Go => name == "go.mod" && (tree.exists(&join(dir, "main.go")) || tree.is_dir(&join(dir, "cmd"))),
        Ecosystem::Npm => manifest.private || manifest.scripts.contains_key("start") || !manifest.has_library,
        Ecosystem::Python => {
            let packaged = matches!(name, "pyproject.toml" | "setup.py" | "setup.cfg");
            !packaged
                || ["manage.py", "wsgi.py", "asgi.py", "app.py", "main.py", "Procfile", "Dockerfile"]
                    .iter()
                    .any(|entry| tree.exists(&join(dir, entry)) || tree.exists(entry))
        }
        Ecosystem::Ruby => {
            !name.ends_with(".gemspec")
                && !gemspec_dirs
                    .get_or_init(|| {
                        tree.files.iter().filter(|file| file.ends_with(".gemspec")).map(|file| dir_of(file)).collect()
                    })
                    .contains(dir)
        }
        Ecosystem::Composer | Ecosystem::Hex => !manifest.has_library,
        Ecosystem::Maven | Ecosystem::Gradle | Ecosystem::Nuget => true,
    }
}

fn detect_monorepo(facts: &Facts, manifests: &[&Manifest], fact: &mut Detection) {
    for manifest in manifests {
        let members = manifest.workspace_members.len();
        if members >= 2 || manifest.workspace_members.iter().any(|member| member.contains('*')) {
            fact.add(Profile::Monorepo, format!("workspace with {members} member entries"), Some(&manifest.path));
            return;
        }
    }
    let mut package_dirs: BTreeSet<&str> = BTreeSet::new();
    for manifest in manifests {
        // .NET solutions, Maven and Gradle builds split one product into many projects; their
        // modules are counted from the build's own module list above.
        let layered = matches!(manifest.ecosystem, Ecosystem::Nuget | Ecosystem::Maven | Ecosystem::Gradle);
        if !manifest.path.ends_with("Gemfile.lock") && !layered {
            package_dirs.insert(dir_of(&manifest.path));
        }
    }
    // Build tools such as Nx and Turborepo also drive single apps: a marker counts only beside
    // packages in at least two folders.
    for marker in ["pnpm-workspace.yaml", "lerna.json", "nx.json", "turbo.json", "rush.json"] {
        if facts.tree().exists(marker) && package_dirs.len() >= 2 {
            fact.add(
                Profile::Monorepo,
                format!("{marker} and packages in {} folders", package_dirs.len()),
                Some(marker),
            );
            return;
        }
    }
    if package_dirs.len() >= 3 {
        fact.add(Profile::Monorepo, format!("packages in {} folders", package_dirs.len()), None);
    }
}

/// Without manifests, entry points tell what the code is.
fn detect_entry_points(facts: &Facts, fact: &mut Detection) {
    let tree = facts.tree();
    if tree.exists("manage.py") {
        fact.add(Profile::WebApp, "Django manage.py", Some("manage.py"));
    } else if tree.exists("config/routes.rb") {
        fact.add(Profile::WebApp, "Rails routes", Some("config/routes.rb"));
    } else if tree.exists("main.go") || tree.exists("main.py") || tree.exists("__main__.py") {
        fact.add(Profile::Cli, "a main entry point", None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_kept_once_in_the_order_first_given() {
        let mut detection = Detection::default();
        detection.add(Profile::Cli, "Rust binary target", Some("a/Cargo.toml"));
        detection.add(Profile::Library, "Rust binary target", Some("b/Cargo.toml"));
        detection.add(Profile::Cli, "Rust binary target", Some("c/Cargo.toml"));
        detection.add(Profile::Cli, "Go main package", None);
        let evidence: Vec<(Profile, &str, Option<&str>)> = detection
            .fact
            .evidence
            .iter()
            .map(|evidence| (evidence.profile, evidence.reason.as_str(), evidence.path.as_deref()))
            .collect();
        assert_eq!(
            evidence,
            [
                (Profile::Cli, "Rust binary target", Some("a/Cargo.toml")),
                (Profile::Library, "Rust binary target", Some("b/Cargo.toml")),
                (Profile::Cli, "Go main package", None),
            ]
        );
        assert!(detection.has(Profile::Library) && !detection.has(Profile::Service));
    }
}
