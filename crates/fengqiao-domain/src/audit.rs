//! The tamper-evident audit chain (全程留痕): each entry's hash covers the previous entry's hash.

use sha2::{Digest, Sha256};

/// The hash that stands before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry exactly as stored; the hash is computed over these texts, so re-serialising
/// JSON differently can never change a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at_micros: i64,
    pub actor_user_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: Option<String>,
}

impl AuditRecord {
    /// SHA-256 over the previous hash and every field, each length-prefixed so that no two
    /// different records can encode to the same bytes.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut put = |field: Option<&str>| match field {
            None => h.update(b"-"),
            Some(text) => {
                h.update(b"+");
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
        };
        put(Some(prev_hash));
        put(Some(&self.seq.to_string()));
        put(Some(&self.at_micros.to_string()));
        put(self.actor_user_id.as_deref());
        put(self.actor_org_id.as_deref());
        put(Some(&self.action));
        put(Some(&self.entity_type));
        put(Some(&self.entity_id));
        put(self.before_json.as_deref());
        put(self.after_json.as_deref());
        put(self.request_id.as_deref());
        hex::encode(h.finalize())
    }
}

/// Where and why a chain stops being trustworthy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: its content no longer matches its hash (altered after writing)")]
    HashMismatch { seq: i64 },
    #[error("entry {seq}: it does not link to the entry before it (entry removed or inserted)")]
    LinkMismatch { seq: i64 },
    #[error("entry {seq}: sequence gap, expected {expected}")]
    SequenceGap { seq: i64, expected: i64 },
}

/// Walks entries in sequence order, checking links and hashes; stops at the first bad entry.
/// Returns the number of entries checked and the last hash.
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            prev_hash: GENESIS_HASH.to_owned(),
            next_seq: 1,
            checked: 0,
        }
    }
}

impl ChainVerifier {
    /// Feed the next stored entry with its stored `prev_hash` and `hash`.
    pub fn check(
        &mut self,
        record: &AuditRecord,
        stored_prev: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        if record.seq != self.next_seq {
            return Err(ChainBreak::SequenceGap {
                seq: record.seq,
                expected: self.next_seq,
            });
        }
        if stored_prev != self.prev_hash {
            return Err(ChainBreak::LinkMismatch { seq: record.seq });
        }
        if record.chain_hash(stored_prev) != stored_hash {
            return Err(ChainBreak::HashMismatch { seq: record.seq });
        }
        self.prev_hash = stored_hash.to_owned();
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }
    pub fn checked(&self) -> u64 {
        self.checked
    }
    pub fn last_hash(&self) -> &str {
        &self.prev_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: i64, after: &str) -> AuditRecord {
        AuditRecord {
            seq,
            at_micros: 1_700_000_000_000_000 + seq,
            actor_user_id: Some("u1".into()),
            actor_org_id: None,
            action: "org.create".into(),
            entity_type: "org".into(),
            entity_id: format!("o{seq}"),
            before_json: None,
            after_json: Some(after.into()),
            request_id: Some("r".into()),
        }
    }

    fn chain(n: i64) -> Vec<(AuditRecord, String, String)> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let r = record(seq, &format!("{{\"n\":{seq}}}"));
                let h = r.chain_hash(&prev);
                let out = (r, prev.clone(), h.clone());
                prev = h;
                out
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let mut v = ChainVerifier::default();
        for (r, p, h) in chain(5) {
            v.check(&r, &p, &h).unwrap();
        }
        assert_eq!(v.checked(), 5);
    }

    #[test]
    fn an_altered_entry_is_named() {
        let mut entries = chain(5);
        entries[2].0.after_json = Some("{\"n\":999}".into());
        let mut v = ChainVerifier::default();
        let err = entries
            .iter()
            .try_for_each(|(r, p, h)| v.check(r, p, h))
            .unwrap_err();
        assert_eq!(err, ChainBreak::HashMismatch { seq: 3 });
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut entries = chain(5);
        entries.remove(1);
        let mut v = ChainVerifier::default();
        let err = entries
            .iter()
            .try_for_each(|(r, p, h)| v.check(r, p, h))
            .unwrap_err();
        assert_eq!(
            err,
            ChainBreak::SequenceGap {
                seq: 3,
                expected: 2
            }
        );
    }

    #[test]
    fn null_and_empty_differ() {
        let mut a = record(1, "x");
        a.actor_org_id = None;
        let mut b = a.clone();
        b.actor_org_id = Some(String::new());
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }
}
