//! Today's date on the local clock, the day rules measure "in the future" against when
//! `--today` is not given.
//!
//! jiff's `Zoned::now` finds the system time zone by its IANA name, and to look the name
//! up it lists the whole zoneinfo database first: about 1.5 ms of directory reads, an
//! eighth of a one-file run from an editor. A date needs the zone's rules, not its name,
//! and `/etc/localtime` holds those rules as a TZif file. So, where that file is and `TZ`
//! is not set, it is read directly; otherwise (`TZ` set, Windows, an unreadable file)
//! jiff decides, as before.

use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// Where Unix systems keep the local time zone's rules.
#[cfg(unix)]
const LOCAL_ZONE_FILE: &str = "/etc/localtime";

/// Today's date in the local time zone. The zone file is read once a process (the
/// language server asks for every check).
pub fn today() -> Date {
    static LOCAL_ZONE: OnceLock<Option<TimeZone>> = OnceLock::new();
    match LOCAL_ZONE.get_or_init(local_zone_from_file) {
        Some(zone) => zone.to_datetime(Timestamp::now()).date(),
        None => ZonedDateTime::now().date(),
    }
}

/// The local time zone read from `/etc/localtime`, when that is where jiff would find it:
/// `TZ`, when set, takes precedence.
fn local_zone_from_file() -> Option<TimeZone> {
    if std::env::var_os("TZ").is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        zone_from_tzif(&std::fs::read(LOCAL_ZONE_FILE).ok()?)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A time zone from the contents of a TZif file, if they are one.
fn zone_from_tzif(data: &[u8]) -> Option<TimeZone> {
    TimeZone::tzif("localtime", data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_jiff_gives_for_the_system_zone() {
        // Read between two of jiff's readings, so that a midnight in between cannot fail it.
        let before = ZonedDateTime::now().date();
        let ours = today();
        let after = ZonedDateTime::now().date();
        assert!(
            ours == before || ours == after,
            "{ours} is neither {before} nor {after}"
        );
    }

    #[test]
    fn a_file_that_is_not_tzif_is_no_zone() {
        assert!(zone_from_tzif(b"").is_none());
        assert!(zone_from_tzif(b"Europe/Paris\n").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_zone_read_from_its_file_has_the_offsets_jiff_gives_it() {
        // The machine's own zone (often UTC), and one with daylight saving time.
        let zones = [
            (LOCAL_ZONE_FILE, TimeZone::try_system()),
            (
                "/usr/share/zoneinfo/Europe/Paris",
                TimeZone::get("Europe/Paris"),
            ),
        ];
        for (path, expected) in zones {
            let (Ok(data), Ok(expected)) = (std::fs::read(path), expected) else {
                // A bare container has no zone files; jiff then decides alone.
                continue;
            };
            let zone = zone_from_tzif(&data).expect("a zone file is TZif");
            // Noon on the 1st of each month of two years: both sides of any change.
            for month in 0..24 {
                let at: Timestamp =
                    format!("{}-{:02}-01T12:00:00Z", 2025 + month / 12, month % 12 + 1)
                        .parse()
                        .expect("a valid timestamp");
                assert_eq!(zone.to_offset(at), expected.to_offset(at), "{path} at {at}");
            }
        }
    }
}
