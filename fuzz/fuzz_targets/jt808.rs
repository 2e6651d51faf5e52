//! Fuzz target: arbitrary bytes through the JT/T 808 framer, decoder (strict and lenient), reply and report.
#![no_main]

use fengqiao_proto::report::{ReportOptions, decode_report};
use fengqiao_proto::{Protocol, Scan, Strictness, jt808};
use libfuzzer_sys::fuzz_target;

fn exercise(frame: &jt808::Frame<'_>) {
    let _ = jt808::reply_for(frame, 1, "fuzz");
    match &frame.message {
        jt808::Message::Location(location) => {
            let _ = location.extras.iter().count();
        }
        jt808::Message::LocationBatch(batch) => {
            // The decoder checked every item, so iterating cannot fail.
            assert!(batch.positions().all(|item| item.is_ok()));
        }
        jt808::Message::Register(register) => {
            let _ = register.plate_text();
        }
        jt808::Message::Fragment { body } => {
            // Treat the fragment as if it were the whole reassembled body.
            let _ = jt808::decode_body(&frame.header, &body.to_cow());
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        if let Ok(frame) = jt808::decode_frame(data, strictness) {
            exercise(&frame);
        }
    }
    let _ = decode_report(Protocol::Jt808, data, &ReportOptions::default());
    let framer = jt808::Framer::default();
    let mut rest = data;
    loop {
        match framer.scan(rest) {
            Scan::Frame { len } | Scan::Skip { len, .. } => {
                assert!(len > 0 && len <= rest.len());
                if let Some(frame) = rest.get(..len) {
                    let _ = jt808::decode_frame(frame, Strictness::Lenient);
                }
                rest = rest.get(len..).unwrap_or_default();
            }
            Scan::NeedMore => break,
        }
    }
});
