//! What every operation answers besides its own responses, declared once in `components`
//! and referenced: the headers responses carry, the rate limit's 429 on every `/api/v1`
//! operation, and a `default` error, so that a generated client parses the error envelope
//! of any status it was not told about (500, 503…) instead of raising "unexpected status".

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr};

const REQUEST_ID: &str = "X-Request-Id";
const LIMIT: &str = "X-RateLimit-Limit";
const REMAINING: &str = "X-RateLimit-Remaining";
const RESET: &str = "X-RateLimit-Reset";
const RETRY_AFTER: &str = "Retry-After";
const REFRESH: &str = "X-Token-Refresh-Required";
const REPLAYED: &str = "Idempotent-Replayed";

const RATE_LIMITED: &str = "RateLimited";
const UNEXPECTED: &str = "UnexpectedError";

fn header(kind: Type, description: &str) -> RefOr<Header> {
    RefOr::T(
        HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(kind).build()))
            .description(Some(description))
            .build(),
    )
}

fn header_ref(name: &str) -> RefOr<Header> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

fn response_ref(name: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
}

/// Adds the shared headers and responses to `document`.
pub fn declare(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    let headers = [
        (
            REQUEST_ID,
            Type::String,
            "The request's id (the client's own when it sent one): quote it when reporting a problem.",
        ),
        (
            LIMIT,
            Type::Integer,
            "Requests allowed per minute in this operation's bucket (auth, upload or default).",
        ),
        (
            REMAINING,
            Type::Integer,
            "Requests left in the current window.",
        ),
        (
            RESET,
            Type::Integer,
            "When the window resets, in Unix seconds.",
        ),
        (
            RETRY_AFTER,
            Type::Integer,
            "Seconds to wait before trying again.",
        ),
        (
            REFRESH,
            Type::Boolean,
            "`true` when the access token expires within a minute: refresh it.",
        ),
        (
            REPLAYED,
            Type::Boolean,
            "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key` (nothing was done again).",
        ),
    ];
    for (name, kind, description) in headers {
        components
            .headers
            .insert(name.to_owned(), header(kind, description));
    }
    let envelope = || Content::new(Some(Ref::from_schema_name("ErrorResponse")));
    components.responses.insert(
        RATE_LIMITED.to_owned(),
        RefOr::T(
            ResponseBuilder::new()
                .description("`RATE_LIMITED`: too many requests in this window; retry after `Retry-After` seconds")
                .content("application/json", envelope())
                .header_ref(RETRY_AFTER, Ref::new(format!("#/components/headers/{RETRY_AFTER}")))
                .header_ref(REQUEST_ID, Ref::new(format!("#/components/headers/{REQUEST_ID}")))
                .build(),
        ),
    );
    components.responses.insert(
        UNEXPECTED.to_owned(),
        RefOr::T(
            ResponseBuilder::new()
                .description("Any other failure, in the error envelope: `INTERNAL_ERROR` (500), `UNAVAILABLE` (503: a backing service is down, retry later)")
                .content("application/json", envelope())
                .header_ref(REQUEST_ID, Ref::new(format!("#/components/headers/{REQUEST_ID}")))
                .build(),
        ),
    );

    for (path, item) in document.paths.paths.iter_mut() {
        let api = path.starts_with("/api/v1/");
        for operation in crate::openapi::operations(item) {
            complete(operation, api);
        }
    }
}

/// Whether the operation honours `Idempotency-Key` (docs/idempotency.md): it declares the
/// header (`crate::idempotency::IdempotencyKey`), so its replays say `Idempotent-Replayed`.
fn honours_idempotency_key(operation: &Operation) -> bool {
    operation.parameters.iter().flatten().any(|p| {
        matches!(p, RefOr::T(p) if p.name == crate::idempotency::HEADER
            && p.parameter_in == utoipa::openapi::path::ParameterIn::Header)
    })
}

fn complete(operation: &mut Operation, api: bool) {
    let idempotent = honours_idempotency_key(operation);
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let mut names = vec![REQUEST_ID];
        if api {
            names.extend([LIMIT, REMAINING, RESET]);
        }
        if status == "429" {
            names.push(RETRY_AFTER);
        }
        if secured {
            names.push(REFRESH);
        }
        if idempotent && status.starts_with('2') {
            names.push(REPLAYED);
        }
        for name in names {
            response.headers.insert(name.to_owned(), header_ref(name));
        }
    }
    let responses = &mut operation.responses.responses;
    if api {
        responses
            .entry("429".to_owned())
            .or_insert_with(|| response_ref(RATE_LIMITED));
    }
    responses
        .entry("default".to_owned())
        .or_insert_with(|| response_ref(UNEXPECTED));
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::RefOr;

    #[test]
    fn every_operation_declares_its_headers_its_429_and_a_default_error() {
        let document = crate::openapi::document();
        let mut operations = 0;
        for (path, item) in &document.paths.paths {
            let api = path.starts_with("/api/v1/");
            for operation in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
                .into_iter()
                .flatten()
            {
                operations += 1;
                let responses = &operation.responses.responses;
                assert!(responses.contains_key("default"), "{path}: default");
                assert_eq!(api, responses.contains_key("429"), "{path}: 429");
                for (status, response) in responses {
                    if let RefOr::T(response) = response {
                        assert!(
                            response.headers.contains_key(super::REQUEST_ID),
                            "{path} {status}: X-Request-Id"
                        );
                        assert_eq!(
                            api,
                            response.headers.contains_key(super::REMAINING),
                            "{path} {status}: X-RateLimit-Remaining"
                        );
                    }
                }
            }
        }
        assert!(operations > 60, "{operations} operations");
        let replayed = &document.paths.paths["/api/v1/orders"]
            .post
            .as_ref()
            .unwrap();
        let RefOr::T(created) = &replayed.responses.responses["201"] else {
            panic!("201 inline")
        };
        assert!(created.headers.contains_key(super::REPLAYED));
    }
}
