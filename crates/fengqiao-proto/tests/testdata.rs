//! Every frame in tests/data/gt06.tsv and jt808.tsv (copied from shared/testdata) decodes to the values
//! its expectation column gives, strictly or, for `crc=bad` frames, only leniently; replies match the spec.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use chrono::DateTime;
use fengqiao_proto::report::{DecodeReport, ReportOptions, decode_report};
use fengqiao_proto::{ErrorPart, Protocol, Scan, Strictness, gt06, jt808};

struct Case {
    name: String,
    bytes: Vec<u8>,
    expect: Vec<(String, String)>,
}

fn load(file: &str) -> Vec<Case> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{file}: bad line {line}");
            let expect = cols[2]
                .split(';')
                .map(|pair| {
                    let (k, v) = pair.trim().split_once('=').unwrap();
                    (k.trim().to_owned(), v.trim().to_owned())
                })
                .collect();
            Case {
                name: cols[0].to_owned(),
                bytes: hex::decode(cols[1]).unwrap(),
                expect,
            }
        })
        .collect()
}

fn expect_of<'a>(case: &'a Case, key: &str) -> Option<&'a str> {
    case.expect
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Expected degrees are printed with limited precision: accept half a unit of the last printed digit.
fn assert_degrees(name: &str, key: &str, actual: Option<f64>, expected: &str) {
    let decimals = expected.split('.').nth(1).map_or(0, str::len);
    let tolerance = 0.5 * 10f64.powi(-i32::try_from(decimals).unwrap()) + 1e-9;
    let expected: f64 = expected.parse().unwrap();
    let actual = actual.unwrap_or_else(|| panic!("{name}: no {key}"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{name}: {key} {actual} vs {expected}"
    );
}

fn assert_time(name: &str, actual: Option<&str>, expected: &str) {
    let actual =
        DateTime::parse_from_rfc3339(actual.unwrap_or_else(|| panic!("{name}: no time"))).unwrap();
    assert!(
        actual.offset().local_minus_utc() == 0,
        "{name}: report times must be UTC"
    );
    assert_eq!(
        actual,
        DateTime::parse_from_rfc3339(expected).unwrap(),
        "{name}: time"
    );
}

/// Decodes `case` with the strictness its expectation implies and checks the checksum behaviour.
fn decode(protocol: Protocol, case: &Case, options: &ReportOptions) -> DecodeReport {
    let strict = decode_report(protocol, &case.bytes, options);
    if expect_of(case, "crc") == Some("bad") {
        let error = strict
            .error
            .as_ref()
            .unwrap_or_else(|| panic!("{}: strict decode must fail", case.name));
        assert_eq!(error.part, ErrorPart::Checksum.as_str(), "{}", case.name);
        let lenient = ReportOptions {
            strictness: Strictness::Lenient,
            ..options.clone()
        };
        let report = decode_report(protocol, &case.bytes, &lenient);
        assert!(
            report.ok,
            "{}: lenient decode failed: {:?}",
            case.name, report.error
        );
        assert_eq!(report.checksum_ok, Some(false), "{}", case.name);
        report
    } else {
        assert!(strict.ok, "{}: {:?}", case.name, strict.error);
        assert_eq!(strict.checksum_ok, Some(true), "{}", case.name);
        strict
    }
}

#[test]
fn gt06_frames_decode_to_the_expected_values() {
    let cases = load("gt06.tsv");
    assert_eq!(cases.len(), 15);
    let mut checked = 0;
    for case in &cases {
        let report = decode(Protocol::Gt06, case, &ReportOptions::default());
        let name = case.name.as_str();
        let r = &report.readings;
        for (key, value) in &case.expect {
            match key.as_str() {
                "type" => assert_eq!(report.kind, Some(value.as_str()), "{name}"),
                "imei" => assert_eq!(report.imei.as_deref(), Some(value.as_str()), "{name}"),
                "serial" => assert_eq!(
                    report.serial.map(|s| s.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "reply" => {
                    assert_eq!(value, "required");
                    let frame = gt06::decode_frame(&case.bytes, Strictness::Lenient).unwrap();
                    // The acknowledgement the Concox manual gives: length 5, protocol, serial, CRC, 0D 0A.
                    let mut expected = vec![0x78, 0x78, 0x05, frame.protocol];
                    expected.extend_from_slice(&frame.serial.to_be_bytes());
                    let crc = gt06::crc16_x25(&expected[2..]);
                    expected.extend_from_slice(&crc.to_be_bytes());
                    expected.extend_from_slice(&[0x0D, 0x0A]);
                    assert_eq!(
                        report.reply_hex,
                        Some(hex::encode_upper(&expected)),
                        "{name}"
                    );
                }
                "position" => {
                    assert_eq!(value, "none");
                    assert_eq!(
                        (r.lat, r.lon, r.time.as_ref()),
                        (None, None, None),
                        "{name}"
                    );
                }
                "time" => assert_time(name, r.time.as_deref(), value),
                "valid" => assert_eq!(
                    r.valid.map(|v| v.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "lat" => assert_degrees(name, key, r.lat, value),
                "lon" => assert_degrees(name, key, r.lon, value),
                "speed_kmh" => assert_eq!(r.speed_kmh, Some(value.parse().unwrap()), "{name}"),
                "course" => assert_eq!(
                    r.course.map(|c| c.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "crc" => assert_eq!(value, "bad"), // checked in decode()
                "mcc" => assert_eq!(
                    r.cell.map(|c| c.mcc.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "alarm" => assert!(
                    r.alarms.contains(&value.as_str()),
                    "{name}: alarms {:?}",
                    r.alarms
                ),
                // The testdata's battery_level is the device's battery reading in percent.
                "battery_level" => assert_eq!(
                    r.battery_percent.map(|b| b.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "power_v" => assert_eq!(r.power_v, Some(value.parse().unwrap()), "{name}"),
                "framing" => assert_eq!(report.framing, Some(value.as_str()), "{name}"),
                other => panic!("{name}: expectation key {other} is not checked by this test"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 50);
}

#[test]
fn jt808_frames_decode_to_the_expected_values() {
    let cases = load("jt808.tsv");
    assert_eq!(cases.len(), 7);
    let options = ReportOptions {
        server_serial: 0x0102,
        auth_code: "fq-auth-7".to_owned(),
        ..ReportOptions::default()
    };
    let mut checked = 0;
    for case in &cases {
        let report = decode(Protocol::Jt808, case, &options);
        let name = case.name.as_str();
        let r = &report.readings;
        let device = report.device.clone().unwrap_or_default();
        for (key, value) in &case.expect {
            match key.as_str() {
                "msg" => assert_eq!(report.message_id.as_deref(), Some(value.as_str()), "{name}"),
                "phone" => assert_eq!(report.phone.as_deref(), Some(value.as_str()), "{name}"),
                "serial" => assert_eq!(
                    report.serial.map(|s| s.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "plate" => assert_eq!(device.plate.as_deref(), Some(value.as_str()), "{name}"),
                "model" => assert_eq!(device.model.as_deref(), Some(value.as_str()), "{name}"),
                "auth_code" => {
                    assert_eq!(device.auth_code.as_deref(), Some(value.as_str()), "{name}")
                }
                "version" => assert_eq!(report.framing, Some(value.as_str()), "{name}"),
                "valid" => assert_eq!(
                    r.valid.map(|v| v.to_string()).as_deref(),
                    Some(value.as_str()),
                    "{name}"
                ),
                "lat" => assert_degrees(name, key, r.lat, value),
                "lon" => assert_degrees(name, key, r.lon, value),
                "time" => assert_time(name, r.time.as_deref(), value),
                "alarm_bits" => assert_eq!(r.alarm_bits.as_deref(), Some(value.as_str()), "{name}"),
                "reply" => check_jt808_reply(case, &report, value, &options),
                other => panic!("{name}: expectation key {other} is not checked by this test"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 29);
}

/// The reply decodes as the named message, addressed to the same terminal in the same edition, and
/// answers the request's serial (and message id, for 0x8001).
fn check_jt808_reply(
    case: &Case,
    report: &DecodeReport,
    expected_id: &str,
    options: &ReportOptions,
) {
    let request = jt808::decode_frame(&case.bytes, Strictness::Strict).unwrap();
    let reply_bytes = hex::decode(report.reply_hex.as_ref().unwrap()).unwrap();
    let reply = jt808::decode_frame(&reply_bytes, Strictness::Strict).unwrap();
    assert_eq!(
        format!("{:#06x}", reply.header.msg_id),
        expected_id,
        "{}",
        case.name
    );
    assert_eq!(reply.header.phone, request.header.phone);
    assert_eq!(reply.header.version, request.header.version);
    assert_eq!(reply.header.serial, options.server_serial);
    match reply.message {
        jt808::Message::RegisterResponse(response) => {
            assert_eq!(response.reply_serial, request.header.serial);
            assert_eq!(response.result, 0);
            assert_eq!(response.auth_code.text(), options.auth_code);
        }
        jt808::Message::PlatformResponse(response) => {
            assert_eq!(response.reply_serial, request.header.serial);
            assert_eq!(response.reply_msg_id, request.header.msg_id);
            assert_eq!(response.result, 0);
        }
        other => panic!("{}: reply is {other:?}", case.name),
    }
}

#[test]
fn jt808_replies_byte_for_byte() {
    // Worked by hand from JT/T 808-2013 §4.4 and §8.1/§8.5 (check byte = XOR of header and body):
    // register-2013 (phone 013511221122, serial 5) → 0x8100, platform serial 0x0102, result 0, auth "fq-auth-7".
    let case = load("jt808.tsv")
        .into_iter()
        .find(|c| c.name == "register-2013")
        .unwrap();
    let frame = jt808::decode_frame(&case.bytes, Strictness::Strict).unwrap();
    let reply = jt808::reply_for(&frame, 0x0102, "fq-auth-7").unwrap();
    assert_eq!(
        hex::encode(reply),
        "7e8100000c013511221122010200050066712d617574682d37977e"
    );
    // heartbeat (phone 043048325465, serial 183) → 0x8001 answering 0x0002.
    let case = load("jt808.tsv")
        .into_iter()
        .find(|c| c.name == "heartbeat")
        .unwrap();
    let frame = jt808::decode_frame(&case.bytes, Strictness::Strict).unwrap();
    let reply = jt808::reply_for(&frame, 0x0102, "unused").unwrap();
    assert_eq!(
        hex::encode(reply),
        "7e80010005043048325465010200b70002004d7e"
    );
}

#[test]
fn framers_split_a_stream_of_every_frame_with_garbage_between() {
    for (file, is_gt06) in [("gt06.tsv", true), ("jt808.tsv", false)] {
        let cases = load(file);
        let mut stream = Vec::new();
        for case in &cases {
            stream.extend_from_slice(&[0x00, 0x0D, 0x0A]);
            stream.extend_from_slice(&case.bytes);
        }
        let mut found = Vec::new();
        let mut rest = &stream[..];
        loop {
            let scan = if is_gt06 {
                gt06::Framer::default().scan(rest)
            } else {
                jt808::Framer::default().scan(rest)
            };
            match scan {
                Scan::Frame { len } => {
                    found.push(rest[..len].to_vec());
                    rest = &rest[len..];
                }
                Scan::Skip { len, .. } => rest = &rest[len..],
                Scan::NeedMore => break,
            }
        }
        let expected: Vec<Vec<u8>> = cases.iter().map(|c| c.bytes.clone()).collect();
        assert_eq!(found, expected, "{file}");
        assert!(rest.is_empty());
    }
}
