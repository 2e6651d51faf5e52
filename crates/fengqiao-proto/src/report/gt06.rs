//! Fills a [`DecodeReport`] from a GT06 frame.

use super::{CellReport, DecodeReport, DeviceReport, Readings, rfc3339, set_position, volts};
use crate::gt06::{self, Alarm, Battery, CellInfo, GpsFix, Message};
use crate::{DecodeError, Protocol, Strictness};

pub(super) fn report(bytes: &[u8], strictness: Strictness) -> Result<DecodeReport, DecodeError> {
    let frame = gt06::decode_frame(bytes, strictness)?;
    let mut report = DecodeReport::empty(Protocol::Gt06);
    report.ok = true;
    report.checksum_ok = Some(frame.checksum_ok);
    report.kind = Some(frame.message.kind());
    report.message_id = Some(format!("{:#04x}", frame.protocol));
    report.framing = Some(frame.framing.as_str());
    report.serial = Some(frame.serial);
    report.reply_hex = gt06::reply_for(&frame).map(|reply| reply.to_hex());
    let readings = &mut report.readings;
    match &frame.message {
        Message::Login(login) => {
            report.imei = Some(login.imei.to_string());
            if login.type_code.is_some() || login.utc_offset_minutes.is_some() {
                report.device = Some(DeviceReport {
                    type_code: login.type_code,
                    utc_offset_minutes: login.utc_offset_minutes,
                    ..DeviceReport::default()
                });
            }
        }
        Message::Gps(gps) => {
            if let Some(fix) = &gps.fix {
                fill_fix(readings, fix);
            }
            readings.cell = gps.cell.as_ref().map(cell);
            readings.acc_on = gps.acc_on;
            if !gps.extra.is_empty() {
                report.raw_hex = Some(hex::encode(gps.extra));
            }
        }
        Message::Status(status) => {
            fill_battery(readings, status.battery);
            readings.gsm_signal = status.gsm_signal;
            readings.power_v = status.power_centivolts.map(volts);
            readings.acc_on = Some(status.info.acc_on());
            readings.alarms = status.alarms().map(Alarm::as_str).collect();
        }
        Message::Alarm(alarm) => {
            if let Some(fix) = &alarm.fix {
                fill_fix(readings, fix);
            }
            readings.cell = alarm.cell.as_ref().map(cell);
            fill_battery(readings, alarm.battery);
            readings.gsm_signal = Some(alarm.gsm_signal);
            readings.acc_on = Some(alarm.info.acc_on());
            readings.alarms = alarm.alarms().map(Alarm::as_str).collect();
        }
        Message::Heartbeat(heartbeat) => {
            readings.battery_v = heartbeat.battery_centivolts.map(volts);
            readings.gsm_signal = heartbeat.gsm_signal;
            readings.acc_on = Some(heartbeat.info.acc_on());
        }
        Message::Info(info) => {
            readings.power_v = info.external_power_centivolts().map(volts);
            report.raw_hex = Some(format!("{:02x}{}", info.subtype, hex::encode(info.data)));
        }
        Message::Other { content } => report.raw_hex = Some(hex::encode(content)),
    }
    Ok(report)
}

fn fill_fix(readings: &mut Readings, fix: &GpsFix) {
    readings.time = Some(rfc3339(fix.time));
    readings.valid = Some(fix.positioned);
    set_position(readings, fix.lat, fix.lon);
    readings.speed_kmh = Some(f64::from(fix.speed_kmh));
    readings.course = Some(fix.course);
    readings.satellites = Some(u16::from(fix.satellites));
}

fn fill_battery(readings: &mut Readings, battery: Battery) {
    readings.battery_percent = Some(battery.percent());
    if let Battery::Level(level) = battery {
        readings.battery_level = Some(level);
    }
}

fn cell(info: &CellInfo) -> CellReport {
    CellReport {
        mcc: info.mcc,
        mnc: info.mnc,
        lac: info.lac,
        cell_id: info.cell_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gps_report_fields() {
        let bytes =
            hex::decode("787819100B031A0B1B31CC027AC7FD0C4657BF0115210001001CC6070D0A").unwrap();
        let report = report(&bytes, Strictness::Strict).unwrap();
        assert_eq!(report.kind, Some("gps"));
        assert_eq!(report.message_id.as_deref(), Some("0x10"));
        assert_eq!(
            report.readings.time.as_deref(),
            Some("2011-03-26T11:27:49Z")
        );
        assert_eq!(report.readings.lat, Some(23.111678));
        assert_eq!(report.readings.lon_raw, Some(0x0C46_57BF));
        assert_eq!(report.readings.speed_kmh, Some(1.0));
        assert_eq!(report.readings.course, Some(289));
        assert_eq!(report.reply_hex, None);
    }
}
