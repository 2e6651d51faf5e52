//! The JT/T 808 alarm word (报警标志) and its named alarms.

/// Alarm word (报警标志): one bit per alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlarmFlags(pub u32);

impl AlarmFlags {
    pub fn contains(self, alarm: Alarm) -> bool {
        self.0 & (1 << alarm.bit()) != 0
    }

    /// Set alarms, lowest bit first.
    pub fn iter(self) -> impl Iterator<Item = Alarm> {
        (0..32u8)
            .filter(move |bit| self.0 & (1 << bit) != 0)
            .map(Alarm::from_bit)
    }
}

/// The alarms of the JT/T 808 alarm word, named after the standard's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alarm {
    Emergency,
    Overspeed,
    FatigueDriving,
    DangerWarning,
    GnssModuleFault,
    GnssAntennaDisconnected,
    GnssAntennaShort,
    MainPowerLow,
    MainPowerCut,
    DisplayFault,
    TtsFault,
    CameraFault,
    IcCardFault,
    OverspeedWarning,
    FatigueWarning,
    DrivingTimeoutToday,
    ParkingTimeout,
    AreaInOut,
    RouteInOut,
    RouteTimeAbnormal,
    RouteDeviation,
    VssFault,
    FuelAbnormal,
    Stolen,
    IllegalIgnition,
    IllegalDisplacement,
    Collision,
    Rollover,
    IllegalDoorOpen,
    /// Bits 15–17, reserved in 2013 and assigned by later amendments.
    Reserved(u8),
}

impl Alarm {
    fn from_bit(bit: u8) -> Self {
        match bit {
            0 => Self::Emergency,
            1 => Self::Overspeed,
            2 => Self::FatigueDriving,
            3 => Self::DangerWarning,
            4 => Self::GnssModuleFault,
            5 => Self::GnssAntennaDisconnected,
            6 => Self::GnssAntennaShort,
            7 => Self::MainPowerLow,
            8 => Self::MainPowerCut,
            9 => Self::DisplayFault,
            10 => Self::TtsFault,
            11 => Self::CameraFault,
            12 => Self::IcCardFault,
            13 => Self::OverspeedWarning,
            14 => Self::FatigueWarning,
            18 => Self::DrivingTimeoutToday,
            19 => Self::ParkingTimeout,
            20 => Self::AreaInOut,
            21 => Self::RouteInOut,
            22 => Self::RouteTimeAbnormal,
            23 => Self::RouteDeviation,
            24 => Self::VssFault,
            25 => Self::FuelAbnormal,
            26 => Self::Stolen,
            27 => Self::IllegalIgnition,
            28 => Self::IllegalDisplacement,
            29 => Self::Collision,
            30 => Self::Rollover,
            31 => Self::IllegalDoorOpen,
            other => Self::Reserved(other),
        }
    }

    pub fn bit(self) -> u8 {
        match self {
            Self::Emergency => 0,
            Self::Overspeed => 1,
            Self::FatigueDriving => 2,
            Self::DangerWarning => 3,
            Self::GnssModuleFault => 4,
            Self::GnssAntennaDisconnected => 5,
            Self::GnssAntennaShort => 6,
            Self::MainPowerLow => 7,
            Self::MainPowerCut => 8,
            Self::DisplayFault => 9,
            Self::TtsFault => 10,
            Self::CameraFault => 11,
            Self::IcCardFault => 12,
            Self::OverspeedWarning => 13,
            Self::FatigueWarning => 14,
            Self::DrivingTimeoutToday => 18,
            Self::ParkingTimeout => 19,
            Self::AreaInOut => 20,
            Self::RouteInOut => 21,
            Self::RouteTimeAbnormal => 22,
            Self::RouteDeviation => 23,
            Self::VssFault => 24,
            Self::FuelAbnormal => 25,
            Self::Stolen => 26,
            Self::IllegalIgnition => 27,
            Self::IllegalDisplacement => 28,
            Self::Collision => 29,
            Self::Rollover => 30,
            Self::IllegalDoorOpen => 31,
            Self::Reserved(bit) => bit & 31,
        }
    }

    /// Stable snake_case name for JSON and alerts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "sos",
            Self::Overspeed => "overspeed",
            Self::FatigueDriving => "fatigue_driving",
            Self::DangerWarning => "danger_warning",
            Self::GnssModuleFault => "gnss_module_fault",
            Self::GnssAntennaDisconnected => "gnss_antenna_disconnected",
            Self::GnssAntennaShort => "gnss_antenna_short",
            Self::MainPowerLow => "main_power_low",
            Self::MainPowerCut => "main_power_cut",
            Self::DisplayFault => "display_fault",
            Self::TtsFault => "tts_fault",
            Self::CameraFault => "camera_fault",
            Self::IcCardFault => "ic_card_fault",
            Self::OverspeedWarning => "overspeed_warning",
            Self::FatigueWarning => "fatigue_warning",
            Self::DrivingTimeoutToday => "driving_timeout_today",
            Self::ParkingTimeout => "parking_timeout",
            Self::AreaInOut => "area_in_out",
            Self::RouteInOut => "route_in_out",
            Self::RouteTimeAbnormal => "route_time_abnormal",
            Self::RouteDeviation => "route_deviation",
            Self::VssFault => "vss_fault",
            Self::FuelAbnormal => "fuel_abnormal",
            Self::Stolen => "stolen",
            Self::IllegalIgnition => "illegal_ignition",
            Self::IllegalDisplacement => "illegal_displacement",
            Self::Collision => "collision",
            Self::Rollover => "rollover",
            Self::IllegalDoorOpen => "illegal_door_open",
            Self::Reserved(_) => "reserved",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alarm_bits_round_trip_and_name() {
        for bit in 0..32u8 {
            assert_eq!(Alarm::from_bit(bit).bit(), bit);
        }
        let flags = AlarmFlags(0x0000_0081);
        assert_eq!(
            flags.iter().collect::<Vec<_>>(),
            vec![Alarm::Emergency, Alarm::MainPowerLow]
        );
        assert!(flags.contains(Alarm::MainPowerLow));
        assert_eq!(Alarm::MainPowerLow.as_str(), "main_power_low");
    }
}
