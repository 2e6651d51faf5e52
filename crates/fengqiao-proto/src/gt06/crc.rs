//! CRC-16/X-25 (poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF), the GT06 frame check.

const POLY_REFLECTED: u16 = 0x8408;

/// One table entry per byte value, built at compile time so the hot path is a lookup per byte.
const TABLE: [u16; 256] = build_table();

#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: a bad index fails the build, not a decode"
)]
const fn build_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut crc = byte as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY_REFLECTED
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[byte] = crc;
        byte += 1;
    }
    table
}

/// CRC-16/X-25 of `data`. GT06 covers the bytes from the length field through the serial number.
pub fn crc16_x25(data: &[u8]) -> u16 {
    let crc = data.iter().fold(0xFFFFu16, |crc, &b| {
        let index = usize::from((crc ^ u16::from(b)) & 0xFF);
        (crc >> 8) ^ TABLE.get(index).copied().unwrap_or(0)
    });
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_check_value() {
        // The standard check value of CRC-16/X-25 over ASCII "123456789".
        assert_eq!(crc16_x25(b"123456789"), 0x906E);
    }

    #[test]
    fn gt06_login_frame_crc() {
        // login-1 in testdata: CRC over 0D 01 <imei> 00 09 is 3F 04.
        let covered = [
            0x0D, 0x01, 0x08, 0x64, 0x71, 0x70, 0x03, 0x28, 0x35, 0x81, 0x00, 0x09,
        ];
        assert_eq!(crc16_x25(&covered), 0x3F04);
    }
}
