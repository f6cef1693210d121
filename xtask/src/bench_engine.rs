//! `cargo xtask bench`, engine part: recommendations per second and generator throughput,
//! measured by portolan-core's `bench_engine` example built with the `native` profile (the
//! optimised one the CLI ships with). Prints numbers; asserts nothing.

use std::process::Command;

use crate::process::{self, root, step};
use crate::TaskError;

pub fn run() -> Result<(), TaskError> {
    step("engine: recommendations and generated files per second (native profile)");
    let mut command = Command::new("cargo");
    command.current_dir(root()).args([
        "run",
        "--quiet",
        "--profile",
        "native",
        "-p",
        "portolan-core",
        "--example",
        "bench_engine",
    ]);
    process::run(&mut command)
}
