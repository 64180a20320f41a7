//! the spec, openapi/openapi.json: the blog. Drafts hidden from the public, unique slugs that survive title
//! changes, admins only for writing, sniffed cover images, Markdown rendered without XSS.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{Reply, TestApp, png};

/// A multipart part: text fields have no file name.
enum Field<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, Vec<u8>),
}
use Field::{File, Text};

async fn send_form(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    fields: Vec<Field<'_>>,
) -> Reply {
    let mut form = reqwest::multipart::Form::new();
    for field in fields {
        form = match field {
            Text(name, value) => form.text(name.to_owned(), value.to_owned()),
            File(name, file_name, bytes) => form.part(
                name.to_owned(),
                reqwest::multipart::Part::bytes(bytes)
                    .file_name(file_name.to_owned())
                    .mime_str("image/png")
                    .unwrap(),
            ),
        };
    }
    let mut request = app.client.request(method, app.url(path)).multipart(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    app.send(request).await
}

/// Creates a post as `admin` and returns it.
async fn create(app: &TestApp, admin: &str, title: &str, content: &str, status: &str) -> Value {
    let reply = send_form(
        app,
        Method::POST,
        "/api/v1/blog",
        Some(admin),
        vec![
            Text("title", title),
            Text("content", content),
            Text("status", status),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["data"].clone()
}

async fn edit(app: &TestApp, admin: &str, slug: &str, fields: Vec<Field<'_>>) -> Reply {
    let path = format!("/api/v1/blog/{slug}");
    send_form(app, Method::PUT, &path, Some(admin), fields).await
}

/// The slugs of a list.
fn slugs(reply: &Reply) -> Vec<&str> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn drafts_stay_hidden_until_published() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let reader = app.token("awa@example.com", "awa").await;
    let draft = create(
        &app,
        &admin,
        "Développement web à Abidjan",
        "Un **site vitrine** pour votre boutique.",
        "draft",
    )
    .await;
    assert_eq!(draft["slug"], "developpement-web-a-abidjan");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["publishedAt"], Value::Null);
    assert_eq!(draft["imageUrl"], Value::Null);
    assert_eq!(
        draft["contentHtml"],
        "<p>Un <strong>site vitrine</strong> pour votre boutique.</p>\n"
    );
    assert_eq!(draft["excerpt"], "Un site vitrine pour votre boutique.");
    let path = "/api/v1/blog/developpement-web-a-abidjan";

    assert_eq!(app.get(path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(path, Some(&reader)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(path, Some(&admin)).await.status, StatusCode::OK);
    assert!(slugs(&app.get("/api/v1/blog", None).await).is_empty());
    assert_eq!(
        slugs(&app.get("/api/v1/blog?status=draft", Some(&admin)).await),
        ["developpement-web-a-abidjan"]
    );
    let anonymous = app.get("/api/v1/blog?status=draft", None).await;
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (StatusCode::UNAUTHORIZED, "UNAUTHORIZED")
    );
    let refused = app.get("/api/v1/blog?status=draft", Some(&reader)).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "FORBIDDEN")
    );
    assert_eq!(
        app.get("/api/v1/blog?status=archived", None).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/v1/blog", Some("not-a-token")).await.status,
        StatusCode::UNAUTHORIZED
    );

    let published = edit(
        &app,
        &admin,
        "developpement-web-a-abidjan",
        vec![Text("status", "published")],
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(published.body["data"]["status"], "published");
    assert!(published.body["data"]["publishedAt"].is_string());
    let public = app.get(path, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["data"]["title"], "Développement web à Abidjan");
    create(
        &app,
        &admin,
        "Recettes du Sénégal",
        "Le thiéboudienne.",
        "published",
    )
    .await;

    // Newest first; search folds accents; pages as everywhere.
    let all = app.get("/api/v1/blog", None).await;
    assert_eq!(
        slugs(&all),
        ["recettes-du-senegal", "developpement-web-a-abidjan"]
    );
    assert_eq!(all.body["data"]["pagination"]["total"], 2);
    assert_eq!(
        slugs(&app.get("/api/v1/blog?search=developpement", None).await),
        ["developpement-web-a-abidjan"]
    );
    assert_eq!(
        slugs(&app.get("/api/v1/blog?search=S%C3%89N%C3%89GAL", None).await),
        ["recettes-du-senegal"]
    );
    assert!(slugs(&app.get("/api/v1/blog?search=introuvable", None).await).is_empty());
    let second = app.get("/api/v1/blog?page=2&limit=1", None).await;
    assert_eq!(slugs(&second), ["developpement-web-a-abidjan"]);
    assert_eq!(second.body["data"]["pagination"]["hasPrev"], true);
    assert_eq!(
        app.get("/api/v1/blog?limit=0", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[actix_web::test]
async fn slugs_are_unique_and_former_ones_still_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let first = create(&app, &admin, "Nouveau projet", "Un", "published").await;
    let second = create(&app, &admin, "Nouveau projet !", "Deux", "published").await;
    assert_eq!(first["slug"], "nouveau-projet");
    assert_eq!(second["slug"], "nouveau-projet-2");

    let renamed = edit(
        &app,
        &admin,
        "nouveau-projet-2",
        vec![Text("title", "Projet terminé")],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["data"]["slug"], "projet-termine");
    assert_eq!(renamed.body["data"]["content"], "Deux");
    let old = app.get("/api/v1/blog/nouveau-projet-2", None).await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.body["data"]["slug"], "projet-termine");
    assert_eq!(old.body["data"]["id"], second["id"]);
    let current = app.get("/api/v1/blog/projet-termine", None).await;
    assert_eq!(current.body["data"]["id"], second["id"]);
    // The replaced slug stays with its post: a new one with that title goes further.
    let third = create(&app, &admin, "Nouveau projet", "Trois", "published").await;
    assert_eq!(third["slug"], "nouveau-projet-3");
    // Content edits keep the slug.
    let edited = edit(
        &app,
        &admin,
        "projet-termine",
        vec![Text("content", "Deux, revu")],
    )
    .await;
    assert_eq!(edited.body["data"]["slug"], "projet-termine");
}

#[actix_web::test]
async fn only_admins_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let reader = app.token("awa@example.com", "awa").await;
    create(&app, &admin, "Annonce", "Texte", "published").await;
    let fields = || {
        vec![
            Text("title", "Piraté"),
            Text("content", "x"),
            Text("status", "published"),
        ]
    };
    for (token, status) in [
        (Some(reader.as_str()), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let post = send_form(&app, Method::POST, "/api/v1/blog", token, fields()).await;
        assert_eq!(post.status, status, "{:?}", post.body);
        let put = send_form(&app, Method::PUT, "/api/v1/blog/annonce", token, fields()).await;
        assert_eq!(put.status, status, "{:?}", put.body);
        let delete = app.delete("/api/v1/blog/annonce", token).await;
        assert_eq!(delete.status, status, "{:?}", delete.body);
    }
    assert_eq!(
        app.get("/api/v1/blog/annonce", None).await.body["data"]["title"],
        "Annonce"
    );

    let deleted = app.delete("/api/v1/blog/annonce", Some(&admin)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/blog/annonce", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete("/api/v1/blog/annonce", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let missing = edit(&app, &admin, "annonce", vec![Text("title", "Encore")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn validation_names_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    // A field the form does not have is named (a form with no part at all is malformed: 400).
    let unknown = send_form(
        &app,
        Method::POST,
        "/api/v1/blog",
        Some(&admin),
        vec![Text("other", "x")],
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["other"])
    );
    // A form with none of its fields filled.
    let empty = send_form(
        &app,
        Method::POST,
        "/api/v1/blog",
        Some(&admin),
        vec![Text("title", "")],
    )
    .await;
    assert_eq!(
        (empty.status, empty.fields()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["title", "content", "status"]
        )
    );
    let bad = send_form(
        &app,
        Method::POST,
        "/api/v1/blog",
        Some(&admin),
        vec![
            Text("title", "   "),
            Text("content", "Du texte"),
            Text("status", "archived"),
        ],
    )
    .await;
    assert_eq!(
        (bad.status, bad.code(), bad.fields()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            vec!["title", "status"]
        )
    );
    create(&app, &admin, "Titre", "Texte", "draft").await;
    let long = "x".repeat(201);
    let too_long = edit(&app, &admin, "titre", vec![Text("title", &long)]).await;
    assert_eq!(too_long.fields(), ["title"]);
    let blank = edit(&app, &admin, "titre", vec![Text("content", " \n ")]).await;
    assert_eq!(blank.fields(), ["content"]);
    let nul = edit(&app, &admin, "titre", vec![Text("content", "a\0b")]).await;
    assert_eq!(
        (nul.status, nul.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["content"])
    );
}

#[actix_web::test]
async fn cover_images_are_recognised_by_content() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let with = |image: Vec<u8>| {
        vec![
            Text("title", "Avec image"),
            Text("content", "Texte"),
            Text("status", "published"),
            File("image", "cover.png", image),
        ]
    };
    let text = send_form(
        &app,
        Method::POST,
        "/api/v1/blog",
        Some(&admin),
        with(b"I am text, not a PNG".to_vec()),
    )
    .await;
    assert_eq!(
        (text.status, text.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE")
    );
    let mut big = png();
    big.resize(6 * 1024 * 1024, 0);
    let too_big = send_form(&app, Method::POST, "/api/v1/blog", Some(&admin), with(big)).await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE")
    );
    assert!(slugs(&app.get("/api/v1/blog", None).await).is_empty());

    let ok = send_form(
        &app,
        Method::POST,
        "/api/v1/blog",
        Some(&admin),
        with(png()),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    let url = ok.body["data"]["imageUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&app.url("/files/public/blog/")), "{url}");
    assert!(url.ends_with(".png"), "{url}");
    let served = app.client.get(&url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");

    let replaced = edit(
        &app,
        &admin,
        "avec-image",
        vec![File("image", "new.png", png())],
    )
    .await;
    let new_url = replaced.body["data"]["imageUrl"].as_str().unwrap();
    assert_ne!(new_url, url);
    assert_eq!(
        app.client.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "the replaced image is deleted"
    );
}

#[actix_web::test]
async fn markdown_is_rendered_without_xss() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let payloads = [
        "<script>alert(1)</script>",
        "Texte <script>alert(1)</script> suite",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)></svg>",
        "<a href=\"javascript:alert(1)\">clic</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">clic</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:red\" onclick=\"alert(1)\">texte</div>",
    ];
    for (n, payload) in payloads.iter().enumerate() {
        let post = create(&app, &admin, &format!("XSS {n}"), payload, "published").await;
        assert_eq!(post["content"], *payload, "content is stored as sent");
        let html = post["contentHtml"].as_str().unwrap().to_lowercase();
        for banned in [
            "<script",
            "onerror",
            "onload",
            "onclick",
            "javascript:",
            "data:",
            "<iframe",
            "<svg",
            "style=",
        ] {
            assert!(!html.contains(banned), "{payload:?} gave {html:?}");
        }
        let excerpt = post["excerpt"].as_str().unwrap();
        assert!(
            !excerpt.contains('<'),
            "{payload:?} gave excerpt {excerpt:?}"
        );
    }
    let linked = create(
        &app,
        &admin,
        "Liens",
        "Voir [2Krika](https://2krika.com) et <a href=\"https://exemple.ci\" rel=\"opener\">ceci</a>.",
        "published",
    )
    .await;
    let html = linked["contentHtml"].as_str().unwrap();
    assert_eq!(
        html.matches(r#"rel="nofollow noopener""#).count(),
        2,
        "{html}"
    );
    assert!(!html.contains(r#"rel="opener""#), "{html}");
}
