//! The demo blog `krika-cli seed` adds when the blog is empty: a few published French posts
//! and one draft, written through the blog's own rendering and slug rules.

use chrono::{Duration, Utc};
use krika_content::ports::{PostRepository, PostWrite};
use krika_content::{PostFields, PostId, PostStatus, slug_base};
use krika_postgres::{Db, DbConfig, PgContentStore};

/// Title, Markdown, status, days since publication (or last edit for the draft).
const POSTS: &[(&str, &str, PostStatus, i64)] = &[
    (
        "Bienvenue sur 2Krika",
        "## Le marché des talents d'Afrique de l'Ouest\n\n\
         2Krika met en relation des **clients** et des **freelances** d'Abidjan, de Dakar, \
         de Bamako ou de Lomé. Chaque commande est payée à l'avance et l'argent reste \
         *bloqué* jusqu'à la validation de la livraison.\n\n\
         - Paiement par carte ou par portefeuille\n\
         - Vendeurs vérifiés (KYC)\n\
         - Messagerie intégrée\n\n\
         [Découvrir les services](https://2krika.com/services)",
        PostStatus::Published,
        30,
    ),
    (
        "Développement web : réussir son site vitrine",
        "Un site vitrine rassure vos clients avant même le premier appel. Voici ce qu'il faut \
         demander à votre développeur :\n\n\
         1. Un nom de domaine à votre nom\n\
         2. Un affichage soigné sur téléphone\n\
         3. Un bouton **WhatsApp** bien visible\n\n\
         > Un bon site se charge vite, même en 3G.",
        PostStatus::Published,
        12,
    ),
    (
        "Vendeurs : cinq conseils pour des annonces qui convertissent",
        "Des photos nettes, un titre précis, trois forfaits bien distincts, des délais \
         tenus et des réponses rapides : ce sont les services qui reçoivent le plus de \
         commandes. Pensez aussi aux *extras* (livraison express, fichiers sources).",
        PostStatus::Published,
        4,
    ),
    (
        "Paiement mobile : Orange Money et Wave arrivent",
        "Brouillon : annonce de l'intégration du paiement mobile, date à confirmer avec \
         l'équipe technique.",
        PostStatus::Draft,
        1,
    ),
];

/// Adds the demo posts unless the blog has posts already; returns how many were added.
pub async fn seed(url: &str) -> anyhow::Result<usize> {
    let db = Db::connect(&DbConfig::new(url))?;
    let store = PgContentStore::new(db);
    let query = krika_content::PostQuery {
        status: PostStatus::Published,
        search: None,
    };
    let one =
        krika_kernel::PageRequest::parse(None, Some(1), 1).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let drafts = krika_content::PostQuery {
        status: PostStatus::Draft,
        ..query.clone()
    };
    if store.list(&query, one).await?.total + store.list(&drafts, one).await?.total > 0 {
        return Ok(0);
    }
    let now = Utc::now();
    for (title, content, status, days) in POSTS {
        let at = now - Duration::days(*days);
        let fields = PostFields {
            title: (*title).to_owned(),
            content: (*content).to_owned(),
            status: *status,
        };
        let published_at = (*status == PostStatus::Published).then_some(at);
        let write = PostWrite::new(PostId::new(), &fields, None, published_at, at);
        store.create(&write, &slug_base(title)).await?;
    }
    Ok(POSTS.len())
}
