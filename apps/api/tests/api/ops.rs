use krika_kernel::Clock;
use reqwest::StatusCode;

use crate::helpers::TestApp;

#[actix_web::test]
async fn health_ready_and_metrics() {
    let app = TestApp::spawn().await;
    let health = app.get("/health", None).await;
    assert_eq!(
        (health.status, health.body.clone()),
        (StatusCode::OK, serde_json::json!({"status": "ok"}))
    );
    let ready = app.get("/ready", None).await;
    assert_eq!(ready.status, StatusCode::OK, "{:?}", ready.body);
    let names: Vec<&str> = ready.body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["postgres", "redis", "storage"]);

    app.get("/api/v1/users/me", None).await;
    // An event waiting for a retry an hour from now, written two minutes ago: the backlog
    // gauges show it once observed.
    {
        use diesel_async::RunQueryDsl;
        let mut conn = app.state.db.conn().await.unwrap();
        diesel::sql_query(
            "INSERT INTO outbox_events (id, event_type, subject_id, payload, created_at, next_attempt_at)
             VALUES (gen_random_uuid(), 'test.waiting', gen_random_uuid(), '{}',
                     $1 - interval '2 minutes', $1 + interval '1 hour')",
        )
        .bind::<diesel::sql_types::Timestamptz, _>(app.clock.now())
        .execute(&mut conn)
        .await
        .unwrap();
    }
    krika_api::outbox::observe(&app.state.dispatcher, app.clock.now()).await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("krika_http_requests_total"), "{metrics}");
    assert!(
        metrics.contains("endpoint=\"/api/v1/users/me\""),
        "per route: {metrics}"
    );
    assert!(metrics.contains("krika_http_requests_duration_seconds_bucket"));
    assert!(metrics.contains("krika_db_pool_connections"));
    assert!(metrics.contains("krika_outbox_backlog 1"), "{metrics}");
    assert!(
        metrics.contains("krika_outbox_oldest_age_seconds 120"),
        "{metrics}"
    );
}

#[actix_web::test]
async fn ready_names_the_service_that_is_down() {
    let app = TestApp::spawn_with(&[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let ready = app.get("/ready", None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    let redis = ready.body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "redis")
        .unwrap()
        .clone();
    assert_eq!(redis["ok"], false);
    // Without Redis the API still serves (rate limits are skipped, the database decides).
    let token = app.token("awa@example.com", "awa").await;
    assert_eq!(
        app.get("/api/v1/users/me", Some(&token)).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn the_spec_and_swagger_ui_are_served() {
    let app = TestApp::spawn().await;
    let spec = app.get("/openapi.json", None).await;
    assert_eq!(spec.status, StatusCode::OK);
    assert_eq!(spec.body["openapi"], "3.1.0");
    let redirect = app.get("/docs", None).await;
    assert_eq!(redirect.status, StatusCode::PERMANENT_REDIRECT);
    let ui = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(ui.status(), StatusCode::OK);
    assert!(ui.text().await.unwrap().contains("swagger"));
}

/// `openapi/openapi.json` must be what the code generates: run `make openapi` after an API change.
#[test]
fn the_committed_spec_is_up_to_date() {
    let generated = krika_api::openapi::to_json(&krika_api::openapi::document());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated == committed,
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    );
}

#[test]
fn the_spec_follows_the_client_generation_rules() {
    let spec = serde_json::to_value(krika_api::openapi::document()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(
                id.chars().next().unwrap().is_ascii_lowercase(),
                "{id}: lowerCamelCase"
            );
            assert_eq!(
                operation["tags"].as_array().map(Vec::len),
                Some(1),
                "{id}: one tag"
            );
            let security = operation["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{id}: explicit security"));
            assert!(
                security
                    .iter()
                    .all(|r| r.as_object().is_some_and(|o| !o.is_empty())),
                "{id}: no empty requirement"
            );
            for (status, response) in operation["responses"].as_object().unwrap() {
                // Shared responses (429, default) are references into components.
                let response = match response["$ref"].as_str() {
                    Some(shared) => {
                        let name = shared.trim_start_matches("#/components/responses/");
                        &spec["components"]["responses"][name]
                    }
                    None => response,
                };
                // Outside /api/v1 (health, readiness, metrics) the HTTP server's own 400
                // has no body to parse.
                let bodiless = !path.starts_with("/api/v1") && response.get("content").is_none();
                let error =
                    status.starts_with('4') || status.starts_with('5') || status == "default";
                if error && !bodiless {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert!(
                        schema.is_string(),
                        "{id} {status}: errors reference a named schema"
                    );
                }
            }
        }
    }
    assert!(
        !spec.to_string().contains("\"enum\":[null"),
        "no null inside enums"
    );
    // Every reference resolves (a type used only as a parameter's value_type is not
    // collected by itself).
    let text = spec.to_string();
    for reference in text.split("\"$ref\":\"#/components/").skip(1) {
        let target = reference.split('"').next().unwrap();
        let (kind, name) = target.split_once('/').unwrap();
        assert!(
            spec["components"][kind].get(name).is_some(),
            "dangling reference {target}"
        );
    }
}
