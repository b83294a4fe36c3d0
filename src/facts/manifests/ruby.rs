//! Ruby: `Gemfile` (with its groups), `Gemfile.lock` and `*.gemspec`.

use std::sync::LazyLock;

use regex::Regex;

use super::Manifest;
use super::lines::Lines;
use super::shared::{QUOTED_RE, blank_comments, first_capture, regex, regexes, start_of};

regexes! {
    GEM_RE = r#"^gem\s*\(?\s*["']([^"']+)["']"#;
    BLOCK_START_RE = r"(?:\bdo\s*(?:\|[^|]*\|)?\s*$|^(?:if|unless|case|while|until|begin|def|class|module)\b)";
}

pub(super) fn parse_gemfile(m: &mut Manifest, text: &str) {
    // One entry per open block: whether it (or an enclosing block) is a dev/test group.
    let mut stack: Vec<bool> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let inherited = stack.last().copied().unwrap_or(false);
        if line == "end" || line.starts_with("end ") || line.starts_with("end.") {
            stack.pop();
        } else if let Some(caps) = GEM_RE.captures(line) {
            let rest = &line[start_of(&caps)..];
            let inline = rest.contains("group") && (rest.contains("development") || rest.contains("test"));
            let dev = inherited || inline;
            m.add_dep(&caps[1], dev, i + 1);
        } else if BLOCK_START_RE.is_match(line) {
            let dev_group = line.starts_with("group") && (line.contains("development") || line.contains("test"));
            stack.push(inherited || dev_group);
        }
    }
}

pub(super) fn parse_gemfile_lock(m: &mut Manifest, text: &str) {
    let mut section = "";
    let mut in_specs = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') {
            section = line.trim();
            in_specs = false;
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let first = line.split_whitespace().next().unwrap_or("");
        let name = first.trim_end_matches('!');
        match (section, indent) {
            ("GEM" | "GIT" | "PATH", 2) => in_specs = first == "specs:",
            // The specs are every gem resolved, most of them for other gems; the gems the Gemfile
            // asks for are listed again under DEPENDENCIES.
            ("GEM" | "GIT" | "PATH", 4) if in_specs => {
                m.add_dep(name, false, i + 1);
                if let Some(last) = m.dependencies.last_mut() {
                    last.indirect = true;
                }
            }
            ("DEPENDENCIES", 2) => m.add_dep(name, false, i + 1),
            _ => {}
        }
    }
}

regexes! {
    GEMSPEC_NAME_RE = r#"\.name\s*=\s*["']([^"'\n]+)["']"#;
    GEMSPEC_DEP_RE = r#"\.add_(runtime_|development_)?dependency\s*\(?\s*["']([^"'\n]+)["']"#;
    GEMSPEC_EXE_RE = r#"\.executables\s*=\s*(?:%w[\[(\{]([^\])\}]*)[\])\}]|\[([^\]]*)\])"#;
}

pub(super) fn parse_gemspec(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "#", "\n");
    m.has_library = true;
    m.set_name(first_capture(&GEMSPEC_NAME_RE, text));
    let lines = Lines::new(text);
    for caps in GEMSPEC_DEP_RE.captures_iter(text) {
        let dev = caps.get(1).is_some_and(|g| g.as_str() == "development_");
        let start = start_of(&caps);
        m.add_dep(&caps[2], dev, lines.line(start));
    }
    if let Some(caps) = GEMSPEC_EXE_RE.captures(text) {
        if let Some(words) = caps.get(1) {
            words.as_str().split_whitespace().for_each(|w| m.add_binary(w));
        } else if let Some(list) = caps.get(2) {
            QUOTED_RE.captures_iter(list.as_str()).for_each(|q| m.add_binary(&q[1]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, summary};

    #[test]
    fn rails_gemfile_with_groups() {
        let text = r#"source "https://rubygems.org"
ruby "3.3.0"

gem "rails", "~> 7.1"
gem 'pg', '~> 1.1'
# gem "redis"
gem "bootsnap", require: false

group :development, :test do
  gem "debug", platforms: %i[ mri windows ]
  if ENV["CI"]
    gem "simplecov"
  end
end

group :development do
  gem "web-console"
end

group :production do
  gem "lograge"
end
gem "rspec-rails", group: [:development, :test]
gem "Puma"
"#;
        let want = "rails@4 pg@5 bootsnap@7 +debug@10 +simplecov@12 +web-console@17 lograge@21 \
            +rspec-rails@23 puma@24";
        assert_eq!(summary(&ok("Gemfile", text)), want.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn gemfile_lock_and_gemspec() {
        let text = "GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.1.0)
      rack (>= 2.2.4)
    rack (3.0.8)

PLATFORMS
  ruby

DEPENDENCIES
  rails (~> 7.1)
  my_gem!

BUNDLED WITH
   2.5.3
";
        assert_eq!(summary(&ok("Gemfile.lock", text)), "actionpack@4 rack@6 rails@12 my_gem@13");

        // Only the gems the Gemfile asks for are direct: a resolved spec listed again under
        // DEPENDENCIES is, the others are there for other gems.
        let text = "GEM\n  specs:\n    pg (1.5.0)\n    rails (7.1.0)\n      railties (= 7.1.0)\n    railties (7.1.0)\n\nDEPENDENCIES\n  rails (~> 7.1)\n";
        let m = ok("Gemfile.lock", text);
        let indirect: Vec<(&str, bool)> = m.dependencies.iter().map(|d| (d.name.as_str(), d.indirect)).collect();
        assert_eq!(indirect, [("pg", true), ("rails", false), ("railties", true)]);

        let text = r#"Gem::Specification.new do |spec|
  spec.name          = "acme-cli"
  spec.executables   = %w[acme acme-admin]
  spec.add_dependency "thor", "~> 1.3"
  spec.add_runtime_dependency("zeitwerk")
  spec.add_development_dependency "rspec", "~> 3.12"
  # spec.add_dependency "fake"
end
"#;
        let m = ok("acme-cli.gemspec", text);
        assert_eq!(m.name.as_deref(), Some("acme-cli"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["acme", "acme-admin"]);
        assert_eq!(summary(&m), "thor@4 zeitwerk@5 +rspec@6");
        assert_eq!(ok("x.gemspec", "s.executables = [\"a\", 'b']\n").binaries, ["a", "b"]);
    }
}
