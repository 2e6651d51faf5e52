//! The typed GT06 frame and messages a decoder returns; variable parts borrow from the frame.

use chrono::{DateTime, Utc};

use super::status::{Alarm, Battery, TerminalInfo};
use crate::Angle;

/// Which start marker the frame used: `78 78` has a 1-byte length, `79 79` a 2-byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Short,
    Long,
}

impl Framing {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Short => "7878",
            Self::Long => "7979",
        }
    }
}

/// GT06 protocol numbers this crate decodes.
pub mod protocol {
    pub const LOGIN: u8 = 0x01;
    pub const GPS: u8 = 0x10;
    pub const GPS_LBS: u8 = 0x12;
    pub const STATUS: u8 = 0x13;
    pub const GPS_LBS_STATUS: u8 = 0x16;
    pub const LBS_STATUS: u8 = 0x19;
    pub const GPS_LBS_2: u8 = 0x22;
    pub const HEARTBEAT: u8 = 0x23;
    pub const GPS_LBS_STATUS_2: u8 = 0x26;
    pub const INFO: u8 = 0x94;
}

/// One decoded GT06 frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<'a> {
    pub framing: Framing,
    /// The protocol number byte (see [`protocol`]).
    pub protocol: u8,
    /// Information serial number; the server echoes it in its reply.
    pub serial: u16,
    /// False only when a lenient decode accepted a wrong CRC.
    pub checksum_ok: bool,
    pub message: Message<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message<'a> {
    /// 0x01: the first frame on a connection; the IMEI identifies the device for every later frame.
    Login(Login),
    /// 0x10, 0x12, 0x22: a position report.
    Gps(GpsReport<'a>),
    /// 0x13: status/heartbeat.
    Status(StatusReport),
    /// 0x16, 0x26 (GPS + cell + status) and 0x19 (cell + status): an alarm.
    Alarm(AlarmReport<'a>),
    /// 0x23: heartbeat with battery voltage.
    Heartbeat(Heartbeat),
    /// 0x94: information transmission (external voltage, door, ICCID...).
    Info(Info<'a>),
    /// Any other protocol number: kept raw.
    Other { content: &'a [u8] },
}

impl Message<'_> {
    /// Short name for logs and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Login(_) => "login",
            Self::Gps(_) => "gps",
            Self::Status(_) => "status",
            Self::Alarm(_) => "alarm",
            Self::Heartbeat(_) => "heartbeat",
            Self::Info(_) => "info",
            Self::Other { .. } => "other",
        }
    }
}

/// The terminal id: 15 IMEI digits sent as 8 BCD bytes behind a leading zero nibble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Imei(pub(crate) [u8; 8]);

/// The IMEI string was not 15 decimal digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("IMEI must be 15 decimal digits, got {0:?}")]
pub struct BadImei(pub String);

impl Imei {
    /// Parses 15 decimal digits.
    pub fn from_digits(digits: &str) -> Result<Self, BadImei> {
        let bytes = digits.as_bytes();
        if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(BadImei(digits.to_owned()));
        }
        let mut bcd = [0u8; 8];
        // A leading zero nibble pads 15 digits to 16.
        let nibbles = std::iter::once(0u8).chain(bytes.iter().map(|b| b - b'0'));
        for (i, nibble) in nibbles.enumerate() {
            if let Some(byte) = bcd.get_mut(i / 2) {
                *byte |= if i % 2 == 0 { nibble << 4 } else { nibble };
            }
        }
        Ok(Self(bcd))
    }

    /// The 8 BCD bytes as sent.
    pub fn bcd(&self) -> [u8; 8] {
        self.0
    }
}

impl std::fmt::Display for Imei {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Skip the padding nibble; the decoder checked every nibble is a decimal digit.
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, "{:x}", byte >> 4)?;
            }
            write!(f, "{:x}", byte & 0x0F)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Login {
    pub imei: Imei,
    /// Model ("type identification code"), sent by newer firmware.
    pub type_code: Option<u16>,
    /// The device's declared time zone in minutes east of UTC, sent by newer firmware.
    pub utc_offset_minutes: Option<i16>,
}

/// A GPS fix. Coordinates keep the protocol's integer (1/1,800,000 degree), signed by hemisphere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpsFix {
    pub time: DateTime<Utc>,
    pub satellites: u8,
    pub lat: Angle,
    pub lon: Angle,
    pub speed_kmh: u8,
    /// Degrees clockwise from north, 0–359 (10 bits on the wire).
    pub course: u16,
    /// "GPS positioned": false means the fix is stale or estimated.
    pub positioned: bool,
    /// Differential rather than real-time GPS.
    pub differential: bool,
    /// Ignition state, when the device sends it in the course word.
    pub ignition: Option<bool>,
}

/// One serving cell (LBS). `mnc` is 2 bytes when the MCC's top bit says so; `cell_id` is 3 bytes (2G/3G)
/// or 4 bytes (LTE) on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellInfo {
    pub mcc: u16,
    pub mnc: u16,
    pub lac: u16,
    pub cell_id: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GpsReport<'a> {
    /// None for an empty report (device without a fix sends no GPS block).
    pub fix: Option<GpsFix>,
    pub cell: Option<CellInfo>,
    /// 0x22 only: ACC state, upload mode and whether this is a re-upload of a stored point.
    pub acc_on: Option<bool>,
    pub upload_mode: Option<u8>,
    pub reupload: Option<bool>,
    /// Bytes after the known fields (reserved words, mileage on some models).
    pub extra: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusReport {
    pub info: TerminalInfo,
    pub battery: Battery,
    pub gsm_signal: Option<u8>,
    pub alarm_code: u8,
    pub language: u8,
    /// Extended heartbeat layout only: working voltage in 0.01 V.
    pub power_centivolts: Option<u16>,
    /// Extended heartbeat layout only: the GPS information word as sent (its meaning varies by model).
    pub gps_word: Option<u16>,
}

impl StatusReport {
    pub fn alarms(&self) -> impl Iterator<Item = Alarm> {
        alarms_of(self.info, self.alarm_code)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmReport<'a> {
    /// None for 0x19 (cell-only) alarms.
    pub fix: Option<GpsFix>,
    pub cell: Option<CellInfo>,
    pub info: TerminalInfo,
    pub battery: Battery,
    pub gsm_signal: u8,
    pub alarm_code: u8,
    pub language: u8,
    pub extra: &'a [u8],
}

impl AlarmReport<'_> {
    /// Alarm byte first, then the status byte's own alarm if it names a different one.
    pub fn alarms(&self) -> impl Iterator<Item = Alarm> {
        alarms_of(self.info, self.alarm_code)
    }
}

fn alarms_of(info: TerminalInfo, code: u8) -> impl Iterator<Item = Alarm> {
    let primary = Alarm::from_code(code);
    let from_status = info.alarm().filter(|alarm| Some(*alarm) != primary);
    primary.into_iter().chain(from_status)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat {
    pub info: TerminalInfo,
    /// Battery voltage in 0.01 V.
    pub battery_centivolts: Option<u16>,
    pub gsm_signal: Option<u8>,
}

/// 0x94 information transmission: a sub-type byte and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info<'a> {
    pub subtype: u8,
    pub data: &'a [u8],
}

impl Info<'_> {
    /// External power voltage in 0.01 V. Concox documents sub-type 0x00 for it; some firmware sends the
    /// same 2-byte voltage under sub-type 0x0B (seen in captured frames), so both are read.
    pub fn external_power_centivolts(&self) -> Option<u16> {
        match (self.subtype, self.data) {
            (0x00 | 0x0B, [high, low]) => Some(u16::from_be_bytes([*high, *low])),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imei_round_trips_through_bcd() {
        let imei = Imei::from_digits("864717003283581").unwrap();
        assert_eq!(imei.bcd(), [0x08, 0x64, 0x71, 0x70, 0x03, 0x28, 0x35, 0x81]);
        assert_eq!(imei.to_string(), "864717003283581");
        assert!(Imei::from_digits("86471700328358").is_err());
        assert!(Imei::from_digits("86471700328358x").is_err());
    }

    #[test]
    fn info_voltage_subtypes() {
        assert_eq!(
            Info {
                subtype: 0x00,
                data: &[0x02, 0xE3]
            }
            .external_power_centivolts(),
            Some(739)
        );
        assert_eq!(
            Info {
                subtype: 0x0B,
                data: &[0x02, 0xE3]
            }
            .external_power_centivolts(),
            Some(739)
        );
        assert_eq!(
            Info {
                subtype: 0x05,
                data: &[0x01]
            }
            .external_power_centivolts(),
            None
        );
        assert_eq!(
            Info {
                subtype: 0x00,
                data: &[0x01]
            }
            .external_power_centivolts(),
            None
        );
    }

    #[test]
    fn alarms_do_not_repeat_the_status_alarm() {
        let report = StatusReport {
            info: TerminalInfo(0x20), // bits 3-5 = 4: SOS
            battery: Battery::Level(4),
            gsm_signal: Some(3),
            alarm_code: 0x01,
            language: 2,
            power_centivolts: None,
            gps_word: None,
        };
        assert_eq!(report.alarms().collect::<Vec<_>>(), vec![Alarm::Sos]);
        let report = StatusReport {
            alarm_code: 0x02,
            ..report
        };
        assert_eq!(
            report.alarms().collect::<Vec<_>>(),
            vec![Alarm::PowerCut, Alarm::Sos]
        );
    }
}
