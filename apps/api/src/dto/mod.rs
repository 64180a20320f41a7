//! Request and response bodies as the contract shapes them, with their OpenAPI schemas.

pub mod admin;
pub mod auth;
pub mod blog;
pub mod catalog;
pub mod health;
pub mod kyc;
pub mod messages;
pub mod orders;
pub mod page;
pub mod stats;
pub mod users;
pub mod wallet;
pub mod webhooks;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

/// Declares the named success envelope `{"success": true, "data": T}` for one payload, so
/// generated clients get a proper type name for every response.
macro_rules! envelope {
    ($name:ident, $data:ty) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            /// Always `true`.
            #[schema(example = true)]
            pub success: bool,
            pub data: $data,
        }

        impl From<$data> for $name {
            fn from(data: $data) -> Self {
                Self {
                    success: true,
                    data,
                }
            }
        }
    };
}
pub(crate) use envelope;

/// Renders a payload inside its envelope.
pub fn reply<E: Serialize>(status: StatusCode, envelope: E) -> HttpResponse {
    HttpResponse::build(status).json(envelope)
}
