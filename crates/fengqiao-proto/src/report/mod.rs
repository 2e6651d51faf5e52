//! Serialisable decode summary for operators (`fengqiao decode gt06|jt808 HEX [--lenient] --json`): what a
//! frame decodes to, the reply the server would send, or which part of the frame is wrong and where.

mod gt06;
mod jt808;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::{Angle, DecodeError, Protocol, Strictness};

/// Choices the report cannot take from the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    pub strictness: Strictness,
    /// JT/T 808 only: the platform serial to put in the reply.
    pub server_serial: u16,
    /// JT/T 808 only: the auth code to put in a 0x8100 reply. The listener issues real ones; the CLI
    /// shows this example value.
    pub auth_code: String,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            strictness: Strictness::Strict,
            server_serial: 1,
            auth_code: "AUTHCODE".to_owned(),
        }
    }
}

/// The whole summary. Fields that do not apply to the frame are left out of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodeReport {
    pub protocol: Protocol,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum_ok: Option<bool>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// GT06: "7878" or "7979". JT/T 808: "2013" or "2019".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framing: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imei: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_package: Option<SubPackageReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseReport>,
    #[serde(flatten)]
    pub readings: Readings,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<Readings>,
    /// Undecoded content (unknown messages, fragments, info data) in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_hex: Option<String>,
    /// The exact bytes the server would send back, in hex; absent when the protocol wants no reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_hex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
}

impl DecodeReport {
    fn empty(protocol: Protocol) -> Self {
        Self {
            protocol,
            ok: false,
            checksum_ok: None,
            kind: None,
            message_id: None,
            framing: None,
            serial: None,
            imei: None,
            phone: None,
            sub_package: None,
            device: None,
            response: None,
            readings: Readings::default(),
            positions: Vec::new(),
            raw_hex: None,
            reply_hex: None,
            error: None,
        }
    }

    fn failed(protocol: Protocol, error: ErrorReport) -> Self {
        Self {
            error: Some(error),
            ..Self::empty(protocol)
        }
    }
}

/// Position and device readings. Degrees are for display; `lat_raw`/`lon_raw` are the integers as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Readings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat_raw: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon_raw: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units_per_degree: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude_m: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satellites: Option<u16>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_bits: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_bits: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acc_on: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub battery_percent: Option<u8>,
    /// GT06 older firmware: the 0–6 level the percentage was derived from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub battery_level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub battery_v: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_v: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gsm_signal: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mileage_km: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fuel_l: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<ExtraReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CellReport {
    pub mcc: u16,
    pub mnc: u16,
    pub lac: u16,
    pub cell_id: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraReport {
    pub id: String,
    pub hex: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubPackageReport {
    pub total: u16,
    pub index: u16,
}

/// What a login or registration says about the device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plate_color: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_imei: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
}

/// A decoded response message (0x0001, 0x8001, 0x8100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseReport {
    pub reply_serial: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_message_id: Option<String>,
    pub result: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_code: Option<String>,
}

/// Which part of the input is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// "input" (not hex), "framing", "length", "checksum" or "field".
    pub part: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    pub message: String,
}

impl From<&DecodeError> for ErrorReport {
    fn from(error: &DecodeError) -> Self {
        Self {
            part: error.part().as_str(),
            offset: Some(error.offset()),
            field: error.field(),
            message: error.to_string(),
        }
    }
}

/// Decodes one frame into a report.
pub fn decode_report(protocol: Protocol, bytes: &[u8], options: &ReportOptions) -> DecodeReport {
    let result = match protocol {
        Protocol::Gt06 => gt06::report(bytes, options.strictness),
        Protocol::Jt808 => jt808::report(bytes, options),
    };
    result.unwrap_or_else(|error| DecodeReport::failed(protocol, ErrorReport::from(&error)))
}

/// Like [`decode_report`] for hex text as an operator pastes it (spaces, colons and a `0x` prefix allowed).
pub fn decode_hex_report(
    protocol: Protocol,
    hex_text: &str,
    options: &ReportOptions,
) -> DecodeReport {
    let cleaned: String = hex_text
        .trim()
        .trim_start_matches("0x")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':' && *c != '-')
        .collect();
    match hex::decode(&cleaned) {
        Ok(bytes) => decode_report(protocol, &bytes, options),
        Err(error) => DecodeReport::failed(
            protocol,
            ErrorReport {
                part: "input",
                offset: None,
                field: None,
                message: format!("input is not hex: {error}"),
            },
        ),
    }
}

/// The report as JSON, with the default reply options.
pub fn decode_to_json(protocol: Protocol, bytes: &[u8], lenient: bool) -> serde_json::Value {
    let options = ReportOptions {
        strictness: Strictness::from_lenient(lenient),
        ..ReportOptions::default()
    };
    serde_json::to_value(decode_report(protocol, bytes, &options))
        .unwrap_or(serde_json::Value::Null)
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Degrees rounded to 6 decimals (about 0.1 m): display only, the raw integer is reported beside it.
fn degrees(angle: Angle) -> f64 {
    (angle.degrees() * 1e6).round() / 1e6
}

fn set_position(readings: &mut Readings, lat: Angle, lon: Angle) {
    readings.lat = Some(degrees(lat));
    readings.lon = Some(degrees(lon));
    readings.lat_raw = Some(lat.raw);
    readings.lon_raw = Some(lon.raw);
    readings.units_per_degree = Some(lat.units_per_degree);
}

fn volts(centivolts: u16) -> f64 {
    f64::from(centivolts) / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_hex_is_an_input_error() {
        let report = decode_hex_report(Protocol::Gt06, "7878zz", &ReportOptions::default());
        assert!(!report.ok);
        assert_eq!(report.error.as_ref().map(|e| e.part), Some("input"));
    }

    #[test]
    fn json_names_the_failing_part_and_offset() {
        let bytes = hex::decode("78780D01086471700328358100093F050D0A").unwrap();
        let json = decode_to_json(Protocol::Gt06, &bytes, false);
        assert_eq!(json["ok"], false);
        assert_eq!(json["error"]["part"], "checksum");
        assert_eq!(json["error"]["offset"], 14);
        let json = decode_to_json(Protocol::Gt06, &bytes, true);
        assert_eq!(json["ok"], true);
        assert_eq!(json["checksum_ok"], false);
        assert_eq!(json["imei"], "864717003283581");
        assert_eq!(json["reply_hex"], "78780501000955940D0A");
    }
}
