//! Blog use cases on the in-memory adapters, with a clock that only moves when told.

use std::sync::Arc;

use chrono::Duration;
use krika_content::{
    Content, ContentConfig, ContentError, ContentPorts, ListParams, Post, PostInput, PostPatch,
    PostStatus, Viewer,
};
use krika_kernel::ids::UserId;
use krika_kernel::{ManualClock, PageRequest};
use krika_memory::{MemoryBlobStore, MemoryContentStore};

struct World {
    content: Content,
    clock: Arc<ManualClock>,
    blobs: Arc<MemoryBlobStore>,
    admin: Viewer,
    reader: Viewer,
}

fn world() -> World {
    let clock = Arc::new(ManualClock::starting_now());
    let blobs = Arc::new(MemoryBlobStore::default());
    let content = Content::new(
        ContentPorts {
            posts: Arc::new(MemoryContentStore::default()),
            blobs: blobs.clone(),
            clock: clock.clone(),
        },
        ContentConfig {
            image_max_bytes: 1024,
        },
    );
    World {
        content,
        clock,
        blobs,
        admin: Viewer {
            id: UserId::new(),
            is_admin: true,
        },
        reader: Viewer {
            id: UserId::new(),
            is_admin: false,
        },
    }
}

fn input(title: &str, content: &str, status: &str) -> PostInput {
    PostInput {
        title: Some(title.into()),
        content: Some(content.into()),
        status: Some(status.into()),
    }
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([0u8; 32]);
    bytes
}

fn page() -> PageRequest {
    PageRequest::parse(None, None, 20).unwrap()
}

impl World {
    async fn publish(&self, title: &str, content: &str) -> Post {
        self.content
            .create(&self.admin, input(title, content, "published"), None)
            .await
            .unwrap()
    }

    async fn public_slugs(&self, search: Option<&str>) -> Vec<String> {
        let params = ListParams {
            status: None,
            search: search.map(Into::into),
        };
        let found = self.content.list(None, params, page()).await.unwrap();
        found.items.into_iter().map(|p| p.slug).collect()
    }
}

#[tokio::test]
async fn drafts_are_for_admins_until_published() {
    let w = world();
    let draft = w
        .content
        .create(
            &w.admin,
            input("Brouillon secret", "Pas encore", "draft"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(draft.status, PostStatus::Draft);
    assert!(draft.published_at.is_none());
    assert!(matches!(
        w.content.post(None, &draft.slug).await,
        Err(ContentError::NotFound)
    ));
    assert!(matches!(
        w.content.post(Some(&w.reader), &draft.slug).await,
        Err(ContentError::NotFound)
    ));
    assert_eq!(
        w.content
            .post(Some(&w.admin), &draft.slug)
            .await
            .unwrap()
            .id,
        draft.id
    );
    assert!(w.public_slugs(None).await.is_empty());

    let drafts = ListParams {
        status: Some("draft".into()),
        search: None,
    };
    assert!(matches!(
        w.content.list(None, drafts.clone(), page()).await,
        Err(ContentError::Unauthenticated)
    ));
    assert!(matches!(
        w.content
            .list(Some(&w.reader), drafts.clone(), page())
            .await,
        Err(ContentError::DraftsAdminOnly)
    ));
    let listed = w
        .content
        .list(Some(&w.admin), drafts, page())
        .await
        .unwrap();
    assert_eq!(listed.total, 1);

    w.clock.advance(Duration::minutes(5));
    let patch = PostPatch {
        status: Some("published".into()),
        ..PostPatch::default()
    };
    let published = w
        .content
        .update(&w.admin, &draft.slug, patch, None)
        .await
        .unwrap();
    assert_eq!(published.published_at, Some(w.clock_now()));
    assert_eq!(published.slug, draft.slug, "the title did not change");
    assert_eq!(w.public_slugs(None).await, [draft.slug.as_str()]);

    // Back to draft: hidden again, no publication date.
    let patch = PostPatch {
        status: Some("draft".into()),
        ..PostPatch::default()
    };
    let hidden = w
        .content
        .update(&w.admin, &draft.slug, patch, None)
        .await
        .unwrap();
    assert!(hidden.published_at.is_none());
    assert!(w.public_slugs(None).await.is_empty());
}

impl World {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        krika_kernel::Clock::now(self.clock.as_ref())
    }
}

#[tokio::test]
async fn slugs_are_unique_and_old_ones_keep_finding_the_post() {
    let w = world();
    let first = w.publish("Nouveau projet", "Un").await;
    let second = w.publish("Nouveau   projet !", "Deux").await;
    let third = w.publish("Nouveau projet", "Trois").await;
    assert_eq!(
        [&first.slug, &second.slug, &third.slug],
        ["nouveau-projet", "nouveau-projet-2", "nouveau-projet-3"]
    );
    assert_eq!(w.publish("Été à Dakar", "x").await.slug, "ete-a-dakar");

    // A new title, a new slug; the old one still finds the post.
    let patch = PostPatch {
        title: Some("Projet terminé".into()),
        ..PostPatch::default()
    };
    let renamed = w
        .content
        .update(&w.admin, "nouveau-projet-2", patch, None)
        .await
        .unwrap();
    assert_eq!(renamed.slug, "projet-termine");
    let found = w.content.post(None, "nouveau-projet-2").await.unwrap();
    assert_eq!(
        (found.id, found.slug.as_str()),
        (second.id, "projet-termine")
    );

    // A former slug is not handed to another post.
    assert_eq!(
        w.publish("Nouveau projet", "Quatre").await.slug,
        "nouveau-projet-4"
    );
    // Changing the title back gives the post its own former slug again.
    let patch = PostPatch {
        title: Some("Nouveau projet !".into()),
        ..PostPatch::default()
    };
    let back = w
        .content
        .update(&w.admin, "projet-termine", patch, None)
        .await
        .unwrap();
    assert_eq!(back.slug, "nouveau-projet-2");
    assert_eq!(
        w.content.post(None, "projet-termine").await.unwrap().id,
        second.id
    );
    // A title that gives the same slug keeps it.
    let patch = PostPatch {
        title: Some("Nouveau projet ?".into()),
        ..PostPatch::default()
    };
    let same = w
        .content
        .update(&w.admin, "nouveau-projet-2", patch, None)
        .await
        .unwrap();
    assert_eq!(same.slug, "nouveau-projet-2");

    // Deleting frees every slug the post had.
    w.content
        .delete(&w.admin, "nouveau-projet-2")
        .await
        .unwrap();
    assert!(matches!(
        w.content.post(None, "projet-termine").await,
        Err(ContentError::NotFound)
    ));
    assert_eq!(
        w.publish("Projet terminé", "x").await.slug,
        "projet-termine"
    );
}

#[tokio::test]
async fn search_folds_accents_and_lists_newest_first() {
    let w = world();
    w.publish("Développement web à Abidjan", "Un site vitrine")
        .await;
    w.clock.advance(Duration::hours(1));
    w.publish("Recettes", "Le DÉVELOPPEMENT du poisson braisé")
        .await;
    w.clock.advance(Duration::hours(1));
    w.publish("Musique", "Coupé-décalé").await;
    assert_eq!(
        w.public_slugs(None).await,
        ["musique", "recettes", "developpement-web-a-abidjan"]
    );
    assert_eq!(
        w.public_slugs(Some("developpement")).await,
        ["recettes", "developpement-web-a-abidjan"]
    );
    assert_eq!(w.public_slugs(Some("braise")).await, ["recettes"]);
    assert!(w.public_slugs(Some("introuvable")).await.is_empty());

    let two = PageRequest::parse(Some(2), Some(2), 20).unwrap();
    let second = w
        .content
        .list(None, ListParams::default(), two)
        .await
        .unwrap();
    assert_eq!(second.total, 3);
    assert_eq!(second.items[0].slug, "developpement-web-a-abidjan");
}

#[tokio::test]
async fn only_admins_write_and_every_failure_is_named() {
    let w = world();
    let refused = w
        .content
        .create(&w.reader, input("Titre", "Texte", "published"), None)
        .await;
    assert!(matches!(refused, Err(ContentError::AdminOnly)));
    let post = w.publish("Titre", "Texte").await;
    assert!(matches!(
        w.content
            .update(&w.reader, &post.slug, PostPatch::default(), None)
            .await,
        Err(ContentError::AdminOnly)
    ));
    assert!(matches!(
        w.content.delete(&w.reader, &post.slug).await,
        Err(ContentError::AdminOnly)
    ));
    assert!(matches!(
        w.content.delete(&w.admin, "inconnu").await,
        Err(ContentError::NotFound)
    ));

    let Err(ContentError::Validation(errors)) = w
        .content
        .create(&w.admin, input(" ", "", "archived"), None)
        .await
    else {
        panic!("invalid post accepted");
    };
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["title", "content", "status"]);
    let patch = PostPatch {
        title: Some("x".repeat(201)),
        ..PostPatch::default()
    };
    let Err(ContentError::Validation(errors)) =
        w.content.update(&w.admin, &post.slug, patch, None).await
    else {
        panic!("invalid edit accepted");
    };
    assert_eq!(errors.0[0].field, "title");
    let bad_status = ListParams {
        status: Some("archived".into()),
        search: None,
    };
    assert!(matches!(
        w.content.list(None, bad_status, page()).await,
        Err(ContentError::Validation(_))
    ));
}

#[tokio::test]
async fn markdown_becomes_safe_html_and_an_excerpt() {
    let w = world();
    let post = w
        .publish(
            "Sécurité",
            "## Bonjour\n\nVoir [le site](https://2krika.com) <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
        )
        .await;
    assert!(post.content.contains("<script>"), "content is kept as sent");
    assert!(!post.content_html.contains("<script"));
    assert!(!post.content_html.contains("onerror"));
    assert!(post.content_html.contains(r#"rel="nofollow noopener""#));
    assert_eq!(post.excerpt, "Bonjour Voir le site");
    let patch = PostPatch {
        content: Some("Tout **nouveau**".into()),
        ..PostPatch::default()
    };
    let edited = w
        .content
        .update(&w.admin, &post.slug, patch, None)
        .await
        .unwrap();
    assert_eq!(
        edited.content_html,
        "<p>Tout <strong>nouveau</strong></p>\n"
    );
    assert_eq!(edited.excerpt, "Tout nouveau");
}

#[tokio::test]
async fn images_are_checked_stored_and_replaced() {
    let w = world();
    let text = w
        .content
        .create(
            &w.admin,
            input("Image", "x", "draft"),
            Some(b"pas une image".to_vec()),
        )
        .await;
    assert!(matches!(text, Err(ContentError::UnsupportedMedia)));
    let big = w
        .content
        .create(&w.admin, input("Image", "x", "draft"), Some(vec![0; 2048]))
        .await;
    assert!(matches!(big, Err(ContentError::TooLarge { limit: 1024 })));
    assert!(w.blobs.keys().is_empty());

    let post = w
        .content
        .create(&w.admin, input("Image", "x", "draft"), Some(png()))
        .await
        .unwrap();
    let first = post.image_key.clone().unwrap();
    assert!(first.starts_with(&format!("public/blog/{}/", post.id)));
    assert!(first.ends_with(".png"));
    assert_eq!(w.blobs.keys(), [first.as_str()]);

    let replaced = w
        .content
        .update(&w.admin, &post.slug, PostPatch::default(), Some(png()))
        .await
        .unwrap();
    let second = replaced.image_key.unwrap();
    assert_ne!(second, first);
    assert_eq!(w.blobs.keys(), [second]);

    w.content.delete(&w.admin, &post.slug).await.unwrap();
    assert!(w.blobs.keys().is_empty());
}
