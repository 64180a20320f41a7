use krika_kernel::ids::{OrderId, UserId};
use serde::Serialize;

/// What a message shows of its sender, and a conversation of its participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: UserId,
    pub username: String,
    /// The display name (as on orders and profiles).
    pub name: String,
    pub avatar_url: Option<String>,
}

impl Person {
    /// How an e-mail greets them: the first name, else the username.
    pub fn greeting_name(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.username
        } else {
            &self.name
        }
    }
}

/// A person with what messaging needs to reach them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub person: Person,
    pub email: String,
    /// `false` when the account is suspended or deleted: nobody can write to them.
    pub active: bool,
    pub is_admin: bool,
}

/// An order as a conversation names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRef {
    pub id: OrderId,
    pub number: String,
}

/// Who an order is between, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderParties {
    pub order: OrderRef,
    pub buyer: UserId,
    pub seller: UserId,
    /// The order status in `snake_case` (`in_progress`, `disputed`…).
    pub status: String,
}

impl OrderParties {
    /// Whether `a` and `b` are exactly this order's buyer and seller, in either role.
    pub fn is_between(&self, a: UserId, b: UserId) -> bool {
        (self.buyer == a && self.seller == b) || (self.buyer == b && self.seller == a)
    }
}
