//! Writing what apelint produces: files written whole or not at all, standard output (a reader that
//! closes it early is not an error), and the check that no two reports of a run share a file.

use super::Failure;
use crate::diag::Problem;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where an output file really is: its folder with links resolved, and its name.
pub fn real_target(path: &Path) -> Result<PathBuf, Failure> {
    let name = path.file_name().ok_or_else(|| {
        Failure::from(Problem::usage(format!("`{}` is not a file name to write a report to", path.display())))
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let folder = folder.canonicalize().map_err(|error| {
        Failure::from(Problem::io(format!("cannot write `{}`: its folder: {error}", path.display())))
    })?;
    Ok(folder.join(name))
}

/// Refuses two reports into one file, which would leave only the last: compares where the files
/// really are (`x.json` and `./x.json` are one file).
pub fn distinct_targets<'p>(files: impl IntoIterator<Item = &'p Path>) -> Result<(), Failure> {
    let mut targets: Vec<PathBuf> = Vec::new();
    for path in files {
        let target = real_target(path)?;
        if targets.contains(&target) {
            return Err(Problem::usage(format!("`{}` is the target of two reports", path.display()))
                .with_help("give each `--output` and `--report` its own file")
                .into());
        }
        targets.push(target);
    }
    Ok(())
}

/// Writes `text` to `path` whole or not at all: into a new file beside it, then renamed over it, so
/// that a reader (or another apelint writing the same file) never sees half a report.
pub fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    let cannot =
        |error: std::io::Error| Failure::from(Problem::io(format!("cannot write `{}`: {error}", path.display())));
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new().prefix(".apelint-").suffix(".tmp").tempfile_in(folder).map_err(cannot)?;
    file.write_all(text.as_bytes()).map_err(cannot)?;
    // A report is read by others: the permissions of the file it replaces, or the usual ones.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |existing| existing.permissions().mode() & 0o7777);
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(cannot)?;
    }
    file.persist(path).map_err(|error| cannot(error.error))?;
    Ok(())
}

/// Creates the folder `dir` and those above it.
pub fn create_dir(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|error| Failure::from(Problem::io(format!("cannot write `{}`: {error}", dir.display()))))
}

/// Writes `text` to `file`, or to standard output without one; a closed pipe is not an error.
pub fn emit(text: &str, file: Option<&Path>) -> Result<(), Failure> {
    match file {
        Some(path) => write_file(path, text),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => Ok(()),
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::BrokenPipe),
                Err(error) => Err(Problem::io(format!("cannot write the report: {error}")).into()),
            }
        }
    }
}
