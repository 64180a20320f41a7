//! README.md, Real time: `GET /api/v1/ws` upgrades to the real-time WebSocket.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult, ErrorResponse};
use crate::realtime::socket;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SocketQuery {
    /// An `accessToken`. Without it, the first frame must be `{"type":"auth","token":…}`.
    pub token: Option<String>,
}

/// Open the real-time socket
///
/// Upgrades to a WebSocket (`ws://` or `wss://`). The HTTP request needs no `Authorization`
/// header: authenticate with `?token=<accessToken>`, or with a first text frame
/// `{"type":"auth","token":"<accessToken>"}` within 10 s. Every frame is a JSON text frame.
///
/// **Server → client** (each `{"type", "id", "data"}`, `id` unique so a client can drop
/// duplicates):
/// - `ready` `{userId}`: authenticated and subscribed (also the answer to a later `auth`);
/// - `message.created`, `conversation.read` `{conversationId, readerId, readAt}`,
///   `order.updated`, `notification.created`: events concerning the user, from any instance;
/// - `token.expiring` `{expiresAt}`: 60 s before the access token expires; send a fresh
///   token in an `auth` frame (refresh it with `POST /api/v1/auth/refresh`);
/// - `pong` `{}`: answer to a client `ping`;
/// - `error` `{message}`: the client frame was not JSON or had an unknown `type`; the
///   socket stays open.
///
/// **Client → server:** `auth` `{"type":"auth","token":…}` (first frame, or a fresh token
/// of the same user before expiry) and `ping` `{"type":"ping"}`. The server also sends
/// WebSocket pings every 30 s; a socket silent for 90 s is closed.
///
/// **Close codes:** 4401 bad, expired or revoked token, suspended or deleted account,
/// password reset, logout of the socket's session (`Signed out`; the user's other sessions
/// keep theirs), no `auth` frame within 10 s, token expired without a refresh, or a token of
/// another user; 1009 client frame over 64 KiB; 1013 the client reads too slowly (reconnect
/// and refetch over REST); 1001 server shutting down (reconnect); 1000 no answer to pings
/// for 90 s; 1011 try again later.
#[utoipa::path(
    tag = "messages",
    operation_id = "openRealtimeSocket",
    params(SocketQuery),
    security(()),
    responses(
        (status = 101, description = "Switching Protocols: the socket is open; authentication follows over it"),
        (status = 400, description = "Not a WebSocket upgrade request", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/ws")]
pub async fn open_realtime_socket(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    query: web::Query<SocketQuery>,
) -> ApiResult<HttpResponse> {
    let (response, session, stream) = actix_ws::handle(&req, body)
        .map_err(|_| ApiError::bad_request("Expected a WebSocket upgrade request"))?;
    let token = query.into_inner().token.filter(|t| !t.is_empty());
    actix_web::rt::spawn(socket::run(
        state.realtime.clone(),
        state.identity.clone(),
        state.clock.clone(),
        session,
        stream,
        token,
    ));
    Ok(response)
}
