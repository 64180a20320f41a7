//! Services: who publishes what, in which category, at which price, with which packages.

use super::people::Person;
use super::vocabulary::*;
use super::*;
use krika_postgres::bulk::ServiceColumns;

/// What a service needs to know about its seller.
pub(super) struct Seller {
    pub(super) id: Uuid,
    pub(super) female: bool,
    pub(super) first_name: &'static str,
    pub(super) city: &'static str,
    pub(super) country: &'static Country,
    pub(super) years: u32,
    /// Earliest moment a service may have been created: the KYC approval.
    pub(super) since: DateTime<Utc>,
    pub(super) main_leaf: usize,
    pub(super) second_leaf: usize,
}

impl Seller {
    pub(super) fn new(p: &Person) -> Self {
        Self {
            id: p.id,
            female: p.female,
            first_name: p.first_name,
            city: p.city,
            country: p.country,
            years: p.years,
            since: p.reviewed_at,
            main_leaf: p.main_leaf,
            second_leaf: p.second_leaf,
        }
    }
}

pub(super) struct Plan {
    pub(super) sellers: Vec<Seller>,
    pub(super) seller_weights: WeightedIndex<f64>,
    pub(super) leaves: Vec<Leaf>,
    /// `SPECS` index per leaf (`None`: a category this seeder has no texts for).
    pub(super) specs: Vec<Option<usize>>,
    pub(super) now: DateTime<Utc>,
}

impl Plan {
    pub(super) fn new(sellers: Vec<Seller>, leaves: Vec<Leaf>, now: DateTime<Utc>) -> Self {
        let mut rng = rand::rng();
        // A few sellers publish a lot, most publish a handful.
        let weights: Vec<f64> = (0..sellers.len().max(1))
            .map(|_| 1.0 + 9.0 * rng.random::<f64>().powi(3))
            .collect();
        let specs = leaves
            .iter()
            .map(|l| SPECS.iter().position(|s| s.slug == l.slug))
            .collect();
        Self {
            sellers,
            seller_weights: WeightedIndex::new(weights).expect("weights"),
            leaves,
            specs,
            now,
        }
    }

    /// Services number `range` of the run: the first ones go one to each seller, so every
    /// seller has at least one when there are enough.
    pub(super) fn services(&self, range: std::ops::Range<usize>) -> ServiceColumns {
        let mut rng = rand::rng();
        let mut c = ServiceColumns::with_capacity(range.len());
        let mut slugs = HashSet::with_capacity(range.len());
        for i in range {
            let seller = if i < self.sellers.len() {
                &self.sellers[i]
            } else {
                &self.sellers[self.seller_weights.sample(&mut rng)]
            };
            let leaf = match rng.random_range(0..100) {
                0..75 => seller.main_leaf,
                75..90 => seller.second_leaf,
                _ => rng.random_range(0..self.leaves.len()),
            };
            let first = i < self.sellers.len();
            self.service(&mut rng, seller, first, leaf, &mut c, &mut slugs);
        }
        c
    }

    pub(super) fn service(
        &self,
        rng: &mut impl Rng,
        seller: &Seller,
        first: bool,
        leaf: usize,
        c: &mut ServiceColumns,
        slugs: &mut HashSet<String>,
    ) {
        let category = &self.leaves[leaf];
        let spec = match self.specs[leaf] {
            Some(i) => &SPECS[i],
            None => &GENERIC,
        };
        let cat_name = category.name.to_lowercase();
        let fill = |text: &str, rng: &mut dyn rand::RngCore| -> String {
            let (adj_m, adj_f, adj_mp, adj_fp) = *ADJECTIVES.choose(rng).expect("adjectives");
            text.replace("{adjp}", adj_mp)
                .replace("{adjfp}", adj_fp)
                .replace("{adj}", adj_m)
                .replace("{adjf}", adj_f)
                .replace("{adjs}", if seller.female { adj_f } else { adj_m })
                .replace("{job}", spec.job(seller.female))
                .replace("{cat}", &cat_name)
        };

        // Title: "Je vais" + what + (maybe) for whom / how.
        let what = fill(spec.titles.choose(rng).expect("titles"), rng);
        let mut title = format!("Je vais {what}");
        if rng.random_bool(0.85) {
            let has_pour = what.contains(" pour ");
            let contexts: Vec<&&str> = spec
                .contexts
                .iter()
                .chain(GENERIC_CONTEXTS)
                .filter(|c| !(has_pour && c.starts_with("pour ")))
                .collect();
            if let Some(ctx) = contexts.choose(rng) {
                let candidate = format!("{title} {ctx}");
                if candidate.chars().count() <= 120 {
                    title = candidate;
                }
            }
        }

        let id = loop {
            let id = Uuid::now_v7();
            let mut base = slugify(&title, 80);
            if base.is_empty() {
                base = "service".into();
            }
            let hex = id.simple().to_string();
            let slug = format!("{base}-{}", &hex[24..]);
            if slugs.insert(slug.clone()) {
                c.slug.push(slug);
                break id;
            }
        };

        let short = fill(spec.shorts.choose(rng).expect("shorts"), rng);
        let description = self.description(rng, seller, spec, &fill);

        // The category's main tag first, then a few others.
        let n_tags = rng.random_range(1..=4.min(spec.tags.len() - 1));
        let mut tags = vec![spec.tags[0]];
        tags.extend(spec.tags[1..].choose_multiple(rng, n_tags));

        let (packages, starting_price) = packages(rng, spec);
        let extras = extras(rng, spec);

        // Moderation, popularity and dates.
        // A seller's first service is approved and available, so every seller can be ordered from (the
        // demo market walks orders between the demo accounts).
        let status = match rng.random_range(0..100) {
            _ if first => "approved",
            0..90 => "approved",
            90..97 => "pending_review",
            _ => "rejected",
        };
        let since = seller.since.min(self.now - Duration::hours(2));
        let span = (self.now - since).num_seconds().max(3600);
        let created_at = since + Duration::seconds(rng.random_range(0..span - 3600));
        let age = (self.now - created_at).num_seconds().max(1);
        let updated_at = if status == "approved" {
            created_at + Duration::seconds(rng.random_range(0..age.min(90 * 86_400)))
        } else {
            // pending and rejected services were (re)submitted lately
            (self.now - Duration::seconds(rng.random_range(0..age.min(14 * 86_400))))
                .max(created_at)
        };
        let submitted_at = if status == "approved" {
            created_at
                + Duration::seconds(rng.random_range(0..=(updated_at - created_at).num_seconds()))
        } else {
            updated_at
        };
        let (reviews, rating_total, orders) = if status == "approved" {
            popularity(rng)
        } else {
            (0, 0, 0)
        };

        c.id.push(id);
        c.seller_id.push(seller.id);
        c.category_id.push(category.id);
        c.title.push(title);
        c.short_description.push(short);
        c.description.push(description);
        c.tags_text.push(tags.join(" "));
        c.packages.push(packages.to_string());
        c.extras.push(extras.to_string());
        c.starting_price.push(starting_price);
        c.status.push(status.to_owned());
        c.rejection_reason.push(
            (status == "rejected")
                .then(|| REJECTION_REASONS.choose(rng).expect("reasons").to_string()),
        );
        c.is_available.push(first || rng.random_bool(0.95));
        c.rating_total.push(rating_total);
        c.reviews_count.push(reviews);
        c.orders_count.push(orders);
        c.submitted_at.push(submitted_at);
        c.created_at.push(created_at);
        c.updated_at.push(updated_at);
    }

    pub(super) fn description(
        &self,
        rng: &mut impl Rng,
        seller: &Seller,
        spec: &Spec,
        fill: &dyn Fn(&str, &mut dyn rand::RngCore) -> String,
    ) -> String {
        let intro = INTROS
            .choose(rng)
            .expect("intros")
            .replace("{Job}", &capitalize(spec.job(seller.female)))
            .replace("{job}", spec.job(seller.female))
            .replace("{base}", if seller.female { "basée" } else { "basé" })
            .replace("{Base}", if seller.female { "Basée" } else { "Basé" })
            .replace(
                "{passionne}",
                if seller.female {
                    "passionnée"
                } else {
                    "passionné"
                },
            )
            .replace("{first}", seller.first_name)
            .replace("{city}", seller.city)
            .replace("{pays}", seller.country.in_country)
            .replace("{exp}", &seller.years.to_string());
        let count = rng.random_range(2..=3.min(spec.sentences.len()));
        let body: Vec<String> = spec
            .sentences
            .choose_multiple(rng, count)
            .map(|s| fill(s, rng))
            .collect();
        let process = PROCESS.choose(rng).expect("process");
        let closing = CLOSINGS.choose(rng).expect("closings");
        format!("{intro}\n\n{}\n\n{process} {closing}", body.join(" "))
    }
}

/// 1 to 3 packages, Basique < Standard < Premium in price, days and revisions.
pub(super) fn packages(rng: &mut impl Rng, spec: &Spec) -> (serde_json::Value, i64) {
    let wanted = match rng.random_range(0..100) {
        0..15 => 1,
        15..35 => 2,
        _ => 3,
    };
    let mut features: Vec<&str> = spec.features.to_vec();
    features.shuffle(rng);
    let mut list = Vec::new();
    let mut price = round_500(rng.random_range(spec.price.0..=spec.price.1));
    let mut days = rng.random_range(spec.days.0..=spec.days.1);
    let mut revisions = rng.random_range(0..=2);
    let mut n_features = rng.random_range(2..=3);
    let mut previous = 0;
    for (k, name) in ["Basique", "Standard", "Premium"]
        .iter()
        .enumerate()
        .take(wanted)
    {
        if k > 0 {
            price = round_500((price as f64 * rng.random_range(1.5..2.6)) as i64);
            days += rng.random_range(1..=days.max(2));
            revisions += rng.random_range(1..=3);
            n_features += rng.random_range(1..=2);
        }
        let price = price.clamp(2500, 500_000);
        if price <= previous {
            break;
        }
        previous = price;
        list.push(json!({
            "id": Uuid::now_v7(),
            "name": name,
            "description": PACKAGE_DESCRIPTIONS[k].choose(rng).expect("descriptions"),
            "price": price,
            "deliveryDays": days.clamp(1, 90),
            "revisions": revisions.clamp(0, 20),
            "features": &features[..n_features.min(features.len()).min(10)],
        }));
    }
    // the first package is the cheapest
    let starting = list.as_slice()[0]["price"].as_i64().unwrap_or(2500);
    (serde_json::Value::Array(list), starting)
}

pub(super) fn extras(rng: &mut impl Rng, spec: &Spec) -> serde_json::Value {
    let n = match rng.random_range(0..100) {
        0..30 => 0,
        30..60 => 1,
        60..85 => 2,
        _ => 3,
    };
    let pool: Vec<&(&str, i64, i32)> = spec.extras.iter().chain(GENERIC_EXTRAS).collect();
    let list: Vec<serde_json::Value> = pool
        .choose_multiple(rng, n)
        .map(|(title, price, days)| {
            json!({
                "id": Uuid::now_v7(),
                "title": title,
                "price": round_500(*price * rng.random_range(1..=2)),
                "deliveryDays": (*days).clamp(0, 30),
            })
        })
        .collect();
    serde_json::Value::Array(list)
}

/// (reviews, sum of stars, orders) of an approved service: many have none yet, a few are
/// very popular; averages lean towards good marks.
pub(super) fn popularity(rng: &mut impl Rng) -> (i32, i64, i32) {
    if rng.random_bool(0.3) {
        let orders = if rng.random_bool(0.3) {
            rng.random_range(1..4)
        } else {
            0
        };
        return (0, 0, orders);
    }
    let reviews = ((200.0 * rng.random::<f64>().powi(3)) as i32).clamp(1, 200);
    let average = 5.0 - 2.0 * rng.random::<f64>().powf(2.5);
    let total =
        ((reviews as f64 * average).round() as i64).clamp(3 * reviews as i64, 5 * reviews as i64);
    let orders = reviews + rng.random_range(0..=reviews / 2 + 3);
    (reviews, total, orders)
}

pub(super) fn round_500(price: i64) -> i64 {
    ((price + 250) / 500 * 500).max(2500)
}

pub(super) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
