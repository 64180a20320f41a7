//! Amounts are integers in the currency's minor unit; percentages are exact.

use std::fmt;

/// A percentage with two decimals, held as hundredths of a percent (basis points):
/// `Percent::parse("7.5")` is 750.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u32);

impl Percent {
    pub const fn whole(percent: u32) -> Self {
        Self(percent * 100)
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// `"10"`, `"7.5"`, `"12.25"`; between 0 and 100.
    pub fn parse(text: &str) -> Option<Self> {
        let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
        if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let fraction: u32 = format!("{fraction:0<2}").parse().ok()?;
        let bps = whole.checked_mul(100)?.checked_add(fraction)?;
        (bps <= 10_000).then_some(Self(bps))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 % 100 {
            0 => write!(f, "{}", self.0 / 100),
            rest => write!(f, "{}.{:02}", self.0 / 100, rest),
        }
    }
}

/// `percent` of `amount`, rounded to the nearest minor unit (halves up).
pub fn percent_of(amount: i64, percent: Percent) -> i64 {
    let exact = i128::from(amount) * i128::from(percent.0);
    // Amounts are far below i64::MAX / 10_000, so the result fits.
    ((exact + 5_000) / 10_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_nearest_unit() {
        assert_eq!(percent_of(10_000, Percent::whole(10)), 1_000);
        assert_eq!(percent_of(15, Percent::whole(10)), 2); // 1.5 → 2
        assert_eq!(percent_of(14, Percent::whole(10)), 1); // 1.4 → 1
        assert_eq!(percent_of(5_005, Percent::parse("7.5").unwrap()), 375); // 375.375
        assert_eq!(percent_of(0, Percent::whole(90)), 0);
    }

    #[test]
    fn percent_parsing() {
        assert_eq!(Percent::parse("10"), Some(Percent(1_000)));
        assert_eq!(Percent::parse("7.5"), Some(Percent(750)));
        assert_eq!(Percent::parse("12.25"), Some(Percent(1_225)));
        assert_eq!(Percent::parse("100"), Some(Percent(10_000)));
        for bad in ["", "abc", "-1", "101", "1.234", ".5", "1.x"] {
            assert_eq!(Percent::parse(bad), None, "{bad}");
        }
        assert_eq!(Percent::parse("7.5").unwrap().to_string(), "7.50");
        assert_eq!(Percent::whole(10).to_string(), "10");
    }
}
