//! Profile detection on small repositories shaped like real ones, where a wrong profile changes
//! which rules apply.

mod common;

use common::{json, tree};

fn profiles(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tree(files);
    let report = json(dir.path(), &["--select", "readme-missing"]);
    report["profile"]["profiles"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect()
}

const GO_SERVER: &str = "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";

#[test]
fn a_go_main_package_that_listens_is_a_service() {
    let found = profiles(&[("go.mod", "module example.com/hello\n\ngo 1.22\n"), ("main.go", GO_SERVER)]);
    assert!(found.contains(&"service".to_string()) && !found.contains(&"cli".to_string()), "{found:?}");
}

#[test]
fn a_go_tools_module_is_not_the_product() {
    let found = profiles(&[
        ("go.mod", "module example.com/scorecard\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "tools/go.mod",
            "module example.com/tools\n\ngo 1.22\n\nrequire github.com/grpc-ecosystem/grpc-gateway/v2 v2.0.0\n",
        ),
    ]);
    assert_eq!(found, ["cli", "prototype"]);
}

#[test]
fn a_helper_binary_in_a_service_workspace_does_not_make_a_cli() {
    let found = profiles(&[
        (
            "Cargo.toml",
            "[package]\nname = \"server\"\nversion = \"0.1.0\"\n\n[dependencies]\nactix-web = \"4\"\n\n[workspace]\nmembers = [\"crates/*\"]\n",
        ),
        ("src/main.rs", "fn main() {}\n"),
        ("crates/dbtool/Cargo.toml", "[package]\nname = \"dbtool\"\nversion = \"0.1.0\"\n"),
        ("crates/dbtool/src/main.rs", "fn main() {}\n"),
    ]);
    assert!(found.contains(&"service".to_string()) && !found.contains(&"cli".to_string()), "{found:?}");
}

#[test]
fn a_python_package_with_console_scripts_is_a_library_and_a_cli() {
    let found = profiles(&[
        (
            "pyproject.toml",
            "[project]\nname = \"httpx\"\ndependencies = []\n\n[project.scripts]\nhttpx = \"httpx:main\"\n\n[build-system]\nrequires = [\"hatchling\"]\n",
        ),
        ("httpx/__init__.py", "x = 1\n"),
    ]);
    assert!(found.contains(&"library".to_string()) && found.contains(&"cli".to_string()), "{found:?}");
}

#[test]
fn a_docs_site_package_does_not_make_a_web_app() {
    let found = profiles(&[
        ("Cargo.toml", "[package]\nname = \"lib\"\nversion = \"0.1.0\"\n"),
        ("src/lib.rs", "pub fn x() {}\n"),
        (
            "site/package.json",
            "{\"name\":\"site\",\"private\":true,\"dependencies\":{\"@docusaurus/core\":\"3\",\"react-dom\":\"18\"}}",
        ),
        (
            "dev-site/package.json",
            "{\"name\":\"dev\",\"private\":true,\"dependencies\":{\"@docusaurus/core\":\"3\",\"react-dom\":\"18\"}}",
        ),
    ]);
    assert!(found.contains(&"library".to_string()) && !found.contains(&"web-app".to_string()), "{found:?}");
}

#[test]
fn nx_alone_does_not_make_a_monorepo() {
    let found = profiles(&[
        ("package.json", "{\"name\":\"api\",\"private\":true,\"dependencies\":{\"express\":\"4\"}}"),
        ("nx.json", "{}"),
        ("src/main.ts", "export {}\n"),
    ]);
    assert!(!found.contains(&"monorepo".to_string()), "{found:?}");
}

#[test]
fn the_profile_carries_its_evidence() {
    let dir = tree(&[("go.mod", "module example.com/hello\n\ngo 1.22\n"), ("main.go", GO_SERVER)]);
    let report = json(dir.path(), &["--select", "readme-missing"]);
    let evidence = report["profile"]["evidence"].as_array().unwrap();
    assert!(
        evidence.iter().any(|e| e["reason"] == "Go main package starts a server" && e["path"] == "main.go"),
        "{evidence:#?}"
    );
}

#[test]
fn a_phoenix_application_is_a_web_app() {
    let found = profiles(&[
        (
            "mix.exs",
            "defmodule App.MixProject do\n  def application, do: [mod: {App.Application, []}]\n  defp deps, do: [{:phoenix, \"~> 1.7\"}]\nend\n",
        ),
        ("lib/app.ex", "defmodule App do\nend\n"),
    ]);
    assert!(found.contains(&"web-app".to_string()), "{found:?}");
}

#[test]
fn a_framework_behind_a_feature_or_in_a_library_does_not_make_a_service() {
    let found = profiles(&[
        (
            "Cargo.toml",
            "[package]\nname = \"book\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = { version = \"0.7\", optional = true }\n",
        ),
        ("src/main.rs", "fn main() {}\n"),
    ]);
    assert!(found.contains(&"cli".to_string()) && !found.contains(&"service".to_string()), "{found:?}");
    let extension = profiles(&[
        ("Cargo.toml", "[package]\nname = \"axum-extra\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\n"),
        ("src/lib.rs", "pub fn x() {}\n"),
    ]);
    assert_eq!(extension, ["library", "prototype"]);
    let middleware = profiles(&[
        ("go.mod", "module example.com/casbin\n\ngo 1.22\n\nrequire github.com/gofiber/fiber/v2 v2.52.0\n"),
        ("casbin.go", "package casbin\n"),
    ]);
    assert_eq!(middleware, ["library", "prototype"]);
}

#[test]
fn an_android_application_is_an_app_not_a_library() {
    let found = profiles(&[
        ("settings.gradle.kts", "include(\":app\", \":core\")\n"),
        (
            "app/build.gradle.kts",
            "plugins {\n    id(\"com.android.application\")\n}\nandroid {\n    defaultConfig { applicationId = \"com.example.app\" }\n}\n",
        ),
        ("core/build.gradle.kts", "plugins {\n    id(\"com.android.library\")\n}\n"),
        ("app/src/main/java/com/example/Main.kt", "class Main\n"),
    ]);
    assert!(found.contains(&"web-app".to_string()) && !found.contains(&"library".to_string()), "{found:?}");
}

/// A library monorepo's private workspace root depends on what its packages are tested and
/// demonstrated with (express, here): that does not make the repository a service (tRPC; issue 14,
/// cause 6).
#[test]
fn a_private_workspace_root_does_not_make_a_library_monorepo_a_service() {
    let root =
        r#"{ "name": "root", "private": true, "workspaces": ["packages/*"], "dependencies": { "express": "4" } }"#;
    let library = r#"{ "name": "@acme/server", "version": "1.0.0", "main": "dist/index.js" }"#;
    let client = r#"{ "name": "@acme/client", "version": "1.0.0", "main": "dist/index.js" }"#;
    let found = profiles(&[
        ("package.json", root),
        ("packages/server/package.json", library),
        ("packages/server/src/index.ts", "export const x = 1;\n"),
        ("packages/client/package.json", client),
        ("packages/client/src/index.ts", "export const y = 1;\n"),
    ]);
    assert!(found.contains(&"library".to_string()), "{found:?}");
    assert!(!found.contains(&"service".to_string()), "{found:?}");
    // With pnpm, the workspace is declared beside the root package.
    let pnpm = r#"{ "name": "root", "private": true, "dependencies": { "express": "4" } }"#;
    let found = profiles(&[
        ("package.json", pnpm),
        ("pnpm-workspace.yaml", "packages:\n  - packages/*\n"),
        ("packages/server/package.json", library),
        ("packages/server/src/index.ts", "export const x = 1;\n"),
    ]);
    assert!(!found.contains(&"service".to_string()), "{found:?}");
}

/// A Go library whose command lives under `cmd/`, and whose go.mod lists a gRPC gateway only
/// because a database driver needs it (`// indirect`), is a library and a CLI, not a service
/// (golang-migrate; issue 14, cause 6).
#[test]
fn an_indirect_framework_does_not_make_a_go_library_a_service() {
    let go_mod = "module example.com/shift\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n\n\
        require github.com/grpc-ecosystem/grpc-gateway/v2 v2.20.0 // indirect\n";
    let found = profiles(&[
        ("go.mod", go_mod),
        ("shift.go", "// Package shift moves schemas forward.\npackage shift\n\nfunc Up() error { return nil }\n"),
        ("cmd/shift/main.go", "package main\n\nfunc main() {}\n"),
    ]);
    assert_eq!(found, ["library", "cli", "prototype"]);
    // Commands only: a CLI.
    let found = profiles(&[
        ("go.mod", "module example.com/tool\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
    ]);
    assert_eq!(found, ["cli", "prototype"]);
}

/// A Go command built on Cobra is a CLI even if go.mod lists an HTTP router that a package it
/// embeds serves with (an artifact cache); its commands start no server (issue 14, held-out batch B).
#[test]
fn a_cli_framework_keeps_a_go_command_a_cli_beside_a_router_dependency() {
    let go_mod = "module example.com/runner\n\ngo 1.22\n\nrequire (\n\tgithub.com/julienschmidt/httprouter v1.3.0\n\tgithub.com/spf13/cobra v1.8.0\n)\n";
    let found = profiles(&[
        ("go.mod", go_mod),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("cmd/root.go", "package cmd\n\nfunc Execute() {}\n"),
    ]);
    assert!(found.contains(&"cli".to_string()) && !found.contains(&"service".to_string()), "{found:?}");
    // Without a command-line framework, the router makes it a service.
    let go_mod = "module example.com/runner\n\ngo 1.22\n\nrequire github.com/julienschmidt/httprouter v1.3.0\n";
    let found = profiles(&[("go.mod", go_mod), ("main.go", "package main\n\nfunc main() {}\n")]);
    assert!(found.contains(&"service".to_string()), "{found:?}");
}

/// A Go service whose server starts in a command package under `cmd/` (Cobra's `cmd/serve.go`)
/// is a service, whatever its go.mod requires.
#[test]
fn a_go_command_package_that_serves_makes_a_service() {
    let serve = "package daemon\n\nimport \"net/http\"\n\nfunc Serve() error {\n\tsrv := &http.Server{Addr: \":4433\"}\n\treturn srv.ListenAndServe()\n}\n";
    let found = profiles(&[
        ("go.mod", "module example.com/idp\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("cmd/daemon/serve.go", serve),
    ]);
    assert!(found.contains(&"service".to_string()) && !found.contains(&"cli".to_string()), "{found:?}");
}

/// A library monorepo's web site is not a web app: neither the site's own package nor a Next.js
/// app inside the site's folder (its social-card generator), nor a `www/` marketing site (tRPC;
/// issue 14, cause 6).
#[test]
fn an_app_inside_a_library_monorepos_site_does_not_make_a_web_app() {
    let root = r#"{ "name": "root", "private": true, "workspaces": ["packages/*", "portal", "portal/*"] }"#;
    let library = r#"{ "name": "@acme/rpc", "version": "1.0.0", "main": "dist/index.js" }"#;
    let site =
        r#"{ "name": "portal", "private": true, "dependencies": { "@docusaurus/core": "3", "react-dom": "18" } }"#;
    let cards = r#"{ "name": "cards", "private": true, "dependencies": { "next": "15", "react-dom": "18" } }"#;
    let found = profiles(&[
        ("package.json", root),
        ("packages/rpc/package.json", library),
        ("packages/rpc/src/index.ts", "export const x = 1;\n"),
        ("portal/package.json", site),
        ("portal/cards/package.json", cards),
        ("portal/cards/pages/index.tsx", "export default function Page() { return null; }\n"),
    ]);
    assert!(found.contains(&"library".to_string()) && !found.contains(&"web-app".to_string()), "{found:?}");
    let found = profiles(&[
        ("package.json", root),
        ("packages/rpc/package.json", library),
        ("packages/rpc/src/index.ts", "export const x = 1;\n"),
        ("www/package.json", cards),
        ("www/pages/index.tsx", "export default function Page() { return null; }\n"),
    ]);
    assert!(found.contains(&"library".to_string()) && !found.contains(&"web-app".to_string()), "{found:?}");
}
