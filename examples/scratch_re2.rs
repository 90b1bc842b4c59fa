fn main() {
    let text = std::fs::read_to_string("/tmp/corpus10k/0000/000001.txt").unwrap();
    let doc = citelint::Document::new("x", text.clone(), citelint::Format::Text);
    let view = doc.view().text();
    let rules = citelint::RuleSet::builtin().unwrap();
    for pack in rules.packs() {
        for p in pack.regexes() {
            let re = regex::RegexBuilder::new(&p)
                .multi_line(true)
                .crlf(true)
                .build()
                .unwrap();
            let t = std::time::Instant::now();
            let mut n = 0;
            for _ in 0..500 {
                n += re.find_iter(view).count();
            }
            let find = t.elapsed() / 500;
            let t = std::time::Instant::now();
            for _ in 0..500 {
                for c in re.captures_iter(view) {
                    n += c.len();
                }
            }
            let caps = t.elapsed() / 500;
            println!(
                "{:>10?} {:>10?} {} {}",
                find,
                caps,
                pack.name,
                &p[..p.len().min(70)]
            );
            let _ = n;
        }
    }
}
