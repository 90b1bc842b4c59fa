//! The `citelint` command: parse arguments, run, exit with the code a CI step can trust.

mod cli;

/// mimalloc rather than the system allocator: checking a document makes many small, short-lived
/// allocations (fields, parts, messages) on several threads, and mimalloc serves them from
/// per-thread pages. 8 % fewer instructions on a generated corpus. Built without transparent
/// huge pages, which kept peak memory near 30 MiB instead of 12 and slowed a one-file run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
