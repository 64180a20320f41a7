//! the spec, openapi/openapi.json listing and search: accents, typos, tags, prices, sorts, pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, service_body};

struct Catalogue {
    app: TestApp,
}

impl Catalogue {
    /// Five approved services, one pending, across two sub-categories of one root.
    async fn build() -> Self {
        let app = TestApp::spawn().await;
        let admin = app.admin_token().await;
        let (seller, _) = app.seller_token(&admin, "awa@example.com", "awa").await;
        let web = app.category_id("developpement-web").await;
        let mobile = app.category_id("applications-mobiles").await;
        let logo = app.category_id("logo-identite-visuelle").await;
        let services = [
            (
                &web,
                "Développeur WordPress pour votre site",
                25_000,
                vec!["wordpress", "site"],
            ),
            (
                &web,
                "Developpeur Laravel confirmé",
                60_000,
                vec!["laravel", "php"],
            ),
            (
                &mobile,
                "Application Flutter Android et iOS",
                150_000,
                vec!["flutter", "mobile"],
            ),
            (
                &logo,
                "Création de logo moderne",
                10_000,
                vec!["logo", "design"],
            ),
            (
                &logo,
                "Identité visuelle complète",
                90_000,
                vec!["logo", "charte"],
            ),
        ];
        for (category, title, price, tags) in services {
            let mut body = service_body(category, title, price);
            body["tags"] = json!(tags);
            app.approved_service(&seller, &admin, body).await;
        }
        app.create_service(
            &seller,
            service_body(&web, "Développeur en attente de revue", 1_000),
        )
        .await;
        Self { app }
    }

    async fn titles(&self, query: &str) -> Vec<String> {
        self.list(query).await["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn list(&self, query: &str) -> Value {
        let reply = self
            .app
            .get(&format!("/api/v1/services?{query}"), None)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
        reply.body["data"].clone()
    }
}

#[actix_web::test]
async fn search_filters_and_sorts() {
    let catalogue = Catalogue::build().await;

    // Only approved, available services, newest first by default.
    let all = catalogue.titles("").await;
    assert_eq!(all.len(), 5);
    assert_eq!(all[0], "Identité visuelle complète");

    // Accents folded both ways.
    let mut found = catalogue.titles("search=developpeur").await;
    found.sort();
    assert_eq!(
        found,
        [
            "Developpeur Laravel confirmé",
            "Développeur WordPress pour votre site"
        ]
    );
    let mut found = catalogue.titles("search=D%C3%A9veloppeur").await;
    found.sort();
    assert_eq!(
        found,
        [
            "Developpeur Laravel confirmé",
            "Développeur WordPress pour votre site"
        ]
    );
    assert_eq!(
        catalogue.titles("search=identite%20visuelle").await,
        ["Identité visuelle complète"]
    );
    // One letter off still finds it.
    assert_eq!(
        catalogue.titles("search=fluter").await,
        ["Application Flutter Android et iOS"]
    );
    assert!(catalogue.titles("search=zzzzqqqq").await.is_empty());

    // Tags (every one must match), price bounds, seller and category filters.
    let mut logos = catalogue.titles("tags=logo").await;
    logos.sort();
    assert_eq!(
        logos,
        ["Création de logo moderne", "Identité visuelle complète"]
    );
    assert_eq!(
        catalogue.titles("tags=logo,design").await,
        ["Création de logo moderne"]
    );
    let mut mid = catalogue.titles("minPrice=25000&maxPrice=90000").await;
    mid.sort();
    assert_eq!(
        mid,
        [
            "Developpeur Laravel confirmé",
            "Développeur WordPress pour votre site",
            "Identité visuelle complète"
        ]
    );
    let cheap_search = catalogue.titles("search=logo&maxPrice=20000").await;
    assert_eq!(cheap_search, ["Création de logo moderne"]);

    // A root category includes its sub-categories.
    assert_eq!(
        catalogue.titles("category=programmation-tech").await.len(),
        3
    );
    let by_path = catalogue
        .app
        .get(
            "/api/v1/categories/programmation-tech/services?sortBy=price",
            None,
        )
        .await;
    let prices: Vec<i64> = by_path.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["startingPrice"].as_i64().unwrap())
        .collect();
    assert_eq!(prices, [25_000, 60_000, 150_000]);
    let unknown = catalogue
        .app
        .get("/api/v1/services?category=nope", None)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Sorts.
    let desc = catalogue.list("sortBy=price&sortOrder=desc").await;
    assert_eq!(desc["items"][0]["startingPrice"], 150_000);
    let asc = catalogue.list("sortBy=price&sortOrder=asc").await;
    assert_eq!(asc["items"][0]["startingPrice"], 10_000);
    let relevance = catalogue.titles("search=logo&sortBy=relevance").await;
    assert_eq!(relevance[0], "Création de logo moderne");

    // Refusals name their parameter.
    for (query, field) in [
        ("sortBy=relevance", "sortBy"),
        ("sortBy=popularity", "sortBy"),
        ("sortOrder=up", "sortOrder"),
        ("minPrice=5000&maxPrice=100", "maxPrice"),
        ("limit=101", "limit"),
        ("page=0", "page"),
    ] {
        let reply = catalogue
            .app
            .get(&format!("/api/v1/services?{query}"), None)
            .await;
        assert_eq!(
            (reply.status, reply.fields()),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![field]),
            "{query}"
        );
    }
    let bad = catalogue
        .app
        .get("/api/v1/services?minPrice=cheap", None)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn pages_add_up_to_the_total() {
    let catalogue = Catalogue::build().await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let data = catalogue
            .list(&format!("limit=2&page={page}&sortBy=price"))
            .await;
        let pagination = &data["pagination"];
        assert_eq!(pagination["total"], 5);
        assert_eq!(pagination["pages"], 3);
        assert_eq!(pagination["hasPrev"], page > 1);
        assert_eq!(pagination["hasNext"], page < 3);
        for item in data["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (5, 5));
    let past = catalogue.list("limit=2&page=9").await;
    assert_eq!(past["items"].as_array().unwrap().len(), 0);
    assert_eq!(past["pagination"]["total"], 5);
}

#[actix_web::test]
async fn category_counts_and_cache_metrics() {
    let catalogue = Catalogue::build().await;
    let app = &catalogue.app;
    let tree = app.get("/api/v1/categories", None).await;
    let count = |slug: &str| {
        tree.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["slug"] == slug)
            .unwrap()["servicesCount"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count("developpement-web"), 2);
    assert_eq!(count("programmation-tech"), 3);
    assert_eq!(count("graphisme-design"), 2);

    let id = catalogue.list("").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..2 {
        let reply = app.get(&format!("/api/v1/services/{id}"), None).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let hits = metrics
        .lines()
        .find(|l| {
            l.starts_with("krika_cache_lookups_total")
                && l.contains("catalog:service")
                && l.contains("hit")
        })
        .unwrap_or_else(|| panic!("no cache hit counter in:\n{metrics}"));
    let value: f64 = hits.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(value >= 1.0, "{hits}");
}
