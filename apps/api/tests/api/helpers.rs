use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;

use actix_web::HttpServer;
use krika_api::app::{self, Metrics};
use krika_api::config::Config;
use krika_api::realtime::RealtimeConfig;
use krika_api::state::{AppState, Overrides};
use krika_kernel::ManualClock;
use krika_postgres::testing::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub maildir: std::path::PathBuf,
    _files: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The error code of an error envelope.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    /// The fields named by a validation error.
    pub fn fields(&self) -> Vec<&str> {
        self.body["error"]["details"]
            .as_array()
            .map(|d| d.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default()
    }
}

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests with `make test`"))
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// Starts the app with extra configuration variables.
    pub async fn spawn_with(vars: &[(&str, &str)]) -> Self {
        Self::spawn_configured(vars, None).await
    }

    /// Starts the app with extra configuration variables and socket timings.
    pub async fn spawn_configured(vars: &[(&str, &str)], realtime: Option<RealtimeConfig>) -> Self {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        }
        let database = TestDatabase::create().await;
        let files = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let mut map: HashMap<String, String> = [
            ("APP_ENV", "test".to_owned()),
            ("DATABASE_URL", database.url.clone()),
            ("REDIS_URL", env("TEST_REDIS_URL")),
            ("REDIS_PREFIX", prefix),
            ("BCRYPT_COST", "4".into()),
            ("RATE_LIMIT_AUTH_PER_MIN", "1000".into()),
            ("RATE_LIMIT_UPLOAD_PER_MIN", "1000".into()),
            ("RATE_LIMIT_DEFAULT_PER_MIN", "1000".into()),
            ("STORAGE_DIR", files.path().display().to_string()),
            ("PUBLIC_BASE_URL", address.clone()),
            ("SMTP_URL", env("TEST_SMTP_URL")),
            (
                "PASSWORD_RESET_URL",
                "https://app.2krika.test/reset-password".into(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        map.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::from_lookup(&move |name| map.get(name).cloned()).expect("test config");
        let clock = Arc::new(ManualClock::starting_now());
        Self::serve(listener, config, clock, realtime, files).await
    }

    /// A second instance of this app: same database, Redis prefix, clock and socket
    /// timings, its own port (two API instances behind one load balancer).
    pub async fn spawn_sibling(&self) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let config = (*self.state.config).clone();
        let realtime = Some(self.state.realtime.config().clone());
        let files = tempfile::tempdir().unwrap();
        Self::serve(listener, config, self.clock.clone(), realtime, files).await
    }

    async fn serve(
        listener: TcpListener,
        config: Config,
        clock: Arc<ManualClock>,
        realtime: Option<RealtimeConfig>,
        files: tempfile::TempDir,
    ) -> Self {
        let address = format!("http://{}", listener.local_addr().unwrap());
        let database_url = config.database_url.clone();
        let overrides = Overrides {
            clock: Some(clock.clone()),
            realtime,
            ..Overrides::default()
        };
        let state = AppState::build(config, overrides).await.expect("app state");
        let metrics = Metrics::new().unwrap();
        let server_state = state.clone();
        let server = HttpServer::new(move || app::build(server_state.clone(), metrics.clone()))
            .workers(1)
            .listen(listener)
            .unwrap()
            .disable_signals()
            .run();
        actix_web::rt::spawn(server);
        actix_web::rt::spawn(krika_api::outbox::run(
            state.dispatcher.clone(),
            database_url,
        ));
        Self {
            address,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            clock,
            state,
            maildir: env("TEST_MAILDIR").into(),
            _files: files,
        }
    }

    /// Waits until every outbox event written so far has reached its subscribers (the
    /// dispatcher runs in the background; this also drives it).
    pub async fn settle(&self) {
        for _ in 0..200 {
            krika_api::outbox::drain(&self.state.dispatcher).await;
            let backlog = self.state.dispatcher.store().backlog().await.unwrap();
            if backlog.pending == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the outbox did not drain");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    /// Registers a user and returns the token payload.
    pub async fn register(&self, email: &str, username: &str) -> Value {
        let reply = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"email": email, "password": "motdepasse", "name": "Awa Traoré", "username": username}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body["data"].clone()
    }

    /// Registers a user and returns its access token.
    pub async fn token(&self, email: &str, username: &str) -> String {
        self.register(email, username).await["accessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        field: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str("image/png")
            .unwrap();
        let form = reqwest::multipart::Form::new().part(field.to_owned(), part);
        self.send(
            self.client
                .post(self.url(path))
                .bearer_auth(token)
                .multipart(form),
        )
        .await
    }
}

/// A tiny valid PNG header followed by filler.
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 64));
    bytes
}

/// A multipart part: field name, optional file name, bytes.
pub type Part<'a> = (&'a str, Option<&'a str>, Vec<u8>);

impl TestApp {
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::DELETE, path, token, None).await
    }

    /// Sends a multipart form of text fields (no file name) and files.
    pub async fn multipart(&self, path: &str, token: &str, parts: Vec<Part<'_>>) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (field, file_name, bytes) in parts {
            let part = match file_name {
                Some(name) => reqwest::multipart::Part::bytes(bytes)
                    .file_name(name.to_owned())
                    .mime_str("image/jpeg")
                    .unwrap(),
                None => reqwest::multipart::Part::text(String::from_utf8(bytes).unwrap()),
            };
            form = form.part(field.to_owned(), part);
        }
        self.send(
            self.client
                .post(self.url(path))
                .bearer_auth(token)
                .multipart(form),
        )
        .await
    }

    /// Logs in again (tokens expire when a test moves the clock).
    pub async fn login(&self, email: &str, password: &str) -> String {
        let reply = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["data"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates an admin the way the command line does, and logs in.
    pub async fn admin_token(&self) -> String {
        let ports = self.state.identity.ports();
        krika_identity::provision_admin(
            ports.users.as_ref(),
            ports.hasher.as_ref(),
            "admin@2krika.test",
            "admin-password",
            "Admin",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        self.login("admin@2krika.test", "admin-password").await
    }

    /// Completes both KYC steps (passport) for the token's user.
    pub async fn submit_kyc(&self, token: &str) {
        let step1 = json!({"firstName": "Awa", "lastName": "Traoré", "dateOfBirth": "1990-05-01", "country": "CI", "phone": "+2250700000000"});
        let reply = self
            .post("/api/v1/seller/kyc/step1", Some(token), step1)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let reply = self
            .multipart(
                "/api/v1/seller/kyc/step2",
                token,
                vec![
                    ("documentType", None, b"passport".to_vec()),
                    ("documentFront", Some("front.png"), png()),
                    ("selfie", Some("selfie.png"), png()),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }

    /// A new user whose KYC an admin approved: a seller.
    pub async fn seller_token(&self, admin: &str, email: &str, username: &str) -> (String, String) {
        let payload = self.register(email, username).await;
        let token = payload["accessToken"].as_str().unwrap().to_owned();
        let id = payload["user"]["id"].as_str().unwrap().to_owned();
        self.submit_kyc(&token).await;
        let reply = self
            .post(
                &format!("/api/v1/admin/kyc/{id}/approve"),
                Some(admin),
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        (token, id)
    }

    /// The id of a seeded category.
    pub async fn category_id(&self, slug: &str) -> String {
        let reply = self.get(&format!("/api/v1/categories/{slug}"), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{slug}: {:?}", reply.body);
        reply.body["data"]["id"].as_str().unwrap().to_owned()
    }

    /// Creates a service and returns it.
    pub async fn create_service(&self, token: &str, body: Value) -> Value {
        let reply = self.post("/api/v1/services", Some(token), body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body["data"].clone()
    }

    /// Creates a service and has the admin approve it; returns its id.
    pub async fn approved_service(&self, seller: &str, admin: &str, body: Value) -> String {
        let id = self.create_service(seller, body).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let reply = self
            .post(
                &format!("/api/v1/admin/services/{id}/approve"),
                Some(admin),
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        id
    }
}

/// A valid service body in `category`.
pub fn service_body(category: &str, title: &str, price: i64) -> Value {
    json!({
        "title": title,
        "shortDescription": "Un travail soigné et rapide",
        "description": "Je réalise ce service avec soin, délais tenus.",
        "categoryId": category,
        "tags": ["design"],
        "packages": [
            {"name": "Basique", "price": price, "deliveryDays": 3, "revisions": 1, "features": ["1 proposition"]},
            {"name": "Premium", "price": price * 3, "deliveryDays": 7, "revisions": 5}
        ],
        "extras": [{"title": "Livraison express", "price": 5000, "deliveryDays": 1}]
    })
}
