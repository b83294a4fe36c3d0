//! The `apelint` binary: parses arguments, runs, and picks the exit code (0 clean, 1 findings at or
//! above the fail level, 2 usage, configuration or rule errors; a closed pipe exits 0).

use apelint::cli::{self, Cli};
use apelint::pipeline::{Exit, Failure};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(Exit::Clean) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Ok(Exit::Findings) => ExitCode::from(1),
        Err(Failure::Problems(mut problems)) => {
            // One problem is reported alone; several under a heading that counts them, the first
            // hundred in full (a generated apelint.toml can hold thousands of the same mistake).
            if problems.problems.len() == 1 {
                eprintln!("{:?}", miette::Report::new(problems.problems.remove(0)));
            } else {
                let total = problems.problems.len();
                problems.problems.truncate(SHOWN_PROBLEMS);
                eprintln!("{:?}", miette::Report::new(problems));
                if total > SHOWN_PROBLEMS {
                    eprintln!("… and {} more problems", total - SHOWN_PROBLEMS);
                }
            }
            ExitCode::from(2)
        }
    }
}

/// A bug: said on one line, its message escaped (it may quote the repository), with a backtrace
/// when `RUST_BACKTRACE` asks for one.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|text| (*text).to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let place = info.location().map(|place| format!(" at {}:{}", place.file(), place.line())).unwrap_or_default();
    eprintln!("apelint: internal error{place}: {}", apelint::escape::printable(&payload));
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|value| value != "0") {
        eprintln!("{}", std::backtrace::Backtrace::force_capture());
    }
}

/// Problems printed in full when a configuration has many.
const SHOWN_PROBLEMS: usize = 100;
