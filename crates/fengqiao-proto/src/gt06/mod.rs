//! GT06 (Concox): `78 78`/`79 79` framing, CRC-16/X-25, login/GPS/status/alarm/heartbeat/info, replies.
//!
//! Times on the wire are the device clock, UTC unless its login declared a zone (pass it through
//! [`DecodeOptions`]). Coordinates stay in the protocol's 1/1,800,000-degree integers.

mod content;
mod crc;
mod encode;
mod frame;
mod status;
mod types;

pub use crc::crc16_x25;
pub use encode::{
    AlarmStatus, Reply, encode_alarm, encode_frame, encode_gps, encode_gps_22, encode_heartbeat,
    encode_info_voltage, encode_login, encode_reply, encode_status, reply_for,
};
pub use frame::{DEFAULT_MAX_FRAME_LEN, DecodeOptions, Framer, decode_frame, decode_frame_with};
pub use status::{Alarm, Battery, TerminalInfo};
pub use types::{
    AlarmReport, BadImei, CellInfo, Frame, Framing, GpsFix, GpsReport, Heartbeat, Imei, Info,
    Login, Message, StatusReport, protocol,
};
