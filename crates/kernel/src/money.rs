//! Money as the domain handles it: an integer count of the currency's minor unit and the
//! currency itself, never a float (docs/money.md). XOF has no minor unit, so
//! `Money::new(5_000, Currency::XOF)` is 5 000 F CFA; EUR has two, so 5 000 is 50.00 €.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 4217 currency code: three ASCII capital letters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The franc CFA of West Africa, the platform's default.
    pub const XOF: Currency = Currency(*b"XOF");
    pub const EUR: Currency = Currency(*b"EUR");

    /// `"XOF"`, `"EUR"`…; `None` unless three capital letters.
    pub fn parse(code: &str) -> Option<Self> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals get in (see `parse`).
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point in the currency's usual notation (ISO 4217's
    /// "minor unit"): 0 for XOF, 2 for EUR.
    pub fn minor_digits(&self) -> u32 {
        const NONE: [&str; 16] = [
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
            "VUV", "XAF", "XOF", "XPF",
        ];
        const THREE: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
        match self.as_str() {
            code if NONE.contains(&code) => 0,
            code if THREE.contains(&code) => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Currency {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Currency::parse(code)
            .ok_or_else(|| format!("{code:?} is not an ISO 4217 code (three capital letters)"))
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// An amount in minor units of one currency. Adding or subtracting two currencies is a
/// programming error (the platform has one), so those operators panic; `checked_*` do not.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// The count of minor units, as the API and the database carry it.
    pub const fn minor(self) -> i64 {
        self.minor
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub const fn is_positive(self) -> bool {
        self.minor > 0
    }

    pub const fn is_negative(self) -> bool {
        self.minor < 0
    }

    /// `None` when the currencies differ or the sum overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Money::new(minor, self.currency))
    }

    /// `None` when the currencies differ or the difference overflows.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.checked_add(Money::new(other.minor.checked_neg()?, other.currency))
    }

    /// `percent` of this amount, rounded to the nearest minor unit (halves away from
    /// zero).
    pub fn percent(self, percent: Percent) -> Money {
        let exact = i128::from(self.minor) * i128::from(percent.basis_points());
        let half = if exact < 0 { -5_000 } else { 5_000 };
        // |minor| × 10 000 / 10 000 never exceeds |minor|, so the result fits in i64.
        Money::new(((exact + half) / 10_000) as i64, self.currency)
    }

    /// The larger of the two (same currency).
    pub fn max(self, other: Money) -> Money {
        if self.compare(other).is_ge() {
            self
        } else {
            other
        }
    }

    /// The smaller of the two (same currency).
    pub fn min(self, other: Money) -> Money {
        if self.compare(other).is_le() {
            self
        } else {
            other
        }
    }

    /// Adds up amounts of `currency` (zero when there are none).
    pub fn total(amounts: impl IntoIterator<Item = Money>, currency: Currency) -> Money {
        amounts.into_iter().fold(Money::zero(currency), Add::add)
    }

    fn compare(self, other: Money) -> std::cmp::Ordering {
        self.same_currency(other);
        self.minor.cmp(&other.minor)
    }

    fn same_currency(self, other: Money) {
        assert!(
            self.currency == other.currency,
            "mixing {} and {} amounts",
            self.currency,
            other.currency
        );
    }
}

impl PartialOrd for Money {
    /// Amounts of different currencies do not compare.
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        (self.currency == other.currency).then(|| self.minor.cmp(&other.minor))
    }
}

impl Add for Money {
    type Output = Money;

    fn add(self, other: Money) -> Money {
        self.same_currency(other);
        Money::new(self.minor + other.minor, self.currency)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl Sub for Money {
    type Output = Money;

    fn sub(self, other: Money) -> Money {
        self.same_currency(other);
        Money::new(self.minor - other.minor, self.currency)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, other: Money) {
        *self = *self - other;
    }
}

impl Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        Money::new(-self.minor, self.currency)
    }
}

impl Sum for Money {
    /// Panics on an empty iterator (no currency to give zero in): use `Money::total`.
    fn sum<I: Iterator<Item = Money>>(mut iter: I) -> Money {
        let first = iter
            .next()
            .expect("Money::total for a sum that may be empty");
        iter.fold(first, Add::add)
    }
}

impl fmt::Display for Money {
    /// `5000 XOF`, `50.00 EUR`, `-1.250 KWD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.currency.minor_digits();
        let sign = if self.minor < 0 { "-" } else { "" };
        let units = self.minor.unsigned_abs();
        if digits == 0 {
            return write!(f, "{sign}{units} {}", self.currency);
        }
        let scale = 10u64.pow(digits);
        write!(
            f,
            "{sign}{}.{:0width$} {}",
            units / scale,
            units % scale,
            self.currency,
            width = digits as usize
        )
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({} {})", self.minor, self.currency)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn xof(minor: i64) -> Money {
        Money::new(minor, Currency::XOF)
    }

    #[test]
    fn percentages_round_to_the_nearest_unit() {
        assert_eq!(xof(10_000).percent(Percent::whole(10)), xof(1_000));
        assert_eq!(xof(15).percent(Percent::whole(10)), xof(2)); // 1.5 → 2
        assert_eq!(xof(14).percent(Percent::whole(10)), xof(1)); // 1.4 → 1
        assert_eq!(xof(5_005).percent(Percent::parse("7.5").unwrap()), xof(375)); // 375.375
        assert_eq!(xof(0).percent(Percent::whole(90)), xof(0));
        assert_eq!(xof(-15).percent(Percent::whole(10)), xof(-2));
        assert_eq!(xof(i64::MAX).percent(Percent::whole(100)), xof(i64::MAX));
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

    #[test]
    fn currencies_are_three_capitals_with_their_minor_unit() {
        assert_eq!(Currency::parse("XOF"), Some(Currency::XOF));
        assert_eq!("EUR".parse::<Currency>(), Ok(Currency::EUR));
        for bad in ["", "xof", "XO", "XOFF", "X0F", "ÉUR"] {
            assert_eq!(Currency::parse(bad), None, "{bad}");
        }
        assert_eq!(Currency::XOF.minor_digits(), 0);
        assert_eq!(Currency::EUR.minor_digits(), 2);
        assert_eq!(Currency::parse("KWD").unwrap().minor_digits(), 3);
        assert_eq!(serde_json::to_string(&Currency::XOF).unwrap(), "\"XOF\"");
        assert!(serde_json::from_str::<Currency>("\"xof\"").is_err());
    }

    #[test]
    fn amounts_add_up_within_one_currency() {
        assert_eq!(xof(2_000) + xof(500) - xof(100), xof(2_400));
        assert_eq!(
            Money::total([xof(1), xof(2), xof(3)], Currency::XOF),
            xof(6)
        );
        assert_eq!(Money::total([], Currency::XOF), xof(0));
        let euros = Money::new(100, Currency::EUR);
        assert_eq!(xof(1).checked_add(euros), None);
        assert_eq!(xof(i64::MAX).checked_add(xof(1)), None);
        assert_eq!(xof(5).checked_sub(xof(7)), Some(xof(-2)));
        assert_eq!(xof(1).partial_cmp(&euros), None);
        assert!(xof(1) < xof(2));
        assert_eq!(xof(3).max(xof(9)), xof(9));
        assert_eq!(xof(3).min(xof(9)), xof(3));
    }

    #[test]
    #[should_panic(expected = "mixing XOF and EUR")]
    fn adding_two_currencies_is_a_bug() {
        let _ = xof(1) + Money::new(1, Currency::EUR);
    }

    #[test]
    fn amounts_print_in_the_currency_notation() {
        assert_eq!(xof(5_000).to_string(), "5000 XOF");
        assert_eq!(Money::new(5_000, Currency::EUR).to_string(), "50.00 EUR");
        assert_eq!(Money::new(-5, Currency::EUR).to_string(), "-0.05 EUR");
        assert_eq!(
            Money::new(1_250, Currency::parse("KWD").unwrap()).to_string(),
            "1.250 KWD"
        );
    }
}
