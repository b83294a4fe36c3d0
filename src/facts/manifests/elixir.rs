//! Elixir: `mix.exs`, read with patterns for its Hex dependencies, escript and OTP application.

use std::sync::LazyLock;

use regex::Regex;

use super::Manifest;
use super::shared::regex;

static MIX_DEP_RE: LazyLock<Regex> = LazyLock::new(|| regex(r#"\{\s*:([a-z_][a-z0-9_]*)\s*,([^}\n]*)"#));
static MIX_APP_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bapp:\s*:([a-z_][a-z0-9_]*)"));
static MIX_ESCRIPT_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bescript:"));
static MIX_MOD_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bmod:\s*\{"));

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
    // An OTP application with a `mod:` callback runs as a service; a plain library has none.
    m.has_library = !MIX_MOD_RE.is_match(text);
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
}
