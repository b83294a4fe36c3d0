//! Go: `go.mod` modules and their requirements, and `go.work` workspaces.

use super::Manifest;

pub(super) fn parse_go(m: &mut Manifest, text: &str) {
    let unquote = |s: &str| s.trim().trim_matches(['"', '`']).to_string();
    let mut block: Option<&str> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or(raw).trim();
        if line.is_empty() {
            continue;
        }
        let (directive, rest) = match block {
            Some(_) if line == ")" => {
                block = None;
                continue;
            }
            Some(b) => (b, line),
            None => {
                let end = line.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(line.len());
                let (d, rest) = line.split_at(end);
                if rest.trim() == "(" {
                    block = Some(d);
                    continue;
                }
                (d, rest.trim())
            }
        };
        let first = rest.split_whitespace().next().unwrap_or("");
        match directive {
            "module" => m.set_name(Some(&unquote(rest))),
            "require" if !first.is_empty() => {
                m.add_dep(&unquote(first), false, i + 1);
                if raw.contains("// indirect") {
                    if let Some(last) = m.dependencies.last_mut() {
                        last.indirect = true;
                    }
                }
            }
            "use" if !first.is_empty() => m.workspace_members.push(unquote(first)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Ecosystem;
    use super::super::tests::{ok, summary};

    #[test]
    fn go_mod_and_go_work() {
        let text = "module github.com/acme/svc

go 1.22

require github.com/spf13/cobra v1.8.0

require (
\tgithub.com/Acme/Lib v0.1.0
\tgolang.org/x/sys v0.20.0 // indirect
)

replace github.com/acme/lib => ../lib
exclude (
\texample.com/bad v1.0.0
)
";
        let m = ok("svc/go.mod", text);
        assert_eq!(m.name.as_deref(), Some("github.com/acme/svc"));
        let want = "github.com/spf13/cobra@5 github.com/Acme/Lib@8 golang.org/x/sys@9";
        assert_eq!(summary(&m), want);
        let indirect: Vec<bool> = m.dependencies.iter().map(|dependency| dependency.indirect).collect();
        assert_eq!(indirect, [false, false, true]);
        let m = ok("go.work", "go 1.22\n\nuse (\n\t./svc\n\t./lib // shared\n)\nuse ./tools\n");
        assert_eq!(m.ecosystem, Ecosystem::Go);
        assert_eq!(m.workspace_members, ["./svc", "./lib", "./tools"]);
    }
}
