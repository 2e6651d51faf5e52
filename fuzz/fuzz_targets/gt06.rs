//! Fuzz target: arbitrary bytes through the GT06 framer, decoder (strict and lenient), reply and report.
#![no_main]

use fengqiao_proto::report::{ReportOptions, decode_report};
use fengqiao_proto::{Protocol, Scan, Strictness, gt06};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        if let Ok(frame) = gt06::decode_frame(data, strictness) {
            let _ = gt06::reply_for(&frame);
        }
    }
    let _ = decode_report(Protocol::Gt06, data, &ReportOptions::default());
    // Drain the input as a TCP stream would be; every step must make progress or ask for more.
    let framer = gt06::Framer::default();
    let mut rest = data;
    loop {
        match framer.scan(rest) {
            Scan::Frame { len } | Scan::Skip { len, .. } => {
                assert!(len > 0 && len <= rest.len());
                if let Some(frame) = rest.get(..len) {
                    let _ = gt06::decode_frame(frame, Strictness::Lenient);
                }
                rest = rest.get(len..).unwrap_or_default();
            }
            Scan::NeedMore => break,
        }
    }
});
