//! The demo inbox: the demo client and seller talk about each of their orders and in their
//! general conversation, some messages left unread; the client also wrote to another seller
//! before any order, so its contact details show masked. Everything goes through the
//! messaging use cases, so the outbox holds the events that become notifications once the
//! API's dispatcher runs.

use diesel::OptionalExtension;
use diesel::sql_types as st;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_api::state::AppState;
use krika_kernel::ids::{OrderId, UserId};
use krika_messaging::{Target, Viewer};
use uuid::Uuid;

#[derive(diesel::QueryableByName)]
struct OrderRow {
    #[diesel(sql_type = st::Uuid)]
    id: Uuid,
}

fn viewer(id: Uuid) -> Viewer {
    Viewer {
        id: UserId(id),
        is_admin: false,
    }
}

/// What each side says about an order, the last line left unread by the client.
const ORDER_TALK: [(bool, &str); 3] = [
    (
        true,
        "Bonjour ! Voici mes besoins : un rendu moderne, aux couleurs de ma boutique.",
    ),
    (
        false,
        "Bonjour, merci pour votre commande. Je vous envoie une première version sous 48 h.",
    ),
    (
        false,
        "Petite question : préférez-vous un fond clair ou sombre ?",
    ),
];

/// Seeds the conversations; returns how many messages were sent.
pub async fn run(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    client: Uuid,
    seller: Uuid,
) -> anyhow::Result<usize> {
    let orders: Vec<OrderRow> = diesel::sql_query(
        "SELECT id FROM orders WHERE buyer_id = $1 AND seller_id = $2 ORDER BY created_at",
    )
    .bind::<st::Uuid, _>(client)
    .bind::<st::Uuid, _>(seller)
    .load(conn)
    .await?;
    let mut sent = 0;
    let say = |from: Uuid, to: Uuid, order: Option<Uuid>, text: &'static str| async move {
        state
            .messaging
            .send(
                &viewer(from),
                Target::Recipient {
                    recipient: UserId(to),
                    order: order.map(OrderId),
                },
                text.to_owned(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo message: {e:?}"))
    };
    for order in &orders {
        for (from_client, text) in ORDER_TALK {
            let (from, to) = if from_client {
                (client, seller)
            } else {
                (seller, client)
            };
            say(from, to, Some(order.id), text).await?;
            sent += 1;
        }
    }
    say(
        client,
        seller,
        None,
        "Bonjour, faites-vous aussi des cartes de visite ?",
    )
    .await?;
    say(
        seller,
        client,
        None,
        "Oui, avec plaisir : je vous prépare une offre.",
    )
    .await?;
    sent += 2;
    // Someone the client never did business with (a seller when the demo has one left).
    let stranger: Option<OrderRow> = diesel::sql_query(
        "SELECT u.id FROM users u WHERE u.role <> 'admin' AND u.id NOT IN ($1, $2) \
         AND u.status = 'active' AND u.deleted_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE (o.buyer_id = $1 AND o.seller_id = u.id) \
                                                 OR (o.buyer_id = u.id AND o.seller_id = $1)) \
         ORDER BY (u.role = 'seller') DESC, u.created_at LIMIT 1",
    )
    .bind::<st::Uuid, _>(client)
    .bind::<st::Uuid, _>(seller)
    .get_result(conn)
    .await
    .optional()?;
    if let Some(other) = stranger.map(|row| row.id) {
        // No order together yet: the address and number are masked.
        say(
            client,
            other,
            None,
            "Bonjour, écrivez-moi plutôt à client@demo.2krika.com ou au +225 07 08 09 10 11.",
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}
