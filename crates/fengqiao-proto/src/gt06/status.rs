//! GT06 terminal status byte, battery reading and the named alarms a device reports.

/// The "terminal information" byte sent with heartbeats and alarms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalInfo(pub u8);

impl TerminalInfo {
    /// Bit 0: anti-theft defence armed.
    pub fn armed(self) -> bool {
        self.0 & 0x01 != 0
    }
    /// Bit 1: ACC (ignition) high.
    pub fn acc_on(self) -> bool {
        self.0 & 0x02 != 0
    }
    /// Bit 2: charging.
    pub fn charging(self) -> bool {
        self.0 & 0x04 != 0
    }
    /// Bit 6: GPS tracking switched on.
    pub fn gps_tracking(self) -> bool {
        self.0 & 0x40 != 0
    }
    /// Bit 7: oil and electricity cut (immobilised).
    pub fn fuel_cut(self) -> bool {
        self.0 & 0x80 != 0
    }
    /// Bits 3–5: the alarm the status byte itself carries (older firmware), if any.
    pub fn alarm(self) -> Option<Alarm> {
        match (self.0 >> 3) & 0x07 {
            1 => Some(Alarm::Vibration),
            2 => Some(Alarm::PowerCut),
            3 => Some(Alarm::LowBattery),
            4 => Some(Alarm::Sos),
            _ => None,
        }
    }
}

/// Battery as the device reports it: older firmware sends a 0–6 level, 4G firmware a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Battery {
    /// 0 = no power … 6 = full.
    Level(u8),
    Percent(u8),
}

impl Battery {
    /// Reads the voltage-level byte. `percent_layout` is true for frames whose layout marks 4G-era firmware
    /// (4-byte cell ids), which send a percentage; otherwise values above 6 cannot be a level, so they are
    /// read as a percentage too.
    pub fn from_byte(value: u8, percent_layout: bool) -> Self {
        if !percent_layout && value <= 6 {
            Self::Level(value)
        } else {
            Self::Percent(value)
        }
    }

    /// Percentage for display: a level of 6 is 100 %.
    pub fn percent(self) -> u8 {
        match self {
            Self::Level(level) => u8::try_from(u16::from(level.min(6)) * 100 / 6).unwrap_or(100),
            Self::Percent(percent) => percent,
        }
    }

    /// The byte the device sends for this reading.
    pub fn to_byte(self) -> u8 {
        match self {
            Self::Level(value) | Self::Percent(value) => value,
        }
    }
}

/// Alarms named in the Concox GT06 protocol's alarm byte (and the status byte's alarm bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alarm {
    Sos,
    PowerCut,
    Vibration,
    FenceEnter,
    FenceExit,
    Overspeed,
    Displacement,
    GpsBlindEnter,
    GpsBlindExit,
    PowerOn,
    GpsFirstFix,
    ExternalLowBattery,
    LowBatteryProtection,
    SimChanged,
    PowerOff,
    AirplaneMode,
    Tamper,
    Door,
    LowPowerShutdown,
    Sound,
    FakeBaseStation,
    CoverOpened,
    LowBattery,
    FallDown,
    HarshAcceleration,
    HarshBraking,
    SharpTurn,
    Collision,
    /// A code this decoder does not name; kept so nothing is lost.
    Other(u8),
}

impl Alarm {
    /// The alarm for an alarm-byte value; 0 means "normal" (no alarm).
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0x00 => return None,
            0x01 => Self::Sos,
            0x02 => Self::PowerCut,
            0x03 => Self::Vibration,
            0x04 => Self::FenceEnter,
            0x05 => Self::FenceExit,
            0x06 => Self::Overspeed,
            0x09 => Self::Displacement,
            0x0A => Self::GpsBlindEnter,
            0x0B => Self::GpsBlindExit,
            0x0C => Self::PowerOn,
            0x0D => Self::GpsFirstFix,
            0x0E => Self::ExternalLowBattery,
            0x0F => Self::LowBatteryProtection,
            0x10 => Self::SimChanged,
            0x11 => Self::PowerOff,
            0x12 => Self::AirplaneMode,
            0x13 => Self::Tamper,
            0x14 => Self::Door,
            0x15 => Self::LowPowerShutdown,
            0x16 => Self::Sound,
            0x17 => Self::FakeBaseStation,
            0x18 => Self::CoverOpened,
            0x19 => Self::LowBattery,
            0x23 => Self::FallDown,
            0x29 => Self::HarshAcceleration,
            0x30 => Self::HarshBraking,
            0x2A | 0x2B => Self::SharpTurn,
            0x2C => Self::Collision,
            other => Self::Other(other),
        })
    }

    /// Stable snake_case name for JSON and alerts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sos => "sos",
            Self::PowerCut => "power_cut",
            Self::Vibration => "vibration",
            Self::FenceEnter => "fence_enter",
            Self::FenceExit => "fence_exit",
            Self::Overspeed => "overspeed",
            Self::Displacement => "displacement",
            Self::GpsBlindEnter => "gps_blind_enter",
            Self::GpsBlindExit => "gps_blind_exit",
            Self::PowerOn => "power_on",
            Self::GpsFirstFix => "gps_first_fix",
            Self::ExternalLowBattery => "external_low_battery",
            Self::LowBatteryProtection => "low_battery_protection",
            Self::SimChanged => "sim_changed",
            Self::PowerOff => "power_off",
            Self::AirplaneMode => "airplane_mode",
            Self::Tamper => "tamper",
            Self::Door => "door",
            Self::LowPowerShutdown => "low_power_shutdown",
            Self::Sound => "sound",
            Self::FakeBaseStation => "fake_base_station",
            Self::CoverOpened => "cover_opened",
            Self::LowBattery => "low_battery",
            Self::FallDown => "fall_down",
            Self::HarshAcceleration => "harsh_acceleration",
            Self::HarshBraking => "harsh_braking",
            Self::SharpTurn => "sharp_turn",
            Self::Collision => "collision",
            Self::Other(_) => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_info_bits() {
        let info = TerminalInfo(0b1010_0111);
        assert!(info.armed() && info.acc_on() && info.charging() && info.fuel_cut());
        assert!(!info.gps_tracking());
        assert_eq!(info.alarm(), Some(Alarm::Sos));
        assert_eq!(TerminalInfo(0x40).alarm(), None);
        assert_eq!(TerminalInfo(0x10).alarm(), Some(Alarm::PowerCut));
    }

    #[test]
    fn battery_level_or_percent() {
        assert_eq!(Battery::from_byte(5, false), Battery::Level(5));
        assert_eq!(Battery::from_byte(5, true), Battery::Percent(5));
        assert_eq!(Battery::from_byte(93, false), Battery::Percent(93));
        assert_eq!(Battery::Level(6).percent(), 100);
        assert_eq!(Battery::Level(3).percent(), 50);
        assert_eq!(Battery::Percent(93).to_byte(), 93);
    }

    #[test]
    fn alarm_codes() {
        assert_eq!(Alarm::from_code(0), None);
        assert_eq!(Alarm::from_code(1), Some(Alarm::Sos));
        assert_eq!(Alarm::from_code(0x13).map(Alarm::as_str), Some("tamper"));
        assert_eq!(Alarm::from_code(0x77), Some(Alarm::Other(0x77)));
    }
}
