//! Property tests: arbitrary bytes never panic a framer or decoder, and encode → decode is the identity.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Utc};
use fengqiao_proto::gt06::{self, AlarmStatus, Battery, CellInfo, GpsFix, Imei, TerminalInfo};
use fengqiao_proto::jt808::{self, LocationReport, Phone, Registration, Terminal, Version};
use fengqiao_proto::report::{ReportOptions, decode_report};
use fengqiao_proto::{Angle, Protocol, Scan, Strictness};
use proptest::prelude::*;

fn check_scan(scan: Scan, buf: &[u8]) {
    match scan {
        Scan::Frame { len } => assert!(len >= 2 && len <= buf.len()),
        Scan::Skip { len, .. } => assert!(len >= 1 && len <= buf.len()),
        Scan::NeedMore => {}
    }
}

/// Whole seconds from 2000-01-01 to 2099-12-31 15:59:59 UTC (still 2099 in Beijing time).
fn time() -> impl Strategy<Value = DateTime<Utc>> {
    (946_684_800i64..=4_102_415_999).prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap())
}

prop_compose! {
    fn gps_fix()(
        time in time(),
        satellites in 0u8..16,
        lat in -162_000_000i32..=162_000_000,
        lon in -324_000_000i32..=324_000_000,
        speed_kmh: u8,
        course in 0u16..360,
        positioned: bool,
        differential: bool,
        ignition: Option<bool>,
    ) -> GpsFix {
        GpsFix { time, satellites, lat: Angle::gt06(lat), lon: Angle::gt06(lon), speed_kmh, course, positioned, differential, ignition }
    }
}

prop_compose! {
    fn cell(wide: bool)(mcc in 0u16..0x8000, mnc: u16, lac: u16, cell_id in 0u64..(if wide { 1 << 32 } else { 1 << 24 })) -> CellInfo {
        CellInfo { mcc, mnc, lac, cell_id }
    }
}

prop_compose! {
    fn location_report()(
        alarm: u32,
        status: u32,
        lat_e6 in -90_000_000i32..=90_000_000,
        lon_e6 in -180_000_000i32..=180_000_000,
        altitude_m: u16,
        speed_tenths_kmh: u16,
        course in 0u16..360,
        time in time(),
        extras in prop::collection::vec((any::<u8>(), prop::collection::vec(any::<u8>(), 0..12)), 0..5),
    ) -> LocationReport {
        LocationReport { alarm, status, lat_e6, lon_e6, altitude_m, speed_tenths_kmh, course, time, extras }
    }
}

fn terminal() -> impl Strategy<Value = Terminal> {
    (any::<bool>(), "[0-9]{1,12}", any::<u8>()).prop_map(|(v2019, digits, protocol_version)| {
        let version = if v2019 {
            Version::V2019 { protocol_version }
        } else {
            Version::V2013
        };
        Terminal {
            phone: Phone::from_digits(&digits, version).unwrap(),
            version,
        }
    })
}

fn expected_status(report: &LocationReport) -> u32 {
    (report.status & !0b1100)
        | if report.lat_e6 < 0 { 0b0100 } else { 0 }
        | if report.lon_e6 < 0 { 0b1000 } else { 0 }
}

fn assert_location_matches(decoded: &jt808::Location<'_>, report: &LocationReport) {
    assert_eq!(decoded.alarm.0, report.alarm);
    assert_eq!(decoded.status.0, expected_status(report));
    assert_eq!(decoded.lat.raw, report.lat_e6);
    assert_eq!(decoded.lon.raw, report.lon_e6);
    assert_eq!(decoded.altitude_m, report.altitude_m);
    assert_eq!(decoded.speed_tenths_kmh, report.speed_tenths_kmh);
    assert_eq!(decoded.course, report.course);
    assert_eq!(decoded.time, report.time);
    let extras: Vec<(u8, Vec<u8>)> = decoded
        .extras
        .iter()
        .map(|item| (item.id, item.value.to_cow().into_owned()))
        .collect();
    assert_eq!(extras, report.extras);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for strictness in [Strictness::Strict, Strictness::Lenient] {
            let _ = gt06::decode_frame(&bytes, strictness);
            let _ = jt808::decode_frame(&bytes, strictness);
            let options = ReportOptions { strictness, ..ReportOptions::default() };
            let _ = decode_report(Protocol::Gt06, &bytes, &options);
            let _ = decode_report(Protocol::Jt808, &bytes, &options);
        }
        check_scan(gt06::Framer::default().scan(&bytes), &bytes);
        check_scan(jt808::Framer::default().scan(&bytes), &bytes);
        check_scan(gt06::Framer::new(16).scan(&bytes), &bytes);
        check_scan(jt808::Framer::new(16).scan(&bytes), &bytes);
    }

    /// Random content behind valid framing and checksum reaches every content decoder.
    #[test]
    fn random_content_in_valid_frames_never_panics(
        protocol in prop::sample::select(vec![0x01u8, 0x10, 0x12, 0x13, 0x16, 0x19, 0x22, 0x23, 0x26, 0x94, 0x55]),
        msg_id in prop::sample::select(vec![0x0001u16, 0x0002, 0x0100, 0x0102, 0x0200, 0x0704, 0x8001, 0x8100, 0x0900]),
        content in prop::collection::vec(any::<u8>(), 0..80),
        serial: u16,
        terminal in terminal(),
    ) {
        let frame = gt06::encode_frame(gt06::Framing::Short, protocol, &content, serial);
        if let Ok(decoded) = gt06::decode_frame(&frame, Strictness::Strict) {
            prop_assert_eq!(decoded.serial, serial);
            let _ = gt06::reply_for(&decoded);
        }
        let frame = jt808::encode_frame(&terminal, msg_id, serial, None, &content);
        if let Ok(decoded) = jt808::decode_frame(&frame, Strictness::Strict) {
            prop_assert_eq!(decoded.header.serial, serial);
            if let jt808::Message::LocationBatch(batch) = &decoded.message {
                prop_assert!(batch.positions().all(|p| p.is_ok()));
            }
            if let jt808::Message::Location(location) = &decoded.message {
                let _ = location.extras.iter().count();
            }
            let _ = jt808::reply_for(&decoded, 1, "code");
        }
        let _ = decode_report(Protocol::Jt808, &frame, &ReportOptions::default());
    }

    #[test]
    fn gt06_login_round_trips(digits in "[0-9]{15}", serial: u16) {
        let imei = Imei::from_digits(&digits).unwrap();
        let frame = gt06::encode_login(&imei, serial);
        let decoded = gt06::decode_frame(&frame, Strictness::Strict).unwrap();
        prop_assert_eq!(decoded.serial, serial);
        match decoded.message {
            gt06::Message::Login(login) => prop_assert_eq!(login.imei.to_string(), digits),
            other => prop_assert!(false, "decoded as {:?}", other),
        }
    }

    #[test]
    fn gt06_gps_round_trips(fix in gps_fix(), cell in cell(false), serial: u16, acc: bool, mode: u8, reupload: bool) {
        let frame_1 = gt06::encode_gps(&fix, &cell, serial);
        let decoded = gt06::decode_frame(&frame_1, Strictness::Strict).unwrap();
        prop_assert_eq!(decoded.serial, serial);
        match decoded.message {
            gt06::Message::Gps(gps) => {
                prop_assert_eq!(gps.fix, Some(fix));
                prop_assert_eq!(gps.cell, Some(cell));
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
        let frame_2 = gt06::encode_gps_22(&fix, &cell, acc, mode, reupload, serial);
        let decoded = gt06::decode_frame(&frame_2, Strictness::Strict).unwrap();
        match decoded.message {
            gt06::Message::Gps(gps) => {
                prop_assert_eq!(gps.fix, Some(fix));
                prop_assert_eq!((gps.acc_on, gps.upload_mode, gps.reupload), (Some(acc), Some(mode), Some(reupload)));
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
    }

    #[test]
    fn gt06_alarm_round_trips(
        fix in gps_fix(),
        wide in any::<bool>(),
        narrow_cell in cell(false),
        wide_cell in cell(true),
        info: u8,
        level in 0u8..=6,
        percent in 0u8..=100,
        gsm_signal: u8,
        alarm_code: u8,
        serial: u16,
    ) {
        let (cell, battery) = if wide { (wide_cell, Battery::Percent(percent)) } else { (narrow_cell, Battery::Level(level)) };
        let status = AlarmStatus { info: TerminalInfo(info), battery, gsm_signal, alarm_code };
        let frame = gt06::encode_alarm(&fix, &cell, &status, serial);
        let decoded = gt06::decode_frame(&frame, Strictness::Strict).unwrap();
        prop_assert!(gt06::reply_for(&decoded).is_some());
        match decoded.message {
            gt06::Message::Alarm(alarm) => {
                prop_assert_eq!(alarm.fix, Some(fix));
                prop_assert_eq!(alarm.cell, Some(cell));
                prop_assert_eq!(alarm.battery, battery);
                prop_assert_eq!((alarm.info, alarm.gsm_signal, alarm.alarm_code), (TerminalInfo(info), gsm_signal, alarm_code));
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
    }

    #[test]
    fn gt06_status_heartbeat_info_round_trip(info: u8, level in 0u8..=6, gsm: u8, alarm: u8, volts: u16, serial: u16) {
        let frame_3 = gt06::encode_status(TerminalInfo(info), Battery::Level(level), gsm, alarm, serial);
        let decoded = gt06::decode_frame(&frame_3, Strictness::Strict).unwrap();
        match decoded.message {
            gt06::Message::Status(status) => {
                prop_assert_eq!((status.info, status.battery, status.gsm_signal, status.alarm_code),
                    (TerminalInfo(info), Battery::Level(level), Some(gsm), alarm));
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
        let frame_4 = gt06::encode_heartbeat(TerminalInfo(info), volts, gsm, serial);
        let decoded = gt06::decode_frame(&frame_4, Strictness::Strict).unwrap();
        prop_assert_eq!(decoded.message, gt06::Message::Heartbeat(gt06::Heartbeat {
            info: TerminalInfo(info), battery_centivolts: Some(volts), gsm_signal: Some(gsm) }));
        let frame_5 = gt06::encode_info_voltage(volts, serial);
        let decoded = gt06::decode_frame(&frame_5, Strictness::Strict).unwrap();
        match decoded.message {
            gt06::Message::Info(info) => prop_assert_eq!(info.external_power_centivolts(), Some(volts)),
            other => prop_assert!(false, "decoded as {:?}", other),
        }
    }

    #[test]
    fn jt808_location_round_trips(terminal in terminal(), serial: u16, report in location_report()) {
        let frame = jt808::encode_location(&terminal, serial, &report);
        let decoded = jt808::decode_frame(&frame, Strictness::Strict).unwrap();
        prop_assert_eq!(decoded.header.phone, terminal.phone);
        prop_assert_eq!(decoded.header.version, terminal.version);
        prop_assert_eq!(decoded.header.serial, serial);
        match &decoded.message {
            jt808::Message::Location(location) => assert_location_matches(location, &report),
            other => prop_assert!(false, "decoded as {:?}", other),
        }
        let reply = jt808::reply_for(&decoded, 7, "x").unwrap();
        let reply = jt808::decode_frame(&reply, Strictness::Strict).unwrap();
        prop_assert_eq!(reply.message, jt808::Message::PlatformResponse(jt808::GeneralResponse {
            reply_serial: serial, reply_msg_id: jt808::msg::LOCATION, result: 0 }));
    }

    #[test]
    fn jt808_batch_round_trips(terminal in terminal(), kind in 0u8..2, reports in prop::collection::vec(location_report(), 0..6)) {
        let frame = jt808::encode_location_batch(&terminal, 1, kind, &reports);
        let decoded = jt808::decode_frame(&frame, Strictness::Strict).unwrap();
        match &decoded.message {
            jt808::Message::LocationBatch(batch) => {
                prop_assert_eq!(usize::from(batch.count), reports.len());
                prop_assert_eq!(batch.kind, kind);
                let positions: Vec<_> = batch.positions().map(Result::unwrap).collect();
                prop_assert_eq!(positions.len(), reports.len());
                for (decoded, report) in positions.iter().zip(&reports) {
                    assert_location_matches(decoded, report);
                }
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
    }

    #[test]
    fn jt808_register_and_auth_round_trip(
        terminal in terminal(),
        serial: u16,
        province: u16,
        city: u16,
        manufacturer in "[A-Z0-9]{0,5}",
        model in "[A-Z0-9-]{0,20}",
        terminal_id in "[A-Z0-9]{0,7}",
        plate_color: u8,
        plate in prop::sample::select(vec!["苏BA6860", "粤B12345", "京A·00001", "LSVAM4187C2184847", ""]),
        code in "[a-zA-Z0-9]{1,40}",
        imei in "[0-9]{15}",
    ) {
        let reg = Registration {
            province, city, manufacturer: manufacturer.clone(), model: model.clone(), terminal_id: terminal_id.clone(),
            plate_color, plate: plate.to_owned(),
        };
        let frame_6 = jt808::encode_register(&terminal, serial, &reg);
        let decoded = jt808::decode_frame(&frame_6, Strictness::Strict).unwrap();
        match &decoded.message {
            jt808::Message::Register(r) => {
                prop_assert_eq!((r.province, r.city, r.plate_color), (province, city, plate_color));
                prop_assert_eq!(r.manufacturer.text(), manufacturer);
                prop_assert_eq!(r.model.text(), model);
                prop_assert_eq!(r.terminal_id.text(), terminal_id);
                prop_assert_eq!(r.plate_text(), plate);
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
        let frame_7 = jt808::reply_for(&decoded, 3, &code).unwrap();
        let reply = jt808::decode_frame(&frame_7, Strictness::Strict).unwrap();
        match &reply.message {
            jt808::Message::RegisterResponse(r) => {
                prop_assert_eq!((r.reply_serial, r.result), (serial, 0));
                prop_assert_eq!(r.auth_code.text(), code.clone());
            }
            other => prop_assert!(false, "reply decoded as {:?}", other),
        }
        let auth = jt808::encode_auth(&terminal, serial, &code, &imei, "1.0.2");
        let decoded = jt808::decode_frame(&auth, Strictness::Strict).unwrap();
        match &decoded.message {
            jt808::Message::Auth(a) => {
                prop_assert_eq!(a.code.text(), code);
                if matches!(terminal.version, Version::V2019 { .. }) {
                    prop_assert_eq!(a.imei.map(|i| i.text()), Some(imei));
                    prop_assert_eq!(a.software_version.map(|v| v.text()), Some("1.0.2".to_owned()));
                }
            }
            other => prop_assert!(false, "decoded as {:?}", other),
        }
    }

    #[test]
    fn jt808_sub_packages_reassemble(terminal in terminal(), report in location_report(), part_len in 1usize..40) {
        let whole_body = location_body(&report);
        let frames = jt808::encode_sub_packages(&terminal, jt808::msg::LOCATION, 100, part_len, &whole_body);
        let mut body = Vec::new();
        let mut first_header = None;
        for (i, frame) in frames.iter().enumerate() {
            let decoded = jt808::decode_frame(frame, Strictness::Strict).unwrap();
            let sub = decoded.header.sub_package.unwrap();
            prop_assert_eq!(usize::from(sub.index), i + 1);
            prop_assert_eq!(usize::from(sub.total), frames.len());
            prop_assert_eq!(decoded.header.serial, 100 + u16::try_from(i).unwrap());
            match decoded.message {
                jt808::Message::Fragment { body: part } if frames.len() > 1 => body.extend(part.iter()),
                jt808::Message::Location(_) if frames.len() == 1 => body.extend_from_slice(&whole_body),
                other => prop_assert!(false, "part decoded as {:?}", other),
            }
            first_header.get_or_insert(decoded.header);
        }
        prop_assert_eq!(&body, &whole_body);
        let message = jt808::decode_body(&first_header.unwrap(), &body).unwrap();
        match &message {
            jt808::Message::Location(location) => assert_location_matches(location, &report),
            other => prop_assert!(false, "reassembled as {:?}", other),
        }
    }

    /// Frames separated by bytes that cannot start a frame come out of the framers whole and in order.
    #[test]
    fn framers_recover_every_frame_from_a_noisy_stream(
        fixes in prop::collection::vec(gps_fix(), 1..6),
        reports in prop::collection::vec(location_report(), 1..6),
        noise in prop::collection::vec(prop::collection::vec(0u8..0x78, 0..6), 6),
        chunk in 1usize..64,
    ) {
        let cell = CellInfo { mcc: 460, mnc: 0, lac: 1, cell_id: 2 };
        let gt06_frames: Vec<Vec<u8>> = fixes.iter().enumerate()
            .map(|(i, fix)| gt06::encode_gps(fix, &cell, u16::try_from(i).unwrap())).collect();
        let terminal = Terminal { phone: Phone::from_digits("13800138000", Version::V2013).unwrap(), version: Version::V2013 };
        let jt808_frames: Vec<Vec<u8>> = reports.iter().enumerate()
            .map(|(i, report)| jt808::encode_location(&terminal, u16::try_from(i).unwrap(), report)).collect();
        for (frames, is_gt06) in [(&gt06_frames, true), (&jt808_frames, false)] {
            let mut stream = Vec::new();
            for (frame, noise) in frames.iter().zip(noise.iter().cycle()) {
                stream.extend_from_slice(noise);
                stream.extend_from_slice(frame);
            }
            // Feed the stream in chunks, as TCP reads would arrive.
            let mut buffer: Vec<u8> = Vec::new();
            let mut found = Vec::new();
            for piece in stream.chunks(chunk) {
                buffer.extend_from_slice(piece);
                loop {
                    let scan = if is_gt06 { gt06::Framer::default().scan(&buffer) } else { jt808::Framer::default().scan(&buffer) };
                    match scan {
                        Scan::Frame { len } => found.push(buffer.drain(..len).collect::<Vec<u8>>()),
                        Scan::Skip { len, .. } => { buffer.drain(..len); }
                        Scan::NeedMore => break,
                    }
                }
            }
            prop_assert_eq!(&found, frames);
        }
    }
}

/// The 0x0200 body bytes for `report`, taken from a frame the encoder built (between header and check).
fn location_body(report: &LocationReport) -> Vec<u8> {
    let terminal = Terminal {
        phone: Phone::from_digits("1", Version::V2013).unwrap(),
        version: Version::V2013,
    };
    let frame = jt808::encode_location(&terminal, 0, report);
    let mut plain = Vec::new();
    let mut bytes = frame[1..frame.len() - 1].iter();
    while let Some(&b) = bytes.next() {
        plain.push(if b == 0x7D {
            if *bytes.next().unwrap() == 0x02 {
                0x7E
            } else {
                0x7D
            }
        } else {
            b
        });
    }
    plain[12..plain.len() - 1].to_vec()
}
