//! .NET: MSBuild projects (`*.csproj`, `*.fsproj`, `*.vbproj`), `Directory.Packages.props`, `packages.config`.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::Lines;
use super::shared::{blank_comments, regex, regexes, start_of, xml_tag};
use super::{Manifest, file_stem};

regexes! {
    PACKAGE_REFERENCE_RE = r#"(?i)<PackageReference\b[^>]*?\b(?:Include|Update)\s*=\s*"([^"]+)""#;
    pub(super) PACKAGE_VERSION_RE = r#"(?i)<PackageVersion\b[^>]*?\bInclude\s*=\s*"([^"]+)""#;
    pub(super) PACKAGES_CONFIG_RE = r#"(?i)<package\b[^>]*?\bid\s*=\s*"([^"]+)"[^>]*>"#;
    WEB_SDK_RE = r#"(?i)"Microsoft\.NET\.Sdk\.(?:Web|Razor|Blazor)|Name\s*=\s*"Microsoft\.NET\.Sdk\.Web"#;
    OUTPUT_EXE_RE = r"(?i)<OutputType>\s*(?:Exe|WinExe)\s*</OutputType>";
    TEST_PROJECT_RE = r#"(?i)<IsTestProject>\s*true\s*</IsTestProject>|Include\s*=\s*"Microsoft\.NET\.Test\.Sdk""#;
}

pub(super) fn parse_nuget_list(m: &mut Manifest, text: &str, re: &Regex) {
    let text = &blank_comments(text, "<!--", "-->");
    let lines = Lines::new(text);
    for caps in re.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let dev = whole.as_str().to_lowercase().contains("developmentdependency=\"true\"");
        m.add_dep(&caps[1], dev, lines.line(whole.start()));
    }
}

pub(super) fn parse_msbuild_project(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "<!--", "-->");
    // Everything a test project references only serves its tests.
    let test_project = TEST_PROJECT_RE.is_match(text);
    let lines = Lines::new(text);
    for caps in PACKAGE_REFERENCE_RE.captures_iter(text) {
        let start = start_of(&caps);
        m.add_dep(&caps[1], test_project, lines.line(start));
    }
    let declared = xml_tag(text, "PackageId").or_else(|| xml_tag(text, "AssemblyName"));
    let stem = file_stem(&m.path).to_string();
    m.set_name(declared.filter(|n| !n.contains("$(")).or(Some(stem.as_str())));
    m.web_sdk = WEB_SDK_RE.is_match(text);
    if OUTPUT_EXE_RE.is_match(text) {
        m.add_binary(&stem);
    } else {
        m.has_library = !m.web_sdk;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, summary};

    #[test]
    fn dotnet_web_project() {
        let text = "\u{feff}<Project Sdk=\"Microsoft.NET.Sdk.Web\">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=\"Serilog.AspNetCore\" Version=\"8.0.0\" />
    <!-- <PackageReference Include=\"Fake\" /> -->
    <PackageReference Update=\"Swashbuckle.AspNetCore\" />
  </ItemGroup>
</Project>
";
        let m = ok("src/Shop.Api/Shop.Api.csproj", text);
        assert!(m.web_sdk && !m.has_library);
        assert_eq!(m.name.as_deref(), Some("Shop.Api"));
        assert_eq!(summary(&m), "serilog.aspnetcore@6 swashbuckle.aspnetcore@8");
    }

    #[test]
    fn dotnet_exe_tests_and_central_packages() {
        let exe = "<Project Sdk=\"Microsoft.NET.Sdk\"><OutputType>Exe</OutputType></Project>";
        let m = ok("Tool.fsproj", exe);
        assert_eq!(m.binaries, ["Tool"]);
        assert!(!m.has_library && !m.web_sdk);
        let tests = "<Project Sdk=\"Microsoft.NET.Sdk\">\n<PackageReference Include=\"xunit\" />\n\
            <PackageReference Include=\"Microsoft.NET.Test.Sdk\" />\n</Project>";
        let m = ok("Lib.Tests.csproj", tests);
        assert!(m.has_library && m.dependencies.iter().all(|d| d.dev));
        let props = "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"Polly\" Version=\"8.2.0\" />";
        assert_eq!(summary(&ok("Directory.Packages.props", props)), "polly@3");
        let config = "<packages>\n  <package id=\"NUnit\" version=\"3\" />\n  \
            <package id=\"StyleCop\" developmentDependency=\"true\" />\n</packages>";
        assert_eq!(summary(&ok("packages.config", config)), "nunit@2 +stylecop@3");
    }
}
