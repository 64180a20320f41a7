//! The local-disk store: contract, on-disk layout and its HMAC-signed URLs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use krika_kernel::ports::BlobStore;
use krika_storage::LocalBlobStore;
use tempfile::TempDir;

use crate::contract::check_blob_store;

const BASE_URL: &str = "http://localhost:8000";

fn store_in(dir: &TempDir) -> LocalBlobStore {
    LocalBlobStore::new(
        dir.path().join("blobs"),
        format!("{BASE_URL}/"),
        b"test-key".to_vec(),
    )
    .expect("open local store")
}

fn now_unix() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    i64::try_from(now.as_secs()).expect("seconds fit in i64")
}

/// Splits `{base}/files/signed/{key}?expires=…&signature=…` into its parts.
fn parse_signed(url: &str) -> (String, i64, String) {
    let rest = url
        .strip_prefix(&format!("{BASE_URL}/files/signed/"))
        .expect("signed URL prefix");
    let (key, query) = rest.split_once('?').expect("query string");
    let (mut expires, mut signature) = (None, None);
    for pair in query.split('&') {
        match pair.split_once('=').expect("name=value") {
            ("expires", value) => expires = Some(value.parse().expect("expires is a number")),
            ("signature", value) => signature = Some(value.to_owned()),
            (name, _) => panic!("unexpected query parameter {name}"),
        }
    }
    (
        key.to_owned(),
        expires.expect("expires"),
        signature.expect("signature"),
    )
}

#[tokio::test]
async fn local_store_meets_the_contract() {
    let dir = TempDir::new().expect("temp dir");
    check_blob_store(&store_in(&dir)).await;
}

#[tokio::test]
async fn objects_are_plain_files_under_the_root() {
    let dir = TempDir::new().expect("temp dir");
    let store = store_in(&dir);
    store
        .put("public/a/b.txt", b"hello".to_vec(), "text/plain")
        .await
        .expect("put");
    let on_disk = std::fs::read(dir.path().join("blobs/public/a/b.txt")).expect("file at root/key");
    assert_eq!(on_disk, b"hello");
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("blobs/public/a"))
        .expect("list folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["b.txt", "b.txt~content-type"],
        "no temporary file is left behind"
    );
}

#[tokio::test]
async fn a_file_without_sidecar_is_served_as_octet_stream() {
    let dir = TempDir::new().expect("temp dir");
    let store = store_in(&dir);
    std::fs::write(dir.path().join("blobs/dropped.bin"), b"raw").expect("write by hand");
    let blob = store
        .get("dropped.bin")
        .await
        .expect("get")
        .expect("file present");
    assert_eq!(blob.content_type, "application/octet-stream");
    assert_eq!(blob.bytes, b"raw");
}

#[tokio::test]
async fn a_folder_is_not_an_object() {
    let dir = TempDir::new().expect("temp dir");
    let store = store_in(&dir);
    store
        .put("a/b", b"x".to_vec(), "text/plain")
        .await
        .expect("put");
    assert_eq!(store.get("a").await.expect("get a folder"), None);
    assert_eq!(store.get("a/b/c").await.expect("get below a file"), None);
    store.delete("a").await.expect("delete a folder name");
    assert!(store.get("a/b").await.expect("get").is_some());
}

#[tokio::test]
async fn public_url_is_under_files() {
    let dir = TempDir::new().expect("temp dir");
    let store = store_in(&dir);
    assert_eq!(store.public_base_url(), BASE_URL);
    assert_eq!(
        store.public_url("public/x.png"),
        format!("{BASE_URL}/files/public/x.png")
    );
}

#[tokio::test]
async fn signed_url_verifies_for_its_key_until_it_expires() {
    let dir = TempDir::new().expect("temp dir");
    let store = store_in(&dir);
    let before = now_unix();
    let url = store
        .signed_url("kyc/u1/id.pdf", Duration::from_secs(600))
        .await
        .expect("sign");
    let (key, expires, signature) = parse_signed(&url);
    assert_eq!(key, "kyc/u1/id.pdf");
    assert!(
        (before + 600..=now_unix() + 600).contains(&expires),
        "expires {expires}"
    );
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );

    let now = now_unix();
    assert!(store.verify_signed(&key, expires, &signature, now));
    assert!(
        store.verify_signed(&key, expires, &signature, expires),
        "valid up to expires"
    );

    let mut wrong = signature.clone().into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).expect("ascii");
    assert!(
        !store.verify_signed(&key, expires, &wrong, now),
        "wrong signature"
    );
    assert!(
        !store.verify_signed("kyc/u2/id.pdf", expires, &signature, now),
        "another key"
    );
    assert!(
        !store.verify_signed(&key, expires + 1, &signature, now),
        "another expiry"
    );
    assert!(
        !store.verify_signed(&key, expires, &signature, expires + 1),
        "expired"
    );
    assert!(
        !store.verify_signed(&key, expires, "not-hex", now),
        "malformed signature"
    );
    assert!(
        !store.verify_signed(&key, expires, "", now),
        "empty signature"
    );
    assert!(
        !store.verify_signed("../kyc/u1/id.pdf", expires, &signature, now),
        "bad key"
    );

    let other = LocalBlobStore::new(
        dir.path().join("other"),
        BASE_URL.to_owned(),
        b"k2".to_vec(),
    )
    .expect("open other store");
    assert!(
        !other.verify_signed(&key, expires, &signature, now),
        "another signing key"
    );
}

#[test]
fn an_empty_signing_key_is_refused() {
    let dir = TempDir::new().expect("temp dir");
    assert!(LocalBlobStore::new(dir.path().to_owned(), BASE_URL.to_owned(), Vec::new()).is_err());
}

#[tokio::test]
async fn ping_fails_when_the_root_is_gone() {
    let dir = TempDir::new().expect("temp dir");
    let store = store_in(&dir);
    store.ping().await.expect("ping");
    std::fs::remove_dir_all(dir.path().join("blobs")).expect("remove root");
    assert!(store.ping().await.is_err());
}
