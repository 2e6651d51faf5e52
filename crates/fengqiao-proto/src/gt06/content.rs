//! Decodes the content of a GT06 frame (between the protocol number and the serial) by protocol number.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::status::{Battery, TerminalInfo};
use super::types::{
    AlarmReport, CellInfo, GpsFix, GpsReport, Heartbeat, Imei, Info, Login, Message, StatusReport,
    protocol,
};
use crate::reader::Reader;
use crate::{Angle, DecodeError};

/// Size of the GPS block: time 6, satellites 1, latitude 4, longitude 4, speed 1, course/status 2.
const GPS_BLOCK_LEN: usize = 18;
/// Status tail of alarm frames: terminal info, voltage level, GSM signal, alarm, language.
const STATUS_TAIL_LEN: usize = 5;
/// Extended 0x13 layout (info, satellites, alarm, language, battery %, mode, voltage, ...).
const EXTENDED_STATUS_MIN_LEN: usize = 14;

pub(crate) fn decode_content(
    protocol: u8,
    content: &[u8],
    base: usize,
    utc_offset_minutes: i16,
) -> Result<Message<'_>, DecodeError> {
    let mut r = Reader::new(content, base);
    let message = match protocol {
        protocol::LOGIN => Message::Login(login(&mut r)?),
        protocol::GPS | protocol::GPS_LBS | protocol::GPS_LBS_2 => {
            Message::Gps(gps_report(protocol, &mut r, utc_offset_minutes)?)
        }
        protocol::STATUS => Message::Status(status(&mut r)?),
        protocol::GPS_LBS_STATUS | protocol::GPS_LBS_STATUS_2 => {
            let fix = Some(gps_fix(&mut r, utc_offset_minutes)?);
            Message::Alarm(alarm_after_gps(fix, &mut r)?)
        }
        protocol::LBS_STATUS => Message::Alarm(lbs_alarm(&mut r)?),
        protocol::HEARTBEAT => Message::Heartbeat(heartbeat(&mut r)?),
        protocol::INFO => Message::Info(Info {
            subtype: r.u8("info subtype")?,
            data: r.rest(),
        }),
        _ => Message::Other { content: r.rest() },
    };
    Ok(message)
}

fn login(r: &mut Reader<'_>) -> Result<Login, DecodeError> {
    let at = r.offset();
    let bcd = r.array::<8>("imei")?;
    if let Some(bad) = bcd.iter().find(|b| (*b >> 4) > 9 || (*b & 0x0F) > 9) {
        return Err(DecodeError::field_value(
            at,
            "imei",
            "not BCD digits",
            u64::from(*bad),
        ));
    }
    let type_code = if r.remaining() >= 2 {
        Some(r.u16("login type code")?)
    } else {
        None
    };
    let utc_offset_minutes = if r.remaining() >= 2 {
        Some(timezone(r.u16("login time zone")?))
    } else {
        None
    };
    Ok(Login {
        imei: Imei(bcd),
        type_code,
        utc_offset_minutes,
    })
}

/// Time zone word: bits 15–4 hold hours×100+minutes, bit 3 set means west of UTC.
fn timezone(word: u16) -> i16 {
    let hhmm = word >> 4;
    let minutes = i16::try_from((hhmm / 100) * 60 + hhmm % 100).unwrap_or(0);
    if word & 0x08 != 0 { -minutes } else { minutes }
}

fn gps_report<'a>(
    protocol_number: u8,
    r: &mut Reader<'a>,
    utc_offset_minutes: i16,
) -> Result<GpsReport<'a>, DecodeError> {
    let mut report = GpsReport {
        fix: None,
        cell: None,
        acc_on: None,
        upload_mode: None,
        reupload: None,
        extra: &[],
    };
    if r.remaining() == 0 {
        // A device without a fix may send an empty report; it still gets logged with its serial.
        return Ok(report);
    }
    report.fix = Some(gps_fix(r, utc_offset_minutes)?);
    if protocol_number == protocol::GPS_LBS || protocol_number == protocol::GPS_LBS_2 {
        report.cell = fixed_cell(r)?;
    }
    if protocol_number == protocol::GPS_LBS_2 && r.remaining() >= 3 {
        report.acc_on = Some(r.u8("acc")? != 0);
        report.upload_mode = Some(r.u8("upload mode")?);
        report.reupload = Some(r.u8("reupload")? != 0);
    }
    report.extra = r.rest();
    Ok(report)
}

pub(crate) fn gps_fix(r: &mut Reader<'_>, utc_offset_minutes: i16) -> Result<GpsFix, DecodeError> {
    if r.remaining() < GPS_BLOCK_LEN {
        return Err(DecodeError::Truncated {
            offset: r.offset(),
            field: "gps block",
            needed: GPS_BLOCK_LEN,
            available: r.remaining(),
        });
    }
    let time = binary_time(r, utc_offset_minutes)?;
    let satellites = r.u8("gps info")? & 0x0F;
    let lat_at = r.offset();
    let lat_raw = r.u32("latitude")?;
    let lon_at = r.offset();
    let lon_raw = r.u32("longitude")?;
    let speed_kmh = r.u8("speed")?;
    let flags = r.u16("course and status")?;
    let lat = signed_angle(lat_raw, flags & 0x0400 == 0, 90, lat_at, "latitude")?;
    let lon = signed_angle(lon_raw, flags & 0x0800 != 0, 180, lon_at, "longitude")?;
    Ok(GpsFix {
        time,
        satellites,
        lat,
        lon,
        speed_kmh,
        course: flags & 0x03FF,
        positioned: flags & 0x1000 != 0,
        differential: flags & 0x2000 != 0,
        ignition: (flags & 0x4000 != 0).then_some(flags & 0x8000 != 0),
    })
}

fn signed_angle(
    raw: u32,
    negative: bool,
    limit: u32,
    at: usize,
    field: &'static str,
) -> Result<Angle, DecodeError> {
    let magnitude = i32::try_from(raw)
        .ok()
        .map(Angle::gt06)
        .filter(|angle| angle.within(limit));
    match magnitude {
        Some(angle) => Ok(if negative {
            Angle::gt06(-angle.raw)
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

/// Six binary bytes YY MM DD hh mm ss, read in the device's time zone and returned in UTC.
fn binary_time(r: &mut Reader<'_>, utc_offset_minutes: i16) -> Result<DateTime<Utc>, DecodeError> {
    let at = r.offset();
    let [yy, mo, dd, hh, mi, ss] = r.array::<6>("time")?;
    let invalid =
        |problem, value: u8| DecodeError::field_value(at, "time", problem, u64::from(value));
    let date = NaiveDate::from_ymd_opt(2000 + i32::from(yy), u32::from(mo), u32::from(dd))
        .ok_or_else(|| invalid("not a calendar date", mo))?;
    let local = date
        .and_hms_opt(u32::from(hh), u32::from(mi), u32::from(ss))
        .ok_or_else(|| invalid("not a time of day", hh))?;
    Ok((local - Duration::minutes(i64::from(utc_offset_minutes))).and_utc())
}

/// The 8- or 9-byte cell block of 0x12/0x22/0x19: MCC, MNC (2 bytes if MCC bit 15), LAC, 3-byte cell id.
fn fixed_cell(r: &mut Reader<'_>) -> Result<Option<CellInfo>, DecodeError> {
    let mcc_word = r.u16("mcc")?;
    let mnc = if mcc_word & 0x8000 != 0 {
        r.u16("mnc")?
    } else {
        u16::from(r.u8("mnc")?)
    };
    let lac = r.u16("lac")?;
    let cell_id = u64::from(r.u24("cell id")?);
    Ok(Some(CellInfo {
        mcc: mcc_word & 0x7FFF,
        mnc,
        lac,
        cell_id,
    }))
}

/// A cell block of known size: the cell id takes whatever the MCC/MNC/LAC leave (3 or 4 bytes in practice).
fn sized_cell(block: &[u8], base: usize) -> Result<(CellInfo, usize), DecodeError> {
    let mut r = Reader::new(block, base);
    let mcc_word = r.u16("mcc")?;
    let mnc = if mcc_word & 0x8000 != 0 {
        r.u16("mnc")?
    } else {
        u16::from(r.u8("mnc")?)
    };
    let lac = r.u16("lac")?;
    let width = r.remaining();
    if !(3..=8).contains(&width) {
        return Err(DecodeError::field_value(
            r.offset(),
            "cell id",
            "must be 3 to 8 bytes",
            width as u64,
        ));
    }
    let cell_id = r.uint(width, "cell id")?;
    Ok((
        CellInfo {
            mcc: mcc_word & 0x7FFF,
            mnc,
            lac,
            cell_id,
        },
        width,
    ))
}

/// After the GPS block of 0x16/0x26: LBS length byte, cell block, status tail.
///
/// Firmware disagrees on whether the LBS length counts itself (9 for an 8-byte cell block) or only the
/// cell block (9 for a 4G block with a 4-byte cell id). When the frame ends right after the status tail,
/// the bytes in between settle it; otherwise the length is read as counting itself, as Concox documents.
fn alarm_after_gps<'a>(
    fix: Option<GpsFix>,
    r: &mut Reader<'a>,
) -> Result<AlarmReport<'a>, DecodeError> {
    let length_at = r.offset();
    let declared = usize::from(r.u8("lbs length")?);
    let between = r.remaining().checked_sub(STATUS_TAIL_LEN);
    let cell_len = match between {
        Some(between) if between == declared || between + 1 == declared => between,
        Some(between) if declared == 0 => between, // zero-filled block on some models; checked below
        Some(between) if declared.saturating_sub(1) <= between => declared.saturating_sub(1),
        _ => {
            return Err(DecodeError::Length {
                offset: length_at,
                what: "lbs length",
                declared,
                actual: between.unwrap_or(0),
            });
        }
    };
    let block_at = r.offset();
    let block = r.take(cell_len, "lbs block")?;
    let (cell, width) = if block.iter().all(|b| *b == 0) {
        (None, 0)
    } else {
        let (cell, width) = sized_cell(block, block_at)?;
        (Some(cell), width)
    };
    status_tail(fix, cell, width >= 4, r)
}

/// 0x19: cell block without a length byte, then the status tail.
fn lbs_alarm<'a>(r: &mut Reader<'a>) -> Result<AlarmReport<'a>, DecodeError> {
    let cell = fixed_cell(r)?;
    status_tail(None, cell, false, r)
}

fn status_tail<'a>(
    fix: Option<GpsFix>,
    cell: Option<CellInfo>,
    percent_battery: bool,
    r: &mut Reader<'a>,
) -> Result<AlarmReport<'a>, DecodeError> {
    let info = TerminalInfo(r.u8("terminal info")?);
    let battery = Battery::from_byte(r.u8("voltage level")?, percent_battery);
    let gsm_signal = r.u8("gsm signal")?;
    let alarm_code = r.u8("alarm")?;
    let language = r.u8("language")?;
    Ok(AlarmReport {
        fix,
        cell,
        info,
        battery,
        gsm_signal,
        alarm_code,
        language,
        extra: r.rest(),
    })
}

/// 0x13 in its two layouts: the 5-byte original and the extended heartbeat (battery %, working voltage).
fn status(r: &mut Reader<'_>) -> Result<StatusReport, DecodeError> {
    if r.remaining() >= EXTENDED_STATUS_MIN_LEN {
        let info = TerminalInfo(r.u8("terminal info")?);
        let gps_word = r.u16("gps information")?;
        let alarm_code = r.u8("alarm")?;
        let language = r.u8("language")?;
        let battery = Battery::Percent(r.u8("battery")?);
        let _working_mode = r.u8("working mode")?;
        let power = r.u16("working voltage")?;
        return Ok(StatusReport {
            info,
            battery,
            gsm_signal: None,
            alarm_code,
            language,
            power_centivolts: Some(power),
            gps_word: Some(gps_word),
        });
    }
    let info = TerminalInfo(r.u8("terminal info")?);
    let battery = Battery::from_byte(r.u8("voltage level")?, false);
    let gsm_signal = Some(r.u8("gsm signal")?);
    let alarm_code = r.u8("alarm")?;
    let language = r.u8("language")?;
    Ok(StatusReport {
        info,
        battery,
        gsm_signal,
        alarm_code,
        language,
        power_centivolts: None,
        gps_word: None,
    })
}

/// 0x23: status byte, then (if present) battery voltage in 0.01 V and GSM signal.
fn heartbeat(r: &mut Reader<'_>) -> Result<Heartbeat, DecodeError> {
    let info = TerminalInfo(r.u8("terminal info")?);
    let battery_centivolts = if r.remaining() >= 2 {
        Some(r.u16("battery voltage")?)
    } else {
        None
    };
    let gsm_signal = if r.remaining() >= 1 {
        Some(r.u8("gsm signal")?)
    } else {
        None
    };
    Ok(Heartbeat {
        info,
        battery_centivolts,
        gsm_signal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_word() {
        assert_eq!(timezone(0x3200), 480); // +08:00
        assert_eq!(timezone(0x3208), -480); // west
        assert_eq!(timezone(0x0000), 0);
        assert_eq!(timezone(0x0DC0), 140); // hhmm 220 = 2 h 20 min
    }

    #[test]
    fn gps_time_respects_device_zone() {
        let bytes = [0x0F, 0x0A, 0x14, 0x0E, 0x15, 0x0B];
        let utc = binary_time(&mut Reader::new(&bytes, 0), 0).unwrap();
        assert_eq!(utc.to_rfc3339(), "2015-10-20T14:21:11+00:00");
        let shifted = binary_time(&mut Reader::new(&bytes, 0), 480).unwrap();
        assert_eq!(shifted.to_rfc3339(), "2015-10-20T06:21:11+00:00");
        let err = binary_time(&mut Reader::new(&[0x0F, 0x0D, 0x01, 0, 0, 0], 7), 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field time: not a calendar date (value 0xd) at byte 7"
        );
    }

    #[test]
    fn latitude_beyond_ninety_is_a_field_error() {
        let mut block = vec![0x0F, 0x0A, 0x14, 0x0E, 0x15, 0x0B, 0xC5];
        block.extend_from_slice(&0x0A00_0000u32.to_be_bytes());
        block.extend_from_slice(&[0, 0, 0, 0, 0, 0x14, 0x00]);
        let err = gps_fix(&mut Reader::new(&block, 4), 0).unwrap_err();
        assert_eq!(err.field(), Some("latitude"));
        assert_eq!(err.offset(), 11);
    }
}
