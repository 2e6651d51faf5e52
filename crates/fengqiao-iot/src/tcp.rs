//! TCP listeners for GT06 and JT/T 808 with per-connection sessions: a cap on connections, a
//! maximum frame size, an idle timeout, and backpressure (a connection stops reading while the
//! hub's queue is full).

use crate::hub::Hub;
use bytes::{Buf, BytesMut};
use fengqiao_proto::jt808::{self, msg, result};
use fengqiao_proto::report::{ReportOptions, decode_report};
use fengqiao_proto::{Protocol, Scan, Strictness, gt06};
use fengqiao_store::iot::{MessageRecord, PositionRecord};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Binds `addr` and serves `protocol` until the task is aborted. Returns the bound address.
pub async fn listen(
    hub: Hub,
    protocol: Protocol,
    addr: &str,
) -> std::io::Result<(std::net::SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let limit = Arc::new(Semaphore::new(hub.config().max_connections.max(1)));
    tracing::info!(%local, protocol = protocol.as_str(), "IoT listener up");
    let task = tokio::spawn(async move {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Ok(permit) = limit.clone().try_acquire_owned() else {
                hub.count_connection(false);
                drop(stream);
                continue;
            };
            hub.count_connection(true);
            let _ = stream.set_nodelay(true);
            let hub = hub.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let result = match protocol {
                    Protocol::Gt06 => serve_gt06(&hub, stream).await,
                    Protocol::Jt808 => serve_jt808(&hub, stream).await,
                };
                if let Err(e) = result {
                    tracing::debug!(error = %e, "IoT connection ended");
                }
            });
        }
    });
    Ok((local, task))
}

fn micros_now(hub: &Hub) -> i64 {
    hub.now().as_micros()
}

fn strictness(hub: &Hub) -> Strictness {
    Strictness::from_lenient(hub.config().lenient)
}

/// Reads into `buf` within the idle timeout; Ok(false) at end of stream or timeout.
async fn fill(hub: &Hub, stream: &mut TcpStream, buf: &mut BytesMut) -> std::io::Result<bool> {
    let idle = Duration::from_secs(hub.config().idle_timeout_secs.max(1));
    match tokio::time::timeout(idle, stream.read_buf(buf)).await {
        Ok(Ok(0)) | Err(_) => Ok(false),
        Ok(Ok(_)) => Ok(true),
        Ok(Err(e)) => Err(e),
    }
}

fn report_json(protocol: Protocol, frame: &[u8], options: &ReportOptions) -> String {
    serde_json::to_string(&decode_report(protocol, frame, options)).unwrap_or_default()
}

async fn serve_gt06(hub: &Hub, mut stream: TcpStream) -> std::io::Result<()> {
    let framer = gt06::Framer::new(hub.config().max_frame_len);
    let strict = strictness(hub);
    let options = ReportOptions {
        strictness: strict,
        ..ReportOptions::default()
    };
    let mut buf = BytesMut::with_capacity(4096);
    let mut out = Vec::with_capacity(256);
    let mut imei: Option<String> = None;
    let mut utc_offset: i16 = 0;
    while fill(hub, &mut stream, &mut buf).await? {
        loop {
            match framer.scan(&buf) {
                Scan::NeedMore => break,
                Scan::Skip { len, .. } => {
                    hub.count_dropped(1);
                    buf.advance(len.max(1).min(buf.len()));
                }
                Scan::Frame { len } => {
                    let frame_bytes = buf.split_to(len.min(buf.len()));
                    let received_at = micros_now(hub);
                    let decoded = gt06::decode_frame_with(
                        &frame_bytes,
                        gt06::DecodeOptions {
                            strictness: strict,
                            device_utc_offset_minutes: utc_offset,
                        },
                    );
                    let frame = match decoded {
                        Ok(f) => f,
                        Err(_) => {
                            hub.count_decode_error();
                            hub.ingest_message(MessageRecord {
                                received_at,
                                source: "gt06",
                                kind: "decode_error".into(),
                                device_key: imei.clone(),
                                checksum_ok: false,
                                decoded_json: report_json(Protocol::Gt06, &frame_bytes, &options),
                                raw: frame_bytes.to_vec(),
                            })
                            .await;
                            continue;
                        }
                    };
                    if let gt06::Message::Login(login) = &frame.message {
                        imei = Some(login.imei.to_string());
                        utc_offset = login.utc_offset_minutes.unwrap_or(0);
                    }
                    // Nothing but a login is accepted before the device has said who it is.
                    let Some(device) = imei.clone() else {
                        hub.count_dropped(1);
                        continue;
                    };
                    if let Some(reply) = gt06::reply_for(&frame) {
                        out.extend_from_slice(reply.as_bytes());
                    }
                    let fix = match &frame.message {
                        gt06::Message::Gps(r) => r.fix,
                        gt06::Message::Alarm(a) => a.fix,
                        _ => None,
                    };
                    let position = fix.filter(|f| f.positioned);
                    if !matches!(frame.message, gt06::Message::Gps(_)) || position.is_none() {
                        hub.ingest_message(MessageRecord {
                            received_at,
                            source: "gt06",
                            kind: frame.message.kind().to_owned(),
                            device_key: Some(device.clone()),
                            checksum_ok: frame.checksum_ok,
                            decoded_json: report_json(Protocol::Gt06, &frame_bytes, &options),
                            raw: frame_bytes.to_vec(),
                        })
                        .await;
                    }
                    if let Some(fix) = position {
                        let ok = hub
                            .ingest_position(PositionRecord {
                                device_key: device,
                                at: fix.time.timestamp_micros(),
                                received_at,
                                lat_e6: i64::from(fix.lat.to_micro_degrees()),
                                lon_e6: i64::from(fix.lon.to_micro_degrees()),
                                speed_kmh_x10: Some(i64::from(fix.speed_kmh) * 10),
                                course: Some(i64::from(fix.course)),
                                source: "gt06",
                                reader_code: None,
                                signal: None,
                                checksum_ok: frame.checksum_ok,
                                raw: frame_bytes.to_vec(),
                            })
                            .await;
                        if !ok {
                            return Ok(());
                        }
                    }
                }
            }
        }
        if !out.is_empty() {
            stream.write_all(&out).await?;
            out.clear();
        }
    }
    Ok(())
}

/// Per-connection JT/T 808 session: the platform's serial counter and whether the terminal
/// has authenticated with the code this platform issued.
struct Jt808Session {
    serial: u16,
    authenticated: bool,
}

impl Jt808Session {
    fn next_serial(&mut self) -> u16 {
        self.serial = self.serial.wrapping_add(1);
        self.serial
    }
}

async fn serve_jt808(hub: &Hub, mut stream: TcpStream) -> std::io::Result<()> {
    let framer = jt808::Framer::new(hub.config().max_frame_len);
    let strict = strictness(hub);
    let mut buf = BytesMut::with_capacity(4096);
    let mut out = Vec::with_capacity(256);
    let mut session = Jt808Session {
        serial: 0,
        authenticated: false,
    };
    while fill(hub, &mut stream, &mut buf).await? {
        loop {
            match framer.scan(&buf) {
                Scan::NeedMore => break,
                Scan::Skip { len, .. } => {
                    hub.count_dropped(1);
                    buf.advance(len.max(1).min(buf.len()));
                }
                Scan::Frame { len } => {
                    let frame_bytes = buf.split_to(len.min(buf.len()));
                    if !handle_jt808(hub, &frame_bytes, strict, &mut session, &mut out).await {
                        return Ok(());
                    }
                }
            }
        }
        if !out.is_empty() {
            stream.write_all(&out).await?;
            out.clear();
        }
    }
    Ok(())
}

/// One JT/T 808 frame: reply, store, match. False when the hub has shut down.
async fn handle_jt808(
    hub: &Hub,
    frame_bytes: &[u8],
    strict: Strictness,
    session: &mut Jt808Session,
    out: &mut Vec<u8>,
) -> bool {
    let received_at = micros_now(hub);
    let frame = match jt808::decode_frame(frame_bytes, strict) {
        Ok(f) => f,
        Err(_) => {
            hub.count_decode_error();
            let options = ReportOptions {
                strictness: strict,
                ..ReportOptions::default()
            };
            return hub
                .ingest_message(MessageRecord {
                    received_at,
                    source: "jt808",
                    kind: "decode_error".into(),
                    device_key: None,
                    checksum_ok: false,
                    decoded_json: report_json(Protocol::Jt808, frame_bytes, &options),
                    raw: frame_bytes.to_vec(),
                })
                .await;
        }
    };
    let phone = frame.header.phone.to_string();
    // Store the terminal by its number without the BCD padding zeros.
    let device = phone.trim_start_matches('0').to_owned();
    let code = hub.jt808_auth_code(&device);
    let terminal = jt808::Terminal::of(&frame.header);
    let general = |session: &mut Jt808Session, result: u8| {
        jt808::encode_general_response(
            &terminal,
            msg::PLATFORM_RESPONSE,
            session.next_serial(),
            frame.header.serial,
            frame.header.msg_id,
            result,
        )
    };
    let mut positions = Vec::new();
    match &frame.message {
        jt808::Message::Auth(auth) => {
            session.authenticated = auth.code.text() == code;
            let r = if session.authenticated {
                result::SUCCESS
            } else {
                result::FAILURE
            };
            out.extend_from_slice(&general(session, r));
        }
        jt808::Message::Location(loc) if session.authenticated => {
            positions.push(loc.clone());
            out.extend_from_slice(&general(session, result::SUCCESS));
        }
        jt808::Message::LocationBatch(batch) if session.authenticated => {
            positions.extend(batch.positions().filter_map(Result::ok));
            out.extend_from_slice(&general(session, result::SUCCESS));
        }
        jt808::Message::Location(_) | jt808::Message::LocationBatch(_) => {
            // Positions before authentication are refused; the terminal re-authenticates.
            out.extend_from_slice(&general(session, result::FAILURE));
            hub.count_dropped(1);
            return true;
        }
        _ => {
            let serial = session.next_serial();
            if let Some(reply) = jt808::reply_for(&frame, serial, &code) {
                out.extend_from_slice(&reply);
            }
        }
    }
    if positions.is_empty() {
        let options = ReportOptions {
            strictness: strict,
            server_serial: session.serial,
            auth_code: code,
        };
        return hub
            .ingest_message(MessageRecord {
                received_at,
                source: "jt808",
                kind: frame.message.kind().to_owned(),
                device_key: Some(device),
                checksum_ok: frame.checksum_ok,
                decoded_json: report_json(Protocol::Jt808, frame_bytes, &options),
                raw: frame_bytes.to_vec(),
            })
            .await;
    }
    for loc in positions {
        let ok = hub
            .ingest_position(PositionRecord {
                device_key: device.clone(),
                at: loc.time.timestamp_micros(),
                received_at,
                lat_e6: i64::from(loc.lat.to_micro_degrees()),
                lon_e6: i64::from(loc.lon.to_micro_degrees()),
                speed_kmh_x10: Some(i64::from(loc.speed_tenths_kmh)),
                course: Some(i64::from(loc.course)),
                source: "jt808",
                reader_code: None,
                signal: loc.signal_strength.map(i64::from),
                checksum_ok: frame.checksum_ok,
                raw: frame_bytes.to_vec(),
            })
            .await;
        if !ok {
            return false;
        }
    }
    true
}
