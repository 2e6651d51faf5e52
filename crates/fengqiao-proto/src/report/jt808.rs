//! Fills a [`DecodeReport`] from a JT/T 808 frame.

use super::{
    DecodeReport, DeviceReport, ExtraReport, Readings, ReportOptions, ResponseReport,
    SubPackageReport, rfc3339, set_position,
};
use crate::jt808::{self, Location, Message};
use crate::{DecodeError, Protocol};

pub(super) fn report(bytes: &[u8], options: &ReportOptions) -> Result<DecodeReport, DecodeError> {
    let frame = jt808::decode_frame(bytes, options.strictness)?;
    let header = &frame.header;
    let mut report = DecodeReport::empty(Protocol::Jt808);
    report.ok = true;
    report.checksum_ok = Some(frame.checksum_ok);
    report.kind = Some(frame.message.kind());
    report.message_id = Some(format!("{:#06x}", header.msg_id));
    report.framing = Some(header.version.as_str());
    report.serial = Some(header.serial);
    report.phone = Some(header.phone.to_string());
    report.sub_package = header.sub_package.map(|sub| SubPackageReport {
        total: sub.total,
        index: sub.index,
    });
    report.reply_hex =
        jt808::reply_for(&frame, options.server_serial, &options.auth_code).map(hex::encode);
    match &frame.message {
        Message::Register(reg) => {
            report.device = Some(DeviceReport {
                province: Some(reg.province),
                city: Some(reg.city),
                manufacturer: Some(reg.manufacturer.text()),
                model: Some(reg.model.text()),
                terminal_id: Some(reg.terminal_id.text()),
                plate_color: Some(reg.plate_color),
                plate: Some(reg.plate_text()),
                ..DeviceReport::default()
            });
        }
        Message::Auth(auth) => {
            report.device = Some(DeviceReport {
                auth_code: Some(auth.code.text()),
                device_imei: auth.imei.map(|imei| imei.text()),
                software_version: auth.software_version.map(|version| version.text()),
                ..DeviceReport::default()
            });
        }
        Message::Location(location) => report.readings = readings(location),
        Message::LocationBatch(batch) => {
            // Items were all checked by the decoder; a failure here cannot happen, so it is skipped.
            report.positions = batch
                .positions()
                .filter_map(Result::ok)
                .map(|loc| readings(&loc))
                .collect();
        }
        Message::TerminalResponse(response) | Message::PlatformResponse(response) => {
            report.response = Some(ResponseReport {
                reply_serial: response.reply_serial,
                reply_message_id: Some(format!("{:#06x}", response.reply_msg_id)),
                result: response.result,
                auth_code: None,
            });
        }
        Message::RegisterResponse(response) => {
            report.response = Some(ResponseReport {
                reply_serial: response.reply_serial,
                reply_message_id: None,
                result: response.result,
                auth_code: Some(response.auth_code.text()),
            });
        }
        Message::Heartbeat | Message::Logout => {}
        Message::Fragment { body } | Message::Encrypted { body } | Message::Other { body } => {
            report.raw_hex = Some(body.to_hex());
        }
    }
    Ok(report)
}

fn readings(location: &Location<'_>) -> Readings {
    let mut readings = Readings {
        time: Some(rfc3339(location.time)),
        valid: Some(location.status.positioned()),
        speed_kmh: Some(location.speed_kmh()),
        course: Some(location.course),
        altitude_m: Some(location.altitude_m),
        satellites: location.satellites.map(u16::from),
        alarms: location.alarm.iter().map(|alarm| alarm.as_str()).collect(),
        alarm_bits: Some(format!("{:#010x}", location.alarm.0)),
        status_bits: Some(format!("{:#010x}", location.status.0)),
        acc_on: Some(location.status.acc_on()),
        gsm_signal: location.signal_strength,
        mileage_km: location
            .mileage_tenths_km
            .map(|tenths| f64::from(tenths) / 10.0),
        fuel_l: location
            .fuel_tenths_l
            .map(|tenths| f64::from(tenths) / 10.0),
        extras: location
            .extras
            .iter()
            .map(|item| ExtraReport {
                id: format!("{:#04x}", item.id),
                hex: item.value.to_hex(),
            })
            .collect(),
        ..Readings::default()
    };
    set_position(&mut readings, location.lat, location.lon);
    readings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::decode_to_json;

    #[test]
    fn location_json_has_utc_time_position_and_reply() {
        let bytes = hex::decode(
            "7E0200002A013833501744001900000000000000C201597FA806CC01580080000000081508180721210104000002F502020000030200009F7E",
        )
        .unwrap();
        let json = decode_to_json(Protocol::Jt808, &bytes, false);
        assert_eq!(json["type"], "location");
        assert_eq!(json["phone"], "013833501744");
        assert_eq!(json["time"], "2015-08-17T23:21:21Z");
        assert_eq!(json["lat"], 22.6426);
        assert_eq!(json["lon"], 114.032984);
        assert_eq!(json["mileage_km"], 75.7);
        assert_eq!(json["course"], 8);
        // 0x8001 to serial 0x0019, msg 0x0200, result 0, from platform serial 1.
        assert_eq!(
            json["reply_hex"],
            "7e8001000501383350174400010019020000977e"
        );
    }
}
