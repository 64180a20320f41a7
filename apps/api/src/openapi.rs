//! The OpenAPI 3.1 document: generated from the handlers and DTOs, then finished here
//! (info, tags, security scheme, explicit `security: []` on public operations, and the
//! headers and error responses every operation shares: `openapi_shared`).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, PathItem};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorResponse;

/// Prometheus metrics
///
/// Request counts and latency histograms per route and status, database pool usage
/// (Prometheus text format, no envelope).
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "health",
    operation_id = "getMetrics",
    security(()),
    responses(
        (status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain"),
        (status = 400, description = UNREADABLE_REQUEST),
    )
)]
#[allow(dead_code)]
fn metrics() {}

/// The one client error of the routes outside `/api/v1` (health, readiness, metrics).
pub const UNREADABLE_REQUEST: &str = "The request line or a header could not be parsed: \
answered by the HTTP server before any route, with an empty body";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "2Krika API",
        version = "0.1.0",
        description = "The API of 2Krika, a freelance-services marketplace for French-speaking West \
Africa: sellers pass KYC and publish services, buyers order them, money waits in escrow until \
delivery is accepted.\n\nEvery endpoint answers `{\"success\": true, \"data\": …}` or \
`{\"success\": false, \"error\": {code, message, details}}`. Amounts are integers in the \
currency's minor unit (XOF has none). Authenticate with `Authorization: Bearer <accessToken>` \
from `POST /api/v1/auth/login`.",
        contact(name = "2Krika API team", email = "api@2krika.local", url = "https://2krika.local"),
        license(name = "MIT", identifier = "MIT")
    ),
    servers((url = "/", description = "This server")),
    paths(metrics),
    components(schemas(
        ErrorResponse,
        crate::dto::catalog::ServiceSortBy,
        crate::dto::catalog::SortOrder,
        crate::dto::webhooks::OrderWebhook,
        crate::dto::webhooks::ReviewWebhook,
        crate::dto::webhooks::ServiceWebhook,
        crate::dto::webhooks::PayoutWebhook,
        crate::dto::webhooks::TestWebhook,
    )),
    tags(
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "auth", description = "Sign-up, sign-in, tokens and password resets"),
        (name = "users", description = "Accounts and public profiles"),
        (name = "kyc", description = "Seller verification: identity, documents, status"),
        (name = "categories", description = "The category tree and its services"),
        (name = "services", description = "Services sellers offer: listing, search, publishing, images"),
        (name = "orders", description = "Orders: checkout into escrow, the status workflow, deliveries"),
        (name = "reviews", description = "Reviews of completed orders and sellers' answers"),
        (name = "wallet", description = "The caller's balance, statement and payouts"),
        (name = "offers", description = "Time-bounded promotions whose code lowers a buyer's total"),
        (name = "messages", description = "Conversations between buyers and sellers, files, read receipts, the real-time socket"),
        (name = "notifications", description = "What happened that concerns the caller, and unread counts"),
        (name = "admin", description = "Administration: users, moderation, KYC review, categories"),
        (name = "webhooks", description = "Partner endpoints that receive signed events (Standard Webhooks), their deliveries and attempts"),
        (name = "blog", description = "TIKONNA's blog: published posts for everyone, drafts and writing for admins"),
    ),
    modifiers(&BearerAuth, &WebhookEvents)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The `accessToken` of a token payload"))
                    .build(),
            ),
        );
    }
}

/// The events partners receive, under the OpenAPI 3.1 top-level `webhooks` object: one
/// `POST` per event, its body a named schema, its Standard Webhooks headers documented
/// (utoipa has no attribute for this; it is added here, in one place).
struct WebhookEvents;

impl Modify for WebhookEvents {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
        use utoipa::openapi::request_body::RequestBodyBuilder;
        use utoipa::openapi::schema::{ObjectBuilder, Schema};
        use utoipa::openapi::{Content, Ref, Required, ResponseBuilder, Type};

        let schema_of = |kind: &str| match kind.split('.').next() {
            Some("order") => "OrderWebhook",
            Some("review") => "ReviewWebhook",
            Some("service") => "ServiceWebhook",
            Some("payout") => "PayoutWebhook",
            _ => "TestWebhook",
        };
        let header = |name: &str, description: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(Schema::Object(
                    ObjectBuilder::new().schema_type(Type::String).build(),
                )))
                .build()
        };
        let mut paths = utoipa::openapi::Paths::new();
        let events = krika_webhooks::catalogue::EVENT_TYPES
            .iter()
            .copied()
            .chain([(
                krika_webhooks::catalogue::TEST_EVENT,
                "Sent by `POST /admin/webhooks/{webhookId}/test`.",
            )]);
        for (kind, description) in events {
            let operation_id = kind
                .split(['.', '_'])
                .enumerate()
                .map(|(i, word)| {
                    let mut chars = word.chars();
                    match (i, chars.next()) {
                        (0, Some(c)) => c.to_string() + chars.as_str(),
                        (_, Some(c)) => c.to_uppercase().collect::<String>() + chars.as_str(),
                        _ => String::new(),
                    }
                })
                .collect::<String>()
                + "Webhook";
            let mut operation = OperationBuilder::new()
                .tag("webhooks")
                .operation_id(Some(operation_id))
                .summary(Some(kind))
                .description(Some(format!(
                    "{description} Signed with the Standard Webhooks headers; answer any 2xx                      within 15 s to acknowledge. Anything else is retried (about 5 s, 5 min,                      30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h); `410 Gone` disables the endpoint."
                )))
                .parameter(header("webhook-id", "The delivery's id: drop a delivery already processed."))
                .parameter(header("webhook-timestamp", "Seconds since the Unix epoch when it was signed."))
                .parameter(header(
                    "webhook-signature",
                    "`v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">`, space-separated when two secrets are valid (rotation).",
                ))
                .request_body(Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content(
                            "application/json",
                            Content::new(Some(Ref::from_schema_name(schema_of(kind)))),
                        )
                        .build(),
                ))
                .response(
                    "200",
                    ResponseBuilder::new().description("Received (any 2xx will do)").build(),
                )
                .build();
            operation.security = Some(Vec::new());
            paths
                .paths
                .insert(kind.to_owned(), PathItem::new(HttpMethod::Post, operation));
        }
        openapi.webhooks = Some(paths);
    }
}

/// The operations of a path, whatever their method.
pub(crate) fn operations(
    item: &mut PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// Public operations say `security: []` (an empty requirement object `{}` makes some
/// generators ask for a token on public calls).
pub fn finish(mut document: Document) -> Document {
    for item in document.paths.paths.values_mut() {
        for operation in operations(item) {
            let public = match &operation.security {
                None => true,
                Some(requirements) => requirements
                    .iter()
                    .all(|r| *r == SecurityRequirement::default()),
            };
            if public {
                operation.security = Some(Vec::new());
            }
        }
    }
    crate::openapi_shared::declare(&mut document);
    crate::openapi_presence::declare(&mut document);
    document
}

/// The whole document as the server serves it.
pub fn document() -> Document {
    crate::app::openapi()
}

/// Pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn to_json(document: &Document) -> String {
    let mut json = serde_json::to_string_pretty(document).expect("the document serialises");
    json.push('\n');
    json
}
