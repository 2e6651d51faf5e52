//! Video-analytics events (雪亮工程): face match, fence crossing, crowd gathering too long,
//! licence-plate hit. Each is kept raw; the configured rule for its kind decides whether it
//! becomes an alert and at what level, and a plate hit on a stolen vehicle raises the watchlist
//! alert as well.

use crate::hub::Hub;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::StoreError;
use fengqiao_store::iot::{IotAlert, MessageRecord, alert_kind};
use serde::{Deserialize, Serialize};

/// The event kinds a video platform may send.
pub const KINDS: [&str; 4] = [
    "face_match",
    "fence_crossing",
    "crowd_gathering",
    "plate_hit",
];

/// One event as the webhook and MQTT receive it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VideoEvent {
    /// face_match | fence_crossing | crowd_gathering | plate_hit
    pub kind: String,
    pub camera: String,
    /// RFC 3339; the receiving time when absent.
    pub time: Option<String>,
    /// 0.0–1.0 as the analytics engine reports it.
    pub confidence: f64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Where the camera is, in words (路口、广场).
    pub place: Option<String>,
    /// plate_hit: the plate read.
    pub plate: Option<String>,
    /// face_match: who was matched (a watchlist reference, never a name in clear).
    pub subject: Option<String>,
    /// crowd_gathering: how long the crowd has been there.
    pub duration_secs: Option<i64>,
    /// The region the camera belongs to (statistical code); the hub's default when absent.
    pub region_code: Option<String>,
}

/// What happened to an event.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct VideoOutcome {
    pub stored: bool,
    /// The alert raised by the rule, if any.
    pub alert_id: Option<String>,
    /// The watchlist alert, when a plate hit matched a stolen vehicle.
    pub stolen_alert_id: Option<String>,
    /// Why no alert was raised (rule inactive, confidence or duration below the threshold).
    pub reason: Option<String>,
}

/// A problem with an event's fields, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct VideoEventError {
    pub field: &'static str,
    pub message: String,
}

fn bad(field: &'static str, message: &str) -> VideoEventError {
    VideoEventError {
        field,
        message: message.to_owned(),
    }
}

impl VideoEvent {
    /// Checks the fields and returns the event time.
    pub fn validate(&self, now: Timestamp) -> Result<Timestamp, VideoEventError> {
        if !KINDS.contains(&self.kind.as_str()) {
            return Err(bad(
                "kind",
                "must be face_match, fence_crossing, crowd_gathering or plate_hit",
            ));
        }
        if self.camera.trim().is_empty() || self.camera.len() > 64 {
            return Err(bad("camera", "1–64 characters"));
        }
        if !(0.0..=1.0).contains(&self.confidence) {
            return Err(bad("confidence", "between 0.0 and 1.0"));
        }
        if self.lat.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
            return Err(bad("lat", "between -90 and 90"));
        }
        if self.lon.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
            return Err(bad("lon", "between -180 and 180"));
        }
        if self.kind == "plate_hit" && self.plate.as_deref().is_none_or(|p| p.trim().is_empty()) {
            return Err(bad("plate", "a plate hit needs the plate"));
        }
        match &self.time {
            None => Ok(now),
            Some(t) => Timestamp::parse_rfc3339(t).map_err(|_| bad("time", "RFC 3339 time")),
        }
    }
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "face_match" => "人脸比中",
        "fence_crossing" => "越界",
        "crowd_gathering" => "人员聚集",
        "plate_hit" => "车牌比中",
        _ => "视频事件",
    }
}

impl Hub {
    /// Stores the event raw and applies its rule; alerts are written before this returns.
    pub async fn ingest_video(
        &self,
        event: &VideoEvent,
        raw: &[u8],
        source: &'static str,
    ) -> Result<VideoOutcome, IngestError> {
        let now = self.now();
        let at = event.validate(now).map_err(IngestError::Invalid)?;
        let region_path = match &event.region_code {
            Some(code) => self
                .store()
                .get_region(&fengqiao_store::Scope::Everything, code)
                .await
                .map(|r| r.path)
                .map_err(|_| IngestError::Invalid(bad("region_code", "unknown region")))?,
            None => self.config().default_region_path.clone(),
        };
        self.ingest_message(MessageRecord {
            received_at: now.as_micros(),
            source,
            kind: format!("video.{}", event.kind),
            device_key: Some(event.camera.clone()),
            checksum_ok: true,
            decoded_json: serde_json::to_string(event).unwrap_or_default(),
            raw: raw.to_vec(),
        })
        .await;
        let mut outcome = VideoOutcome {
            stored: true,
            alert_id: None,
            stolen_alert_id: None,
            reason: None,
        };
        let place = event.place.clone().unwrap_or_else(|| event.camera.clone());
        let detail = serde_json::json!({
            "camera": event.camera, "event": event.kind, "at": at.to_rfc3339(),
            "confidence": event.confidence, "lat": event.lat, "lon": event.lon, "place": place,
            "plate": event.plate, "subject": event.subject, "duration_secs": event.duration_secs,
        });
        if event.kind == "plate_hit"
            && let Some(plate) = &event.plate
            && let Some((vehicle_id, plate, vehicle_path)) = self.stolen_by_plate(plate)
        {
            let row = self
                .raise_now(
                    IotAlert {
                        kind: alert_kind::STOLEN_VEHICLE,
                        level: "red".into(),
                        group_key: vehicle_id.clone(),
                        title: format!("被盗车辆 {plate} 出现：{place}（视频车牌比中）"),
                        detail: detail.clone(),
                        region_path: if event.region_code.is_some() {
                            region_path.clone()
                        } else {
                            vehicle_path
                        },
                        merge_open: true,
                        hits: 1,
                    },
                    at.as_micros(),
                )
                .await?;
            outcome.stolen_alert_id = Some(row.id);
        }
        let rules = self.rules();
        let Some(rule) = rules.get(&event.kind) else {
            outcome.reason = Some("no rule for this kind".into());
            return Ok(outcome);
        };
        let pct = (event.confidence * 100.0).round() as i64;
        if !rule.active {
            outcome.reason = Some("rule inactive".into());
        } else if pct < rule.min_confidence_pct {
            outcome.reason = Some(format!(
                "confidence {pct}% below {}%",
                rule.min_confidence_pct
            ));
        } else if event.duration_secs.unwrap_or(0) < rule.min_duration_secs {
            outcome.reason = Some(format!(
                "duration {}s below {}s",
                event.duration_secs.unwrap_or(0),
                rule.min_duration_secs
            ));
        } else {
            let row = self
                .raise_now(
                    IotAlert {
                        kind: alert_kind::VIDEO,
                        level: rule.level.clone(),
                        group_key: format!("{}:{}:{}", event.camera, event.kind, at.as_micros()),
                        title: format!("视频{}：{place}（置信度 {pct}%）", kind_zh(&event.kind)),
                        detail,
                        region_path,
                        merge_open: false,
                        hits: 1,
                    },
                    at.as_micros(),
                )
                .await?;
            outcome.alert_id = Some(row.id);
        }
        Ok(outcome)
    }
}

/// Why an event or gateway message was not taken.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("invalid event: {0}")]
    Invalid(VideoEventError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
