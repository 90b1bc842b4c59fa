fn main() {
    let n = 50;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(citelint::RuleSet::builtin().unwrap());
    }
    eprintln!(
        "builtin (parallel) {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3 / n as f64
    );
}
