//! The S3 store against a real S3-compatible server, each test in its own bucket.

use std::time::Duration;

use ::s3::Bucket;
use ::s3::creds::Credentials;
use krika_kernel::ports::BlobStore;
use krika_storage::{S3BlobStore, S3Config};

use crate::contract::check_blob_store;

/// The server from the environment, with a fresh bucket name. Panics (the test fails)
/// when TEST_S3_ENDPOINT is not set: a skipped adapter test would pass for nothing.
fn config() -> S3Config {
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let endpoint = var("TEST_S3_ENDPOINT").unwrap_or_else(|| {
        panic!(
            "TEST_S3_ENDPOINT is not set: the S3 tests need an S3-compatible server, e.g. \
             `s3s-fs --host 127.0.0.1 --port 59010 --access-key test --secret-key testtesttest DIR` \
             then TEST_S3_ENDPOINT=http://127.0.0.1:59010 TEST_S3_ACCESS_KEY=test \
             TEST_S3_SECRET_KEY=testtesttest"
        )
    });
    S3Config {
        endpoint,
        region: var("TEST_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
        bucket: format!("t-{}", uuid::Uuid::new_v4().simple()),
        access_key: var("TEST_S3_ACCESS_KEY").expect("TEST_S3_ACCESS_KEY must be set"),
        secret_key: var("TEST_S3_SECRET_KEY").expect("TEST_S3_SECRET_KEY must be set"),
        public_url: None,
    }
}

async fn connect(config: &S3Config) -> S3BlobStore {
    S3BlobStore::connect(config.clone())
        .await
        .expect("connect to the test S3 server")
}

/// Empties and removes the test's bucket so the server is left as it was found.
async fn drop_bucket(config: &S3Config) {
    let region = ::s3::Region::Custom {
        region: config.region.clone(),
        endpoint: config.endpoint.clone(),
    };
    let credentials = Credentials::new(
        Some(&config.access_key),
        Some(&config.secret_key),
        None,
        None,
        None,
    )
    .expect("credentials");
    let bucket = Bucket::new(&config.bucket, region, credentials)
        .expect("bucket handle")
        .with_path_style();
    for page in bucket
        .list(String::new(), None)
        .await
        .expect("list objects")
    {
        for object in page.contents {
            bucket
                .delete_object(&object.key)
                .await
                .expect("delete object");
        }
    }
    bucket.delete().await.expect("delete bucket");
}

#[tokio::test]
async fn s3_store_meets_the_contract() {
    let config = config();
    let store = connect(&config).await;
    check_blob_store(&store).await;
    drop_bucket(&config).await;
}

#[tokio::test]
async fn connecting_to_an_existing_bucket_succeeds() {
    let config = config();
    let first = connect(&config).await;
    first
        .put("public/kept.txt", b"kept".to_vec(), "text/plain")
        .await
        .expect("put");
    let second = connect(&config).await;
    let blob = second
        .get("public/kept.txt")
        .await
        .expect("get")
        .expect("object kept");
    assert_eq!(blob.bytes, b"kept");
    drop_bucket(&config).await;
}

#[tokio::test]
async fn public_url_defaults_to_endpoint_and_bucket() {
    let config = config();
    let store = connect(&config).await;
    let expected = format!(
        "{}/{}/public/a.png",
        config.endpoint.trim_end_matches('/'),
        config.bucket
    );
    assert_eq!(store.public_url("public/a.png"), expected);

    let cdn = S3Config {
        public_url: Some("https://cdn.example.com/media/".to_owned()),
        ..config.clone()
    };
    let store = connect(&cdn).await;
    assert_eq!(
        store.public_url("public/a.png"),
        "https://cdn.example.com/media/public/a.png"
    );
    drop_bucket(&config).await;
}

#[tokio::test]
async fn signed_url_downloads_the_object_and_a_tampered_one_is_refused() {
    let config = config();
    let store = connect(&config).await;
    let key = "kyc/user-7/passport.pdf";
    store
        .put(key, b"%PDF-1.7 secret".to_vec(), "application/pdf")
        .await
        .expect("put");
    let url = store
        .signed_url(key, Duration::from_secs(300))
        .await
        .expect("presign");
    assert!(url.contains("X-Amz-Signature="), "{url}");

    let http = reqwest::Client::new();
    let response = http.get(&url).send().await.expect("GET signed URL");
    assert_eq!(response.status(), 200, "signed URL should serve the object");
    assert_eq!(
        response.bytes().await.expect("body").as_ref(),
        b"%PDF-1.7 secret"
    );

    let tampered = tamper_signature(&url);
    let response = http.get(&tampered).send().await.expect("GET tampered URL");
    assert_eq!(
        response.status(),
        403,
        "a tampered signature must be refused"
    );

    let unsigned = url.split_once('?').expect("query").0;
    let response = http
        .get(unsigned)
        .send()
        .await
        .expect("GET without signature");
    assert!(
        response.status().is_client_error(),
        "private object served without signature"
    );
    drop_bucket(&config).await;
}

#[tokio::test]
async fn a_lifetime_beyond_a_week_is_an_error() {
    let config = config();
    let store = connect(&config).await;
    let week = Duration::from_secs(7 * 24 * 3600);
    store
        .signed_url("a.txt", week)
        .await
        .expect("one week is allowed");
    assert!(
        store
            .signed_url("a.txt", week + Duration::from_secs(1))
            .await
            .is_err()
    );
    drop_bucket(&config).await;
}

#[tokio::test]
async fn ping_fails_when_the_bucket_is_gone() {
    let config = config();
    let store = connect(&config).await;
    store.ping().await.expect("ping");
    drop_bucket(&config).await;
    assert!(store.ping().await.is_err());
}

#[tokio::test]
async fn connect_fails_when_the_server_does_not_answer() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let config = S3Config {
        endpoint: format!("http://127.0.0.1:{port}"),
        ..config()
    };
    assert!(S3BlobStore::connect(config).await.is_err());
}

/// Flips the last hex digit of the `X-Amz-Signature` value.
fn tamper_signature(url: &str) -> String {
    let marker = "X-Amz-Signature=";
    let start = url.find(marker).expect("signature parameter") + marker.len();
    let end = url[start..]
        .find('&')
        .map_or(url.len(), |offset| start + offset);
    let mut bytes = url.as_bytes().to_vec();
    let last = end - 1;
    bytes[last] = if bytes[last] == b'0' { b'1' } else { b'0' };
    String::from_utf8(bytes).expect("ascii URL")
}
