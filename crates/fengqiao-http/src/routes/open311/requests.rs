//! Service requests: POST (a grid event with source `open311`, placed like any report), GET the
//! list (90-day window, at most 1000), one request, a token's request, and the first photo as
//! the public `media_url`.

use super::format::{Format, Node, O311Result, Open311Error, OrOpen311, respond};
use super::params::{MAX_RESULTS, Params, check_attributes, parse_instant, w3, window};
use super::services::{attributes_of, public_base, public_categories};
use super::status::{codes_for, extended, open_or_closed, step_words};
use crate::routes::grid_events::{place, seal_phone};
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use fengqiao_domain::grid_event::EventSource;
use fengqiao_store::AuditCtx;
use fengqiao_store::grid_events::{GridEventRow, NewGridEvent, OpenGridClockRow, StepRow};
use fengqiao_store::open311::{Open311KeyRow, Open311RequestRow, Open311Search};
use fengqiao_store::regions::RegionRow;
use std::collections::{HashMap, HashSet};

/// The key a write is made with: missing is a bad request, unknown or revoked is 403.
pub async fn authenticate(
    state: &AppState,
    params: &Params,
    format: Format,
) -> O311Result<Open311KeyRow> {
    let Some(secret) = params.get("api_key") else {
        return Err(Open311Error::bad(format, "api_key is required"));
    };
    state
        .store
        .open311_key_by_secret(secret)
        .await
        .o311(format)?
        .ok_or_else(|| Open311Error::forbidden(format, "invalid api_key"))
}

/// `jurisdiction_id`, when given, must be a region code of the city (its city, a district,
/// street, community or grid): lists are narrowed to it, and a request without a point in a
/// grid is filed there.
pub async fn jurisdiction(
    state: &AppState,
    params: &Params,
    format: Format,
) -> O311Result<Option<RegionRow>> {
    let Some(code) = params.get("jurisdiction_id") else {
        return Ok(None);
    };
    match state
        .store
        .get_region(&fengqiao_store::Scope::Everything, code)
        .await
    {
        Ok(r) => Ok(Some(r)),
        Err(fengqiao_store::StoreError::NotFound { .. }) => Err(Open311Error::bad(
            format,
            format!("jurisdiction_id `{code}` is not a region code of this city"),
        )),
        Err(e) => Err(Open311Error::from_store(format, e)),
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn limited<'a>(
    params: &'a Params,
    name: &str,
    max: usize,
    format: Format,
) -> O311Result<Option<&'a str>> {
    match params.get(name) {
        Some(v) if v.chars().count() > max => Err(Open311Error::bad(
            format,
            format!("{name} is longer than {max} characters"),
        )),
        other => Ok(other),
    }
}

fn coordinate(params: &Params, name: &str, format: Format) -> O311Result<Option<f64>> {
    params
        .get(name)
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| {
                    Open311Error::bad(format, format!("{name} must be a number (WGS-84 degrees)"))
                })
        })
        .transpose()
}

/// A public http(s) URL, as `media_url` must be.
pub fn check_media_url(url: Option<&str>, format: Format) -> O311Result<Option<String>> {
    match url {
        None => Ok(None),
        Some(u)
            if (u.starts_with("http://") || u.starts_with("https://"))
                && u.len() <= 2000
                && !u.contains(char::is_whitespace) =>
        {
            Ok(Some(u.to_owned()))
        }
        Some(_) => Err(Open311Error::bad(
            format,
            "media_url must be an http(s) URL of at most 2000 characters",
        )),
    }
}

/// 姓 and 名 in Chinese order; `first last` for Latin names.
pub fn person_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [last, first].into_iter().flatten().collect();
    if parts.is_empty() {
        return None;
    }
    if parts.iter().all(|p| p.is_ascii()) {
        let mut latin: Vec<&str> = [first, last].into_iter().flatten().collect();
        latin.retain(|p| !p.is_empty());
        Some(latin.join(" "))
    } else {
        Some(parts.concat())
    }
}

fn new_token() -> String {
    let bytes: [u8; 18] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// POST requests: checks the key, the service and its attributes, places the request (a point
/// through the grid index; an address alone in the `jurisdiction_id` region) and reports it as a
/// grid event.
pub async fn post(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
    format: Format,
) -> O311Result<Response> {
    let key = authenticate(state, params, format).await?;
    let Some(code) = params.get("service_code") else {
        return Err(Open311Error::bad(format, "service_code is required"));
    };
    let categories = public_categories(state, format).await?;
    let Some(category) = categories.iter().find(|c| c.code == code) else {
        return Err(Open311Error::not_found(
            format,
            format!("service_code `{code}` not found"),
        ));
    };
    let attributes = check_attributes(&attributes_of(category), &params.attributes())
        .map_err(|e| Open311Error::bad(format, e))?;
    let description = limited(params, "description", 4000, format)?;
    let address_string = limited(params, "address_string", 200, format)?;
    let address_id = limited(params, "address_id", 100, format)?;
    let email = limited(params, "email", 254, format)?;
    let first_name = limited(params, "first_name", 50, format)?;
    let last_name = limited(params, "last_name", 50, format)?;
    let device_id = limited(params, "device_id", 100, format)?;
    let account_id = limited(params, "account_id", 100, format)?;
    let media_url = check_media_url(params.get("media_url"), format)?;
    if let Some(e) = email
        && !e.split_once('@').is_some_and(|(u, d)| {
            !u.is_empty() && d.contains('.') && !e.contains(char::is_whitespace)
        })
    {
        return Err(Open311Error::bad(format, "email is not an e-mail address"));
    }
    let phone = match params.get("phone") {
        Some(p) => Some(seal_phone(state, "phone", p).o311(format)?),
        None => None,
    };
    let region = jurisdiction(state, params, format).await?;
    let lat = coordinate(params, "lat", format)?;
    let lng = coordinate(params, "long", format)?;
    let region_code = region.as_ref().map(|r| r.code.as_str());
    let placement = match (lat, lng) {
        (Some(_), Some(_)) => place(state, lat, lng, region_code).await.o311(format)?,
        (None, None) if address_string.is_some() || address_id.is_some() => match region_code {
            Some(code) => place(state, None, None, Some(code)).await.o311(format)?,
            None => {
                return Err(Open311Error::bad(
                    format,
                    "a request with an address but no lat/long needs jurisdiction_id: the code of \
                     the region (city, district, street, community or grid) the address lies in",
                ));
            }
        },
        (None, None) => {
            return Err(Open311Error::bad(
                format,
                "lat and long, or address_string with jurisdiction_id, are required",
            ));
        }
        _ => {
            return Err(Open311Error::bad(
                format,
                "lat and long must be given together",
            ));
        }
    };
    let address = address_string
        .map(str::to_owned)
        .or_else(|| address_id.map(|id| format!("地址编号 {id}")))
        .unwrap_or_default();
    let now = state.clock.now();
    let event_id = uuid::Uuid::now_v7().to_string();
    let token = new_token();
    let email_enc = match email {
        Some(e) => Some(
            state
                .cipher
                .encrypt(e)
                .map_err(|e| Open311Error::from_store(format, e))?,
        ),
        None => None,
    };
    let ctx = AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: request_id(headers),
        at: now,
    };
    // Written first: if the report then fails, the row names an event that never existed and
    // nothing reads it; the other order could leave an event without its token.
    state
        .store
        .record_open311_request(
            &ctx,
            &Open311RequestRow {
                event_id: event_id.clone(),
                token: token.clone(),
                api_key_id: key.id.clone(),
                media_url,
                email_enc,
                device_id: device_id.map(str::to_owned),
                account_id: account_id.map(str::to_owned),
                created_at: now.as_micros(),
            },
            &key.name,
        )
        .await
        .o311(format)?;
    let title = format!("{}：{}", category.name_zh, address.trim())
        .trim_end_matches('：')
        .to_owned();
    let new = NewGridEvent {
        id: event_id.clone(),
        category: category.code.clone(),
        title,
        description: description.unwrap_or(category.name_zh.as_str()).to_owned(),
        source: EventSource::Open311.code().to_owned(),
        lat,
        lng,
        address,
        grid_code: placement.grid_code,
        grid_codes: placement.grid_codes,
        region_path: placement.region_path,
        reporter_user_id: None,
        reporter_name: person_name(first_name, last_name)
            .unwrap_or_else(|| format!("{}（Open311）", key.name)),
        reporter_phone: phone,
        external_id: None,
        idempotency_key: None,
        attributes,
        urgent: false,
    };
    let outcome = state
        .store
        .report_grid_event(&ctx, &new)
        .await
        .o311(format)?;
    let mut notice = format!(
        "事件编号 {}，已登记，综治中心将在时限内受理并派遣处置",
        outcome.event.number
    );
    if !outcome.possible_duplicates.is_empty() {
        notice.push_str(&format!(
            "；附近已有相似的在办事件 {}",
            outcome.possible_duplicates.join("、")
        ));
    }
    let node = Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", Node::str(event_id)),
            ("token", Node::str(token)),
            ("service_notice", Node::str(notice)),
            ("account_id", Node::opt(account_id)),
        ])],
    );
    Ok(respond(format, StatusCode::OK, "service_requests", &node))
}

/// What the answer for a batch of events needs beside the events.
struct Context {
    names: HashMap<String, String>,
    departments: HashMap<String, String>,
    due: HashMap<String, chrono::NaiveDate>,
    last_steps: HashMap<String, StepRow>,
    images: HashSet<String>,
    media: HashMap<String, String>,
    base: String,
    extensions: bool,
}

async fn context(
    state: &AppState,
    headers: &HeaderMap,
    events: &[GridEventRow],
    extensions: bool,
    format: Format,
) -> O311Result<Context> {
    let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
    let store = &state.store;
    let names = store
        .grid_categories()
        .await
        .o311(format)?
        .into_iter()
        .map(|c| (c.code, c.name_zh))
        .collect();
    let departments = store
        .department_directory()
        .await
        .o311(format)?
        .into_iter()
        .map(|d| (d.org_id, d.name))
        .collect();
    let by_id: HashMap<&str, &GridEventRow> = events.iter().map(|e| (e.id.as_str(), e)).collect();
    let clock_rows: Vec<OpenGridClockRow> = store
        .open311_running_clocks(&ids)
        .await
        .o311(format)?
        .into_iter()
        .filter_map(|c| {
            let e = by_id.get(c.event_id.as_str())?;
            Some(OpenGridClockRow {
                clock_row_id: c.id,
                event_id: c.event_id,
                number: e.number.clone(),
                title: e.title.clone(),
                status: e.status.clone(),
                clock_id: c.clock_id,
                started_at: c.started_at,
                pauses_json: c.pauses_json,
                extensions_json: c.extensions_json,
                region_path: e.region_path.clone(),
                department_org_id: e.department_org_id.clone(),
                urgent: e.urgent,
            })
        })
        .collect();
    let due = if clock_rows.is_empty() {
        HashMap::new()
    } else {
        crate::routes::supervision::grid_states(
            &store.rules(),
            &clock_rows,
            state.clock.now().china_date(),
        )
        .o311(format)?
        .items
        .into_iter()
        .map(|i| (i.dispute_id, i.due))
        .collect()
    };
    let last_steps = store
        .open311_last_steps(&ids)
        .await
        .o311(format)?
        .into_iter()
        .map(|s| (s.event_id.clone(), s))
        .collect();
    let images = store
        .open311_first_images(&ids)
        .await
        .o311(format)?
        .into_iter()
        .map(|p| p.event_id)
        .collect();
    let media = store
        .open311_request_rows(&ids)
        .await
        .o311(format)?
        .into_iter()
        .filter_map(|r| Some((r.event_id, r.media_url?)))
        .collect();
    Ok(Context {
        names,
        departments,
        due,
        last_steps,
        images,
        media,
        base: public_base(headers),
        extensions,
    })
}

fn request_node(c: &Context, e: &GridEventRow) -> Node {
    let status = e.status().ok();
    let notes = c.last_steps.get(&e.id).map(|s| {
        if s.note.trim().is_empty() {
            step_words(&s.action).to_owned()
        } else {
            s.note.clone()
        }
    });
    let media = c.media.get(&e.id).cloned().or_else(|| {
        c.images
            .contains(&e.id)
            .then(|| format!("{}/open311/v2/media/{}", c.base, e.id))
    });
    let mut fields = vec![
        ("service_request_id", Node::str(e.id.clone())),
        ("status", Node::str(status.map_or("open", open_or_closed))),
        ("status_notes", Node::opt(notes)),
        (
            "service_name",
            Node::str(
                c.names
                    .get(&e.category)
                    .cloned()
                    .unwrap_or_else(|| e.category.clone()),
            ),
        ),
        ("service_code", Node::str(e.category.clone())),
        ("description", Node::str(e.description.clone())),
        (
            "agency_responsible",
            Node::opt(
                e.department_org_id
                    .as_ref()
                    .and_then(|d| c.departments.get(d).cloned()),
            ),
        ),
        (
            "service_notice",
            Node::str(format!("事件编号 {}", e.number)),
        ),
        ("requested_datetime", Node::str(w3(e.created_at))),
        ("updated_datetime", Node::str(w3(e.updated_at))),
        (
            "expected_datetime",
            // A step's limit is a day: due by the end of it, China time.
            Node::opt(c.due.get(&e.id).map(|d| format!("{d}T23:59:59+08:00"))),
        ),
        ("address", Node::opt(Some(e.address.clone()))),
        ("address_id", Node::Null),
        ("zipcode", Node::Null),
        ("lat", e.lat.map_or(Node::Null, Node::Float)),
        ("long", e.lng.map_or(Node::Null, Node::Float)),
        ("media_url", Node::opt(media)),
    ];
    if c.extensions {
        fields.push((
            "extended_attributes",
            Node::Obj(vec![
                ("number", Node::str(e.number.clone())),
                (
                    "extended_status",
                    Node::str(status.map_or("open", extended)),
                ),
                (
                    "status_label",
                    Node::str(status.map_or("", |s| s.label_zh())),
                ),
                ("grid_code", Node::opt(e.grid_code.clone())),
            ]),
        ));
    }
    Node::Obj(fields)
}

async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    events: &[GridEventRow],
    extensions: bool,
    format: Format,
) -> O311Result<Response> {
    let c = context(state, headers, events, extensions, format).await?;
    let items = events.iter().map(|e| request_node(&c, e)).collect();
    Ok(respond(
        format,
        StatusCode::OK,
        "service_requests",
        &Node::List("request", items),
    ))
}

/// Public category codes, for narrowing every read.
async fn visible_codes(state: &AppState, format: Format) -> O311Result<Vec<String>> {
    Ok(public_categories(state, format)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect())
}

/// One request as Open311 may show it (public category), or 404.
pub async fn visible_event(state: &AppState, id: &str, format: Format) -> O311Result<GridEventRow> {
    let found = state
        .store
        .open311_search(&Open311Search {
            ids: vec![id.to_owned()],
            categories: visible_codes(state, format).await?,
            limit: 1,
            ..Open311Search::default()
        })
        .await
        .o311(format)?;
    found.into_iter().next().ok_or_else(|| {
        Open311Error::not_found(format, format!("service_request_id `{id}` not found"))
    })
}

fn extensions(params: &Params) -> bool {
    params
        .get("extensions")
        .is_some_and(|v| v == "true" || v == "1")
}

/// GET requests: by ids (which override the other filters), or by service codes, status and the
/// `requested_datetime` window; newest first.
pub async fn search(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
    format: Format,
) -> O311Result<Response> {
    let region = jurisdiction(state, params, format).await?;
    let codes = visible_codes(state, format).await?;
    let mut s = Open311Search {
        categories: codes.clone(),
        region_path: region.map(|r| r.path),
        limit: MAX_RESULTS,
        ..Open311Search::default()
    };
    let ids = params.list("service_request_id");
    if !ids.is_empty() {
        s.ids = ids;
    } else {
        let wanted = params.list("service_code");
        if let Some(unknown) = wanted.iter().find(|w| !codes.contains(w)) {
            return Err(Open311Error::bad(
                format,
                format!("service_code `{unknown}` is not a service of this endpoint"),
            ));
        }
        if !wanted.is_empty() {
            s.categories = wanted;
        }
        let statuses = params.list("status");
        let mut open = false;
        let mut closed = false;
        for st in &statuses {
            match st.to_ascii_lowercase().as_str() {
                "open" => open = true,
                "closed" => closed = true,
                other => {
                    return Err(Open311Error::bad(
                        format,
                        format!("status `{other}` is not open or closed"),
                    ));
                }
            }
        }
        if open != closed {
            s.statuses = codes_for(open);
        }
        let bound = |name: &str, end: bool| -> O311Result<_> {
            params
                .get(name)
                .map(|v| {
                    parse_instant(v, end).ok_or_else(|| {
                        Open311Error::bad(
                            format,
                            format!(
                                "{name} must be a W3C datetime such as 2026-03-02T10:00:00+08:00"
                            ),
                        )
                    })
                })
                .transpose()
        };
        let (from, to) = window(
            bound("start_date", false)?,
            bound("end_date", true)?,
            state.clock.now(),
        )
        .map_err(|e| Open311Error::bad(format, e))?;
        s.created_from = Some(from);
        s.created_to = Some(to);
    }
    let events = state.store.open311_search(&s).await.o311(format)?;
    answer(state, headers, &events, extensions(params), format).await
}

/// GET requests/{id}: an array holding the one request.
pub async fn one(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
    id: &str,
    format: Format,
) -> O311Result<Response> {
    jurisdiction(state, params, format).await?;
    let event = visible_event(state, id, format).await?;
    answer(state, headers, &[event], extensions(params), format).await
}

/// GET tokens/{token}: the request a token stands for.
pub async fn token(state: &AppState, token: &str, format: Format) -> O311Result<Response> {
    let Some(id) = state
        .store
        .open311_event_by_token(token)
        .await
        .o311(format)?
    else {
        return Err(Open311Error::not_found(format, "token not found"));
    };
    let node = Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", Node::str(id)),
            ("token", Node::str(token)),
        ])],
    );
    Ok(respond(format, StatusCode::OK, "service_requests", &node))
}

/// GET media/{id}: the first image of a request (the scene photo), public like the request.
pub async fn media(state: &AppState, id: &str) -> O311Result<Response> {
    let format = Format::Xml;
    let event = visible_event(state, id, format).await?;
    let Some(photo) = state
        .store
        .open311_first_images(std::slice::from_ref(&event.id))
        .await
        .o311(format)?
        .into_iter()
        .next()
    else {
        return Err(Open311Error::not_found(format, "this request has no photo"));
    };
    let (_name, content_type, data) = state
        .store
        .grid_event_photo_data(&event.id, &photo.id)
        .await
        .o311(format)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        data,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_their_script() {
        assert_eq!(
            person_name(Some("美华"), Some("刘")).as_deref(),
            Some("刘美华")
        );
        assert_eq!(
            person_name(Some("Ada"), Some("Lovelace")).as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(person_name(None, Some("王")).as_deref(), Some("王"));
        assert_eq!(person_name(None, None), None);
    }

    #[test]
    fn media_urls_must_be_web_addresses() {
        assert!(check_media_url(Some("https://x.cn/a.jpg"), Format::Json).is_ok());
        assert!(check_media_url(Some("javascript:alert(1)"), Format::Json).is_err());
        assert!(check_media_url(Some("http://x.cn/a b.jpg"), Format::Json).is_err());
    }
}
