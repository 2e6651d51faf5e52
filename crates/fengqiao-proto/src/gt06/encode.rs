//! Device-side GT06 encoders (tests, simulated devices, benchmarks) and the server's replies.

use chrono::{Datelike, Timelike};

use super::crc::crc16_x25;
use super::status::{Battery, TerminalInfo};
use super::types::{CellInfo, Frame, Framing, GpsFix, Imei, Message, protocol};

/// Builds a complete frame: marker, length, protocol number, content, serial, CRC, `0D 0A`.
/// Content longer than the framing allows is cut to fit, so the length field never wraps.
pub fn encode_frame(framing: Framing, protocol_number: u8, content: &[u8], serial: u16) -> Vec<u8> {
    let max_content = match framing {
        Framing::Short => usize::from(u8::MAX) - 5,
        Framing::Long => usize::from(u16::MAX) - 5,
    };
    let content = content
        .get(..max_content.min(content.len()))
        .unwrap_or(content);
    let length_field = content.len() + 5;
    let mut out = Vec::with_capacity(length_field + 6);
    match framing {
        Framing::Short => {
            out.extend_from_slice(&[0x78, 0x78]);
            out.push(u8::try_from(length_field).unwrap_or(u8::MAX));
        }
        Framing::Long => {
            out.extend_from_slice(&[0x79, 0x79]);
            out.extend_from_slice(
                &u16::try_from(length_field)
                    .unwrap_or(u16::MAX)
                    .to_be_bytes(),
            );
        }
    }
    out.push(protocol_number);
    out.extend_from_slice(content);
    out.extend_from_slice(&serial.to_be_bytes());
    let crc = crc16_x25(out.get(2..).unwrap_or_default());
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(&[0x0D, 0x0A]);
    out
}

/// 0x01 login with the 8-byte IMEI only (the original GT06 layout).
pub fn encode_login(imei: &Imei, serial: u16) -> Vec<u8> {
    encode_frame(Framing::Short, protocol::LOGIN, &imei.bcd(), serial)
}

/// 0x12 GPS + cell position report.
pub fn encode_gps(fix: &GpsFix, cell: &CellInfo, serial: u16) -> Vec<u8> {
    let mut content = Vec::with_capacity(28);
    push_gps_block(&mut content, fix);
    push_fixed_cell(&mut content, cell);
    encode_frame(Framing::Short, protocol::GPS_LBS, &content, serial)
}

/// 0x22 GPS + cell report with ACC, upload mode and re-upload flag.
pub fn encode_gps_22(
    fix: &GpsFix,
    cell: &CellInfo,
    acc_on: bool,
    upload_mode: u8,
    reupload: bool,
    serial: u16,
) -> Vec<u8> {
    let mut content = Vec::with_capacity(29);
    push_gps_block(&mut content, fix);
    push_fixed_cell(&mut content, cell);
    content.extend_from_slice(&[u8::from(acc_on), upload_mode, u8::from(reupload)]);
    encode_frame(Framing::Short, protocol::GPS_LBS_2, &content, serial)
}

/// 0x13 status in its original 5-byte layout.
pub fn encode_status(
    info: TerminalInfo,
    battery: Battery,
    gsm_signal: u8,
    alarm_code: u8,
    serial: u16,
) -> Vec<u8> {
    let content = [
        info.0,
        battery.to_byte(),
        gsm_signal,
        alarm_code,
        LANGUAGE_ENGLISH,
    ];
    encode_frame(Framing::Short, protocol::STATUS, &content, serial)
}

/// The language byte devices send when set to English; the value does not change decoding.
const LANGUAGE_ENGLISH: u8 = 0x02;

/// Status fields of an alarm frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlarmStatus {
    pub info: TerminalInfo,
    /// A `Level` is sent with a 3-byte cell id (classic layout); a `Percent` with a 4-byte one (4G layout).
    pub battery: Battery,
    pub gsm_signal: u8,
    pub alarm_code: u8,
}

/// 0x16 alarm: GPS block, LBS length (counting itself), cell block, status tail.
pub fn encode_alarm(fix: &GpsFix, cell: &CellInfo, status: &AlarmStatus, serial: u16) -> Vec<u8> {
    let mut content = Vec::with_capacity(40);
    push_gps_block(&mut content, fix);
    let mut block = Vec::with_capacity(10);
    let mcc_word = if cell.mnc > 0xFF {
        cell.mcc | 0x8000
    } else {
        cell.mcc & 0x7FFF
    };
    block.extend_from_slice(&mcc_word.to_be_bytes());
    push_mnc(&mut block, cell.mnc);
    block.extend_from_slice(&cell.lac.to_be_bytes());
    let cell_id = cell.cell_id.to_be_bytes();
    let width = if matches!(status.battery, Battery::Percent(_)) {
        4
    } else {
        3
    };
    block.extend_from_slice(cell_id.get(8 - width..).unwrap_or_default());
    content.push(u8::try_from(block.len() + 1).unwrap_or(u8::MAX));
    content.extend_from_slice(&block);
    content.extend_from_slice(&[
        status.info.0,
        status.battery.to_byte(),
        status.gsm_signal,
        status.alarm_code,
        LANGUAGE_ENGLISH,
    ]);
    encode_frame(Framing::Short, protocol::GPS_LBS_STATUS, &content, serial)
}

/// 0x23 heartbeat with battery voltage (0.01 V) and GSM signal.
pub fn encode_heartbeat(
    info: TerminalInfo,
    battery_centivolts: u16,
    gsm_signal: u8,
    serial: u16,
) -> Vec<u8> {
    let [high, low] = battery_centivolts.to_be_bytes();
    let content = [info.0, high, low, gsm_signal, 0x00, LANGUAGE_ENGLISH];
    encode_frame(Framing::Short, protocol::HEARTBEAT, &content, serial)
}

/// 0x94 information frame (0x7979 framing) carrying the external power voltage, sub-type 0x00.
pub fn encode_info_voltage(centivolts: u16, serial: u16) -> Vec<u8> {
    let [high, low] = centivolts.to_be_bytes();
    encode_frame(Framing::Long, protocol::INFO, &[0x00, high, low], serial)
}

fn push_gps_block(out: &mut Vec<u8>, fix: &GpsFix) {
    let year = u8::try_from(fix.time.year() - 2000).unwrap_or(0);
    let clock = [
        year,
        u8::try_from(fix.time.month()).unwrap_or(0),
        u8::try_from(fix.time.day()).unwrap_or(0),
        u8::try_from(fix.time.hour()).unwrap_or(0),
        u8::try_from(fix.time.minute()).unwrap_or(0),
        u8::try_from(fix.time.second()).unwrap_or(0),
    ];
    out.extend_from_slice(&clock);
    // High nibble: length of the GPS information (12 bytes); low nibble: satellites.
    out.push(0xC0 | (fix.satellites & 0x0F));
    out.extend_from_slice(&fix.lat.raw.unsigned_abs().to_be_bytes());
    out.extend_from_slice(&fix.lon.raw.unsigned_abs().to_be_bytes());
    out.push(fix.speed_kmh);
    let mut flags = fix.course & 0x03FF;
    if fix.lat.raw >= 0 {
        flags |= 0x0400;
    }
    if fix.lon.raw < 0 {
        flags |= 0x0800;
    }
    if fix.positioned {
        flags |= 0x1000;
    }
    if fix.differential {
        flags |= 0x2000;
    }
    if let Some(ignition) = fix.ignition {
        flags |= 0x4000;
        if ignition {
            flags |= 0x8000;
        }
    }
    out.extend_from_slice(&flags.to_be_bytes());
}

fn push_mnc(out: &mut Vec<u8>, mnc: u16) {
    match u8::try_from(mnc) {
        Ok(byte) => out.push(byte),
        Err(_) => out.extend_from_slice(&mnc.to_be_bytes()),
    }
}

fn push_fixed_cell(out: &mut Vec<u8>, cell: &CellInfo) {
    let mcc_word = if cell.mnc > 0xFF {
        cell.mcc | 0x8000
    } else {
        cell.mcc & 0x7FFF
    };
    out.extend_from_slice(&mcc_word.to_be_bytes());
    push_mnc(out, cell.mnc);
    out.extend_from_slice(&cell.lac.to_be_bytes());
    out.extend_from_slice(cell.cell_id.to_be_bytes().get(5..).unwrap_or_default());
}

/// A server reply: at most 11 bytes, held inline so replying never allocates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    bytes: [u8; 11],
    len: u8,
}

impl Reply {
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes
            .get(..usize::from(self.len))
            .unwrap_or(&self.bytes)
    }

    pub fn to_hex(&self) -> String {
        hex::encode_upper(self.as_bytes())
    }
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reply({})", self.to_hex())
    }
}

/// The acknowledgement frame: same framing and protocol number, empty content, the device's serial.
pub fn encode_reply(framing: Framing, protocol_number: u8, serial: u16) -> Reply {
    let mut bytes = [0u8; 11];
    let [s0, s1] = serial.to_be_bytes();
    let len = match framing {
        Framing::Short => {
            let head = [0x78, 0x78, 0x05, protocol_number, s0, s1];
            let [c0, c1] = crc16_x25(head.get(2..).unwrap_or_default()).to_be_bytes();
            for (slot, byte) in bytes
                .iter_mut()
                .zip(head.iter().chain(&[c0, c1, 0x0D, 0x0A]))
            {
                *slot = *byte;
            }
            10
        }
        Framing::Long => {
            let head = [0x79, 0x79, 0x00, 0x05, protocol_number, s0, s1];
            let [c0, c1] = crc16_x25(head.get(2..).unwrap_or_default()).to_be_bytes();
            for (slot, byte) in bytes
                .iter_mut()
                .zip(head.iter().chain(&[c0, c1, 0x0D, 0x0A]))
            {
                *slot = *byte;
            }
            11
        }
    };
    Reply { bytes, len }
}

/// The reply the server must send, if the protocol asks for one: login, status/heartbeat (0x13, 0x23) and
/// alarms (0x16, 0x26, 0x19) are acknowledged; position reports (0x10, 0x12, 0x22) and 0x94 are not.
pub fn reply_for(frame: &Frame<'_>) -> Option<Reply> {
    match frame.message {
        Message::Login(_) | Message::Status(_) | Message::Heartbeat(_) | Message::Alarm(_) => {
            Some(encode_reply(frame.framing, frame.protocol, frame.serial))
        }
        Message::Gps(_) | Message::Info(_) | Message::Other { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Strictness;
    use crate::gt06::decode_frame;

    #[test]
    fn login_encodes_to_the_captured_frame() {
        let imei = Imei::from_digits("864717003283581").unwrap();
        assert_eq!(
            hex::encode_upper(encode_login(&imei, 9)),
            "78780D01086471700328358100093F040D0A"
        );
    }

    #[test]
    fn replies_follow_the_protocol() {
        // Concox manual example: login reply to serial 1 is 78 78 05 01 00 01 D9 DC 0D 0A.
        assert_eq!(
            encode_reply(Framing::Short, 0x01, 1).to_hex(),
            "787805010001D9DC0D0A"
        );
        assert_eq!(
            encode_reply(Framing::Short, 0x01, 9).to_hex(),
            "78780501000955940D0A"
        );
        let long = encode_reply(Framing::Long, 0x94, 0x0486);
        assert_eq!(long.as_bytes().len(), 11);
        assert_eq!(
            long.as_bytes().get(..7),
            Some(&[0x79, 0x79, 0x00, 0x05, 0x94, 0x04, 0x86][..])
        );
    }

    #[test]
    fn gps_reports_get_no_reply_and_logins_do() {
        let imei = Imei::from_digits("864717003283581").unwrap();
        let login = encode_login(&imei, 1);
        let frame = decode_frame(&login, Strictness::Strict).unwrap();
        assert_eq!(
            reply_for(&frame),
            Some(encode_reply(Framing::Short, 0x01, 1))
        );
        let empty_gps = hex::decode("787805120099abec0d0a").unwrap();
        let frame = decode_frame(&empty_gps, Strictness::Strict).unwrap();
        assert_eq!(reply_for(&frame), None);
    }
}
