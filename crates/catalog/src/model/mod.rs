mod category;
mod input;
mod query;
mod service;

pub use category::{Category, CategoryDraft, CategoryInput, CategoryTree};
pub use input::{ExtraInput, PackageInput, ServiceContent, ServiceInput, ServicePatch, limits};
pub use query::{ServiceQuery, SortBy, SortOrder};
pub use service::{
    CategoryRef, Extra, Package, SellerRef, SellerStats, Service, ServiceImage, ServiceStatus,
    rating_of,
};
