//! Repository-relative paths written in documents: resolving them against the file that names them.

/// Resolves `target` (a `/`-separated relative path, or one starting with `/` for the repository
/// root) against the folder `base`. `None` when it climbs out of the repository.
pub fn resolve(base: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let (start, rest) = match target.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (base, target),
    };
    for part in start.split('/').chain(rest.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The folder holding `path`; `""` for the root.
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Decodes `%20`-style escapes; invalid escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' && at + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[at + 1..at + 3]).ok().and_then(|hex| u8::from_str_radix(hex, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                at += 3;
                continue;
            }
        }
        out.push(bytes[at]);
        at += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Whether a link target is a URL or other non-file destination (`https:`, `mailto:`, `//cdn`).
pub fn is_external(target: &str) -> bool {
    if target.starts_with("//") {
        return true;
    }
    match target.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_root_paths() {
        assert_eq!(resolve("docs", "../README.md").as_deref(), Some("README.md"));
        assert_eq!(resolve("docs/a", "./b/c.md").as_deref(), Some("docs/a/b/c.md"));
        assert_eq!(resolve("docs", "/src/lib.rs").as_deref(), Some("src/lib.rs"));
        assert_eq!(resolve("", "../../issues"), None);
        assert_eq!(resolve("", "."), Some(String::new()));
    }

    #[test]
    fn decodes_escapes_and_spots_urls() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert!(is_external("https://x.y"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.x/y.js"));
        assert!(!is_external("docs/a.md"));
    }
}
