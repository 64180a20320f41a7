//! Database rows and their conversion into domain types.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use krika_identity::{KycStatus, Role, User, UserStatus};
use krika_kernel::Unexpected;
use uuid::Uuid;

use crate::schema::users;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub username: String,
    pub name: String,
    pub bio: Option<String>,
    pub phone: Option<String>,
    pub avatar_key: Option<String>,
    pub role: String,
    pub status: String,
    pub kyc_status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = Unexpected;

    fn try_from(row: UserRow) -> Result<Self, Unexpected> {
        let bad =
            |what: &str, value: &str| Unexpected::msg(format!("unknown {what} {value:?} in users"));
        Ok(User {
            id: row.id.into(),
            role: Role::parse(&row.role).ok_or_else(|| bad("role", &row.role))?,
            status: UserStatus::parse(&row.status).ok_or_else(|| bad("status", &row.status))?,
            kyc_status: KycStatus::parse(&row.kyc_status)
                .ok_or_else(|| bad("kyc status", &row.kyc_status))?,
            email: row.email,
            username: row.username,
            name: row.name,
            bio: row.bio,
            phone: row.phone,
            avatar_key: row.avatar_key,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub username: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `None` leaves a column alone; `Some(None)` sets NULL.
#[derive(AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChangeset {
    pub name: Option<String>,
    pub username: Option<String>,
    pub bio: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub updated_at: DateTime<Utc>,
}
