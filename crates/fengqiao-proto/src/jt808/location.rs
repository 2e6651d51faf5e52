//! JT/T 808 location body (0x0200, and each item of 0x0704): basic fields, alarm and status bits, extra items.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::alarm::AlarmFlags;
use super::escape::{EscReader, RawBytes};
use crate::{Angle, DecodeError};

/// The basic location block: alarm 4, status 4, latitude 4, longitude 4, altitude 2, speed 2, course 2, time 6.
pub(crate) const BASIC_LEN: usize = 28;
/// JT/T 808 BCD times are Beijing time (UTC+8).
pub(crate) const BEIJING_OFFSET_HOURS: i64 = 8;

#[derive(Debug, Clone, PartialEq)]
pub struct Location<'a> {
    pub alarm: AlarmFlags,
    pub status: StatusFlags,
    /// Micro-degrees, negative south (status bit 2).
    pub lat: Angle,
    /// Micro-degrees, negative west (status bit 3).
    pub lon: Angle,
    pub altitude_m: u16,
    pub speed_tenths_kmh: u16,
    pub course: u16,
    pub time: DateTime<Utc>,
    /// Extra item 0x01: odometer in 0.1 km.
    pub mileage_tenths_km: Option<u32>,
    /// Extra item 0x02: fuel in 0.1 L.
    pub fuel_tenths_l: Option<u16>,
    /// Extra item 0x03: speed from the tachograph in 0.1 km/h.
    pub recorder_speed_tenths_kmh: Option<u16>,
    /// Extra item 0x30: mobile network signal strength.
    pub signal_strength: Option<u8>,
    /// Extra item 0x31: GNSS satellites in use.
    pub satellites: Option<u8>,
    /// Every extra item as sent, known ones included.
    pub extras: Extras<'a>,
}

impl Location<'_> {
    pub fn speed_kmh(&self) -> f64 {
        f64::from(self.speed_tenths_kmh) / 10.0
    }
}

/// The extra-item list (附加信息): id, length, value, repeated; checked well-formed when decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extras<'a>(RawBytes<'a>);

impl<'a> Extras<'a> {
    pub fn iter(&self) -> ExtraIter<'a> {
        ExtraIter(EscReader::new(self.0))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn raw(&self) -> RawBytes<'a> {
        self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtraItem<'a> {
    pub id: u8,
    pub value: RawBytes<'a>,
}

pub struct ExtraIter<'a>(EscReader<'a>);

impl<'a> Iterator for ExtraIter<'a> {
    type Item = ExtraItem<'a>;

    fn next(&mut self) -> Option<ExtraItem<'a>> {
        read_extra(&mut self.0).ok().flatten()
    }
}

fn read_extra<'a>(r: &mut EscReader<'a>) -> Result<Option<ExtraItem<'a>>, DecodeError> {
    if r.remaining() == 0 {
        return Ok(None);
    }
    let id = r.u8("extra item id")?;
    let len = r.u8("extra item length")?;
    let value = r.take(usize::from(len), "extra item value")?;
    Ok(Some(ExtraItem { id, value }))
}

pub(crate) fn decode_location<'a>(r: &mut EscReader<'a>) -> Result<Location<'a>, DecodeError> {
    if r.remaining() < BASIC_LEN {
        return Err(DecodeError::Truncated {
            offset: r.offset(),
            field: "location basic block",
            needed: BASIC_LEN,
            available: r.remaining(),
        });
    }
    let alarm = AlarmFlags(r.u32("alarm flags")?);
    let status = StatusFlags(r.u32("status flags")?);
    let lat_at = r.offset();
    let lat_raw = r.u32("latitude")?;
    let lon_at = r.offset();
    let lon_raw = r.u32("longitude")?;
    let lat = signed(lat_raw, status.south(), 90, lat_at, "latitude")?;
    let lon = signed(lon_raw, status.west(), 180, lon_at, "longitude")?;
    let altitude_m = r.u16("altitude")?;
    let speed_tenths_kmh = r.u16("speed")?;
    let course = r.u16("course")?;
    let time = bcd_beijing_time(r)?;
    let extras_raw = r.rest();
    let mut location = Location {
        alarm,
        status,
        lat,
        lon,
        altitude_m,
        speed_tenths_kmh,
        course,
        time,
        mileage_tenths_km: None,
        fuel_tenths_l: None,
        recorder_speed_tenths_kmh: None,
        signal_strength: None,
        satellites: None,
        extras: Extras(extras_raw),
    };
    // One pass checks the list is well formed (so iteration later cannot stop early) and picks out the
    // typed items. An item of the wrong width stays raw rather than failing the frame.
    let mut items = EscReader::new(extras_raw);
    while let Some(item) = read_extra(&mut items)? {
        let mut value = EscReader::new(item.value);
        match (item.id, item.value.len()) {
            (0x01, 4) => location.mileage_tenths_km = Some(value.u32("mileage")?),
            (0x02, 2) => location.fuel_tenths_l = Some(value.u16("fuel")?),
            (0x03, 2) => location.recorder_speed_tenths_kmh = Some(value.u16("recorder speed")?),
            (0x30, 1) => location.signal_strength = Some(value.u8("signal strength")?),
            (0x31, 1) => location.satellites = Some(value.u8("satellites")?),
            _ => {}
        }
    }
    Ok(location)
}

fn signed(
    raw: u32,
    negative: bool,
    limit: u32,
    at: usize,
    field: &'static str,
) -> Result<Angle, DecodeError> {
    match i32::try_from(raw)
        .ok()
        .map(Angle::micro_degrees)
        .filter(|angle| angle.within(limit))
    {
        Some(angle) => Ok(if negative {
            Angle::micro_degrees(-angle.raw)
        } else {
            angle
        }),
        None => Err(DecodeError::field_value(
            at,
            field,
            "beyond the valid range",
            u64::from(raw),
        )),
    }
}

/// BCD YYMMDDhhmmss in Beijing time, returned in UTC.
pub(crate) fn bcd_beijing_time(r: &mut EscReader<'_>) -> Result<DateTime<Utc>, DecodeError> {
    let at = r.offset();
    let bytes = r.array::<6>("time")?;
    let mut parts = [0u32; 6];
    for (part, byte) in parts.iter_mut().zip(bytes) {
        let (tens, units) = (byte >> 4, byte & 0x0F);
        if tens > 9 || units > 9 {
            return Err(DecodeError::field_value(
                at,
                "time",
                "not BCD digits",
                u64::from(byte),
            ));
        }
        *part = u32::from(tens * 10 + units);
    }
    let [yy, mo, dd, hh, mi, ss] = parts;
    let invalid =
        |problem, value: u32| DecodeError::field_value(at, "time", problem, u64::from(value));
    let date = NaiveDate::from_ymd_opt(2000 + i32::try_from(yy).unwrap_or(0), mo, dd)
        .ok_or_else(|| invalid("not a calendar date", mo))?;
    let beijing = date
        .and_hms_opt(hh, mi, ss)
        .ok_or_else(|| invalid("not a time of day", hh))?;
    Ok((beijing - Duration::hours(BEIJING_OFFSET_HOURS)).and_utc())
}

/// Status word (状态位).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusFlags(pub u32);

impl StatusFlags {
    pub fn acc_on(self) -> bool {
        self.bit(0)
    }
    /// "Positioned": the fix is valid.
    pub fn positioned(self) -> bool {
        self.bit(1)
    }
    pub fn south(self) -> bool {
        self.bit(2)
    }
    pub fn west(self) -> bool {
        self.bit(3)
    }
    pub fn out_of_service(self) -> bool {
        self.bit(4)
    }
    pub fn coordinates_encrypted(self) -> bool {
        self.bit(5)
    }
    pub fn oil_cut(self) -> bool {
        self.bit(10)
    }
    pub fn circuit_cut(self) -> bool {
        self.bit(11)
    }
    pub fn door_locked(self) -> bool {
        self.bit(12)
    }
    fn bit(self, n: u32) -> bool {
        self.0 & (1 << n) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcd_time_is_beijing_time() {
        let bytes = [0x15, 0x08, 0x18, 0x07, 0x21, 0x21];
        let mut r = EscReader::new(RawBytes::plain(&bytes));
        assert_eq!(
            bcd_beijing_time(&mut r).unwrap().to_rfc3339(),
            "2015-08-17T23:21:21+00:00"
        );
        let mut r = EscReader::new(RawBytes::plain(&[0x15, 0x1A, 0x18, 0x07, 0x21, 0x21]));
        assert_eq!(bcd_beijing_time(&mut r).unwrap_err().field(), Some("time"));
    }

    #[test]
    fn status_bits() {
        let status = StatusFlags(0x0000_000F);
        assert!(status.acc_on() && status.positioned() && status.south() && status.west());
        assert!(!StatusFlags(0x0004_0001).positioned());
    }
}
