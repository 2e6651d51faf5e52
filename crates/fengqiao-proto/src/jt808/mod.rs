//! JT/T 808 (2013 and 2019): `7E` framing with `7D` escaping, XOR check, BCD-phone header, sub-packages,
//! register/auth/heartbeat/location/batch/general responses, and the platform's replies.
//!
//! BCD times on the wire are Beijing time (UTC+8) and are returned in UTC. Coordinates stay micro-degrees.

mod alarm;
mod body;
mod encode;
mod escape;
mod frame;
mod header;
mod location;

pub use alarm::{Alarm, AlarmFlags};
pub use body::{
    Auth, Frame, GeneralResponse, LocationBatch, Message, Register, RegisterResponse, result,
};
pub use encode::{
    LocationReport, Registration, Terminal, encode_auth, encode_frame, encode_general_response,
    encode_heartbeat, encode_location, encode_location_batch, encode_register,
    encode_register_response, encode_sub_packages, reply_for,
};
pub use escape::{RawBytes, Unescape};
pub use frame::{DEFAULT_MAX_FRAME_LEN, Framer, MIN_FRAME_LEN, decode_body, decode_frame};
pub use header::{BadPhone, Header, Phone, SubPackage, Version, msg};
pub use location::{ExtraItem, ExtraIter, Extras, Location, StatusFlags};
