//! What the blog port promises, run against PostgreSQL and the memory adapter alike:
//! slugs unique across current and former ones (also under concurrent writes), former
//! slugs that keep finding their post, lists newest first with accent-insensitive search.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use krika_content::ports::{PostRepository, PostWrite};
use krika_content::{PostFields, PostId, PostQuery, PostStatus};
use krika_kernel::PageRequest;
use krika_memory::MemoryContentStore;
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgContentStore};

/// A store on a fresh, migrated database.
async fn pg() -> Arc<dyn PostRepository> {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    Arc::new(PgContentStore::new(db))
}

/// Microsecond precision, as PostgreSQL keeps it.
fn start() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

fn write(
    id: PostId,
    title: &str,
    content: &str,
    status: PostStatus,
    at: DateTime<Utc>,
) -> PostWrite {
    let fields = PostFields {
        title: title.into(),
        content: content.into(),
        status,
    };
    let published_at = (status == PostStatus::Published).then_some(at);
    PostWrite::new(id, &fields, None, published_at, at)
}

fn page(n: u32, limit: u32) -> PageRequest {
    PageRequest::parse(Some(i64::from(n)), Some(i64::from(limit)), 20).unwrap()
}

async fn slugs(
    s: &Arc<dyn PostRepository>,
    status: PostStatus,
    search: Option<&str>,
) -> Vec<String> {
    let query = PostQuery {
        status,
        search: search.map(Into::into),
    };
    let found = s.list(&query, page(1, 100)).await.unwrap();
    found.items.into_iter().map(|p| p.slug).collect()
}

async fn slugs_are_unique_across_current_and_former_ones(s: Arc<dyn PostRepository>) {
    let t0 = start();
    let published = PostStatus::Published;
    let (first, second) = (PostId::new(), PostId::new());
    let a = s
        .create(
            &write(first, "Nouveau projet", "Un", published, t0),
            "nouveau-projet",
        )
        .await
        .unwrap();
    let b = s
        .create(
            &write(second, "Nouveau projet", "Deux", published, t0),
            "nouveau-projet",
        )
        .await
        .unwrap();
    assert_eq!(
        (a.slug.as_str(), b.slug.as_str()),
        ("nouveau-projet", "nouveau-projet-2")
    );
    assert_eq!(b.title, "Nouveau projet");
    assert_eq!(b.content_html, "<p>Deux</p>\n");
    assert_eq!(b.excerpt, "Deux");
    assert_eq!(
        (b.created_at, b.updated_at, b.published_at),
        (t0, t0, Some(t0))
    );

    // A new slug: the old one becomes former and still finds the post.
    let t1 = t0 + Duration::minutes(1);
    let renamed = s
        .update(
            &write(second, "Projet terminé", "Deux", published, t1),
            Some("projet-termine"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renamed.slug, "projet-termine");
    assert_eq!((renamed.created_at, renamed.updated_at), (t0, t1));
    let found = s.find("nouveau-projet-2").await.unwrap().unwrap();
    assert_eq!((found.id, found.slug.as_str()), (second, "projet-termine"));
    assert!(s.find("inconnu").await.unwrap().is_none());

    // Former slugs are not given to other posts.
    let c = s
        .create(
            &write(PostId::new(), "Nouveau projet", "Trois", published, t1),
            "nouveau-projet",
        )
        .await
        .unwrap();
    assert_eq!(c.slug, "nouveau-projet-3");

    // The post may take back its own former slug; the one it leaves becomes former.
    let back = s
        .update(
            &write(second, "Nouveau projet !", "Deux", published, t1),
            Some("nouveau-projet"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.slug, "nouveau-projet-2");
    assert_eq!(s.find("projet-termine").await.unwrap().unwrap().id, second);
    assert_eq!(
        s.find("nouveau-projet-2").await.unwrap().unwrap().slug,
        "nouveau-projet-2"
    );
    // Asking for the slug family it is already in keeps its slug.
    let same = s
        .update(
            &write(second, "Nouveau projet ?", "Deux bis", published, t1),
            Some("nouveau-projet"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(same.slug, "nouveau-projet-2");
    assert_eq!(same.content, "Deux bis");

    // Deleting frees every slug the post had.
    assert!(s.delete(second).await.unwrap());
    assert!(!s.delete(second).await.unwrap());
    assert!(s.find("projet-termine").await.unwrap().is_none());
    assert!(s.find("nouveau-projet-2").await.unwrap().is_none());
    let d = s
        .create(
            &write(PostId::new(), "Projet terminé", "x", published, t1),
            "projet-termine",
        )
        .await
        .unwrap();
    assert_eq!(d.slug, "projet-termine");
    assert!(
        s.update(&write(second, "Parti", "x", published, t1), Some("parti"))
            .await
            .unwrap()
            .is_none()
    );
}

async fn concurrent_writers_never_share_a_slug(s: Arc<dyn PostRepository>) {
    let t0 = start();
    let creates = (0..6).map(|n| {
        let s = s.clone();
        async move {
            let post = write(
                PostId::new(),
                "Même titre",
                &format!("{n}"),
                PostStatus::Draft,
                t0,
            );
            s.create(&post, "meme-titre").await.unwrap().slug
        }
    });
    let mut created = futures_util::future::join_all(creates).await;
    created.sort();
    let mut expected: Vec<String> = std::iter::once("meme-titre".to_owned())
        .chain((2..=6).map(|n| format!("meme-titre-{n}")))
        .collect();
    expected.sort();
    assert_eq!(created, expected);
}

async fn lists_are_newest_first_by_status_with_folded_search(s: Arc<dyn PostRepository>) {
    let t0 = start();
    let published = PostStatus::Published;
    for (n, (slug, title, content)) in [
        (
            "developpement-web",
            "Développement web",
            "Créer un site vitrine à Abidjan",
        ),
        ("recette", "Recette", "Le poisson braisé, plat de fête"),
        ("musique", "Musique", "Le coupé-décalé et son développement"),
    ]
    .into_iter()
    .enumerate()
    {
        let at = t0 + Duration::hours(n as i64);
        s.create(&write(PostId::new(), title, content, published, at), slug)
            .await
            .unwrap();
    }
    let draft = PostId::new();
    s.create(
        &write(draft, "Brouillon", "Développement", PostStatus::Draft, t0),
        "brouillon",
    )
    .await
    .unwrap();
    let older_draft = PostId::new();
    s.create(
        &write(
            older_draft,
            "Vieux brouillon",
            "x",
            PostStatus::Draft,
            t0 - Duration::days(1),
        ),
        "vieux-brouillon",
    )
    .await
    .unwrap();

    assert_eq!(
        slugs(&s, published, None).await,
        ["musique", "recette", "developpement-web"]
    );
    assert_eq!(
        slugs(&s, published, Some("developpement")).await,
        ["musique", "developpement-web"]
    );
    assert_eq!(
        slugs(&s, published, Some("DÉVELOPPEMENT web")).await,
        ["developpement-web"]
    );
    assert_eq!(slugs(&s, published, Some("braisé")).await, ["recette"]);
    assert!(slugs(&s, published, Some("introuvable")).await.is_empty());
    assert_eq!(
        slugs(&s, PostStatus::Draft, None).await,
        ["brouillon", "vieux-brouillon"]
    );
    assert_eq!(
        slugs(&s, PostStatus::Draft, Some("developpement")).await,
        ["brouillon"]
    );

    let query = PostQuery {
        status: published,
        search: None,
    };
    let second = s.list(&query, page(2, 2)).await.unwrap();
    assert_eq!(second.total, 3);
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].slug, "developpement-web");
    let past = s.list(&query, page(5, 2)).await.unwrap();
    assert_eq!((past.total, past.items.len()), (3, 0));

    // Publishing moves a draft to the public list; editing a draft makes it the latest.
    let later = t0 + Duration::days(1);
    let mut publish = write(draft, "Brouillon", "Développement", published, later);
    publish.image_key = Some("public/blog/x/y.png".into());
    let post = s.update(&publish, None).await.unwrap().unwrap();
    assert_eq!(post.slug, "brouillon");
    assert_eq!(post.published_at, Some(later));
    assert_eq!(post.image_key.as_deref(), Some("public/blog/x/y.png"));
    assert_eq!(slugs(&s, published, None).await[0], "brouillon");
    assert_eq!(
        slugs(&s, PostStatus::Draft, None).await,
        ["vieux-brouillon"]
    );
    let unpublish = write(
        draft,
        "Brouillon",
        "Développement",
        PostStatus::Draft,
        later,
    );
    let post = s.update(&unpublish, None).await.unwrap().unwrap();
    assert_eq!((post.published_at, post.image_key), (None, None));
}

macro_rules! contract {
    ($($name:ident),*) => {
        mod memory_content {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                super::$name(Arc::new(MemoryContentStore::default())).await;
            })*
        }
        mod pg_content {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                super::$name(pg().await).await;
            })*
        }
    };
}

contract!(
    slugs_are_unique_across_current_and_former_ones,
    concurrent_writers_never_share_a_slug,
    lists_are_newest_first_by_status_with_folded_search
);

#[tokio::test]
async fn blog_tables_match_the_schema_module() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use krika_postgres::schema::{blog_former_slugs, blog_posts};
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    let mut conn = db.conn().await.unwrap();
    blog_posts::table
        .select(blog_posts::all_columns)
        .limit(0)
        .execute(&mut conn)
        .await
        .unwrap();
    blog_former_slugs::table
        .select(blog_former_slugs::all_columns)
        .limit(0)
        .execute(&mut conn)
        .await
        .unwrap();
}
