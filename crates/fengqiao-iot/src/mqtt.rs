//! The MQTT gateway subscriber (rumqttc, plain TCP): reader sightings, device positions and video
//! events as JSON, one object or an array of them per message.
//!
//! Topics under the configured prefix: `<prefix>/sightings/#` (`{"tag","reader","time","rssi"}`),
//! `<prefix>/positions/#` (`{"device","time","lat","lon","speed_kmh","course"}`) and
//! `<prefix>/video/#` (a [`VideoEvent`]).

use crate::config::parse_mqtt_url;
use crate::hub::Hub;
use crate::video::VideoEvent;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::iot::{MessageRecord, PositionRecord};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sighting {
    tag: String,
    reader: String,
    time: Option<serde_json::Value>,
    rssi: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GatewayPosition {
    device: String,
    time: Option<serde_json::Value>,
    lat: f64,
    lon: f64,
    speed_kmh: Option<f64>,
    course: Option<i64>,
}

/// RFC 3339 text or epoch milliseconds; `now` when absent.
fn parse_time(value: Option<&serde_json::Value>, now: Timestamp) -> Result<i64, String> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(now.as_micros()),
        Some(serde_json::Value::String(s)) => Timestamp::parse_rfc3339(s)
            .map(Timestamp::as_micros)
            .map_err(|_| format!("time {s:?} is not RFC 3339")),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .and_then(|ms| ms.checked_mul(1000))
            .ok_or_else(|| "time must be epoch milliseconds".to_owned()),
        Some(_) => Err("time must be RFC 3339 text or epoch milliseconds".into()),
    }
}

fn items(payload: &[u8]) -> Result<Vec<serde_json::Value>, String> {
    match serde_json::from_slice::<serde_json::Value>(payload) {
        Ok(serde_json::Value::Array(a)) => Ok(a),
        Ok(v @ serde_json::Value::Object(_)) => Ok(vec![v]),
        Ok(_) => Err("payload must be a JSON object or array".into()),
        Err(e) => Err(format!("payload is not JSON: {e}")),
    }
}

/// Handles one gateway message; returns how many records it carried. Whatever happens, the raw
/// message is kept: as positions when they decode, otherwise as a message naming the problem.
pub async fn handle_message(hub: &Hub, prefix: &str, topic: &str, payload: &[u8]) -> usize {
    let now = hub.now();
    let kind = topic
        .strip_prefix(prefix)
        .and_then(|t| t.trim_start_matches('/').split('/').next())
        .unwrap_or_default()
        .to_owned();
    let reject = |problem: String| MessageRecord {
        received_at: now.as_micros(),
        source: "mqtt",
        kind: format!("rejected.{kind}"),
        device_key: None,
        checksum_ok: false,
        decoded_json: serde_json::json!({ "topic": topic, "error": problem }).to_string(),
        raw: payload.to_vec(),
    };
    let list = match items(payload) {
        Ok(l) => l,
        Err(problem) => {
            hub.ingest_message(reject(problem)).await;
            return 0;
        }
    };
    let mut taken = 0;
    for item in list {
        let raw = serde_json::to_vec(&item).unwrap_or_default();
        let result: Result<(), String> = match kind.as_str() {
            "sightings" => match serde_json::from_value::<Sighting>(item) {
                Err(e) => Err(e.to_string()),
                Ok(s) => match (hub.reader(&s.reader), parse_time(s.time.as_ref(), now)) {
                    (_, Err(e)) => Err(e),
                    (None, _) => Err(format!("unknown reader {:?}", s.reader)),
                    (Some(reader), Ok(at)) => {
                        hub.ingest_position(PositionRecord {
                            device_key: s.tag,
                            at,
                            received_at: now.as_micros(),
                            lat_e6: reader.lat_e6,
                            lon_e6: reader.lon_e6,
                            speed_kmh_x10: None,
                            course: None,
                            source: "sighting",
                            reader_code: Some(reader.code),
                            signal: s.rssi,
                            checksum_ok: true,
                            raw: raw.clone(),
                        })
                        .await;
                        Ok(())
                    }
                },
            },
            "positions" => match serde_json::from_value::<GatewayPosition>(item) {
                Err(e) => Err(e.to_string()),
                Ok(p) if !(-90.0..=90.0).contains(&p.lat) || !(-180.0..=180.0).contains(&p.lon) => {
                    Err(format!("position out of range: {}, {}", p.lat, p.lon))
                }
                Ok(p) => match parse_time(p.time.as_ref(), now) {
                    Err(e) => Err(e),
                    Ok(at) => {
                        hub.ingest_position(PositionRecord {
                            device_key: p.device,
                            at,
                            received_at: now.as_micros(),
                            lat_e6: (p.lat * 1e6).round() as i64,
                            lon_e6: (p.lon * 1e6).round() as i64,
                            speed_kmh_x10: p.speed_kmh.map(|s| (s * 10.0).round() as i64),
                            course: p.course,
                            source: "mqtt",
                            reader_code: None,
                            signal: None,
                            checksum_ok: true,
                            raw: raw.clone(),
                        })
                        .await;
                        Ok(())
                    }
                },
            },
            "video" => match serde_json::from_value::<VideoEvent>(item) {
                Err(e) => Err(e.to_string()),
                Ok(event) => hub
                    .ingest_video(&event, &raw, "mqtt")
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            },
            other => Err(format!("unknown topic kind {other:?}")),
        };
        match result {
            Ok(()) => taken += 1,
            Err(problem) => {
                let mut rec = reject(problem);
                rec.raw = raw;
                hub.ingest_message(rec).await;
            }
        }
    }
    taken
}

/// Connects, subscribes and feeds the hub until aborted; reconnects with a pause after errors.
pub async fn run(hub: Hub, url: String) -> Result<(), String> {
    let (host, port) = parse_mqtt_url(&url)?;
    let cfg = hub.config().clone();
    let mut options = MqttOptions::new(cfg.mqtt_client_id.clone(), host, port);
    options.set_keep_alive(Duration::from_secs(30));
    options.set_max_packet_size(1024 * 1024, 1024 * 1024);
    let (client, mut events) = AsyncClient::new(options, 1024);
    let prefix = cfg.mqtt_topic_prefix.trim_end_matches('/').to_owned();
    loop {
        match events.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                for kind in ["sightings", "positions", "video"] {
                    if let Err(e) = client
                        .subscribe(format!("{prefix}/{kind}/#"), QoS::AtLeastOnce)
                        .await
                    {
                        tracing::warn!(error = %e, "MQTT subscribe failed");
                    }
                }
                tracing::info!(%url, "MQTT subscriber connected");
            }
            Ok(Event::Incoming(Packet::Publish(p))) => {
                handle_message(&hub, &prefix, &p.topic, &p.payload).await;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, %url, "MQTT connection lost; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
