//! Typed ids: a `UserId` cannot be passed where a `SessionId` is expected.

/// Declares a UUID newtype with time-ordered (v7) generation.
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub ::uuid::Uuid);

        impl $name {
            /// A new time-ordered id.
            pub fn new() -> Self {
                Self(::uuid::Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> ::uuid::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<::uuid::Uuid> for $name {
            fn from(id: ::uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

define_id!(
    /// A registered user (client, seller or admin).
    UserId
);
define_id!(
    /// A login session: one family of rotating refresh tokens.
    SessionId
);
define_id!(
    /// A node of the category tree.
    CategoryId
);
define_id!(
    /// A service a seller offers.
    ServiceId
);
define_id!(
    /// A package (basic, standard, premium…) of a service.
    PackageId
);
define_id!(
    /// An optional extra of a service.
    ExtraId
);
define_id!(
    /// An image of a service.
    ImageId
);
define_id!(
    /// An order of a service package.
    OrderId
);
define_id!(
    /// A delivery the seller made on an order.
    DeliveryId
);
define_id!(
    /// A buyer's review of a completed order.
    ReviewId
);
define_id!(
    /// A withdrawal from a seller's wallet.
    PayoutId
);
define_id!(
    /// A time-bounded promotion (TIKONNA's "Offres").
    OfferId
);
