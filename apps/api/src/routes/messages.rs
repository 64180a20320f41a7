//! README.md, Messaging: conversations and messages. Nobody sees a conversation they are not part of
//! (404); admins read a disputed order's conversation, never post in it.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use krika_kernel::{FieldError, PageRequest};
use krika_messaging::{ConversationId, Message as DomainMessage, Target, Upload, Viewer};
use uuid::Uuid;

use super::multipart::read_form;
use crate::dto::messages::*;
use crate::dto::reply;
use crate::error::{ApiError, ApiResult, ErrorResponse};
use crate::extract::{Auth, Json};
use crate::state::{ATTACHMENT_MAX_BYTES, AppState};

pub fn viewer(auth: &Auth) -> Viewer {
    Viewer {
        id: auth.0.user.id,
        is_admin: auth.0.is_admin(),
    }
}

/// A message as the contract shows it, attachments behind fresh signed links.
pub async fn message_dto(state: &AppState, message: &DomainMessage) -> ApiResult<Message> {
    Ok(state.messaging.message_view(message).await?.into())
}

/// List my conversations
///
/// Most recently active first, each with its participants, the order it is about (if any),
/// its last message and the caller's unread count.
#[utoipa::path(
    tag = "messages",
    operation_id = "listConversations",
    params(crate::dto::page::PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of conversations", body = ConversationListResponse),
        (status = 400, description = "Unparsable query", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 422, description = "`page` or `limit` out of range", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/messages/conversations")]
pub async fn list_conversations(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<crate::dto::page::PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.request()?;
    let conversations = state.messaging.conversations(&viewer(&auth), page).await?;
    let mut lasts = Vec::with_capacity(conversations.items.len());
    for summary in &conversations.items {
        lasts.push(match &summary.last_message {
            Some(m) => Some(message_dto(&state, m).await?),
            None => None,
        });
    }
    let mut lasts = lasts.into_iter();
    let list = ConversationList::new(conversations, |summary| {
        Conversation::new(summary, lasts.next().flatten())
    });
    Ok(reply(StatusCode::OK, ConversationListResponse::from(list)))
}

/// Read a conversation
///
/// Its messages, newest first (`limit` defaults to 50). Participants only; an admin may read
/// the conversation of a `disputed` order (logged), nothing else.
#[utoipa::path(
    tag = "messages",
    operation_id = "listConversationMessages",
    params(("conversationId" = Uuid, Path), MessagesQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of messages", body = MessageListResponse),
        (status = 400, description = "Unparsable path or query", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 404, description = "No such conversation, or not the caller's", body = ErrorResponse),
        (status = 422, description = "`page` or `limit` out of range", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[get("/messages/conversations/{conversationId}")]
pub async fn list_conversation_messages(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
    query: web::Query<MessagesQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::parse(query.page, query.limit, 50).map_err(ApiError::validation)?;
    let id = ConversationId(path.into_inner());
    let messages = state.messaging.messages(&viewer(&auth), id, page).await?;
    let mut dtos = Vec::with_capacity(messages.items.len());
    for m in &messages.items {
        dtos.push(message_dto(&state, m).await?);
    }
    let mut dtos = dtos.into_iter();
    let list = MessageList::new(messages, |_| dtos.next().expect("one DTO per message"));
    Ok(reply(StatusCode::OK, MessageListResponse::from(list)))
}

/// Send a message
///
/// Into one of the caller's conversations (`conversationId`), or to a user (`recipientId`,
/// optionally about an order of theirs together: `orderId`), which opens the pair's
/// conversation or reuses it. Before the two share an order, e-mail addresses and phone
/// numbers are masked (`masked: true`).
#[utoipa::path(
    tag = "messages",
    operation_id = "sendMessage",
    request_body = SendMessageRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The message, as stored", body = MessageResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 404, description = "No such conversation, or not the caller's", body = ErrorResponse),
        (status = 422, description = "Invalid fields: `content`; `recipientId` (oneself, unknown, suspended); `orderId` (not an order between the two); `conversationId`", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/messages")]
pub async fn send_message(
    state: web::Data<AppState>,
    auth: Auth,
    body: Json<SendMessageRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let target = match (body.conversation_id, body.recipient_id) {
        (Some(id), None) if body.order_id.is_none() => Target::Conversation(ConversationId(id)),
        (Some(_), None) => {
            return Err(ApiError::validation(vec![FieldError::new(
                "orderId",
                "orderId goes with recipientId, not conversationId",
            )]));
        }
        (None, Some(recipient)) => Target::Recipient {
            recipient: recipient.into(),
            order: body.order_id.map(Into::into),
        },
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(vec![FieldError::new(
                "recipientId",
                "send either conversationId or recipientId, not both",
            )]));
        }
        (None, None) => {
            return Err(ApiError::validation(vec![FieldError::new(
                "recipientId",
                "conversationId or recipientId is required",
            )]));
        }
    };
    let content = body.content.unwrap_or_default();
    let message = state
        .messaging
        .send(&viewer(&auth), target, content)
        .await?;
    let dto = message_dto(&state, &message).await?;
    Ok(reply(StatusCode::CREATED, MessageResponse::from(dto)))
}

/// Send a file
///
/// Multipart `conversationId` and `file` (at most 25 MB). The type is taken from the content;
/// the file is private and linked with short-lived signed URLs.
#[utoipa::path(
    tag = "messages",
    operation_id = "sendMessageFile",
    request_body(content = SendFileForm, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The message with its attachment", body = MessageResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 404, description = "No such conversation, or not the caller's", body = ErrorResponse),
        (status = 413, description = "A file over 25 MB", body = ErrorResponse),
        (status = 422, description = "Missing `conversationId` or `file`", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/messages/files")]
pub async fn send_message_file(
    state: web::Data<AppState>,
    auth: Auth,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let mut form = read_form(multipart, ATTACHMENT_MAX_BYTES, 1)
        .await?
        .only(&["conversationId", "file"])?;
    let conversation = form
        .text("conversationId")
        .and_then(|id| id.trim().parse::<Uuid>().ok());
    let file = form.take_parts("file").into_iter().next();
    let mut missing = Vec::new();
    if conversation.is_none() {
        missing.push(FieldError::new(
            "conversationId",
            "conversationId must be a UUID",
        ));
    }
    if file.is_none() {
        missing.push(FieldError::new("file", "file is required"));
    }
    let (Some(conversation), Some(file)) = (conversation, file) else {
        return Err(ApiError::validation(missing));
    };
    let upload = Upload {
        name: file.file_name,
        bytes: file.bytes,
        declared_type: Some(file.content_type),
    };
    let message = state
        .messaging
        .send_file(&viewer(&auth), ConversationId(conversation), upload)
        .await?;
    let dto = message_dto(&state, &message).await?;
    Ok(reply(StatusCode::CREATED, MessageResponse::from(dto)))
}

/// Mark a conversation read
///
/// Every message the other participant sent is read now; they hear of it
/// (`conversation.read` on their socket).
#[utoipa::path(
    tag = "messages",
    operation_id = "markConversationRead",
    params(("conversationId" = Uuid, Path)),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Read"),
        (status = 400, description = "Unparsable path", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 404, description = "No such conversation, or not the caller's", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/messages/conversations/{conversationId}/read")]
pub async fn mark_conversation_read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    state
        .messaging
        .mark_read(&viewer(&auth), ConversationId(path.into_inner()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
