//! the spec, openapi/openapi.json: categories and services, every permission both ways.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, png, service_body};

#[actix_web::test]
async fn the_default_tree_is_seeded_and_admins_edit_it() {
    let app = TestApp::spawn().await;
    let all = app.get("/api/v1/categories", None).await;
    assert_eq!(all.status, StatusCode::OK);
    let list = all.body["data"].as_array().unwrap();
    assert!(list.len() >= 20, "{}", list.len());
    let web = list
        .iter()
        .find(|c| c["slug"] == "developpement-web")
        .unwrap();
    assert_eq!(web["name"], "Développement web");
    assert!(web["parentId"].is_string());

    let by_slug = app.get("/api/v1/categories/graphisme-design", None).await;
    let id = by_slug.body["data"]["id"].as_str().unwrap();
    let by_id = app.get(&format!("/api/v1/categories/{id}"), None).await;
    assert_eq!(by_id.body["data"]["slug"], "graphisme-design");
    assert_eq!(
        app.get("/api/v1/categories/nope", None).await.status,
        StatusCode::NOT_FOUND
    );

    let client = app.token("client@example.com", "client").await;
    let body = json!({"name": "Agriculture et élevage", "parentId": null});
    let refused = app
        .post("/api/v1/admin/categories", Some(&client), body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let admin = app.admin_token().await;
    let created = app
        .post("/api/v1/admin/categories", Some(&admin), body.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["data"]["slug"], "agriculture-et-elevage");
    let duplicate = app
        .post("/api/v1/admin/categories", Some(&admin), body)
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    // The cached tree shows the new category at once.
    let all = app.get("/api/v1/categories", None).await;
    assert!(
        all.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "agriculture-et-elevage")
    );

    let renamed = app
        .put(
            "/api/v1/admin/categories/agriculture-et-elevage",
            Some(&admin),
            json!({"name": "Agriculture", "parentId": id}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["data"]["parentId"], id);
    // A root with sub-categories cannot go; an empty leaf can.
    let busy = app
        .delete("/api/v1/admin/categories/graphisme-design", Some(&admin))
        .await;
    assert_eq!(busy.status, StatusCode::CONFLICT);
    let gone = app
        .delete(
            "/api/v1/admin/categories/agriculture-et-elevage",
            Some(&admin),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn only_sellers_publish_and_only_owners_edit() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let category = app.category_id("logo-identite-visuelle").await;
    let client = app.token("client@example.com", "client").await;
    let refused = app
        .post(
            "/api/v1/services",
            Some(&client),
            service_body(&category, "Je vais créer votre logo", 10_000),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let (seller, seller_id) = app.seller_token(&admin, "awa@example.com", "awa").await;
    let (rival, _) = app.seller_token(&admin, "rival@example.com", "rival").await;
    let service = app
        .create_service(
            &seller,
            service_body(&category, "  Je vais créer votre logo  ", 10_000),
        )
        .await;
    assert_eq!(service["status"], "pending_review");
    assert_eq!(service["title"], "Je vais créer votre logo");
    assert_eq!(service["slug"], "je-vais-creer-votre-logo");
    assert_eq!(service["startingPrice"], 10_000);
    assert_eq!(service["currency"], "XOF");
    assert_eq!(service["seller"]["id"], seller_id.as_str());
    assert_eq!(service["category"]["slug"], "logo-identite-visuelle");
    let id = service["id"].as_str().unwrap();
    let path = format!("/api/v1/services/{id}");

    // Pending: invisible to strangers, visible to its seller (by id or slug) and admins.
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path, Some(&rival)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&path, Some(&seller)).await.status, StatusCode::OK);
    let by_slug = app
        .get("/api/v1/services/je-vais-creer-votre-logo", Some(&admin))
        .await;
    assert_eq!(by_slug.body["data"]["id"], id);
    let edit = json!({"title": "Logo piraté"});
    assert_eq!(
        app.put(&path, Some(&rival), edit.clone()).await.status,
        StatusCode::NOT_FOUND
    );

    // A second service with the same title gets its own slug.
    let twin = app
        .create_service(
            &seller,
            service_body(&category, "Je vais créer votre logo", 10_000),
        )
        .await;
    assert_eq!(twin["slug"], "je-vais-creer-votre-logo-2");

    let approved = app
        .post(
            &format!("/api/v1/admin/services/{id}/approve"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(approved.body["data"]["status"], "approved");
    assert_eq!(app.get(&path, None).await.status, StatusCode::OK);
    // Approved: the rival sees it but may not touch it.
    assert_eq!(
        app.put(&path, Some(&rival), edit).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&path, Some(&rival)).await.status,
        StatusCode::FORBIDDEN
    );

    // Pausing keeps it approved; a new title sends it back to review.
    let paused = app
        .put(
            &path,
            Some(&seller),
            json!({"isAvailable": false, "tags": ["logo"]}),
        )
        .await;
    assert_eq!(
        (
            paused.body["data"]["status"].as_str(),
            paused.body["data"]["isAvailable"].as_bool()
        ),
        (Some("approved"), Some(false))
    );
    let retitled = app
        .put(
            &path,
            Some(&seller),
            json!({"title": "Je vais dessiner votre logo", "isAvailable": true}),
        )
        .await;
    assert_eq!(retitled.body["data"]["status"], "pending_review");
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);

    // Moderation: a reason is required to reject; only pending services are decided on.
    let no_reason = app
        .post(
            &format!("/api/v1/admin/services/{id}/reject"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(no_reason.fields(), ["reason"]);
    let rejected = app
        .post(
            &format!("/api/v1/admin/services/{id}/reject"),
            Some(&admin),
            json!({"reason": "Titre trompeur"}),
        )
        .await;
    assert_eq!(rejected.body["data"]["rejectionReason"], "Titre trompeur");
    let again = app
        .post(
            &format!("/api/v1/admin/services/{id}/approve"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(again.code(), "INVALID_TRANSITION");
    let by_client = app
        .post(
            &format!("/api/v1/admin/services/{id}/approve"),
            Some(&client),
            json!({}),
        )
        .await;
    assert_eq!(by_client.status, StatusCode::FORBIDDEN);

    // The seller deletes one, an admin the other; both vanish.
    assert_eq!(
        app.delete(&path, Some(&seller)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&path, Some(&seller)).await.status,
        StatusCode::NOT_FOUND
    );
    let twin_path = format!("/api/v1/services/{}", twin["id"].as_str().unwrap());
    assert_eq!(
        app.delete(&twin_path, Some(&admin)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&twin_path, Some(&admin)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn validation_names_every_failing_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (seller, _) = app.seller_token(&admin, "awa@example.com", "awa").await;
    let category = app.category_id("traduction").await;
    let mut body = service_body(&category, "Trad", 0);
    body["packages"][1]["price"] = json!(5000);
    body["packages"][1]["deliveryDays"] = json!(91);
    body["packages"][1]["revisions"] = json!(21);
    body["extras"][0]["deliveryDays"] = json!(31);
    body["tags"] = json!(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]);
    let reply = app.post("/api/v1/services", Some(&seller), body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.fields(),
        [
            "title",
            "tags",
            "packages[0].price",
            "packages[1].deliveryDays",
            "packages[1].revisions",
            "extras[0].deliveryDays"
        ]
    );
    let mut four = service_body(&category, "Traduction anglais français", 5000);
    four["packages"] = json!(
        [1, 2, 3, 4]
            .map(|i| json!({"name": format!("P{i}"), "price": 1000 * i, "deliveryDays": 2}))
    );
    let reply = app.post("/api/v1/services", Some(&seller), four).await;
    assert_eq!(reply.fields(), ["packages"]);
    let mut unknown = service_body(&category, "Traduction anglais français", 5000);
    unknown["categoryId"] = json!(uuid::Uuid::now_v7());
    let reply = app.post("/api/v1/services", Some(&seller), unknown).await;
    assert_eq!(reply.fields(), ["categoryId"]);
}

#[actix_web::test]
async fn images_are_checked_counted_and_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (seller, _) = app.seller_token(&admin, "awa@example.com", "awa").await;
    let (rival, _) = app.seller_token(&admin, "rival@example.com", "rival").await;
    let category = app.category_id("illustration").await;
    let id = app
        .approved_service(
            &seller,
            &admin,
            service_body(&category, "Illustration de conte", 20_000),
        )
        .await;
    let path = format!("/api/v1/services/{id}/images");

    let spoofed = app
        .multipart(
            &path,
            &seller,
            vec![("files", Some("photo.jpg"), b"just text".to_vec())],
        )
        .await;
    assert_eq!(
        (spoofed.status, spoofed.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE")
    );
    let six: Vec<_> = (0..6).map(|_| ("files", Some("a.png"), png())).collect();
    let too_many = app.multipart(&path, &seller, six).await;
    assert_eq!(too_many.fields(), ["files"]);
    let by_rival = app
        .multipart(&path, &rival, vec![("files", Some("a.png"), png())])
        .await;
    assert_eq!(by_rival.status, StatusCode::FORBIDDEN);

    let five: Vec<_> = (0..5).map(|_| ("files", Some("a.png"), png())).collect();
    let added = app.multipart(&path, &seller, five).await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let images = added.body["data"].as_array().unwrap().clone();
    assert_eq!(images.len(), 5);
    let url = images[0]["url"].as_str().unwrap();
    let served = app.client.get(url).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    // New images send the service back to review.
    let service = app
        .get(&format!("/api/v1/services/{id}"), Some(&seller))
        .await;
    assert_eq!(service.body["data"]["status"], "pending_review");

    let four: Vec<_> = (0..4).map(|_| ("files", Some("a.png"), png())).collect();
    let over = app.multipart(&path, &seller, four).await;
    assert_eq!(
        (over.status, over.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["files"])
    );

    let image = images[0]["id"].as_str().unwrap();
    let by_rival = app.delete(&format!("{path}/{image}"), Some(&rival)).await;
    assert_eq!(
        by_rival.status,
        StatusCode::NOT_FOUND,
        "pending: invisible to the rival"
    );
    let removed = app.delete(&format!("{path}/{image}"), Some(&seller)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let again = app.delete(&format!("{path}/{image}"), Some(&seller)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let service = app
        .get(&format!("/api/v1/services/{id}"), Some(&seller))
        .await;
    assert_eq!(service.body["data"]["images"].as_array().unwrap().len(), 4);
}

#[actix_web::test]
async fn seller_profiles_show_their_statistics() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (seller, seller_id) = app.seller_token(&admin, "awa@example.com", "awa").await;
    let category = app.category_id("montage-video").await;
    app.approved_service(
        &seller,
        &admin,
        service_body(&category, "Montage de mariage", 50_000),
    )
    .await;
    app.create_service(&seller, service_body(&category, "Montage de clip", 80_000))
        .await;
    let profile = app.get(&format!("/api/v1/users/{seller_id}"), None).await;
    let stats = &profile.body["data"]["sellerStats"];
    assert_eq!(stats["servicesCount"], 1, "{:?}", profile.body);
    assert_eq!(stats["reviewsCount"], 0);
    assert!(profile.body["data"].get("email").is_none());
}
