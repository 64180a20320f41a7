//! The frames on the socket: what clients may send, what the server sends, close codes.

use actix_ws::{CloseCode, CloseReason};
use bytestring::ByteString;
use krika_kernel::ports::Frame;
use serde_json::Value;
use uuid::Uuid;

/// Bad, expired or revoked token, suspended account, no auth in time.
pub const UNAUTHORIZED: u16 = 4401;

/// A frame the client may send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    /// `{"type":"auth","token":…}`: first frame, or a fresh token before expiry.
    Auth { token: String },
    /// `{"type":"ping"}`: answered with `{"type":"pong"}`.
    Ping,
}

/// Parses a client text frame; the error is the message of the `error` frame to answer.
pub fn parse(text: &str) -> Result<ClientFrame, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|_| "Frames must be JSON objects".to_owned())?;
    let Some(kind) = value.get("type").and_then(Value::as_str) else {
        return Err("A frame needs a string `type`".into());
    };
    match kind {
        "auth" => match value.get("token").and_then(Value::as_str) {
            Some(token) if !token.is_empty() => Ok(ClientFrame::Auth {
                token: token.to_owned(),
            }),
            _ => Err("An `auth` frame needs a string `token`".into()),
        },
        "ping" => Ok(ClientFrame::Ping),
        other => Err(format!(
            "Unknown frame type `{}`; expected `auth` or `ping`",
            other.chars().take(40).collect::<String>()
        )),
    }
}

/// A server frame with a fresh unique id.
pub fn server(kind: &str, data: Value) -> Frame {
    Frame::new(kind, Uuid::now_v7(), data)
}

/// The frame as sent: `{"type","id","data"}`.
pub fn encode(frame: &Frame) -> ByteString {
    ByteString::from(serde_json::to_string(frame).expect("a frame serialises"))
}

pub fn error(message: &str) -> Frame {
    server("error", serde_json::json!({ "message": message }))
}

pub fn close(code: CloseCode, reason: &str) -> CloseReason {
    CloseReason {
        code,
        description: Some(reason.to_owned()),
    }
}

pub fn unauthorized(reason: &str) -> CloseReason {
    close(CloseCode::Other(UNAUTHORIZED), reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_frames() {
        assert_eq!(
            parse(r#"{"type":"auth","token":"abc"}"#),
            Ok(ClientFrame::Auth {
                token: "abc".into()
            })
        );
        assert_eq!(parse(r#"{"type":"ping"}"#), Ok(ClientFrame::Ping));
        assert!(parse("not json").is_err());
        assert!(parse(r#"{"type":"auth"}"#).is_err());
        assert!(
            parse(r#"{"type":"subscribe"}"#)
                .unwrap_err()
                .contains("subscribe")
        );
        assert!(parse(r#"[1,2]"#).is_err());
    }

    #[test]
    fn server_frames_have_type_id_and_data() {
        let a = encode(&server("ready", serde_json::json!({"userId": "u"})));
        let b = encode(&server("ready", serde_json::json!({"userId": "u"})));
        let a: Value = serde_json::from_str(&a).unwrap();
        let b: Value = serde_json::from_str(&b).unwrap();
        assert_eq!(a["type"], "ready");
        assert_eq!(a["data"]["userId"], "u");
        assert_ne!(a["id"], b["id"]);
    }
}
