//! Simulated terminals over real TCP: a GT06 tracker and a JT/T 808 terminal that log in,
//! report positions and read the platform's replies. Used by the integration tests and
//! `fengqiao bench iot`.

use bytes::{Buf, BytesMut};
use chrono::{DateTime, Utc};
use fengqiao_proto::gt06::{self, CellInfo, GpsFix, Imei};
use fengqiao_proto::jt808::{self, LocationReport, Phone, Registration, Terminal, Version};
use fengqiao_proto::{Angle, Scan, Strictness};
use std::io;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Reads until the framer yields one whole frame, and returns it.
async fn read_frame(
    stream: &mut TcpStream,
    buf: &mut BytesMut,
    scan: impl Fn(&[u8]) -> Scan,
) -> io::Result<Vec<u8>> {
    loop {
        match scan(buf) {
            Scan::Frame { len } => return Ok(buf.split_to(len).to_vec()),
            Scan::Skip { len, .. } => buf.advance(len.max(1).min(buf.len())),
            Scan::NeedMore => {
                if stream.read_buf(buf).await? == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "platform closed the connection",
                    ));
                }
            }
        }
    }
}

/// A GT06 tracker.
pub struct Gt06Device {
    stream: TcpStream,
    buf: BytesMut,
    imei: Imei,
    serial: u16,
}

/// A GT06 position fix from micro-degrees (the protocol counts 1/1,800,000 degree).
pub fn gt06_fix(time: DateTime<Utc>, lat_e6: i64, lon_e6: i64, speed_kmh: u8) -> GpsFix {
    let to_gt06 = |e6: i64| i32::try_from(e6 * 18 / 10).unwrap_or(0);
    GpsFix {
        time,
        satellites: 9,
        lat: Angle::gt06(to_gt06(lat_e6)),
        lon: Angle::gt06(to_gt06(lon_e6)),
        speed_kmh,
        course: 90,
        positioned: true,
        differential: false,
        ignition: None,
    }
}

const CELL: CellInfo = CellInfo {
    mcc: 460,
    mnc: 0,
    lac: 0x1234,
    cell_id: 0x00_5678,
};

impl Gt06Device {
    pub async fn connect(addr: &str, imei: &str) -> io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: BytesMut::with_capacity(256),
            imei: Imei::from_digits(imei).map_err(|e| invalid(e.to_string()))?,
            serial: 0,
        })
    }

    fn next_serial(&mut self) -> u16 {
        self.serial = self.serial.wrapping_add(1);
        self.serial
    }

    /// Sends the login and returns the platform's reply frame.
    pub async fn login(&mut self) -> io::Result<Vec<u8>> {
        let serial = self.next_serial();
        let frame = gt06::encode_login(&self.imei, serial);
        self.stream.write_all(&frame).await?;
        self.read_reply().await
    }

    /// The bytes of the next position report (0x12), for sending alone or in a burst.
    pub fn position_frame(&mut self, fix: &GpsFix) -> Vec<u8> {
        let serial = self.next_serial();
        gt06::encode_gps(fix, &CELL, serial)
    }

    /// A heartbeat (0x13 status), which the platform acknowledges.
    pub fn status_frame(&mut self) -> Vec<u8> {
        let serial = self.next_serial();
        gt06::encode_status(
            gt06::TerminalInfo(0x46),
            gt06::Battery::Level(6),
            4,
            0,
            serial,
        )
    }

    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await
    }

    pub async fn read_reply(&mut self) -> io::Result<Vec<u8>> {
        let framer = gt06::Framer::default();
        read_frame(&mut self.stream, &mut self.buf, |b| framer.scan(b)).await
    }
}

/// A JT/T 808 terminal (2013 edition).
pub struct Jt808Device {
    stream: TcpStream,
    buf: BytesMut,
    terminal: Terminal,
    serial: u16,
}

impl Jt808Device {
    pub async fn connect(addr: &str, phone: &str) -> io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: BytesMut::with_capacity(256),
            terminal: Terminal {
                phone: Phone::from_digits(phone, Version::V2013)
                    .map_err(|e| invalid(e.to_string()))?,
                version: Version::V2013,
            },
            serial: 0,
        })
    }

    fn next_serial(&mut self) -> u16 {
        self.serial = self.serial.wrapping_add(1);
        self.serial
    }

    /// Reads one platform frame and decodes it.
    pub async fn read_reply(&mut self) -> io::Result<(u16, Vec<u8>)> {
        let framer = jt808::Framer::default();
        let bytes = read_frame(&mut self.stream, &mut self.buf, |b| framer.scan(b)).await?;
        let frame =
            jt808::decode_frame(&bytes, Strictness::Strict).map_err(|e| invalid(e.to_string()))?;
        Ok((frame.header.msg_id, bytes))
    }

    /// Registers (0x0100) and returns the auth code from the 0x8100 reply.
    pub async fn register(&mut self, plate: &str) -> io::Result<String> {
        let serial = self.next_serial();
        let reg = Registration {
            province: 33,
            city: 9900,
            manufacturer: "FQSIM".into(),
            model: "SIM-808".into(),
            terminal_id: "T000001".into(),
            plate_color: 1,
            plate: plate.into(),
        };
        let frame = jt808::encode_register(&self.terminal, serial, &reg);
        self.stream.write_all(&frame).await?;
        let (_, bytes) = self.read_reply().await?;
        let frame =
            jt808::decode_frame(&bytes, Strictness::Strict).map_err(|e| invalid(e.to_string()))?;
        match frame.message {
            jt808::Message::RegisterResponse(r) if r.result == 0 => Ok(r.auth_code.text()),
            other => Err(invalid(format!("unexpected reply to register: {other:?}"))),
        }
    }

    /// Authenticates (0x0102) and returns the result code of the 0x8001 reply (0 = success).
    pub async fn auth(&mut self, code: &str) -> io::Result<u8> {
        let serial = self.next_serial();
        let frame = jt808::encode_auth(&self.terminal, serial, code, "", "");
        self.stream.write_all(&frame).await?;
        self.general_result().await
    }

    async fn general_result(&mut self) -> io::Result<u8> {
        let (_, bytes) = self.read_reply().await?;
        let frame =
            jt808::decode_frame(&bytes, Strictness::Strict).map_err(|e| invalid(e.to_string()))?;
        match frame.message {
            jt808::Message::PlatformResponse(r) => Ok(r.result),
            other => Err(invalid(format!("expected 0x8001, got {other:?}"))),
        }
    }

    pub fn location_frame(
        &mut self,
        time: DateTime<Utc>,
        lat_e6: i64,
        lon_e6: i64,
        speed_kmh: u16,
    ) -> Vec<u8> {
        let serial = self.next_serial();
        let report = LocationReport {
            alarm: 0,
            status: 0b10,
            lat_e6: i32::try_from(lat_e6).unwrap_or(0),
            lon_e6: i32::try_from(lon_e6).unwrap_or(0),
            altitude_m: 12,
            speed_tenths_kmh: speed_kmh * 10,
            course: 180,
            time,
            extras: Vec::new(),
        };
        jt808::encode_location(&self.terminal, serial, &report)
    }

    /// Sends a location report and returns the 0x8001 result.
    pub async fn report(
        &mut self,
        time: DateTime<Utc>,
        lat_e6: i64,
        lon_e6: i64,
        speed_kmh: u16,
    ) -> io::Result<u8> {
        let frame = self.location_frame(time, lat_e6, lon_e6, speed_kmh);
        self.stream.write_all(&frame).await?;
        self.general_result().await
    }

    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await
    }
}
