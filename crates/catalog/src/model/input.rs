//! Validating what a seller sends: every range of the spec, openapi/openapi.json, every failure named by its
//! field path (`packages[1].price`).

use krika_kernel::ids::{CategoryId, ExtraId, PackageId};
use krika_kernel::{FieldError, ValidationErrors};

use super::service::{Extra, Package, Service};

/// The limits, in one place (the OpenAPI schema repeats them).
pub mod limits {
    pub const TITLE: std::ops::RangeInclusive<usize> = 5..=120;
    pub const SHORT_DESCRIPTION_MAX: usize = 300;
    pub const DESCRIPTION_MAX: usize = 10_000;
    pub const TAGS_MAX: usize = 10;
    pub const TAG_MAX_CHARS: usize = 30;
    pub const PACKAGES: std::ops::RangeInclusive<usize> = 1..=3;
    pub const PACKAGE_NAME_MAX: usize = 50;
    pub const PACKAGE_DESCRIPTION_MAX: usize = 500;
    pub const FEATURES_MAX: usize = 10;
    pub const FEATURE_MAX_CHARS: usize = 100;
    pub const EXTRAS_MAX: usize = 10;
    pub const EXTRA_TITLE_MAX: usize = 100;
    /// Prices in minor units: above zero, at most 100 million.
    pub const PRICE: std::ops::RangeInclusive<i64> = 1..=100_000_000;
    pub const PACKAGE_DELIVERY_DAYS: std::ops::RangeInclusive<i64> = 1..=90;
    pub const REVISIONS: std::ops::RangeInclusive<i64> = 0..=20;
    pub const EXTRA_DELIVERY_DAYS: std::ops::RangeInclusive<i64> = 0..=30;
}

#[derive(Debug, Clone, Default)]
pub struct PackageInput {
    /// Keeps the id of an existing package when editing.
    pub id: Option<PackageId>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub price: Option<i64>,
    pub delivery_days: Option<i64>,
    pub revisions: Option<i64>,
    pub features: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ExtraInput {
    pub id: Option<ExtraId>,
    pub title: Option<String>,
    pub price: Option<i64>,
    pub delivery_days: Option<i64>,
}

/// A whole service as sent on creation.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    pub title: Option<String>,
    pub short_description: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<CategoryId>,
    pub tags: Vec<String>,
    pub packages: Vec<PackageInput>,
    pub extras: Vec<ExtraInput>,
}

/// A partial edit: `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct ServicePatch {
    pub title: Option<String>,
    pub short_description: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<CategoryId>,
    pub tags: Option<Vec<String>>,
    pub packages: Option<Vec<PackageInput>>,
    pub extras: Option<Vec<ExtraInput>>,
    pub is_available: Option<bool>,
}

/// What a seller writes about a service, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceContent {
    pub title: String,
    pub short_description: String,
    pub description: String,
    pub category_id: CategoryId,
    pub tags: Vec<String>,
    pub packages: Vec<Package>,
    pub extras: Vec<Extra>,
}

impl ServiceContent {
    pub fn starting_price(&self) -> i64 {
        self.packages.iter().map(|p| p.price).min().unwrap_or(0)
    }

    /// Validates a creation.
    pub fn parse(input: ServiceInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check(parse_title(input.title.as_deref()));
        let short_description = errors.check(parse_text(
            "shortDescription",
            input.short_description.as_deref(),
            limits::SHORT_DESCRIPTION_MAX,
        ));
        let description = errors.check(parse_text(
            "description",
            input.description.as_deref(),
            limits::DESCRIPTION_MAX,
        ));
        if input.category_id.is_none() {
            errors.push("categoryId", "Category is required");
        }
        let tags = parse_tags(&input.tags, &mut errors);
        let packages = parse_packages(&input.packages, &[], &mut errors);
        let extras = parse_extras(&input.extras, &[], &mut errors);
        errors.into_result()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            short_description: short_description.unwrap_or_default(),
            description: description.unwrap_or_default(),
            category_id: input.category_id.unwrap_or_default(),
            tags,
            packages,
            extras,
        })
    }

    /// Validates an edit laid over the current service; ids of packages and extras sent
    /// with a known id are kept.
    pub fn patch(current: &Service, patch: &ServicePatch) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = match &patch.title {
            Some(title) => errors.check(parse_title(Some(title))),
            None => Some(current.title.clone()),
        };
        let short_description = match &patch.short_description {
            Some(text) => errors.check(parse_text(
                "shortDescription",
                Some(text),
                limits::SHORT_DESCRIPTION_MAX,
            )),
            None => Some(current.short_description.clone()),
        };
        let description = match &patch.description {
            Some(text) => errors.check(parse_text(
                "description",
                Some(text),
                limits::DESCRIPTION_MAX,
            )),
            None => Some(current.description.clone()),
        };
        let tags = match &patch.tags {
            Some(tags) => parse_tags(tags, &mut errors),
            None => current.tags.clone(),
        };
        let packages = match &patch.packages {
            Some(packages) => parse_packages(packages, &current.packages, &mut errors),
            None => current.packages.clone(),
        };
        let extras = match &patch.extras {
            Some(extras) => parse_extras(extras, &current.extras, &mut errors),
            None => current.extras.clone(),
        };
        errors.into_result()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            short_description: short_description.unwrap_or_default(),
            description: description.unwrap_or_default(),
            category_id: patch.category_id.unwrap_or(current.category.id),
            tags,
            packages,
            extras,
        })
    }

    /// Whether going from `current` to this needs a new review: what buyers judge a
    /// service on (title, descriptions, packages) changed.
    pub fn needs_review_against(&self, current: &Service) -> bool {
        self.title != current.title
            || self.short_description != current.short_description
            || self.description != current.description
            || self.packages != current.packages
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn parse_title(raw: Option<&str>) -> Result<String, FieldError> {
    krika_kernel::error::trimmed_title(raw, limits::TITLE)
}

/// Required, not blank, at most `max` characters; stored exactly as sent.
fn parse_text(field: &str, raw: Option<&str>, max: usize) -> Result<String, FieldError> {
    match raw {
        None => Err(FieldError::new(field, "This field is required")),
        Some(text) if text.trim().is_empty() => {
            Err(FieldError::new(field, "This field is required"))
        }
        Some(text) if chars(text) > max => Err(FieldError::new(
            field,
            format!("Must be at most {max} characters"),
        )),
        Some(text) => Ok(text.to_owned()),
    }
}

/// Tags are trimmed and lower-cased (so filters match however they were typed); duplicates
/// are dropped.
fn parse_tags(raw: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    if raw.len() > limits::TAGS_MAX {
        errors.push("tags", format!("At most {} tags", limits::TAGS_MAX));
    }
    let mut tags: Vec<String> = Vec::new();
    for (i, tag) in raw.iter().enumerate() {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() || chars(&tag) > limits::TAG_MAX_CHARS {
            errors.push(
                format!("tags[{i}]"),
                format!("A tag has 1 to {} characters", limits::TAG_MAX_CHARS),
            );
        } else if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

fn in_range(
    errors: &mut ValidationErrors,
    field: String,
    value: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
) -> i64 {
    match value {
        Some(v) if range.contains(&v) => v,
        Some(_) => {
            errors.push(
                field,
                format!(
                    "{what} must be between {} and {}",
                    range.start(),
                    range.end()
                ),
            );
            0
        }
        None => {
            errors.push(field, format!("{what} is required"));
            0
        }
    }
}

fn bounded_text(
    errors: &mut ValidationErrors,
    field: String,
    raw: Option<&str>,
    max: usize,
    required: bool,
) -> String {
    let text = raw.unwrap_or("").trim();
    if required && text.is_empty() {
        errors.push(field, "This field is required");
    } else if chars(text) > max {
        errors.push(field, format!("Must be at most {max} characters"));
    }
    text.to_owned()
}

fn parse_packages(
    raw: &[PackageInput],
    current: &[Package],
    errors: &mut ValidationErrors,
) -> Vec<Package> {
    if !limits::PACKAGES.contains(&raw.len()) {
        errors.push("packages", "A service has 1 to 3 packages");
    }
    let mut names: Vec<String> = Vec::new();
    raw.iter()
        .enumerate()
        .map(|(i, p)| {
            let at = |field: &str| format!("packages[{i}].{field}");
            let name = bounded_text(
                errors,
                at("name"),
                p.name.as_deref(),
                limits::PACKAGE_NAME_MAX,
                true,
            );
            if !name.is_empty() && names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                errors.push(at("name"), "Package names must differ");
            }
            names.push(name.clone());
            let description = bounded_text(
                errors,
                at("description"),
                p.description.as_deref(),
                limits::PACKAGE_DESCRIPTION_MAX,
                false,
            );
            if p.features.len() > limits::FEATURES_MAX {
                errors.push(
                    at("features"),
                    format!("At most {} features", limits::FEATURES_MAX),
                );
            }
            let features = p
                .features
                .iter()
                .enumerate()
                .map(|(j, f)| {
                    let field = format!("packages[{i}].features[{j}]");
                    bounded_text(errors, field, Some(f), limits::FEATURE_MAX_CHARS, true)
                })
                .collect();
            Package {
                id: p
                    .id
                    .filter(|id| current.iter().any(|c| c.id == *id))
                    .unwrap_or_default(),
                name,
                description,
                price: in_range(errors, at("price"), p.price, limits::PRICE, "Price"),
                delivery_days: in_range(
                    errors,
                    at("deliveryDays"),
                    p.delivery_days,
                    limits::PACKAGE_DELIVERY_DAYS,
                    "Delivery days",
                ) as i32,
                revisions: in_range(
                    errors,
                    at("revisions"),
                    p.revisions.or(Some(0)),
                    limits::REVISIONS,
                    "Revisions",
                ) as i32,
                features,
            }
        })
        .collect()
}

fn parse_extras(
    raw: &[ExtraInput],
    current: &[Extra],
    errors: &mut ValidationErrors,
) -> Vec<Extra> {
    if raw.len() > limits::EXTRAS_MAX {
        errors.push("extras", format!("At most {} extras", limits::EXTRAS_MAX));
    }
    raw.iter()
        .enumerate()
        .map(|(i, e)| {
            let at = |field: &str| format!("extras[{i}].{field}");
            Extra {
                id: e
                    .id
                    .filter(|id| current.iter().any(|c| c.id == *id))
                    .unwrap_or_default(),
                title: bounded_text(
                    errors,
                    at("title"),
                    e.title.as_deref(),
                    limits::EXTRA_TITLE_MAX,
                    true,
                ),
                price: in_range(errors, at("price"), e.price, limits::PRICE, "Price"),
                delivery_days: in_range(
                    errors,
                    at("deliveryDays"),
                    e.delivery_days.or(Some(0)),
                    limits::EXTRA_DELIVERY_DAYS,
                    "Delivery days",
                ) as i32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(price: i64, days: i64) -> PackageInput {
        PackageInput {
            name: Some(format!("P{price}")),
            price: Some(price),
            delivery_days: Some(days),
            ..Default::default()
        }
    }

    fn valid() -> ServiceInput {
        ServiceInput {
            title: Some("  Je vais créer votre logo  ".into()),
            short_description: Some("Un logo unique".into()),
            description: Some("Description détaillée".into()),
            category_id: Some(CategoryId::new()),
            tags: vec!["Logo".into(), "logo ".into(), "design".into()],
            packages: vec![package(15_000, 3), package(5_000, 1)],
            extras: vec![],
        }
    }

    #[test]
    fn a_valid_service_is_normalised() {
        let content = ServiceContent::parse(valid()).unwrap();
        assert_eq!(content.title, "Je vais créer votre logo");
        assert_eq!(content.tags, ["logo", "design"]);
        assert_eq!(content.starting_price(), 5_000);
    }

    #[test]
    fn every_range_is_checked_and_named() {
        let mut input = valid();
        input.title = Some("abc".into());
        input.packages = vec![package(0, 91), package(10, 0)];
        input.packages[1].revisions = Some(21);
        input.extras = vec![ExtraInput {
            title: Some("Express".into()),
            price: Some(1000),
            delivery_days: Some(31),
            ..Default::default()
        }];
        let fields: Vec<String> = ServiceContent::parse(input)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "title",
                "packages[0].price",
                "packages[0].deliveryDays",
                "packages[1].deliveryDays",
                "packages[1].revisions",
                "extras[0].deliveryDays",
            ]
        );
    }

    #[test]
    fn package_count_is_one_to_three() {
        let mut input = valid();
        input.packages = vec![];
        assert_eq!(
            ServiceContent::parse(input).unwrap_err().0[0].field,
            "packages"
        );
        let mut input = valid();
        input.packages = (1..=4).map(|i| package(i * 1000, 1)).collect();
        assert!(ServiceContent::parse(input).is_err());
    }
}
