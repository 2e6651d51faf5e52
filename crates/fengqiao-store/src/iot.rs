//! IoT and video storage (物联感知, DOMAIN §7): the registry (owners → vehicles → devices and tags,
//! readers), positions and raw messages written in batches, last known positions, trajectories,
//! the stolen-vehicle watchlist, electronic fences, video-event rules and the alerts they raise.
//!
//! Positions are the high-volume path: `insert_batch` writes many rows per statement in one
//! transaction and never audits (a position is an observation, not a governance decision; its raw
//! frame is kept beside it instead). Registry changes and raised alerts are audited as usual.

mod positions;
mod registry;
mod watch;

pub use positions::{
    IngestBatch, LivePosition, MessageRecord, PositionRecord, TrackPoint, month_bounds,
};
pub use registry::{
    DeviceImportRow, DeviceRow, DeviceView, IndexDevice, IndexReader, NewDevice, NewOwner,
    NewReader, NewVehicle, OwnerView, ReaderView, RegistryFilter, VehicleView, create_device_in,
    create_owner_in, create_reader_in, create_vehicle_in,
};
pub use watch::{
    FenceRow, IotAlert, NewFence, ScheduleWindow, StolenView, VideoRulePatch, VideoRuleRow,
    alert_kind,
};

use sea_query::Alias;

/// A column or table name (the IoT tables are addressed by name to keep this module short).
pub(crate) fn n(name: &'static str) -> Alias {
    Alias::new(name)
}

/// Device roles: a tracker or tag on the vehicle, or the tag its owner carries.
pub const ROLE_VEHICLE: &str = "vehicle";
pub const ROLE_OWNER_TAG: &str = "owner_tag";
/// Device protocols: how the identifier reaches us.
pub const PROTOCOLS: [&str; 4] = ["gt06", "jt808", "tag", "mqtt"];
/// Vehicle kinds.
pub const VEHICLE_KINDS: [&str; 4] = ["motorcycle", "e_bike", "car", "truck"];
/// Alert levels, least to most severe (红橙黄蓝).
pub const LEVELS: [&str; 4] = ["blue", "yellow", "orange", "red"];
