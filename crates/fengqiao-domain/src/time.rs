//! Instants as UTC microseconds since the Unix epoch: exact, ordered, identical on every backend.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// China Standard Time, the zone every governance day boundary is drawn in (no DST since 1991).
#[allow(clippy::expect_used)] // a constant offset well inside chrono's ±24 h range
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A UTC instant with microsecond precision, stored as a 64-bit integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_micros(micros: i64) -> Self {
        Self(micros)
    }
    pub const fn as_micros(self) -> i64 {
        self.0
    }
    pub fn from_datetime(dt: DateTime<Utc>) -> Self {
        Self(dt.timestamp_micros())
    }
    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp_micros(self.0).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
    /// The calendar date in China Standard Time, the date every legal clock counts in.
    pub fn china_date(self) -> NaiveDate {
        self.to_datetime()
            .with_timezone(&china_offset())
            .date_naive()
    }
    /// Midnight China time at the start of `date`, as an instant.
    pub fn start_of_china_day(date: NaiveDate) -> Self {
        let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let local = china_offset().from_local_datetime(&naive).single();
        match local {
            Some(dt) => Self::from_datetime(dt.with_timezone(&Utc)),
            None => Self::from_datetime(naive.and_utc()),
        }
    }
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds.saturating_mul(1_000_000)))
    }
    /// RFC 3339 in UTC with microseconds, the API's one time format.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    }
    pub fn parse_rfc3339(text: &str) -> Result<Self, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(|dt| Self::from_datetime(dt.with_timezone(&Utc)))
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> Self {
        t.to_rfc3339()
    }
}

impl TryFrom<String> for Timestamp {
    type Error = chrono::ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse_rfc3339(&s)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .description(Some("RFC 3339 instant in UTC with microseconds"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339_with_micros() {
        let t = Timestamp::parse_rfc3339("2026-11-22T09:30:00.123456+08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-22T01:30:00.123456Z");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()).unwrap(), t);
    }

    #[test]
    fn china_date_crosses_utc_midnight() {
        // 2026-11-21 17:00 UTC is already the 22nd in Beijing.
        let t = Timestamp::parse_rfc3339("2026-11-21T17:00:00Z").unwrap();
        assert_eq!(
            t.china_date(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        let start = Timestamp::start_of_china_day(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!(start.to_rfc3339(), "2026-11-21T16:00:00.000000Z");
    }
}
