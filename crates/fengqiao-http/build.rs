//! Rebuilds this crate when the web console's built assets appear or change, so the copy embedded
//! by `web.rs` (release) and the folder it reads (debug) are never stale.
fn main() {
    let dist = std::path::Path::new("../../web/dist");
    if dist.is_dir() {
        println!("cargo:rerun-if-changed=../../web/dist");
    } else {
        // Until the first `make web`, watch the whole front-end folder so the new dist/ is noticed.
        println!("cargo:rerun-if-changed=../../web");
    }
}
