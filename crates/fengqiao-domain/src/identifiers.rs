//! Personal and entity identifiers (being written).
