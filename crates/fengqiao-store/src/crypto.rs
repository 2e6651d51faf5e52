//! Field encryption for personal identifiers (PIPL): XChaCha20-Poly1305 at rest, plus a keyed
//! blind index (HMAC-SHA256) so equality lookups work without decrypting.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::StoreError;

const PREFIX: &str = "v1:";

/// Encrypts and indexes sensitive fields with keys derived from one 32-byte master key.
#[derive(Clone)]
pub struct FieldCipher {
    aead: XChaCha20Poly1305,
    index_key: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(<keys hidden>)")
    }
}

fn hmac(key: &[u8]) -> Hmac<Sha256> {
    #[allow(clippy::expect_used)] // HMAC takes keys of any length; InvalidLength cannot happen
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length")
}

/// HMAC keyed by the master key is a sound KDF for independent sub-keys from one secret.
fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = hmac(master);
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl FieldCipher {
    pub fn new(master_key: &[u8; 32]) -> Self {
        let enc = derive(master_key, b"fengqiao field encryption v1");
        Self {
            aead: XChaCha20Poly1305::new((&enc).into()),
            index_key: derive(master_key, b"fengqiao blind index v1"),
        }
    }

    /// Parses a base64-encoded 32-byte key (the `FENGQIAO_SECRET_KEY` format).
    pub fn from_base64(text: &str) -> Result<Self, StoreError> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|e| StoreError::Crypto(format!("secret key is not base64: {e}")))?;
        let key: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            StoreError::Crypto(format!("secret key must be 32 bytes, got {}", b.len()))
        })?;
        Ok(Self::new(&key))
    }

    /// A fresh random key in the base64 form `from_base64` reads.
    pub fn generate_key_base64() -> String {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        B64.encode(key)
    }

    pub fn encrypt(&self, plaintext: &str) -> Result<String, StoreError> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .aead
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| StoreError::Crypto("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", B64.encode(out)))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, StoreError> {
        let body = stored
            .strip_prefix(PREFIX)
            .ok_or_else(|| StoreError::Crypto("unknown ciphertext version".into()))?;
        let bytes = B64
            .decode(body)
            .map_err(|_| StoreError::Crypto("ciphertext is not base64".into()))?;
        if bytes.len() < 24 + 16 {
            return Err(StoreError::Crypto("ciphertext too short".into()));
        }
        let (nonce, sealed) = bytes.split_at(24);
        let plain = self
            .aead
            .decrypt(XNonce::from_slice(nonce), sealed)
            .map_err(|_| {
                StoreError::Crypto("ciphertext does not authenticate (wrong key or altered)".into())
            })?;
        String::from_utf8(plain).map_err(|_| StoreError::Crypto("plaintext is not UTF-8".into()))
    }

    /// Deterministic keyed digest of a normalised value, for equality search.
    pub fn blind_index(&self, normalised: &str) -> String {
        let mut mac = hmac(&self.index_key);
        mac.update(normalised.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_hides() {
        let c = FieldCipher::new(&[7u8; 32]);
        let a = c.encrypt("330102199001011234").unwrap();
        let b = c.encrypt("330102199001011234").unwrap();
        assert_ne!(a, b, "a fresh nonce per value");
        assert!(!a.contains("1990"));
        assert_eq!(c.decrypt(&a).unwrap(), "330102199001011234");
        assert_eq!(c.blind_index("13800001111"), c.blind_index("13800001111"));
        assert_ne!(c.blind_index("13800001111"), c.blind_index("13800001112"));
    }

    #[test]
    fn rejects_wrong_key_and_tampering() {
        let c = FieldCipher::new(&[7u8; 32]);
        let other = FieldCipher::new(&[8u8; 32]);
        let sealed = c.encrypt("13800001111").unwrap();
        assert!(other.decrypt(&sealed).is_err());
        let mut bytes = B64.decode(&sealed[3..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(c.decrypt(&format!("v1:{}", B64.encode(bytes))).is_err());
    }

    #[test]
    fn key_parsing_names_the_problem() {
        assert!(FieldCipher::from_base64("not base64!").is_err());
        assert!(FieldCipher::from_base64(&B64.encode([1u8; 16])).is_err());
        assert!(FieldCipher::from_base64(&FieldCipher::generate_key_base64()).is_ok());
    }
}
