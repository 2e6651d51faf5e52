//! Listener and pipeline settings; every input is off unless configured.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IotConfig {
    /// GT06 listener address, e.g. `0.0.0.0:5023`; off when absent.
    pub gt06_listen: Option<String>,
    /// JT/T 808 listener address, e.g. `0.0.0.0:6808`; off when absent.
    pub jt808_listen: Option<String>,
    /// MQTT broker, `mqtt://host:port`; off when absent.
    pub mqtt_url: Option<String>,
    /// Topics subscribed: `<prefix>/sightings/#`, `<prefix>/positions/#`, `<prefix>/video/#`.
    pub mqtt_topic_prefix: String,
    pub mqtt_client_id: String,
    /// Shared secret a video platform sends as `X-Fengqiao-Token` to the webhook; webhook off when absent.
    pub webhook_token: Option<String>,
    /// Accept frames with bad checksums (the record is marked); strict by default.
    pub lenient: bool,
    /// Open TCP connections per listener; further connections are closed at once.
    pub max_connections: usize,
    /// Largest frame accepted; longer input is dropped and counted.
    pub max_frame_len: usize,
    /// A connection silent this long is closed (devices send heartbeats every few minutes).
    pub idle_timeout_secs: u64,
    /// Records queued for the writer before listeners stop reading (backpressure).
    pub queue_capacity: usize,
    /// Most records per writer transaction.
    pub batch_max: usize,
    /// Concurrent writer transactions (SQLite has one writer whatever this says).
    pub writers: usize,
    /// An owner's tag within this distance and time of the moving vehicle counts as "with it".
    pub owner_tag_radius_m: f64,
    pub owner_tag_window_secs: i64,
    /// Below this speed (km/h) a vehicle is not "moving" for the owner-tag rule.
    pub moving_kmh: f64,
    /// Region path for alerts whose place has no region (video cameras not in the registry).
    pub default_region_path: String,
}

impl Default for IotConfig {
    fn default() -> Self {
        Self {
            gt06_listen: None,
            jt808_listen: None,
            mqtt_url: None,
            mqtt_topic_prefix: "fengqiao".into(),
            mqtt_client_id: "fengqiao-server".into(),
            webhook_token: None,
            lenient: false,
            max_connections: 200_000,
            max_frame_len: 2048,
            idle_timeout_secs: 600,
            queue_capacity: 50_000,
            batch_max: 5_000,
            writers: 2,
            owner_tag_radius_m: 300.0,
            owner_tag_window_secs: 600,
            moving_kmh: 10.0,
            default_region_path: "/".into(),
        }
    }
}

/// Host and port from `mqtt://host:port` (port 1883 when omitted).
pub fn parse_mqtt_url(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("mqtt://")
        .or_else(|| url.strip_prefix("tcp://"))
        .ok_or_else(|| format!("MQTT URL must start with mqtt:// (got {url:?})"))?;
    let rest = rest.trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((host, port)) => Ok((
            host.to_owned(),
            port.parse()
                .map_err(|_| format!("bad MQTT port in {url:?}"))?,
        )),
        None if !rest.is_empty() => Ok((rest.to_owned(), 1883)),
        None => Err(format!("MQTT URL has no host: {url:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mqtt_urls_parse() {
        assert_eq!(
            parse_mqtt_url("mqtt://127.0.0.1:1883"),
            Ok(("127.0.0.1".into(), 1883))
        );
        assert_eq!(parse_mqtt_url("mqtt://broker"), Ok(("broker".into(), 1883)));
        assert!(parse_mqtt_url("http://x").is_err());
        assert!(parse_mqtt_url("mqtt://h:notaport").is_err());
    }
}
