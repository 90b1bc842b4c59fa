//! The `citelint` command: parse arguments, run, exit with the code a CI step can trust.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
