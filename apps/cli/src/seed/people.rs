//! People: sellers (with an approved KYC file) and clients.

use super::services::capitalize;
use super::vocabulary::*;
use super::*;
use krika_postgres::bulk::{KycColumns, UserColumns};

pub(super) struct Person {
    pub(super) id: Uuid,
    pub(super) seller: bool,
    pub(super) female: bool,
    pub(super) first_name: &'static str,
    pub(super) last_name: &'static str,
    pub(super) country: &'static Country,
    pub(super) city: &'static str,
    pub(super) email: String,
    pub(super) username: String,
    pub(super) bio: Option<String>,
    pub(super) phone: Option<String>,
    /// The phone given in the KYC file (sellers).
    pub(super) kyc_phone: String,
    pub(super) birth: NaiveDate,
    pub(super) created_at: DateTime<Utc>,
    pub(super) step1_at: DateTime<Utc>,
    pub(super) submitted_at: DateTime<Utc>,
    pub(super) reviewed_at: DateTime<Utc>,
    /// Years of experience (sellers' bio and descriptions).
    pub(super) years: u32,
    /// Indexes into the leaf categories: where a seller publishes most, and next.
    pub(super) main_leaf: usize,
    pub(super) second_leaf: usize,
}

pub(super) fn generate_people(
    sellers: usize,
    clients: usize,
    offset: usize,
    leaves: &[Leaf],
    now: DateTime<Utc>,
) -> Vec<Person> {
    let mut rng = rand::rng();
    let weights = WeightedIndex::new(COUNTRIES.iter().map(|c| c.weight)).expect("weights");
    let mut people = Vec::with_capacity(sellers + clients);
    for i in 0..sellers + clients {
        let seller = i < sellers;
        let country = &COUNTRIES[weights.sample(&mut rng)];
        let female = rng.random_bool(0.5);
        let first_name = *if female { FEMALE } else { MALE }
            .choose(&mut rng)
            .expect("names");
        let last_name = *country.last_names.choose(&mut rng).expect("names");
        let n = offset + i + 1;
        let first = slugify(first_name, 40);
        let last = slugify(last_name, 40);
        let email = format!("{first}.{last}.{n}@{DEMO_EMAIL_DOMAIN}").replace('-', "");
        let suffix = format!("_{n}");
        let mut username = format!("{first}_{last}").replace('-', "_");
        username.truncate(30 - suffix.len());
        username.push_str(&suffix);
        let city = *country.cities.choose(&mut rng).expect("cities");
        let years: u32 = rng.random_range(2..13);
        // Sellers joined between two years and a month ago; clients any time.
        let age_days = if seller {
            rng.random_range(30..730)
        } else {
            rng.random_range(1..730)
        };
        let created_at =
            now - Duration::days(age_days) + Duration::seconds(rng.random_range(0..86_400));
        let step1_at = created_at + Duration::minutes(rng.random_range(5..3 * 24 * 60));
        let submitted_at = step1_at + Duration::minutes(rng.random_range(10..2 * 24 * 60));
        let reviewed_at = submitted_at + Duration::minutes(rng.random_range(60..3 * 24 * 60));
        let birth = NaiveDate::from_ymd_opt(
            rng.random_range(1972..2004),
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        )
        .expect("date");
        let phone = if seller || rng.random_bool(0.6) {
            Some(country.phone(&mut rng))
        } else {
            None
        };
        let kyc_phone = phone.clone().unwrap_or_default();
        let main_leaf = rng.random_range(0..leaves.len().max(1));
        // Often the next one in the tree (leaves are listed parent by parent): a sibling.
        let second_leaf = if rng.random_bool(0.6) && leaves.len() > 1 {
            (main_leaf + 1) % leaves.len()
        } else {
            rng.random_range(0..leaves.len().max(1))
        };
        let bio = seller.then(|| {
            let spec = leaves
                .get(main_leaf)
                .and_then(|l| SPECS.iter().find(|s| s.slug == l.slug))
                .unwrap_or(&GENERIC);
            let job = capitalize(spec.job(female));
            let based = if female { "basée" } else { "basé" };
            let line = BIO_LINES.choose(&mut rng).expect("bio");
            format!(
                "{job} {based} à {city}, {years} ans d'expérience et plus de {} clients \
                 satisfaits {}. {line}",
                rng.random_range(2..40) * 5,
                country.in_country,
            )
        });
        people.push(Person {
            id: Uuid::now_v7(),
            seller,
            female,
            first_name,
            last_name,
            country,
            city,
            email,
            username,
            bio,
            phone,
            kyc_phone,
            birth,
            created_at,
            step1_at,
            submitted_at,
            reviewed_at,
            years,
            main_leaf,
            second_leaf,
        });
    }
    people
}

pub(super) async fn insert_people(
    conn: &mut AsyncPgConnection,
    people: &[Person],
    password_hash: &str,
) -> anyhow::Result<()> {
    let (mut ids, mut emails, mut usernames, mut names, mut bios, mut phones) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut roles, mut kyc, mut created, mut updated) = (vec![], vec![], vec![], vec![]);
    let mut k = KycColumns::default();
    for p in people {
        ids.push(p.id);
        emails.push(p.email.clone());
        usernames.push(p.username.clone());
        names.push(format!("{} {}", p.first_name, p.last_name));
        phones.push(p.phone.clone());
        created.push(p.created_at);
        if p.seller {
            bios.push(p.bio.clone());
            roles.push("seller".to_owned());
            kyc.push("approved".to_owned());
            updated.push(p.reviewed_at);
            let folder = format!("kyc/{}", p.id);
            k.user_id.push(p.id);
            k.first_name.push(p.first_name.to_owned());
            k.last_name.push(p.last_name.to_owned());
            k.birth.push(p.birth);
            k.country.push(p.country.code.to_owned());
            k.phone.push(p.kyc_phone.clone());
            for (keys, name) in [
                (&mut k.front, "front"),
                (&mut k.back, "back"),
                (&mut k.selfie, "selfie"),
            ] {
                keys.push(format!("{folder}/{}-{name}.jpg", Uuid::now_v7().simple()));
            }
            k.step1_at.push(p.step1_at);
            k.submitted_at.push(p.submitted_at);
            k.reviewed_at.push(p.reviewed_at);
        } else {
            bios.push(None);
            roles.push("client".to_owned());
            kyc.push("not_started".to_owned());
            updated.push(p.created_at);
        }
    }
    let users = UserColumns {
        id: ids,
        email: emails,
        username: usernames,
        name: names,
        bio: bios,
        phone: phones,
        role: roles,
        kyc_status: kyc,
        created_at: created,
        updated_at: updated,
    };
    bulk::insert_users(conn, users, k, password_hash)
        .await
        .context("inserting users")
}
