//! What every BlobStore must do, whatever holds the bytes.

use krika_kernel::ports::{Blob, BlobError, BlobStore};

const INVALID_KEYS: [&str; 3] = ["../x", "/abs", ""];

/// Runs the whole contract against a store that starts empty.
pub async fn check_blob_store(store: &dyn BlobStore) {
    store.ping().await.expect("ping a working store");
    round_trip_keeps_bytes_and_content_type(store).await;
    put_replaces_an_object(store).await;
    missing_objects_are_none(store).await;
    delete_removes_an_object(store).await;
    deleting_a_missing_object_is_ok(store).await;
    nested_keys_are_independent(store).await;
    invalid_keys_are_refused(store).await;
    public_url_names_the_key(store);
}

async fn round_trip_keeps_bytes_and_content_type(store: &dyn BlobStore) {
    let key = "public/avatars/round-trip.png";
    let bytes = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 255];
    store
        .put(key, bytes.clone(), "image/png")
        .await
        .expect("put");
    let blob = store
        .get(key)
        .await
        .expect("get")
        .expect("object just stored");
    assert_eq!(
        blob,
        Blob {
            bytes,
            content_type: "image/png".to_owned()
        }
    );

    let key = "kyc/user-1/empty.pdf";
    store
        .put(key, Vec::new(), "application/pdf")
        .await
        .expect("put an empty object");
    let blob = store
        .get(key)
        .await
        .expect("get")
        .expect("empty object just stored");
    assert_eq!(
        blob,
        Blob {
            bytes: Vec::new(),
            content_type: "application/pdf".to_owned()
        }
    );
}

async fn put_replaces_an_object(store: &dyn BlobStore) {
    let key = "deliveries/order-1/file.txt";
    store
        .put(key, b"first version, longer".to_vec(), "text/plain")
        .await
        .expect("put");
    store
        .put(key, b"{\"v\":2}".to_vec(), "application/json")
        .await
        .expect("replace");
    let blob = store.get(key).await.expect("get").expect("replaced object");
    assert_eq!(blob.bytes, b"{\"v\":2}");
    assert_eq!(blob.content_type, "application/json");
}

async fn missing_objects_are_none(store: &dyn BlobStore) {
    assert_eq!(
        store
            .get("public/never-stored.png")
            .await
            .expect("get missing"),
        None
    );
    assert_eq!(
        store
            .get("no/such/folder/x.bin")
            .await
            .expect("get missing"),
        None
    );
}

async fn delete_removes_an_object(store: &dyn BlobStore) {
    let key = "public/to-delete.txt";
    store
        .put(key, b"bye".to_vec(), "text/plain")
        .await
        .expect("put");
    store.delete(key).await.expect("delete");
    assert_eq!(store.get(key).await.expect("get deleted"), None);
}

async fn deleting_a_missing_object_is_ok(store: &dyn BlobStore) {
    store
        .delete("public/never-stored.txt")
        .await
        .expect("delete missing");
    store
        .delete("no/such/folder/x.bin")
        .await
        .expect("delete missing in missing folder");
}

async fn nested_keys_are_independent(store: &dyn BlobStore) {
    store
        .put("docs/a.txt", b"a".to_vec(), "text/plain")
        .await
        .expect("put a");
    store
        .put("docs/a.txt.meta", b"meta".to_vec(), "text/x-meta")
        .await
        .expect("put a.meta");
    let a = store.get("docs/a.txt").await.expect("get a").expect("a");
    let meta = store
        .get("docs/a.txt.meta")
        .await
        .expect("get a.meta")
        .expect("a.meta");
    assert_eq!(
        (a.bytes.as_slice(), a.content_type.as_str()),
        (&b"a"[..], "text/plain")
    );
    assert_eq!(
        (meta.bytes.as_slice(), meta.content_type.as_str()),
        (&b"meta"[..], "text/x-meta")
    );
    store.delete("docs/a.txt").await.expect("delete a");
    assert!(
        store
            .get("docs/a.txt.meta")
            .await
            .expect("get a.meta")
            .is_some()
    );
}

async fn invalid_keys_are_refused(store: &dyn BlobStore) {
    for key in INVALID_KEYS {
        let put = store.put(key, b"x".to_vec(), "text/plain").await;
        assert!(
            matches!(put, Err(BlobError::InvalidKey(_))),
            "put {key:?}: {put:?}"
        );
        let get = store.get(key).await;
        assert!(
            matches!(get, Err(BlobError::InvalidKey(_))),
            "get {key:?}: {get:?}"
        );
        let delete = store.delete(key).await;
        assert!(
            matches!(delete, Err(BlobError::InvalidKey(_))),
            "delete {key:?}: {delete:?}"
        );
        let signed = store
            .signed_url(key, std::time::Duration::from_secs(60))
            .await;
        assert!(
            matches!(signed, Err(BlobError::InvalidKey(_))),
            "signed_url {key:?}: {signed:?}"
        );
    }
}

fn public_url_names_the_key(store: &dyn BlobStore) {
    let key = "public/services/cover-1.webp";
    let url = store.public_url(key);
    assert!(url.contains(key), "{url} should contain {key}");
}
