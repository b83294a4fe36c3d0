//! Elixir: `mix.exs`, read with patterns for its Hex dependencies, escript and OTP application.

use std::sync::LazyLock;

use regex::Regex;

use super::Manifest;
use super::shared::regex;

static MIX_DEP_RE: LazyLock<Regex> = LazyLock::new(|| regex(r#"\{\s*:([a-z_][a-z0-9_]*)\s*,([^}\n]*)"#));
static MIX_APP_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bapp:\s*:([a-z_][a-z0-9_]*)"));
static MIX_ESCRIPT_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bescript:"));
static MIX_PACKAGE_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"(?m)^[^#\n]*\bpackage:\s*[\[\w]"));

/// `mix.exs` is Elixir code; its `deps` list is read with patterns: `{:phoenix, "~> 1.7"}`,
/// `{:credo, "~> 1.7", only: [:dev, :test]}`.
pub(super) fn parse_mix(m: &mut Manifest, text: &str) {
    if let Some(app) = MIX_APP_RE.captures(text) {
        m.name = Some(app[1].to_string());
    }
    for (index, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        for captures in MIX_DEP_RE.captures_iter(code) {
            let options = &captures[2];
            let dev = options.contains("only:") && !options.contains(":prod");
            m.add_dep(&captures[1], dev, index + 1);
        }
    }
    if MIX_ESCRIPT_RE.is_match(text) {
        let name = m.name.clone().unwrap_or_else(|| "escript".to_string());
        m.add_binary(&name);
    }
    // A Mix project is a library when it declares the Hex package it publishes (`package:
    // package()`); an application (a Phoenix app, a release) has none, whether or not its OTP
    // application has a `mod:` callback (Ecto and Phoenix themselves do).
    m.has_library = MIX_PACKAGE_RE.is_match(text);
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn mix_exs_deps_dev_and_optional_cargo() {
        let mix = "defmodule Hexpm.MixProject do\n  def project, do: [app: :hexpm, deps: deps()]\n  def application, do: [mod: {Hexpm.Application, []}]\n  defp deps do\n    [\n      {:phoenix, \"~> 1.6\"},\n      {:credo, \"~> 1.7\", only: [:dev, :test]},\n      # {:old, \"1.0\"}\n    ]\n  end\nend\n";
        let m = parse("mix.exs", mix).unwrap();
        assert_eq!(m.name.as_deref(), Some("hexpm"));
        let names: Vec<(&str, bool)> = m.dependencies.iter().map(|d| (d.name.as_str(), d.dev)).collect();
        assert_eq!(names, [("phoenix", false), ("credo", true)]);
        assert!(!m.has_library);
        let cargo = parse(
            "Cargo.toml",
            "[package]\nname = \"x\"\n[dependencies]\naxum = { version = \"0.7\", optional = true }\nserde = \"1\"\n",
        )
        .unwrap();
        assert!(cargo.dependencies.iter().any(|d| d.name == "axum" && d.optional));
        assert!(cargo.dependencies.iter().any(|d| d.name == "serde" && !d.optional));
    }

    #[test]
    fn a_mix_project_is_a_library_when_it_declares_a_hex_package() {
        let library = "def project, do: [app: :ecto, version: \"3.0.0\", package: package()]\ndef application, do: [mod: {Ecto.Application, []}]\n";
        assert!(parse("mix.exs", library).unwrap().has_library);
        let app =
            "def project, do: [app: :chat, version: \"0.1.0\"]\ndef application, do: [extra_applications: [:logger]]\n";
        assert!(!parse("mix.exs", app).unwrap().has_library);
        assert!(!parse("mix.exs", "def project, do: [app: :chat]\n  # package: package()\n").unwrap().has_library);
    }
}
