//! Configuration: one typed struct from an optional TOML file plus `FENGQIAO_*` environment
//! variables (nested keys with `__`, e.g. `FENGQIAO_AUTH__LOCKOUT_SECS`). Secrets are never printed.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: String,
    /// `sqlite:PATH` or `postgres://…`; default: a SQLite file under `data_dir`.
    pub database_url: Option<String>,
    /// Where the embedded database and the generated secret key live.
    pub data_dir: PathBuf,
    /// Base64 of 32 bytes encrypting personal identifiers; generated into `data_dir` when absent.
    pub secret_key: Option<String>,
    /// `json` (production) or `pretty` (a terminal).
    pub log_format: String,
    pub auth: AuthSettings,
    /// IoT listeners, MQTT and the video webhook (`[iot]`); every input off unless configured.
    pub iot: fengqiao_iot::IotConfig,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    pub session_ttl_secs: i64,
    pub max_failed_logins: i64,
    pub lockout_secs: i64,
    pub secure_cookie: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        let d = fengqiao_http::AuthConfig::default();
        Self {
            session_ttl_secs: d.session_ttl_secs,
            max_failed_logins: d.max_failed_logins,
            lockout_secs: d.lockout_secs,
            secure_cookie: d.secure_cookie,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("fengqiao-data"),
            secret_key: None,
            log_format: "json".into(),
            auth: AuthSettings::default(),
            iot: fengqiao_iot::IotConfig::default(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("data_dir", &self.data_dir)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<hidden>"))
            .field("log_format", &self.log_format)
            .finish_non_exhaustive()
    }
}

/// Hides a password inside a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}://{user}:***@{}", &url[..s], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl Config {
    /// Defaults, then the TOML file (if given or `fengqiao.toml` exists), then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "config file {} does not exist",
                    path.display()
                );
                fig = fig.merge(Toml::file(path));
            }
            None => fig = fig.merge(Toml::file("fengqiao.toml")),
        }
        fig = fig.merge(Env::prefixed("FENGQIAO_").split("__").ignore(&[
            "test_pg_url",
            "test_mqtt_url",
            "log",
            "font_path",
            "font_bold_path",
            "config",
            "new_password",
        ]));
        fig.extract().context("invalid configuration")
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!("sqlite:{}", self.data_dir.join("fengqiao.sqlite").display())
        })
    }

    /// The configured key, or the one kept in `data_dir/secret.key` (created 0600 on first use).
    pub fn secret_key(&self) -> anyhow::Result<String> {
        if let Some(k) = &self.secret_key {
            return Ok(k.clone());
        }
        let path = self.data_dir.join("secret.key");
        if path.exists() {
            return Ok(std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?
                .trim()
                .to_owned());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating {}", self.data_dir.display()))?;
        let key = fengqiao_store::FieldCipher::generate_key_base64();
        write_private(&path, &key)?;
        Ok(key)
    }

    pub fn auth(&self) -> fengqiao_http::AuthConfig {
        fengqiao_http::AuthConfig {
            session_ttl_secs: self.auth.session_ttl_secs,
            max_failed_logins: self.auth.max_failed_logins,
            lockout_secs: self.auth.lockout_secs,
            secure_cookie: self.auth.secure_cookie,
        }
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://fq:s3cret@db:5432/fq"),
            "postgres://fq:***@db:5432/fq"
        );
        assert_eq!(redact_url("sqlite:x.sqlite"), "sqlite:x.sqlite");
        let c = Config {
            secret_key: Some("abc".into()),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("abc"));
    }
}
