//! The embedded web front end: the staff console at `/` and the citizen page at `/m/`, built by
//! Vite into `web/dist/` and compiled into the binary (read from disk in debug builds).
//!
//! Unknown GET paths fall back to the page's entry so the single-page app can route them; paths
//! under `/api/` and other methods keep the API's JSON 404. Hashed files under `/assets/` are
//! cached for a year, HTML is revalidated every time. When the assets were not built, `/` says
//! how to build them, so `cargo build` works on a machine without Node.

use crate::error::ApiError;
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// Vite's output, relative to this crate's Cargo.toml. Missing until `make web` has run.
#[derive(rust_embed::Embed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct EmbeddedAssets;

/// Deployment settings handed to the console as `/console-config.json`. Deserialisable so the
/// binary's configuration can carry it (e.g. `[web] map_tile_url = "…"`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebOptions {
    /// XYZ tile URL template for the region map (`https://tiles.example/{z}/{x}/{y}.png`). None by
    /// default: the map then draws the GeoJSON polygons alone and contacts no outside server.
    pub map_tile_url: Option<String>,
    /// Attribution shown under the tiles, as their licence asks.
    pub map_tile_attribution: Option<String>,
}

/// One file of the built front end.
pub struct Asset {
    pub bytes: Cow<'static, [u8]>,
    /// SHA-256 of the content, used as the ETag.
    pub sha256: [u8; 32],
}

/// Where the built files come from: the binary itself, or a fixed set in tests.
pub trait AssetSource: Send + Sync {
    /// The file at `path` (relative, no leading slash), if there is one.
    fn get(&self, path: &str) -> Option<Asset>;
}

struct Embedded;

impl AssetSource for Embedded {
    fn get(&self, path: &str) -> Option<Asset> {
        EmbeddedAssets::get(path).map(|file| Asset {
            sha256: file.metadata.sha256_hash(),
            bytes: file.data,
        })
    }
}

/// Entry page of the console.
const CONSOLE_ENTRY: &str = "index.html";
/// Entry page of the citizen page.
const CITIZEN_ENTRY: &str = "m/index.html";
/// Vite puts every content-hashed file here, so its name changes whenever its content does.
const HASHED_DIR: &str = "assets/";

const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
const CACHE_REVALIDATE: &str = "no-cache";
const CACHE_SHORT: &str = "public, max-age=3600";

/// Map tiles may come from a configured server, so images may load from any http(s) origin;
/// everything else stays on this origin. Element Plus sets inline styles, hence 'unsafe-inline'
/// for styles (never for scripts).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; \
     font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// Shown at `/` when the front end was not built into this binary.
const NOT_BUILT_PAGE: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>枫桥 · 控制台未构建</title></head>\
<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.7\">\
<h1>枫桥管理控制台尚未构建</h1>\
<p>这个 fengqiao 程序构建时没有包含网页控制台。请在源码根目录运行 <code>make demo</code>\
（它会执行 <code>npm ci</code> 并构建 <code>web/</code>，再编译并启动服务），然后刷新本页。</p>\
<p>API 不受影响：<a href=\"/api/docs\">/api/docs</a>、<a href=\"/healthz\">/healthz</a>。</p>\
<p lang=\"en\" style=\"color:#666\">The web console was not built into this binary: run <code>make demo</code> \
in the source tree, then reload.</p></body></html>\n";

/// The console and citizen page served from the binary's embedded assets.
pub fn router<S: Clone + Send + Sync + 'static>(options: WebOptions) -> Router<S> {
    router_with(Arc::new(Embedded), options)
}

/// The same router over any asset source (tests use a fixed set of files).
pub fn router_with<S: Clone + Send + Sync + 'static>(
    source: Arc<dyn AssetSource>,
    options: WebOptions,
) -> Router<S> {
    let options = Arc::new(options);
    Router::new()
        .route(
            "/console-config.json",
            get(move || {
                let options = Arc::clone(&options);
                async move {
                    (
                        [(
                            header::CACHE_CONTROL,
                            HeaderValue::from_static(CACHE_REVALIDATE),
                        )],
                        Json(options.as_ref().clone()),
                    )
                }
            }),
        )
        .fallback(move |request: Request| {
            let source = Arc::clone(&source);
            async move {
                serve(
                    source.as_ref(),
                    request.method(),
                    request.uri().path(),
                    request.headers(),
                )
            }
        })
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// A JSON 404 from the API (API paths, other methods, unsafe paths).
    ApiNotFound,
    /// `/m` without its slash: the citizen page lives at `/m/`.
    RedirectToCitizen,
    /// This file, or when there is none, this entry page (`None`: a plain 404).
    File {
        path: &'a str,
        fallback: Option<&'static str>,
    },
}

fn classify<'a>(method: &Method, path: &'a str) -> Target<'a> {
    if method != Method::GET && method != Method::HEAD {
        return Target::ApiNotFound;
    }
    if path == "/api" || path.starts_with("/api/") {
        return Target::ApiNotFound;
    }
    let relative = path.trim_start_matches('/');
    if relative
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
        || relative.contains('\\')
    {
        return Target::ApiNotFound;
    }
    if relative == "m" {
        return Target::RedirectToCitizen;
    }
    if relative.is_empty() {
        return Target::File {
            path: CONSOLE_ENTRY,
            fallback: None,
        };
    }
    if relative == "m/" {
        return Target::File {
            path: CITIZEN_ENTRY,
            fallback: None,
        };
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    // A missing file (it has an extension, or is under /assets/) is a 404, never the HTML entry:
    // answering a script request with HTML only produces a confusing MIME error in the browser.
    let looks_like_file = last.contains('.') || relative.starts_with(HASHED_DIR);
    let fallback = if looks_like_file {
        None
    } else if relative.starts_with("m/") {
        Some(CITIZEN_ENTRY)
    } else {
        Some(CONSOLE_ENTRY)
    };
    Target::File {
        path: relative,
        fallback,
    }
}

fn serve(source: &dyn AssetSource, method: &Method, path: &str, headers: &HeaderMap) -> Response {
    match classify(method, path) {
        Target::ApiNotFound => ApiError::NotFound { entity: "endpoint" }.into_response(),
        Target::RedirectToCitizen => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, HeaderValue::from_static("/m/"))],
        )
            .into_response(),
        Target::File { path, fallback } => {
            let found = source.get(path).map(|asset| (path, asset)).or_else(|| {
                fallback.and_then(|entry| source.get(entry).map(|asset| (entry, asset)))
            });
            match found {
                Some((served, asset)) => file_response(served, asset, headers),
                None if fallback.is_some() || is_entry(path) => not_built(),
                None => (
                    StatusCode::NOT_FOUND,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "404 not found\n",
                )
                    .into_response(),
            }
        }
    }
}

fn is_entry(path: &str) -> bool {
    path == CONSOLE_ENTRY || path == CITIZEN_ENTRY
}

/// The entry page is missing: either the assets were never built, or (for any SPA path) the same.
fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE_REVALIDATE),
        ],
        NOT_BUILT_PAGE,
    )
        .into_response()
}

fn etag_of(sha256: &[u8; 32]) -> String {
    // The first 16 bytes are plenty to tell two builds apart.
    let hex: String = sha256.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn file_response(served: &str, asset: Asset, request_headers: &HeaderMap) -> Response {
    let content_type = content_type_of(served);
    let cache = if served.starts_with(HASHED_DIR) {
        CACHE_IMMUTABLE
    } else if served.ends_with(".html") {
        CACHE_REVALIDATE
    } else {
        CACHE_SHORT
    };
    let etag = etag_of(&asset.sha256);
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if served.ends_with(".html") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    let unchanged = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // For HEAD, hyper sends the headers (with the length) and drops the body itself.
    (
        StatusCode::OK,
        headers,
        Body::from(asset.bytes.into_owned()),
    )
        .into_response()
}

/// Content types of the files Vite emits.
fn content_type_of(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;
    use http_body_util::BodyExt;
    use std::collections::HashMap;
    use tower::ServiceExt;

    /// A fixed set of files standing in for Vite's output.
    struct Files(HashMap<&'static str, &'static str>);

    impl AssetSource for Files {
        fn get(&self, path: &str) -> Option<Asset> {
            self.0.get(path).map(|text| Asset {
                bytes: Cow::Borrowed(text.as_bytes()),
                sha256: [text.len() as u8; 32],
            })
        }
    }

    fn built() -> Arc<dyn AssetSource> {
        Arc::new(Files(HashMap::from([
            ("index.html", "<html>console</html>"),
            ("m/index.html", "<html>citizen</html>"),
            ("assets/console-Ab12Cd.js", "console.log(1)"),
            ("assets/console-Ab12Cd.css", "body{}"),
            ("favicon.svg", "<svg/>"),
        ])))
    }

    fn not_built() -> Arc<dyn AssetSource> {
        Arc::new(Files(HashMap::new()))
    }

    async fn call(
        source: Arc<dyn AssetSource>,
        method: &str,
        path: &str,
        etag: Option<&str>,
    ) -> (StatusCode, HeaderMap, String) {
        let app: Router = router_with(source, WebOptions::default());
        let mut request = HttpRequest::builder().method(method).uri(path);
        if let Some(tag) = etag {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        let response = app
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    fn header_of(headers: &HeaderMap, name: header::HeaderName) -> &str {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn root_serves_the_console_entry_revalidated_with_a_csp() {
        let (status, headers, body) = call(built(), "GET", "/", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "<html>console</html>");
        assert_eq!(
            header_of(&headers, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(header_of(&headers, header::CACHE_CONTROL), "no-cache");
        assert!(header_of(&headers, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
    }

    #[tokio::test]
    async fn unknown_console_paths_fall_back_to_the_console_entry() {
        for path in ["/admin/users", "/overview", "/admin/regions/339902"] {
            let (status, _, body) = call(built(), "GET", path, None).await;
            assert_eq!(
                (status, body.as_str()),
                (StatusCode::OK, "<html>console</html>"),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn citizen_paths_serve_the_citizen_entry() {
        for path in ["/m/", "/m/track", "/m/case/ABC123"] {
            let (status, _, body) = call(built(), "GET", path, None).await;
            assert_eq!(
                (status, body.as_str()),
                (StatusCode::OK, "<html>citizen</html>"),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn bare_m_redirects_to_the_citizen_page() {
        let (status, headers, _) = call(built(), "GET", "/m", None).await;
        assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
        assert_eq!(header_of(&headers, header::LOCATION), "/m/");
    }

    #[tokio::test]
    async fn hashed_assets_get_their_type_and_a_year_of_cache() {
        let (status, headers, body) = call(built(), "GET", "/assets/console-Ab12Cd.js", None).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "console.log(1)"));
        assert_eq!(
            header_of(&headers, header::CONTENT_TYPE),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            header_of(&headers, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        let (_, headers, _) = call(built(), "GET", "/assets/console-Ab12Cd.css", None).await;
        assert_eq!(
            header_of(&headers, header::CONTENT_TYPE),
            "text/css; charset=utf-8"
        );
        let (_, headers, _) = call(built(), "GET", "/favicon.svg", None).await;
        assert_eq!(header_of(&headers, header::CONTENT_TYPE), "image/svg+xml");
        assert_eq!(
            header_of(&headers, header::CACHE_CONTROL),
            "public, max-age=3600"
        );
    }

    #[tokio::test]
    async fn a_missing_asset_is_a_404_not_the_html_entry() {
        for path in ["/assets/gone-123.js", "/favicon.ico", "/m/missing.png"] {
            let (status, _, body) = call(built(), "GET", path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!body.contains("<html>"), "{path}");
        }
    }

    #[tokio::test]
    async fn api_paths_other_methods_and_traversal_keep_the_json_404() {
        for (method, path) in [
            ("GET", "/api/v2/nothing"),
            ("GET", "/api"),
            ("POST", "/overview"),
            ("DELETE", "/"),
            ("GET", "/assets/../index.html"),
        ] {
            let (status, headers, body) = call(built(), method, path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
            assert!(
                header_of(&headers, header::CONTENT_TYPE).starts_with("application/json"),
                "{method} {path}"
            );
            assert!(
                body.contains("\"code\":\"not_found\""),
                "{method} {path}: {body}"
            );
        }
    }

    #[tokio::test]
    async fn a_matching_etag_answers_304() {
        let (_, headers, _) = call(built(), "GET", "/", None).await;
        let etag = header_of(&headers, header::ETAG).to_owned();
        assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
        let (status, _, body) = call(built(), "GET", "/", Some(&etag)).await;
        assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
        let (status, _, _) = call(built(), "GET", "/", Some("\"other\"")).await;
        assert_eq!(status, StatusCode::OK);
    }

    #[tokio::test]
    async fn without_built_assets_the_root_says_to_run_make_demo() {
        for path in ["/", "/m/", "/admin/users"] {
            let (status, headers, body) = call(not_built(), "GET", path, None).await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert_eq!(
                header_of(&headers, header::CONTENT_TYPE),
                "text/html; charset=utf-8"
            );
            assert!(
                body.contains("make demo") && body.contains("尚未构建"),
                "{path}"
            );
        }
        let (status, _, _) = call(not_built(), "GET", "/assets/x-1.js", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn console_config_carries_the_tile_settings() {
        let options = WebOptions {
            map_tile_url: Some("https://tiles.example/{z}/{x}/{y}.png".into()),
            map_tile_attribution: Some("© 测绘".into()),
        };
        let app: Router = router_with(not_built(), options);
        let response = app
            .oneshot(
                HttpRequest::get("/console-config.json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json["map_tile_url"],
            "https://tiles.example/{z}/{x}/{y}.png"
        );
        assert_eq!(json["map_tile_attribution"], "© 测绘");
        let (_, _, default_body) = call(not_built(), "GET", "/console-config.json", None).await;
        assert_eq!(
            default_body,
            r#"{"map_tile_url":null,"map_tile_attribution":null}"#
        );
    }

    #[test]
    fn content_types_cover_what_vite_emits() {
        assert_eq!(
            content_type_of("assets/a.MJS"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type_of("assets/font.woff2"), "font/woff2");
        assert_eq!(content_type_of("assets/a.js.map"), "application/json");
        assert_eq!(content_type_of("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn the_embedded_source_answers_without_panicking_whether_built_or_not() {
        // Built or not, a path that Vite never emits is absent.
        assert!(Embedded.get("no/such/file.txt").is_none());
    }
}
