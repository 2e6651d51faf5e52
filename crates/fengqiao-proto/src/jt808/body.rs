//! JT/T 808 message bodies: the typed messages and the decoder that picks one by message id.

use super::escape::{EscReader, RawBytes};
use super::header::{Header, Version, msg};
use super::location::{Location, decode_location};
use crate::DecodeError;

/// One decoded JT/T 808 frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<'a> {
    pub header: Header,
    /// False only when a lenient decode accepted a wrong check byte.
    pub checksum_ok: bool,
    pub message: Message<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message<'a> {
    /// 0x0001 终端通用应答.
    TerminalResponse(GeneralResponse),
    /// 0x0002 终端心跳.
    Heartbeat,
    /// 0x0003 终端注销.
    Logout,
    /// 0x0100 终端注册.
    Register(Register<'a>),
    /// 0x0102 终端鉴权.
    Auth(Auth<'a>),
    /// 0x0200 位置信息汇报.
    Location(Location<'a>),
    /// 0x0704 定位数据批量上传.
    LocationBatch(LocationBatch<'a>),
    /// 0x8001 平台通用应答.
    PlatformResponse(GeneralResponse),
    /// 0x8100 终端注册应答.
    RegisterResponse(RegisterResponse<'a>),
    /// One part of a sub-packaged message; decode the reassembled body with `decode_body`.
    Fragment { body: RawBytes<'a> },
    /// An encrypted body (encryption bits set); kept as sent.
    Encrypted { body: RawBytes<'a> },
    /// Any other message id.
    Other { body: RawBytes<'a> },
}

impl Message<'_> {
    /// Short name for logs and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TerminalResponse(_) => "terminal_response",
            Self::Heartbeat => "heartbeat",
            Self::Logout => "logout",
            Self::Register(_) => "register",
            Self::Auth(_) => "auth",
            Self::Location(_) => "location",
            Self::LocationBatch(_) => "location_batch",
            Self::PlatformResponse(_) => "platform_response",
            Self::RegisterResponse(_) => "register_response",
            Self::Fragment { .. } => "fragment",
            Self::Encrypted { .. } => "encrypted",
            Self::Other { .. } => "other",
        }
    }
}

/// Result codes of the general responses (0x0001, 0x8001).
pub mod result {
    pub const SUCCESS: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const MESSAGE_ERROR: u8 = 2;
    pub const UNSUPPORTED: u8 = 3;
    pub const ALARM_CONFIRMED: u8 = 4;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneralResponse {
    pub reply_serial: u16,
    pub reply_msg_id: u16,
    pub result: u8,
}

/// Terminal registration. Fixed-width text fields are 0x00-padded on the wire; read them with `text()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Register<'a> {
    pub province: u16,
    pub city: u16,
    pub manufacturer: RawBytes<'a>,
    pub model: RawBytes<'a>,
    pub terminal_id: RawBytes<'a>,
    /// 0 = no plate; 1 blue, 2 yellow, 3 black, 4 white, 9 other (JT/T 415).
    pub plate_color: u8,
    /// GBK plate number (or VIN when `plate_color` is 0).
    pub plate: RawBytes<'a>,
}

impl Register<'_> {
    pub fn plate_text(&self) -> String {
        self.plate.text()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth<'a> {
    pub code: RawBytes<'a>,
    /// 2019 only.
    pub imei: Option<RawBytes<'a>>,
    /// 2019 only.
    pub software_version: Option<RawBytes<'a>>,
}

/// A batch of positions; each was checked when the frame was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocationBatch<'a> {
    pub count: u16,
    /// 0 = normal batch, 1 = blind-area re-upload (盲区补报).
    pub kind: u8,
    items: RawBytes<'a>,
}

impl<'a> LocationBatch<'a> {
    /// The positions in order. Each was decoded once already, so none of these fails in practice.
    pub fn positions(&self) -> impl Iterator<Item = Result<Location<'a>, DecodeError>> + 'a {
        let mut r = EscReader::new(self.items);
        std::iter::from_fn(move || (r.remaining() > 0).then(|| batch_item(&mut r)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegisterResponse<'a> {
    pub reply_serial: u16,
    /// 0 success, 1 vehicle already registered, 2 vehicle unknown, 3 terminal already registered, 4 terminal unknown.
    pub result: u8,
    pub auth_code: RawBytes<'a>,
}

/// Widths of the fixed register fields: (manufacturer, model, terminal id).
fn register_widths(version: Version) -> (usize, usize, usize) {
    match version {
        Version::V2013 => (5, 20, 7),
        Version::V2019 { .. } => (11, 30, 30),
    }
}

/// Decodes a complete (not sub-packaged, not encrypted) body.
pub(crate) fn decode_message<'a>(
    header: &Header,
    body: RawBytes<'a>,
) -> Result<Message<'a>, DecodeError> {
    let mut r = EscReader::new(body);
    let message = match header.msg_id {
        msg::TERMINAL_RESPONSE => Message::TerminalResponse(general_response(&mut r)?),
        msg::PLATFORM_RESPONSE => Message::PlatformResponse(general_response(&mut r)?),
        msg::HEARTBEAT => Message::Heartbeat,
        msg::LOGOUT => Message::Logout,
        msg::REGISTER => {
            let (manufacturer, model, terminal_id) = register_widths(header.version);
            Message::Register(Register {
                province: r.u16("province")?,
                city: r.u16("city")?,
                manufacturer: r.take(manufacturer, "manufacturer")?,
                model: r.take(model, "model")?,
                terminal_id: r.take(terminal_id, "terminal id")?,
                plate_color: r.u8("plate color")?,
                plate: r.rest(),
            })
        }
        msg::AUTH => Message::Auth(auth(header.version, &mut r)?),
        msg::LOCATION => Message::Location(decode_location(&mut r)?),
        msg::LOCATION_BATCH => Message::LocationBatch(batch(&mut r)?),
        msg::REGISTER_RESPONSE => Message::RegisterResponse(RegisterResponse {
            reply_serial: r.u16("reply serial")?,
            result: r.u8("result")?,
            auth_code: r.rest(),
        }),
        _ => Message::Other { body: r.rest() },
    };
    Ok(message)
}

fn general_response(r: &mut EscReader<'_>) -> Result<GeneralResponse, DecodeError> {
    Ok(GeneralResponse {
        reply_serial: r.u16("reply serial")?,
        reply_msg_id: r.u16("reply message id")?,
        result: r.u8("result")?,
    })
}

fn auth<'a>(version: Version, r: &mut EscReader<'a>) -> Result<Auth<'a>, DecodeError> {
    match version {
        Version::V2013 => Ok(Auth {
            code: r.rest(),
            imei: None,
            software_version: None,
        }),
        Version::V2019 { .. } => {
            let len = usize::from(r.u8("auth code length")?);
            let code = r.take(len, "auth code")?;
            let imei = r.take(15, "imei")?;
            let software_version = r.take(20, "software version")?;
            Ok(Auth {
                code,
                imei: Some(imei),
                software_version: Some(software_version),
            })
        }
    }
}

fn batch<'a>(r: &mut EscReader<'a>) -> Result<LocationBatch<'a>, DecodeError> {
    let count_at = r.offset();
    let count = r.u16("batch count")?;
    let kind = r.u8("batch type")?;
    let items = r.rest();
    // Check every item now, so a bad batch is rejected as a whole and `positions()` cannot fail later.
    let mut check = EscReader::new(items);
    let mut found = 0usize;
    while check.remaining() > 0 {
        batch_item(&mut check)?;
        found += 1;
    }
    if found != usize::from(count) {
        return Err(DecodeError::Length {
            offset: count_at,
            what: "batch count",
            declared: usize::from(count),
            actual: found,
        });
    }
    Ok(LocationBatch { count, kind, items })
}

fn batch_item<'a>(r: &mut EscReader<'a>) -> Result<Location<'a>, DecodeError> {
    let len = usize::from(r.u16("batch item length")?);
    let item = r.take(len, "batch item")?;
    decode_location(&mut EscReader::new(item))
}
