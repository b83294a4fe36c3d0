//! JVM builds: Maven `pom.xml`, Gradle build and settings scripts, and Gradle version catalogs.

use std::sync::LazyLock;

use regex::Regex;
use toml::Value as Toml;

use super::lines::{Lines, Occurrences, TomlLines};
use super::shared::{
    QUOTED_RE, blank_comments, first_capture, parse_toml, regex, regexes, start_of, table_at, xml_tag,
};
use super::{Manifest, ManifestError};

// ---------------------------------------------------------------------------
// Maven

regexes! {
    DEPENDENCY_RE = r"(?s)<dependency\s*>(.*?)</dependency\s*>";
    MODULE_RE = r"<module>\s*([^<]+?)\s*</module>";
    PLUGIN_RE = r"(?s)<plugin\s*>(.*?)</plugin\s*>";
    PARENT_RE = r"(?s)<parent\s*>(.*?)</parent\s*>";
}
// Blocks removed before reading the project's own coordinates; outer blocks first.
static POM_NOISE_RE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    ["profiles", "build", "reporting", "dependencyManagement", "parent", "dependencies"]
        .iter()
        .map(|tag| regex(&format!(r"(?s)<{tag}\s*>.*?</{tag}\s*>")))
        .collect()
});

fn maven_coords(xml: &str) -> Option<String> {
    let artifact = xml_tag(xml, "artifactId").filter(|a| !a.is_empty())?;
    Some(match xml_tag(xml, "groupId") {
        Some(group) if !group.is_empty() => format!("{group}:{artifact}"),
        _ => artifact.to_string(),
    })
}

pub(super) fn parse_pom(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "<!--", "-->");
    let lines = Lines::new(text);
    for caps in DEPENDENCY_RE.captures_iter(text) {
        let (Some(whole), Some(body)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        if let Some(name) = maven_coords(body.as_str()) {
            let dev = matches!(xml_tag(body.as_str(), "scope"), Some("test" | "provided"));
            m.add_dep(&name, dev, lines.line(whole.start()));
        }
    }
    m.workspace_members = MODULE_RE.captures_iter(text).map(|c| c[1].to_string()).collect();
    let boot = |xml: &str| xml_tag(xml, "groupId") == Some("org.springframework.boot");
    let parent = PARENT_RE.captures(text).map(|c| c[1].to_string());
    m.web_sdk = parent.as_deref().is_some_and(boot) || PLUGIN_RE.captures_iter(text).any(|c| boot(&c[1]));
    let mut own = text.to_string();
    for re in POM_NOISE_RE.iter() {
        own = re.replace_all(&own, "").into_owned();
    }
    m.name = match (xml_tag(&own, "artifactId"), xml_tag(&own, "groupId")) {
        (Some(a), Some(g)) => Some(format!("{g}:{a}")),
        (Some(a), None) => match parent.as_deref().and_then(|p| xml_tag(p, "groupId")) {
            Some(g) => Some(format!("{g}:{a}")),
            None => Some(a.to_string()),
        },
        _ => None,
    };
    m.has_library = matches!(xml_tag(&own, "packaging"), None | Some("jar"));
}

// ---------------------------------------------------------------------------
// Gradle

const GRADLE_CONFIGS: &str = "implementation|api|compileOnly|runtimeOnly|testImplementation|\
testRuntimeOnly|testCompileOnly|androidTestImplementation|kapt|ksp|annotationProcessor|compile|\
testCompile|debugImplementation";

regexes! {
    GRADLE_DEP_RE = format!(r#"\b({GRADLE_CONFIGS})\s*\(?\s*(?:(enforcedPlatform|platform|kotlin)\s*\(\s*)?["']([^"'\n]+)["']"#);
    GRADLE_MAP_DEP_RE = format!(r#"\b({GRADLE_CONFIGS})\s*\(?\s*group\s*[:=]\s*["']([^"']+)["']\s*,\s*name\s*[:=]\s*["']([^"']+)["']"#);
    SPRING_BOOT_PLUGIN_RE = r#"(?:\bid\s*\(?\s*|apply\s+plugin\s*:\s*)["']org\.springframework\.boot["']|(?i)alias\s*\(\s*libs\.plugins\.spring[._-]?boot\b"#;
    APPLICATION_RE = r#"(?m)\bid\s*\(?\s*["']application["']|^\s*application\s*$|apply\s+plugin\s*:\s*["']application["']|\bmainClass"#;
    GRADLE_LIBRARY_RE = r#"["'`](?:java-library|com\.android\.library)["'`]|`java-library`"#;
    GRADLE_ANDROID_APP_RE = r#"["'`]com\.android\.application["'`]|\bandroid\.application\b|\bapplicationId\s*[=(]?\s*["']"#;
    GRADLE_INCLUDE_RE = r"\binclude\b\s*";
    ROOT_PROJECT_NAME_RE = r#"rootProject\.name\s*=\s*["']([^"'\n]+)["']"#;
}

fn gradle_code(text: &str) -> String {
    let text = blank_comments(text, "/*", "*/");
    let lines = text.lines().map(|l| if l.trim_start().starts_with("//") { "" } else { l });
    lines.collect::<Vec<_>>().join("\n")
}

pub(super) fn parse_gradle_build(m: &mut Manifest, text: &str) {
    let code = &gradle_code(text);
    let lines = Lines::new(code);
    let is_dev = |conf: &str| ["test", "androidTest", "debug"].iter().any(|p| conf.starts_with(p));
    for caps in GRADLE_DEP_RE.captures_iter(code) {
        let start = start_of(&caps);
        let coords = &caps[3];
        let name = match caps.get(2).map(|g| g.as_str()) {
            Some("kotlin") => format!("org.jetbrains.kotlin:kotlin-{coords}"),
            _ => match coords.split(':').collect::<Vec<_>>()[..] {
                [group, artifact, ..] if !group.is_empty() && !artifact.is_empty() => {
                    format!("{group}:{artifact}")
                }
                _ => continue,
            },
        };
        m.add_dep(&name, is_dev(&caps[1]), lines.line(start));
    }
    for caps in GRADLE_MAP_DEP_RE.captures_iter(code) {
        let start = start_of(&caps);
        m.add_dep(&format!("{}:{}", &caps[2], &caps[3]), is_dev(&caps[1]), lines.line(start));
    }
    m.web_sdk = SPRING_BOOT_PLUGIN_RE.is_match(code);
    m.has_library = GRADLE_LIBRARY_RE.is_match(code);
    m.mobile_app = GRADLE_ANDROID_APP_RE.is_match(code);
    if APPLICATION_RE.is_match(code) {
        m.add_binary("application");
    }
}

pub(super) fn parse_gradle_settings(m: &mut Manifest, text: &str) {
    let code = &gradle_code(text);
    m.set_name(first_capture(&ROOT_PROJECT_NAME_RE, code));
    // `include(":a", ":b")` takes the arguments up to the closing parenthesis, `include ':a'` (or an
    // unclosed parenthesis) the rest of the line. Found by hand rather than by one regex with both
    // as alternatives: there, an unclosed parenthesis made every later search scan to the end.
    let closers = Occurrences::new(code, b')');
    let mut at = 0;
    while let Some(include) = GRADLE_INCLUDE_RE.find_at(code, at) {
        let start = include.end();
        let close = if code[start..].starts_with('(') { closers.next(start) } else { None };
        let args = match close {
            Some(close) => {
                at = close + 1;
                &code[start + 1..close]
            }
            None => {
                at = code[start..].find('\n').map_or(code.len(), |end| start + end);
                &code[start..at]
            }
        };
        for q in QUOTED_RE.captures_iter(args) {
            m.workspace_members.push(q[1].to_string());
        }
    }
}

pub(super) fn parse_version_catalog(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines = TomlLines::new(text);
    let section = lines.section(&["libraries"]);
    for (key, value) in table_at(&doc, &["libraries"]).into_iter().flatten() {
        let name = match value {
            Toml::String(s) => {
                let mut parts = s.split(':');
                match (parts.next(), parts.next()) {
                    (Some(g), Some(a)) => format!("{g}:{a}"),
                    _ => continue,
                }
            }
            Toml::Table(t) => match (t.get("module"), t.get("group"), t.get("name")) {
                (Some(Toml::String(module)), _, _) => module.clone(),
                (_, Some(Toml::String(g)), Some(Toml::String(a))) => format!("{g}:{a}"),
                _ => continue,
            },
            _ => continue,
        };
        m.add_dep(&name, false, lines.key_line(&section, key));
    }
    let plugins = table_at(&doc, &["plugins"]).into_iter().flat_map(|t| t.values());
    m.web_sdk = plugins.into_iter().any(|p| {
        let id = p.as_str().or_else(|| p.get("id").and_then(Toml::as_str)).unwrap_or("");
        id.split(':').next() == Some("org.springframework.boot")
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, summary};

    #[test]
    fn pom_with_spring_boot_parent() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<project>
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <groupId>com.acme</groupId>
  <artifactId>orders</artifactId>
  <modules>
    <module>orders-api</module>
  </modules>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <!-- <dependency><groupId>fake</groupId><artifactId>fake</artifactId></dependency> -->
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>jakarta.servlet</groupId>
      <artifactId>jakarta.servlet-api</artifactId>
      <scope>provided</scope>
    </dependency>
  </dependencies>
</project>
"#;
        let m = ok("orders/pom.xml", text);
        assert_eq!(m.name.as_deref(), Some("com.acme:orders"));
        assert!(m.web_sdk && m.has_library);
        assert_eq!(m.workspace_members, ["orders-api"]);
        let want = "org.springframework.boot:spring-boot-starter-web@14 \
            +org.junit.jupiter:junit-jupiter@19 +jakarta.servlet:jakarta.servlet-api@24";
        assert_eq!(summary(&m), want.split_whitespace().collect::<Vec<_>>().join(" "));
        let text = "<project><parent><groupId>g</groupId></parent>\
            <artifactId>a</artifactId><packaging>pom</packaging></project>";
        let m = ok("pom.xml", text);
        assert_eq!((m.name.as_deref(), m.has_library, m.web_sdk), (Some("g:a"), false, false));
    }

    #[test]
    fn gradle_kotlin_dsl() {
        let text = r#"plugins {
    id("org.springframework.boot") version "3.2.0"
    application
}

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation(platform("org.jetbrains.kotlin:kotlin-bom:1.9.0"))
    implementation(project(":core"))
    // implementation("fake:fake:1")
    runtimeOnly("org.postgresql:postgresql:42.7.1")
    testImplementation("io.mockk:mockk:1.13.8")
}
"#;
        let m = ok("app/build.gradle.kts", text);
        assert!(m.web_sdk);
        assert_eq!(m.binaries, ["application"]);
        let want = "org.springframework.boot:spring-boot-starter-web@7 org.jetbrains.kotlin:kotlin-bom@8 \
            org.postgresql:postgresql@11 +io.mockk:mockk@12";
        assert_eq!(summary(&m), want.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn gradle_groovy_dsl() {
        let text = r#"plugins {
    id 'java-library'
}

dependencies {
    api 'com.google.guava:guava:33.0.0-jre'
    compileOnly group: 'org.projectlombok', name: 'lombok', version: '1.18.30'
    testImplementation "junit:junit:$junitVersion"
    androidTestImplementation 'androidx.test:runner:1.5.2'
}
"#;
        let m = ok("lib/build.gradle", text);
        assert!(m.has_library && !m.web_sdk && m.binaries.is_empty());
        let want = "com.google.guava:guava@6 org.projectlombok:lombok@7 +junit:junit@8 \
            +androidx.test:runner@9";
        assert_eq!(summary(&m), want.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn gradle_settings_and_version_catalog() {
        let text = "rootProject.name = \"shop\"\ninclude(\":app\", \":core\")\n\
            include(\n    \":lib\"\n)\nincludeBuild(\"build-logic\")\n";
        let m = ok("settings.gradle.kts", text);
        assert_eq!(m.name.as_deref(), Some("shop"));
        assert_eq!(m.workspace_members, [":app", ":core", ":lib"]);
        let m = ok("settings.gradle", "include ':app', ':web'\n");
        assert_eq!(m.workspace_members, [":app", ":web"]);

        let text = r#"[versions]
kotlin = "1.9.0"

[libraries]
guava = "com.google.guava:guava:33.0.0-jre"
okhttp = { module = "com.squareup.okhttp3:okhttp", version = "4.12.0" }
junit = { group = "junit", name = "junit", version.ref = "junit" }
bad = 7

[plugins]
spring-boot = { id = "org.springframework.boot", version = "3.2.0" }
"#;
        let m = ok("gradle/libs.versions.toml", text);
        assert!(m.web_sdk);
        let want = "com.google.guava:guava@5 com.squareup.okhttp3:okhttp@6 junit:junit@7";
        assert_eq!(summary(&m), want);
    }
}
