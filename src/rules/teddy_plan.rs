//! The order a Teddy search is given its literals in, and whether it is slim or fat: what
//! decides how often the search stops on ordinary prose to compare a literal that is not
//! there.
//!
//! aho-corasick's Teddy puts the literals into buckets (eight in slim Teddy, sixteen in fat)
//! one after another in the order it is given them, except that literals whose first bytes
//! have the same low half-bytes share a bucket. It tests the first bytes of a bucket's
//! literals a half-byte at a time, so a bucket of `ccessed `, `(dpa)` and `Provided by` also
//! stops at ` re`, ` su` or ` te` (a space is `(`'s high half with `P`'s low one): that
//! bucket alone stopped 147 times on a 4.7 KB generated article. A stop costs about a
//! hundred instructions; slim Teddy reads 32 bytes a step where fat reads 16, a third
//! fewer instructions on an article when neither stops.
//!
//! [`plan`] orders the literals so that the buckets stop as rarely as a model of English
//! prose says they can (each byte drawn on its own, as often as letters, spaces, digits and
//! punctuation are in English text), and prefers slim Teddy unless fat's emptier buckets
//! would save more stops than its shorter steps cost. The order only changes how fast the
//! search is, never what it finds; were aho-corasick to fill its buckets another way, the
//! planned order would merely be an arbitrary one.

/// How often each letter is among the letters of English text, in hundredths of a per
/// cent, `a` to `z`.
const LETTERS: [u16; 26] = [
    817, 149, 278, 425, 1270, 223, 202, 609, 697, 15, 77, 403, 241, 675, 751, 193, 10, 599, 633,
    906, 276, 98, 236, 15, 197, 7,
];

/// How often each byte is in English prose: letters (3.7 % of them capitals), spaces,
/// digits, full stops, commas, line breaks and other punctuation. The rest (markup, bytes of
/// non-ASCII characters) counts as never there.
const ENGLISH: [f32; 256] = {
    let mut frequency = [0.0f32; 256];
    let mut letter = 0;
    while letter < 26 {
        let share = LETTERS[letter] as f32 / 10_000.0;
        frequency[b'a' as usize + letter] = share * 0.76;
        frequency[b'A' as usize + letter] = share * 0.03;
        letter += 1;
    }
    let mut digit = b'0';
    while digit <= b'9' {
        frequency[digit as usize] = 0.001;
        digit += 1;
    }
    let others = b"!\"#$%&'()*+-/:;<=>?@[\\]^_`{|}~";
    let mut other = 0;
    while other < others.len() {
        frequency[others[other] as usize] = 0.005 / others.len() as f32;
        other += 1;
    }
    frequency[b' ' as usize] = 0.16;
    frequency[b'.' as usize] = 0.01;
    frequency[b',' as usize] = 0.01;
    frequency[b'\n' as usize] = 0.005;
    frequency
};

/// How many more stops a byte slim Teddy may make than fat Teddy, by the model, and still be
/// chosen. A step of fat Teddy costs about 0.55 instructions a byte more; a stop about a
/// hundred; and prose repeats words (`The`, `re`), so that the model counts two to four
/// times too few stops where buckets mix literals. Hence 0.55 / 100 / 4.
const SLIM_ALLOWANCE: f32 = 0.0014;

/// The most passes of swaps [`arrange`] makes (it stops early when a pass finds nothing
/// better; the gates' twenty settle in one, and one more finds nothing).
const MAX_PASSES: usize = 8;

/// The buckets of slim and of fat Teddy.
const SLIM_BUCKETS: usize = 8;
const FAT_BUCKETS: usize = 16;

/// How to build a Teddy search for a set of literals.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The literals' indexes in the order slim Teddy is best given them.
    pub slim: Vec<usize>,
    /// The order for fat Teddy, if fat Teddy is the better search (where the machine has it).
    pub fat: Option<Vec<usize>>,
}

/// What Teddy tests of one literal, or of literals together: the half-bytes of their first
/// bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// The low half-bytes of a literal's first bytes, four bits each: literals with the same
    /// share a bucket.
    key: u32,
    /// For each of the first bytes, its low half-byte as a bit (several, of literals
    /// together), and its high one.
    low: [u16; 4],
    high: [u16; 4],
}

impl Shape {
    /// The shape of `literal`'s first `mask_len` bytes.
    fn of(literal: &[u8], mask_len: usize) -> Shape {
        let mut shape = Shape::default();
        for (at, &byte) in literal[..mask_len].iter().enumerate() {
            shape.key |= u32::from(byte & 0xF) << (4 * at);
            shape.low[at] = 1 << (byte & 0xF);
            shape.high[at] = 1 << (byte >> 4);
        }
        shape
    }

    /// What a bucket of both tests.
    fn with(self, other: &Shape) -> Shape {
        let mut both = self;
        for at in 0..4 {
            both.low[at] |= other.low[at];
            both.high[at] |= other.high[at];
        }
        both
    }

    /// How often a byte of English text is where a bucket of this shape stops.
    fn stops(&self, mask_len: usize) -> f32 {
        (0..mask_len)
            .map(|at| passing(self.low[at], self.high[at]))
            .product()
    }
}

/// Literals that Teddy puts in one bucket whatever their order (the same low half-bytes
/// first), and what the bucket tests of them.
#[derive(Debug)]
struct Unit {
    shape: Shape,
    /// The literals' indexes, in the order given.
    members: Vec<usize>,
}

/// The plan for `literals` (at most 64, none empty): slim Teddy's order and, if fat Teddy
/// is better, fat Teddy's.
pub fn plan<L: AsRef<[u8]>>(literals: &[L]) -> Plan {
    let mask_len = literals
        .iter()
        .map(|l| l.as_ref().len())
        .min()
        .unwrap_or(0)
        .min(4);
    let mut units: Vec<Unit> = Vec::new();
    for (index, literal) in literals.iter().enumerate() {
        let shape = Shape::of(literal.as_ref(), mask_len);
        match units.iter_mut().find(|unit| unit.shape.key == shape.key) {
            Some(unit) => {
                unit.shape = unit.shape.with(&shape);
                unit.members.push(index);
            }
            None => units.push(Unit {
                shape,
                members: vec![index],
            }),
        }
    }
    let (slim, slim_stops) = arrange(&units, mask_len, SLIM_BUCKETS);
    // Fat Teddy cannot stop less often than with every unit in a bucket of its own.
    let alone: f32 = units.iter().map(|unit| unit.shape.stops(mask_len)).sum();
    let fat = (slim_stops - alone > SLIM_ALLOWANCE)
        .then(|| arrange(&units, mask_len, FAT_BUCKETS))
        .filter(|(_, fat_stops)| slim_stops - fat_stops > SLIM_ALLOWANCE);
    Plan {
        slim: order(&units, &slim),
        fat: fat.map(|(slots, _)| order(&units, &slots)),
    }
}

/// The literals' order for units placed in `slots`: each unit's first literal in its slot,
/// so that Teddy gives it that slot's bucket, then the others, which join it there.
fn order(units: &[Unit], slots: &[usize]) -> Vec<usize> {
    let firsts = slots.iter().map(|&unit| units[unit].members[0]);
    let others = units
        .iter()
        .flat_map(|unit| unit.members[1..].iter().copied());
    firsts.chain(others).collect()
}

/// The bucket Teddy gives the literal it is given `slot`-th (if no literal before it has
/// the same key).
fn bucket_of(slot: usize, buckets: usize) -> usize {
    buckets - 1 - slot % buckets
}

/// The units' slots (a unit's index for each) that make the fewest stops a byte of English
/// with `buckets` buckets, found by swapping pairs of units while a swap lowers them, and
/// those stops.
fn arrange(units: &[Unit], mask_len: usize, buckets: usize) -> (Vec<usize>, f32) {
    let mut slots: Vec<usize> = (0..units.len()).collect();
    if units.len() <= buckets {
        // A bucket each: nothing to arrange, the order stays as given.
        let alone = units.iter().map(|u| u.shape.stops(mask_len)).sum();
        return (slots, alone);
    }
    // Start from the units that stop most often alone in buckets of their own, and the
    // rarest beside them: the swaps then settle in one pass and a pass that finds nothing
    // (a third fewer trials than from the order given, for the gates' 20).
    let alone: Vec<f32> = units.iter().map(|u| u.shape.stops(mask_len)).collect();
    slots.sort_by(|&a, &b| alone[b].total_cmp(&alone[a]));
    slots[buckets..].reverse();
    let bucket_stops = |slots: &[usize], bucket: usize| -> f32 {
        let first = buckets - 1 - bucket;
        let shape = (slots.iter().skip(first).step_by(buckets))
            .fold(Shape::default(), |shape, &unit| {
                shape.with(&units[unit].shape)
            });
        if shape.low[0] == 0 {
            0.0
        } else {
            shape.stops(mask_len)
        }
    };
    let mut stops: Vec<f32> = (0..buckets).map(|b| bucket_stops(&slots, b)).collect();
    for _ in 0..MAX_PASSES {
        let mut better = false;
        for i in 0..slots.len() {
            for j in i + 1..slots.len() {
                let (a, b) = (bucket_of(i, buckets), bucket_of(j, buckets));
                if a == b {
                    continue;
                }
                slots.swap(i, j);
                let (after_a, after_b) = (bucket_stops(&slots, a), bucket_stops(&slots, b));
                if after_a + after_b < (stops[a] + stops[b]) * (1.0 - 1e-4) {
                    (stops[a], stops[b]) = (after_a, after_b);
                    better = true;
                } else {
                    slots.swap(i, j);
                }
            }
        }
        if !better {
            break;
        }
    }
    (slots, stops.iter().sum())
}

/// How often a byte of English text is where some bucket stops, with the literals (of
/// `shapes`) given to Teddy in `order`: buckets filled as aho-corasick fills them. (The
/// reference [`arrange`]'s sums are tested against.)
#[cfg(test)]
fn stops(shapes: &[Shape], order: &[usize], mask_len: usize, buckets: usize) -> f32 {
    let mut filled = [Shape::default(); FAT_BUCKETS];
    let mut keys: Vec<(u32, usize)> = Vec::new();
    for (id, shape) in order.iter().map(|&index| &shapes[index]).enumerate() {
        let bucket = match keys.iter().find(|(key, _)| *key == shape.key) {
            Some(&(_, bucket)) => bucket,
            None => {
                keys.push((shape.key, bucket_of(id, buckets)));
                bucket_of(id, buckets)
            }
        };
        filled[bucket] = filled[bucket].with(shape);
    }
    (filled[..buckets].iter())
        .filter(|shape| shape.low[0] != 0)
        .map(|shape| shape.stops(mask_len))
        .sum()
}

/// How often a byte of English has a low half-byte among `low` and a high one among `high`.
fn passing(low: u16, high: u16) -> f32 {
    let mut sum = 0.0;
    let mut highs = high;
    while highs != 0 {
        let high_half = highs.trailing_zeros() as usize;
        let mut lows = low;
        while lows != 0 {
            sum += ENGLISH[high_half << 4 | lows.trailing_zeros() as usize];
            lows &= lows - 1;
        }
        highs &= highs - 1;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literals of the built-in packs' gates (after shared parts are searched once).
    const GATES: [&str; 20] = [
        "Citation",
        "This document is subject to copyright.",
        "The Conversation",
        "riginally published ",
        "(C)",
        "(c)",
        "(AP)",
        "(AFP)",
        "(dpa)",
        "opyright",
        "(Reuters)",
        "CC BY",
        "CC-BY",
        "reative ",
        "ccessed ",
        "Retrieved ",
        "Provided by",
        "://theconversation.com/profiles/",
        "The Associated Press",
        "://creativecommons.org/licenses/",
    ];

    fn shapes(literals: &[&str]) -> Vec<Shape> {
        literals
            .iter()
            .map(|l| Shape::of(l.as_bytes(), 3))
            .collect()
    }

    /// Stops Teddy makes on `text`, counted as Teddy tests (half-bytes of the first three
    /// bytes), with the buckets filled from `order` as aho-corasick fills them.
    fn stops_on(text: &[u8], literals: &[&str], order: &[usize], buckets: usize) -> usize {
        let shapes = shapes(literals);
        let mut bucket_of = Vec::new();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets];
        for (id, &index) in order.iter().enumerate() {
            let key = shapes[index].key;
            let bucket = match bucket_of.iter().find(|(k, _)| *k == key) {
                Some(&(_, b)) => b,
                None => {
                    bucket_of.push((key, buckets - 1 - id % buckets));
                    buckets - 1 - id % buckets
                }
            };
            members[bucket].push(index);
        }
        let mut count = 0;
        for window in text.windows(3) {
            for bucket in members.iter().filter(|m| !m.is_empty()) {
                let fits = (0..3).all(|at| {
                    let b = window[at];
                    bucket
                        .iter()
                        .any(|&i| shapes[i].low[at] & 1 << (b & 0xF) != 0)
                        && bucket
                            .iter()
                            .any(|&i| shapes[i].high[at] & 1 << (b >> 4) != 0)
                });
                count += usize::from(fits);
            }
        }
        count
    }

    /// English prose, for counting stops (written for this test).
    const PROSE: &str = "The council said on Tuesday that the new rules would take effect \
        next spring, after a review of how residents had responded to the draft. Several \
        members raised concerns about the cost of the scheme, which the report put at more \
        than two million pounds, and asked whether the money could be better spent on \
        repairs to existing roads. The chair replied that the plan had been revised twice \
        already and that further delay would only raise the price. Researchers at the \
        university, who studied traffic in the area for three years, reported that the \
        number of accidents fell by a third where similar measures were tried. Their paper, \
        published in a peer-reviewed journal, described the results as encouraging but \
        cautioned that the sample was small. Local businesses were divided: some expected \
        more visitors on foot, while others feared that deliveries would become harder. \
        A spokesperson for the regional transport authority declined to comment on the \
        details but confirmed that a public meeting would be held before the final vote.";

    #[test]
    fn the_planned_order_stops_less_often_than_the_given_one() {
        let planned_order = plan(&GATES);
        let given: Vec<usize> = (0..GATES.len()).collect();
        let text = PROSE.as_bytes();
        let planned = stops_on(text, &GATES, &planned_order.slim, SLIM_BUCKETS);
        let unplanned = stops_on(text, &GATES, &given, SLIM_BUCKETS);
        assert!(
            planned * 2 <= unplanned,
            "{planned} stops planned, {unplanned} as given"
        );
        // Every literal is in the order once.
        let mut sorted = planned_order.slim.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, given);
        // Slim Teddy is the better search for these.
        assert_eq!(planned_order.fat, None);
    }

    #[test]
    fn the_stops_arranged_are_those_of_the_order_given_to_teddy() {
        // With literals that share a bucket by their first bytes, as some of these do.
        let literals = [
            "The Conversation",
            "This document",
            "The Associated Press",
            "Citation",
            "Cit",
            "(AP)",
            "(AFP)",
            "opyright",
            "reative ",
            "ccessed ",
            "Retrieved ",
            "Provided by",
        ];
        let shapes = shapes(&literals);
        let mut units: Vec<Unit> = Vec::new();
        for (index, shape) in shapes.iter().enumerate() {
            match units.iter_mut().find(|u| u.shape.key == shape.key) {
                Some(unit) => unit.members.push(index),
                None => units.push(Unit {
                    shape: *shape,
                    members: vec![index],
                }),
            }
        }
        for unit in &mut units {
            unit.shape = (unit.members.iter()).fold(Shape::default(), |s, &i| s.with(&shapes[i]));
        }
        // `The Conversation` with `The Associated Press`, `Citation` with `Cit`.
        assert_eq!(units.len(), literals.len() - 2);
        for buckets in [2, 4, SLIM_BUCKETS, FAT_BUCKETS] {
            let (slots, arranged) = arrange(&units, 3, buckets);
            let given = order(&units, &slots);
            let reference = stops(&shapes, &given, 3, buckets);
            assert!(
                (arranged - reference).abs() <= reference * 1e-5,
                "{buckets} buckets: {arranged} arranged, {reference} by the order"
            );
            let unarranged = stops(
                &shapes,
                &(0..literals.len()).collect::<Vec<_>>(),
                3,
                buckets,
            );
            assert!(arranged <= unarranged * (1.0 + 1e-5), "{buckets} buckets");
        }
    }

    #[test]
    fn the_model_counts_the_stops_of_a_bucket_as_teddy_makes_them() {
        // `ccessed `, `(dpa)` and `Provided by` in one bucket: a space followed by a
        // lower-case letter then `e`, `o`, `p` or `u` fits it, half-byte by half-byte.
        let literals = ["ccessed ", "(dpa)", "Provided by"];
        let shapes = shapes(&literals);
        let mixed = stops(&shapes, &[0, 1, 2], 3, 1);
        let apart = stops(&shapes, &[0, 1, 2], 3, 3);
        assert!(mixed > 20.0 * apart, "{mixed} against {apart}");
        let text = PROSE.as_bytes();
        assert!(stops_on(text, &literals, &[0, 1, 2], 1) > 20);
        assert_eq!(stops_on(text, &literals, &[0, 1, 2], 3), 0);
    }

    #[test]
    fn fat_teddy_is_chosen_where_slim_buckets_cannot_be_kept_apart() {
        // Lower-case words whose first letters mix into common English in any bucket of
        // several: sixteen buckets keep each alone.
        let words = [
            "the", "and", "ing", "ion", "ent", "her", "tha", "for", "was", "are", "his", "ver",
            "all", "ith", "est", "ter",
        ];
        let many = plan(&words);
        assert!(many.fat.is_some(), "{many:?}");
        // Up to eight literals, each has its own bucket in either: slim, as given.
        let few = plan(&words[..8]);
        assert_eq!(few.slim, (0..8).collect::<Vec<_>>());
        assert_eq!(few.fat, None);
    }

    #[test]
    fn literals_that_must_share_a_bucket_are_kept_together() {
        // `The Conversation` and `The Associated Press` start alike: Teddy puts them in one
        // bucket whatever the order, and so does the model.
        let literals = ["The Conversation", "The Associated Press", "Citation"];
        let shapes = shapes(&literals);
        let together = stops(&shapes, &[0, 1, 2], 3, SLIM_BUCKETS);
        let first_alone = stops(&shapes, &[0], 3, SLIM_BUCKETS);
        let third_alone = stops(&shapes, &[2], 3, SLIM_BUCKETS);
        assert!((together - first_alone - third_alone).abs() < 1e-9);
    }
}
