//! What standard output is: a terminal (which gets colour and box drawing), or a descriptor that
//! was closed when apelint started; and the colour policy that follows.

use std::io::IsTerminal;

/// Whether standard output is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether to draw in colour: as `--color` forces it (`Some`), else on a terminal unless
/// `NO_COLOR` is set to something.
pub fn colour(forced: Option<bool>, to_terminal: bool) -> bool {
    forced.unwrap_or_else(|| to_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()))
}

/// Whether standard output was closed when apelint started (`apelint >&-`). Rust reopens a closed
/// descriptor 1 on `/dev/null`, for reading and writing, before `main`; a shell's `>/dev/null`
/// opens it for writing only. (Python's `stdout=DEVNULL` also opens it for both, and gets the
/// warning too.) Linux tells the open mode in `/proc/self/fdinfo`; elsewhere this says no.
pub fn stdout_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else { return true };
        let (Ok(out), Ok(null)) = (std::fs::File::from(fd).metadata(), std::fs::metadata("/dev/null")) else {
            return false;
        };
        if (out.dev(), out.rdev(), out.ino()) != (null.dev(), null.rdev(), null.ino()) {
            return false;
        }
        std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}
