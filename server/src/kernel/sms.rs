//! Login codes by SMS: a JSON POST to a configurable gateway (`LINLI_SMS_URL`), the second
//! implementation of `CodeSender` beside the log. Plain HTTP only for now: in a government network
//! the SMS platform is usually an intranet service; an HTTPS gateway needs a TLS-terminating relay.

use domain::account::phone::Phone;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use std::time::Duration;

/// How long a gateway may take before the code counts as not sent.
const TIMEOUT: Duration = Duration::from_secs(5);

pub struct SmsGatewaySender {
    url: hyper::Uri,
    token: Option<String>,
}

impl SmsGatewaySender {
    /// `url` must be `http://host[:port]/path`.
    pub fn new(url: &str, token: Option<String>) -> Result<SmsGatewaySender, String> {
        let uri: hyper::Uri = url.parse().map_err(|_| format!("{url:?} is not a URL"))?;
        if uri.scheme_str() != Some("http") || uri.host().is_none() {
            return Err(format!("{url:?} must be an http:// URL with a host"));
        }
        Ok(SmsGatewaySender { url: uri, token })
    }

    async fn post(&self, body: String) -> Result<(u16, String), String> {
        let host = self.url.host().unwrap_or_default().to_owned();
        let port = self.url.port_u16().unwrap_or(80);
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("cannot reach the SMS gateway at {host}:{port}: {e}"))?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp))
                .await
                .map_err(|e| format!("SMS gateway handshake: {e}"))?;
        tokio::spawn(conn);
        let path = self
            .url
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let mut req = hyper::Request::post(path)
            .header(
                "host",
                self.url.authority().map(|a| a.as_str()).unwrap_or(&host),
            )
            .header("content-type", "application/json");
        if let Some(token) = &self.token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        let req = req
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let res = sender
            .send_request(req)
            .await
            .map_err(|e| format!("SMS gateway request: {e}"))?;
        let status = res.status().as_u16();
        let text = res
            .into_body()
            .collect()
            .await
            .map(|b| {
                String::from_utf8_lossy(&b.to_bytes())
                    .chars()
                    .take(200)
                    .collect()
            })
            .unwrap_or_default();
        Ok((status, text))
    }
}

#[async_trait::async_trait]
impl CodeSender for SmsGatewaySender {
    async fn send(&self, phone: &Phone, code: &str) -> Result<(), String> {
        let body = serde_json::json!({
            "phone": phone.e164(),
            "template": "login_code",
            "params": { "code": code, "minutes": 5 },
        })
        .to_string();
        match tokio::time::timeout(TIMEOUT, self.post(body)).await {
            Err(_) => Err("the SMS gateway did not answer within 5 s".into()),
            Ok(Err(e)) => Err(e),
            Ok(Ok((status, _))) if (200..300).contains(&status) => {
                tracing::info!(phone = %phone.masked(), "login code sent by SMS");
                Ok(())
            }
            // Only the status: a gateway that echoes the request would put the code in the log.
            Ok(Ok((status, _))) => Err(format!("the SMS gateway answered {status}")),
        }
    }
}

/// Delivers a login code. Without a gateway the log stands in (`auth::LogSender`); an SMS gateway
/// is the other implementation, behind configuration.
#[async_trait::async_trait]
pub trait CodeSender: Send + Sync {
    async fn send(&self, phone: &Phone, code: &str) -> Result<(), String>;
}
