//! The `apelint` binary: parses arguments, runs, and picks the exit code (0 clean, 1 findings at or
//! above the fail level, 2 usage, configuration or rule errors; a closed pipe exits 0).

use apelint::cli::{self, Cli, Exit, Failure};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(Exit::Clean) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Ok(Exit::Findings) => ExitCode::from(1),
        Err(Failure::Problems(mut problems)) => {
            // One problem is reported alone; several under a heading that counts them.
            if problems.problems.len() == 1 {
                eprintln!("{:?}", miette::Report::new(problems.problems.remove(0)));
            } else {
                eprintln!("{:?}", miette::Report::new(problems));
            }
            ExitCode::from(2)
        }
    }
}
