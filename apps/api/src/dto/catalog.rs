use chrono::{DateTime, Utc};
use krika_catalog::{
    Category, CategoryInput, Extra, ExtraInput, Package, PackageInput, Service, ServiceInput,
    ServicePatch, ServiceStatus,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::envelope;
use super::page::list;
use super::users::Patch;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Category)]
pub struct CategoryDto {
    pub id: Uuid,
    /// ASCII, accents folded: `developpement-web`.
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<Uuid>,
    /// Approved, available services here and in every sub-category.
    pub services_count: u64,
}

impl From<Category> for CategoryDto {
    fn from(c: Category) -> Self {
        Self {
            id: c.id.as_uuid(),
            slug: c.slug,
            name: c.name,
            description: c.description,
            parent_id: c.parent_id.map(|p| p.as_uuid()),
            services_count: c.services_count,
        }
    }
}

/// `POST /admin/categories`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"name": "Montage vidéo", "slug": "montage-video", "description": "Clips, publicités et films d'entreprise", "parentId": null, "position": 3}))]
pub struct CreateCategoryRequest {
    #[schema(required = true, nullable = false, min_length = 1, max_length = 100)]
    #[serde(default)]
    pub name: Option<String>,
    /// Made from the name when absent.
    #[schema(max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    #[serde(default)]
    pub slug: Option<String>,
    #[schema(max_length = 500)]
    #[serde(default)]
    pub description: Option<String>,
    /// Absent or `null`: a top-level category.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub position: Option<i32>,
}

impl From<CreateCategoryRequest> for CategoryInput {
    fn from(r: CreateCategoryRequest) -> Self {
        Self {
            name: r.name,
            slug: r.slug,
            description: r.description,
            parent_id: r.parent_id.map(|p| Some(p.into())),
            position: r.position,
        }
    }
}

/// `PUT /admin/categories/{categoryId}`: the fields sent change, the others stay.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = UpdateCategoryRequest)]
#[schema(example = json!({"name": "Montage et effets vidéo", "position": 4}))]
pub struct CategoryRequest {
    #[schema(min_length = 1, max_length = 100)]
    #[serde(default)]
    pub name: Option<String>,
    #[schema(max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    #[serde(default)]
    pub slug: Option<String>,
    #[schema(max_length = 500)]
    #[serde(default)]
    pub description: Option<String>,
    /// `null` makes it a top-level category.
    #[schema(value_type = Option<Uuid>)]
    #[serde(default)]
    pub parent_id: Patch<Uuid>,
    #[serde(default)]
    pub position: Option<i32>,
}

impl From<CategoryRequest> for CategoryInput {
    fn from(r: CategoryRequest) -> Self {
        Self {
            name: r.name,
            slug: r.slug,
            description: r.description,
            parent_id: r.parent_id.into_change().map(|p| p.map(Into::into)),
            position: r.position,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ServiceStatus)]
pub enum ServiceStatusDto {
    PendingReview,
    Approved,
    Rejected,
}

impl From<ServiceStatus> for ServiceStatusDto {
    fn from(status: ServiceStatus) -> Self {
        match status {
            ServiceStatus::PendingReview => Self::PendingReview,
            ServiceStatus::Approved => Self::Approved,
            ServiceStatus::Rejected => Self::Rejected,
        }
    }
}

impl From<ServiceStatusDto> for ServiceStatus {
    fn from(status: ServiceStatusDto) -> Self {
        match status {
            ServiceStatusDto::PendingReview => Self::PendingReview,
            ServiceStatusDto::Approved => Self::Approved,
            ServiceStatusDto::Rejected => Self::Rejected,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Package)]
pub struct PackageDto {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// Minor units of `currency`.
    pub price: i64,
    #[schema(minimum = 1, maximum = 90)]
    pub delivery_days: i32,
    #[schema(minimum = 0, maximum = 20)]
    pub revisions: i32,
    pub features: Vec<String>,
}

impl From<Package> for PackageDto {
    fn from(p: Package) -> Self {
        Self {
            id: p.id.as_uuid(),
            name: p.name,
            description: p.description,
            price: p.price,
            delivery_days: p.delivery_days,
            revisions: p.revisions,
            features: p.features,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Extra)]
pub struct ExtraDto {
    pub id: Uuid,
    pub title: String,
    pub price: i64,
    #[schema(minimum = 0, maximum = 30)]
    pub delivery_days: i32,
}

impl From<Extra> for ExtraDto {
    fn from(e: Extra) -> Self {
        Self {
            id: e.id.as_uuid(),
            title: e.title,
            price: e.price,
            delivery_days: e.delivery_days,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceImage)]
pub struct ServiceImageDto {
    pub id: Uuid,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCategory {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSeller {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub avatar_url: Option<String>,
    #[schema(example = 4.8)]
    pub rating: f64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Service)]
pub struct ServiceDto {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub short_description: String,
    pub description: String,
    pub category: ServiceCategory,
    pub tags: Vec<String>,
    pub packages: Vec<PackageDto>,
    pub extras: Vec<ExtraDto>,
    pub images: Vec<ServiceImageDto>,
    /// The cheapest package's price.
    pub starting_price: i64,
    /// ISO 4217.
    #[schema(example = "XOF")]
    pub currency: String,
    pub rating: f64,
    pub reviews_count: i64,
    pub orders_count: i64,
    pub seller: ServiceSeller,
    pub status: ServiceStatusDto,
    /// Set when an admin rejected it.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    pub is_available: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ServiceDto {
    pub fn new(s: Service, url: impl Fn(&str) -> String) -> Self {
        Self {
            id: s.id.as_uuid(),
            slug: s.slug,
            title: s.title,
            short_description: s.short_description,
            description: s.description,
            category: ServiceCategory {
                id: s.category.id.as_uuid(),
                slug: s.category.slug,
                name: s.category.name,
            },
            tags: s.tags,
            packages: s.packages.into_iter().map(Into::into).collect(),
            extras: s.extras.into_iter().map(Into::into).collect(),
            images: s
                .images
                .into_iter()
                .map(|i| ServiceImageDto {
                    id: i.id.as_uuid(),
                    url: url(&i.key),
                })
                .collect(),
            starting_price: s.starting_price,
            currency: s.currency.to_string(),
            rating: s.rating,
            reviews_count: s.reviews_count,
            orders_count: s.orders_count,
            seller: ServiceSeller {
                id: s.seller.id.as_uuid(),
                username: s.seller.username,
                name: s.seller.name,
                avatar_url: s.seller.avatar_key.as_deref().map(&url),
                rating: s.seller.rating,
            },
            status: s.status.into(),
            rejection_reason: s.rejection_reason,
            is_available: s.is_available,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PackageRequest {
    /// Keep an existing package's id when editing; omit for a new package.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 50,
        example = "Standard"
    )]
    #[serde(default)]
    pub name: Option<String>,
    #[schema(max_length = 500)]
    #[serde(default)]
    pub description: Option<String>,
    /// Minor units; 1..100 000 000.
    #[schema(
        required = true,
        nullable = false,
        minimum = 1,
        maximum = 100_000_000,
        example = 15000
    )]
    #[serde(default)]
    pub price: Option<i64>,
    #[schema(
        required = true,
        nullable = false,
        minimum = 1,
        maximum = 90,
        example = 3
    )]
    #[serde(default)]
    pub delivery_days: Option<i64>,
    #[schema(minimum = 0, maximum = 20, default = 0)]
    #[serde(default)]
    pub revisions: Option<i64>,
    /// At most 10, each 1..100 characters.
    #[schema(max_items = 10)]
    #[serde(default)]
    pub features: Vec<String>,
}

impl From<PackageRequest> for PackageInput {
    fn from(p: PackageRequest) -> Self {
        Self {
            id: p.id.map(Into::into),
            name: p.name,
            description: p.description,
            price: p.price,
            delivery_days: p.delivery_days,
            revisions: p.revisions,
            features: p.features,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtraRequest {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 100,
        example = "Livraison express"
    )]
    #[serde(default)]
    pub title: Option<String>,
    #[schema(
        required = true,
        nullable = false,
        minimum = 1,
        maximum = 100_000_000,
        example = 5000
    )]
    #[serde(default)]
    pub price: Option<i64>,
    #[schema(minimum = 0, maximum = 30, default = 0)]
    #[serde(default)]
    pub delivery_days: Option<i64>,
}

impl From<ExtraRequest> for ExtraInput {
    fn from(e: ExtraRequest) -> Self {
        Self {
            id: e.id.map(Into::into),
            title: e.title,
            price: e.price,
            delivery_days: e.delivery_days,
        }
    }
}

/// `POST /services`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"title": "Je vais créer votre logo professionnel", "shortDescription": "Un logo unique en 3 jours, fichiers sources inclus.", "description": "Je conçois votre logo à partir de votre brief : trois propositions, deux révisions, fichiers PNG, SVG et PDF.", "categoryId": "0195f3a2-6b00-7c1d-8e2f-3a4b5c6d7e8f", "tags": ["logo", "identité visuelle"], "packages": [{"name": "Standard", "description": "Un logo, deux révisions", "price": 15000, "deliveryDays": 3, "revisions": 2, "features": ["PNG", "SVG"]}], "extras": [{"title": "Livraison express", "price": 5000, "deliveryDays": 1}]}))]
pub struct CreateServiceRequest {
    #[schema(
        required = true,
        nullable = false,
        min_length = 5,
        max_length = 120,
        example = "Je vais créer votre logo professionnel"
    )]
    #[serde(default)]
    pub title: Option<String>,
    #[schema(required = true, nullable = false, min_length = 1, max_length = 300)]
    #[serde(default)]
    pub short_description: Option<String>,
    #[schema(required = true, nullable = false, min_length = 1, max_length = 10000)]
    #[serde(default)]
    pub description: Option<String>,
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub category_id: Option<Uuid>,
    /// At most 10, each 1..30 characters; stored lower-case.
    #[schema(max_items = 10)]
    #[serde(default)]
    pub tags: Vec<String>,
    #[schema(required = true, nullable = false, min_items = 1, max_items = 3)]
    #[serde(default)]
    pub packages: Vec<PackageRequest>,
    #[schema(max_items = 10)]
    #[serde(default)]
    pub extras: Vec<ExtraRequest>,
}

impl From<CreateServiceRequest> for ServiceInput {
    fn from(r: CreateServiceRequest) -> Self {
        Self {
            title: r.title,
            short_description: r.short_description,
            description: r.description,
            category_id: r.category_id.map(Into::into),
            tags: r.tags,
            packages: r.packages.into_iter().map(Into::into).collect(),
            extras: r.extras.into_iter().map(Into::into).collect(),
        }
    }
}

/// `PUT /services/{serviceId}`: any subset of the fields. Changing title, descriptions or
/// packages of an approved service sends it back to review. `packages` and `extras`
/// replace the whole list.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"shortDescription": "Un logo unique en 2 jours, fichiers sources inclus.", "isAvailable": true}))]
pub struct UpdateServiceRequest {
    #[schema(min_length = 5, max_length = 120)]
    #[serde(default)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 300)]
    #[serde(default)]
    pub short_description: Option<String>,
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub category_id: Option<Uuid>,
    #[schema(max_items = 10)]
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[schema(min_items = 1, max_items = 3)]
    #[serde(default)]
    pub packages: Option<Vec<PackageRequest>>,
    #[schema(max_items = 10)]
    #[serde(default)]
    pub extras: Option<Vec<ExtraRequest>>,
    /// Pause (false) or resume (true) taking orders; no new review needed.
    #[serde(default)]
    pub is_available: Option<bool>,
}

impl From<UpdateServiceRequest> for ServicePatch {
    fn from(r: UpdateServiceRequest) -> Self {
        Self {
            title: r.title,
            short_description: r.short_description,
            description: r.description,
            category_id: r.category_id.map(Into::into),
            tags: r.tags,
            packages: r.packages.map(|p| p.into_iter().map(Into::into).collect()),
            extras: r.extras.map(|e| e.into_iter().map(Into::into).collect()),
            is_available: r.is_available,
        }
    }
}

/// `POST /services/{serviceId}/images` (multipart).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct ServiceImagesUpload {
    /// 1 to 5 files per request, at most 8 per service; JPEG, PNG or WebP (checked by
    /// content), at most 5 MB each.
    #[schema(value_type = Vec<String>, format = Binary, min_items = 1, max_items = 5)]
    pub files: Vec<Vec<u8>>,
}

/// Filters of `GET /services`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ServiceFilters {
    /// Category id or slug; sub-categories are included.
    pub category: Option<String>,
    /// Full text over title, descriptions and tags; accent-insensitive, tolerates typos.
    #[param(max_length = 200)]
    pub search: Option<String>,
    /// On `startingPrice`, minor units.
    #[param(minimum = 0)]
    pub min_price: Option<i64>,
    #[param(minimum = 0)]
    pub max_price: Option<i64>,
    pub seller_id: Option<Uuid>,
    /// Comma-separated; services carrying every tag.
    pub tags: Option<String>,
    /// `relevance` only with `search` (and then the default).
    #[param(value_type = Option<ServiceSortBy>)]
    pub sort_by: Option<String>,
    /// Default `desc`, `asc` for price.
    #[param(value_type = Option<SortOrder>)]
    pub sort_order: Option<String>,
}

/// What a service listing is sorted by. (Read as text and checked by the catalogue, which
/// names `sortBy` in a 422 for any other value.)
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ServiceSortBy {
    Price,
    Rating,
    CreatedAt,
    Relevance,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum SortOrder {
    Asc,
    Desc,
}

impl ServiceFilters {
    pub fn params(self, category: Option<String>) -> krika_catalog::ListParams {
        krika_catalog::ListParams {
            category: category.or(self.category),
            search: self.search,
            min_price: self.min_price,
            max_price: self.max_price,
            seller_id: self.seller_id.map(Into::into),
            tags: self.tags.into_iter().collect(),
            sort_by: self.sort_by,
            sort_order: self.sort_order,
        }
    }
}

/// Filters of `GET /admin/services`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModerationFilters {
    /// Default `pending_review`.
    pub status: Option<ServiceStatusDto>,
}

envelope!(CategoryResponse, CategoryDto);
envelope!(CategoryListResponse, Vec<CategoryDto>);
envelope!(ServiceResponse, ServiceDto);
envelope!(ServiceImagesResponse, Vec<ServiceImageDto>);
list!(ServiceList, ServiceListResponse, ServiceDto);
