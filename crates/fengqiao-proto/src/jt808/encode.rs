//! JT/T 808 encoders for the device side (tests, simulated terminals, benchmarks) and the platform's replies.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

use super::body::{Frame, Message, result};
use super::escape::{FLAG, escape_into};
use super::header::{Header, Phone, SubPackage, Version, msg};
use super::location::BEIJING_OFFSET_HOURS;

/// Who is talking: the terminal's phone number and the edition of the standard it speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    pub phone: Phone,
    pub version: Version,
}

impl Terminal {
    /// The terminal a decoded header came from, for building replies to it.
    pub fn of(header: &Header) -> Self {
        Self {
            phone: header.phone,
            version: header.version,
        }
    }
}

/// Builds a frame: header, body, XOR check byte, escaping, flags. A body over 1023 bytes is cut to 1023,
/// the most the properties word can declare; split longer messages with [`encode_sub_packages`].
pub fn encode_frame(
    terminal: &Terminal,
    msg_id: u16,
    serial: u16,
    sub_package: Option<SubPackage>,
    body: &[u8],
) -> Vec<u8> {
    let body = body.get(..body.len().min(1023)).unwrap_or(body);
    let mut plain = Vec::with_capacity(21 + body.len() + 1);
    plain.extend_from_slice(&msg_id.to_be_bytes());
    plain.extend_from_slice(
        &Header::properties_for(terminal.version, sub_package, body.len()).to_be_bytes(),
    );
    if let Version::V2019 { protocol_version } = terminal.version {
        plain.push(protocol_version);
    }
    plain.extend_from_slice(terminal.phone.bcd());
    plain.extend_from_slice(&serial.to_be_bytes());
    if let Some(sub) = sub_package {
        plain.extend_from_slice(&sub.total.to_be_bytes());
        plain.extend_from_slice(&sub.index.to_be_bytes());
    }
    plain.extend_from_slice(body);
    let check = plain.iter().fold(0u8, |acc, b| acc ^ b);
    plain.push(check);
    let mut out = Vec::with_capacity(plain.len() + 8);
    out.push(FLAG);
    escape_into(&mut out, &plain);
    out.push(FLAG);
    out
}

/// Splits `body` into frames of at most `part_len` body bytes each, serials counting up from `first_serial`.
pub fn encode_sub_packages(
    terminal: &Terminal,
    msg_id: u16,
    first_serial: u16,
    part_len: usize,
    body: &[u8],
) -> Vec<Vec<u8>> {
    let parts: Vec<&[u8]> = body.chunks(part_len.clamp(1, 1023)).collect();
    let total = u16::try_from(parts.len()).unwrap_or(u16::MAX);
    parts
        .iter()
        .zip(1..=total)
        .map(|(part, index)| {
            let serial = first_serial.wrapping_add(index - 1);
            encode_frame(
                terminal,
                msg_id,
                serial,
                Some(SubPackage { total, index }),
                part,
            )
        })
        .collect()
}

/// What a terminal registers with (0x0100). Text is GBK-encoded; fixed fields are 0x00-padded or cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub province: u16,
    pub city: u16,
    pub manufacturer: String,
    pub model: String,
    pub terminal_id: String,
    pub plate_color: u8,
    pub plate: String,
}

pub fn encode_register(terminal: &Terminal, serial: u16, reg: &Registration) -> Vec<u8> {
    let (manufacturer, model, terminal_id) = match terminal.version {
        Version::V2013 => (5, 20, 7),
        Version::V2019 { .. } => (11, 30, 30),
    };
    let mut body = Vec::with_capacity(100);
    body.extend_from_slice(&reg.province.to_be_bytes());
    body.extend_from_slice(&reg.city.to_be_bytes());
    push_fixed(&mut body, &reg.manufacturer, manufacturer);
    push_fixed(&mut body, &reg.model, model);
    push_fixed(&mut body, &reg.terminal_id, terminal_id);
    body.push(reg.plate_color);
    body.extend_from_slice(&gbk(&reg.plate));
    encode_frame(terminal, msg::REGISTER, serial, None, &body)
}

/// 0x0102. For 2019 terminals the IMEI (15) and software version (20) follow the length-prefixed code.
pub fn encode_auth(
    terminal: &Terminal,
    serial: u16,
    code: &str,
    imei: &str,
    software_version: &str,
) -> Vec<u8> {
    let code_bytes = gbk(code);
    let mut body = Vec::with_capacity(code_bytes.len() + 36);
    match terminal.version {
        Version::V2013 => body.extend_from_slice(&code_bytes),
        Version::V2019 { .. } => {
            let code_bytes = code_bytes
                .get(..code_bytes.len().min(255))
                .unwrap_or_default();
            body.push(u8::try_from(code_bytes.len()).unwrap_or(u8::MAX));
            body.extend_from_slice(code_bytes);
            push_fixed(&mut body, imei, 15);
            push_fixed(&mut body, software_version, 20);
        }
    }
    encode_frame(terminal, msg::AUTH, serial, None, &body)
}

pub fn encode_heartbeat(terminal: &Terminal, serial: u16) -> Vec<u8> {
    encode_frame(terminal, msg::HEARTBEAT, serial, None, &[])
}

/// A position to encode. Hemisphere bits of `status` are set from the signs of `lat_e6`/`lon_e6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationReport {
    pub alarm: u32,
    pub status: u32,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub altitude_m: u16,
    pub speed_tenths_kmh: u16,
    pub course: u16,
    /// Sent as Beijing time (UTC+8), whole seconds, years 2000–2099.
    pub time: DateTime<Utc>,
    /// Extra items (id, value) in order; values over 255 bytes are cut.
    pub extras: Vec<(u8, Vec<u8>)>,
}

pub fn encode_location(terminal: &Terminal, serial: u16, report: &LocationReport) -> Vec<u8> {
    let mut body = Vec::with_capacity(64);
    push_location_body(&mut body, report);
    encode_frame(terminal, msg::LOCATION, serial, None, &body)
}

/// 0x0704 with `kind` 0 (normal) or 1 (blind-area re-upload).
pub fn encode_location_batch(
    terminal: &Terminal,
    serial: u16,
    kind: u8,
    reports: &[LocationReport],
) -> Vec<u8> {
    let mut body = Vec::with_capacity(3 + reports.len() * 40);
    body.extend_from_slice(
        &u16::try_from(reports.len())
            .unwrap_or(u16::MAX)
            .to_be_bytes(),
    );
    body.push(kind);
    for report in reports {
        let mut item = Vec::with_capacity(40);
        push_location_body(&mut item, report);
        body.extend_from_slice(&u16::try_from(item.len()).unwrap_or(u16::MAX).to_be_bytes());
        body.extend_from_slice(&item);
    }
    encode_frame(terminal, msg::LOCATION_BATCH, serial, None, &body)
}

fn push_location_body(body: &mut Vec<u8>, report: &LocationReport) {
    let mut status = report.status & !0b1100;
    if report.lat_e6 < 0 {
        status |= 0b0100;
    }
    if report.lon_e6 < 0 {
        status |= 0b1000;
    }
    body.extend_from_slice(&report.alarm.to_be_bytes());
    body.extend_from_slice(&status.to_be_bytes());
    body.extend_from_slice(&report.lat_e6.unsigned_abs().to_be_bytes());
    body.extend_from_slice(&report.lon_e6.unsigned_abs().to_be_bytes());
    body.extend_from_slice(&report.altitude_m.to_be_bytes());
    body.extend_from_slice(&report.speed_tenths_kmh.to_be_bytes());
    body.extend_from_slice(&report.course.to_be_bytes());
    body.extend_from_slice(&bcd_beijing(report.time));
    for (id, value) in &report.extras {
        let value = value.get(..value.len().min(255)).unwrap_or_default();
        body.push(*id);
        body.push(u8::try_from(value.len()).unwrap_or(u8::MAX));
        body.extend_from_slice(value);
    }
}

fn bcd_beijing(time: DateTime<Utc>) -> [u8; 6] {
    let beijing = time + Duration::hours(BEIJING_OFFSET_HOURS);
    let bcd = |value: u32| {
        let value = u8::try_from(value % 100).unwrap_or(0);
        ((value / 10) << 4) | (value % 10)
    };
    [
        bcd(u32::try_from(beijing.year()).unwrap_or(0)),
        bcd(beijing.month()),
        bcd(beijing.day()),
        bcd(beijing.hour()),
        bcd(beijing.minute()),
        bcd(beijing.second()),
    ]
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    bytes.into_owned()
}

fn push_fixed(out: &mut Vec<u8>, text: &str, width: usize) {
    let bytes = gbk(text);
    let kept = bytes.get(..bytes.len().min(width)).unwrap_or_default();
    out.extend_from_slice(kept);
    out.resize(out.len() + (width - kept.len()), 0x00);
}

/// 0x8001 平台通用应答 (platform) or, with `msg::TERMINAL_RESPONSE`, 0x0001 (terminal).
pub fn encode_general_response(
    terminal: &Terminal,
    response_id: u16,
    serial: u16,
    reply_serial: u16,
    reply_msg_id: u16,
    result: u8,
) -> Vec<u8> {
    let [s0, s1] = reply_serial.to_be_bytes();
    let [m0, m1] = reply_msg_id.to_be_bytes();
    encode_frame(
        terminal,
        response_id,
        serial,
        None,
        &[s0, s1, m0, m1, result],
    )
}

/// 0x8100 终端注册应答: the auth code is only sent on success (result 0).
pub fn encode_register_response(
    terminal: &Terminal,
    serial: u16,
    reply_serial: u16,
    result: u8,
    auth_code: &str,
) -> Vec<u8> {
    let mut body = reply_serial.to_be_bytes().to_vec();
    body.push(result);
    if result == result::SUCCESS {
        body.extend_from_slice(&gbk(auth_code));
    }
    encode_frame(terminal, msg::REGISTER_RESPONSE, serial, None, &body)
}

/// The reply the platform must send to `frame`, in the terminal's own edition of the standard:
/// 0x8100 with `auth_code` to a registration, 0x8001 to everything else a terminal sends (result
/// "unsupported" for message ids this crate does not know). Responses themselves get no reply.
///
/// `server_serial` is the platform's own counter for this connection. A frame accepted leniently with a
/// bad check byte is still acknowledged as success: it was stored, and a retransmission would duplicate it.
pub fn reply_for(frame: &Frame<'_>, server_serial: u16, auth_code: &str) -> Option<Vec<u8>> {
    let terminal = Terminal::of(&frame.header);
    let reply_serial = frame.header.serial;
    let general = |result| {
        encode_general_response(
            &terminal,
            msg::PLATFORM_RESPONSE,
            server_serial,
            reply_serial,
            frame.header.msg_id,
            result,
        )
    };
    match frame.message {
        Message::Register(_) => Some(encode_register_response(
            &terminal,
            server_serial,
            reply_serial,
            result::SUCCESS,
            auth_code,
        )),
        Message::TerminalResponse(_)
        | Message::PlatformResponse(_)
        | Message::RegisterResponse(_) => None,
        Message::Other { .. } if frame.header.msg_id & 0x8000 != 0 => None,
        Message::Other { .. } => Some(general(result::UNSUPPORTED)),
        Message::Heartbeat
        | Message::Logout
        | Message::Auth(_)
        | Message::Location(_)
        | Message::LocationBatch(_)
        | Message::Fragment { .. }
        | Message::Encrypted { .. } => Some(general(result::SUCCESS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Strictness;
    use crate::jt808::decode_frame;

    fn terminal_2013() -> Terminal {
        Terminal {
            phone: Phone::from_digits("043048325465", Version::V2013).unwrap(),
            version: Version::V2013,
        }
    }

    #[test]
    fn heartbeat_encodes_to_the_captured_frame() {
        assert_eq!(
            hex::encode(encode_heartbeat(&terminal_2013(), 183)),
            "7e0002000004304832546500b7ca7e"
        );
    }

    #[test]
    fn general_response_layout_matches_the_standard() {
        // 80 01 | 00 05 | phone | serial 00 01 | body: reply serial 00 B7, reply id 00 02, result 00 | check
        let reply =
            encode_general_response(&terminal_2013(), msg::PLATFORM_RESPONSE, 1, 183, 0x0002, 0);
        assert_eq!(
            hex::encode(&reply),
            "7e80010005043048325465000100b70002004f7e"
        );
    }

    #[test]
    fn escaping_applies_to_every_byte_and_the_check() {
        // Serial 0x7E7D must come out as 7D 02 7D 01.
        let frame = encode_heartbeat(&terminal_2013(), 0x7E7D);
        let hex = hex::encode(&frame);
        assert!(hex.contains("7d027d01"), "{hex}");
        let decoded = decode_frame(&frame, Strictness::Strict).unwrap();
        assert_eq!(decoded.header.serial, 0x7E7D);
    }

    #[test]
    fn responses_get_no_reply_and_unknown_ids_are_unsupported() {
        let reply =
            encode_general_response(&terminal_2013(), msg::PLATFORM_RESPONSE, 1, 183, 0x0002, 0);
        let frame = decode_frame(&reply, Strictness::Strict).unwrap();
        assert_eq!(reply_for(&frame, 2, "x"), None);
        let unknown = encode_frame(&terminal_2013(), 0x0900, 5, None, &[1, 2, 3]);
        let frame = decode_frame(&unknown, Strictness::Strict).unwrap();
        let reply = reply_for(&frame, 2, "x").unwrap();
        let reply = decode_frame(&reply, Strictness::Strict).unwrap();
        assert_eq!(
            reply.message,
            Message::PlatformResponse(crate::jt808::GeneralResponse {
                reply_serial: 5,
                reply_msg_id: 0x0900,
                result: 3
            })
        );
    }
}
