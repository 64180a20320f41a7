use reqwest::{Method, StatusCode};

use super::{Operation, operations};
use crate::helpers::{TestApp, service_body};

/// Admin-only: everything under `/admin`, and the writes of offers and the blog.
fn admin_only(op: &Operation) -> bool {
    let writes = op.method != Method::GET;
    op.path.starts_with("/api/v1/admin/")
        || (writes
            && (op.path.starts_with("/api/v1/offers") || op.path.starts_with("/api/v1/blog")))
}

/// API5, broken function level authorization: every admin operation of the spec, called
/// anonymously, is 401; called by a client, 403 `FORBIDDEN` before anything is read or
/// checked; called by an admin, it gets past both (404/422 for the made-up ids and empty
/// bodies, or done). Selling needs an approved KYC: a client creating a service is 403.
#[actix_web::test]
async fn api5_admin_operations_refuse_clients_and_anonymous_callers() {
    let app = TestApp::spawn().await;
    let client = app.token("awa@2krika.test", "awa").await;
    let admin = app.admin_token().await;
    let admin_ops: Vec<Operation> = operations().into_iter().filter(admin_only).collect();
    assert_eq!(
        admin_ops.len(),
        34,
        "the admin surface changed: review this test"
    );
    let mut wrong = Vec::new();
    for op in &admin_ops {
        let anonymous = op.call(&app, None).await;
        let by_client = op.call(&app, Some(&client)).await;
        let by_admin = op.call(&app, Some(&admin)).await;
        if anonymous.status != StatusCode::UNAUTHORIZED
            || (by_client.status, by_client.code()) != (StatusCode::FORBIDDEN, "FORBIDDEN")
            || [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&by_admin.status)
        {
            wrong.push(format!(
                "{}: anonymous {}, client {} {}, admin {}",
                op.name(),
                anonymous.status,
                by_client.status,
                by_client.code(),
                by_admin.status
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let category = app.category_id("logo-identite-visuelle").await;
    let body = service_body(&category, "Un logo", 5_000);
    let service = app.post("/api/v1/services", Some(&client), body).await;
    assert_eq!(service.status, StatusCode::FORBIDDEN, "{:?}", service.body);
}

/// Every operation the spec secures answers 401 without a token, whatever its body.
#[actix_web::test]
async fn api5_every_secured_operation_needs_a_token() {
    let app = TestApp::spawn().await;
    let secured: Vec<Operation> = operations().into_iter().filter(|op| op.secured).collect();
    assert!(secured.len() > 60);
    for op in &secured {
        let reply = op.call(&app, None).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
            "{}: {:?}",
            op.name(),
            reply.body
        );
    }
}
