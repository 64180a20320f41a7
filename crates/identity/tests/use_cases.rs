//! Identity use cases on the in-memory adapters with a clock that only moves when told.

use std::sync::Arc;

use chrono::Duration;
use krika_crypto::JwtCodec;
use krika_identity::ports::UserRepository;
use krika_identity::{
    Identity, IdentityConfig, IdentityError, IdentityPorts, LoginIdentifier, ProfileUpdate,
    Registration, Role, UserStatus,
};
use krika_kernel::{Clock, ManualClock};
use krika_memory::{
    MemoryBlobStore, MemoryDenylist, MemoryIdentityStore, MemoryMailer, PlainHasher,
};

struct World {
    identity: Identity,
    clock: Arc<ManualClock>,
    store: Arc<MemoryIdentityStore>,
    mailer: Arc<MemoryMailer>,
    blobs: Arc<MemoryBlobStore>,
}

fn world() -> World {
    let clock = Arc::new(ManualClock::starting_now());
    let store = Arc::new(MemoryIdentityStore::default());
    let mailer = Arc::new(MemoryMailer::default());
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = IdentityPorts {
        users: store.clone(),
        sessions: store.clone(),
        resets: store.clone(),
        kyc: store.clone(),
        hasher: Arc::new(PlainHasher::default()),
        tokens: Arc::new(JwtCodec::new(b"test-secret")),
        denylist: Arc::new(MemoryDenylist::default()),
        blobs: blobs.clone(),
        mailer: mailer.clone(),
        clock: clock.clone(),
    };
    let config = IdentityConfig {
        reset_url: "https://app.test/reset".into(),
        ..IdentityConfig::default()
    };
    World {
        identity: Identity::new(ports, config),
        clock,
        store,
        mailer,
        blobs,
    }
}

fn awa() -> Registration {
    Registration {
        email: "Awa@Example.com".into(),
        password: "motdepasse".into(),
        name: "Awa Traoré".into(),
        username: Some("awa".into()),
    }
}

fn fields(error: IdentityError) -> Vec<String> {
    match error {
        IdentityError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn register_then_login_by_email_or_username() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let user = pair.user.unwrap();
    assert_eq!(user.email, "awa@example.com");
    assert_eq!(user.role, Role::Client);
    assert_eq!(pair.expires_in, 900);
    let principal = w.identity.authenticate(&pair.access_token).await.unwrap();
    assert_eq!(principal.user.id, user.id);

    let by_email = LoginIdentifier::Email("AWA@example.com".into());
    assert!(w.identity.login(by_email, "motdepasse").await.is_ok());
    let by_username = LoginIdentifier::Username("awa".into());
    assert!(w.identity.login(by_username, "motdepasse").await.is_ok());
}

#[tokio::test]
async fn registration_rules() {
    let w = world();
    let bad = Registration {
        email: "nope".into(),
        password: "short".into(),
        name: " ".into(),
        username: Some("A!".into()),
    };
    let mut got = fields(w.identity.register(bad).await.unwrap_err());
    got.sort();
    assert_eq!(got, ["email", "name", "password", "username"]);

    w.identity.register(awa()).await.unwrap();
    let same_email = Registration {
        username: Some("other".into()),
        email: "AWA@EXAMPLE.COM".into(),
        ..awa()
    };
    assert!(matches!(
        w.identity.register(same_email).await,
        Err(IdentityError::EmailTaken)
    ));
    let same_username = Registration {
        email: "b@example.com".into(),
        ..awa()
    };
    assert!(matches!(
        w.identity.register(same_username).await,
        Err(IdentityError::UsernameTaken)
    ));
}

#[tokio::test]
async fn a_username_is_suggested_when_none_is_given() {
    let w = world();
    let first = Registration {
        username: None,
        email: "jean.marc@example.com".into(),
        ..awa()
    };
    let second = Registration {
        username: None,
        email: "jean.marc@example.org".into(),
        ..awa()
    };
    let a = w.identity.register(first).await.unwrap().user.unwrap();
    let b = w.identity.register(second).await.unwrap().user.unwrap();
    assert_eq!(a.username, "jean_marc");
    assert!(b.username.starts_with("jean_marc_"), "{}", b.username);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let w = world();
    w.identity.register(awa()).await.unwrap();
    let wrong = w
        .identity
        .login(
            LoginIdentifier::Email("awa@example.com".into()),
            "wrong-password",
        )
        .await;
    let unknown = w
        .identity
        .login(
            LoginIdentifier::Email("who@example.com".into()),
            "motdepasse",
        )
        .await;
    assert!(matches!(wrong, Err(IdentityError::InvalidCredentials)));
    assert!(matches!(unknown, Err(IdentityError::InvalidCredentials)));
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let w = world();
    let first = w.identity.register(awa()).await.unwrap();
    let second = w.identity.refresh(&first.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    let third = w.identity.refresh(&second.refresh_token).await.unwrap();

    // Replaying a spent token ends the session: even the newest token is dead now.
    assert!(matches!(
        w.identity.refresh(&first.refresh_token).await,
        Err(IdentityError::Unauthorized)
    ));
    assert!(matches!(
        w.identity.refresh(&third.refresh_token).await,
        Err(IdentityError::Unauthorized)
    ));
    assert!(matches!(
        w.identity.authenticate(&third.access_token).await,
        Err(IdentityError::Unauthorized)
    ));

    // Another session of the same user is untouched.
    let other = w
        .identity
        .login(LoginIdentifier::Username("awa".into()), "motdepasse")
        .await
        .unwrap();
    assert!(w.identity.refresh(&other.refresh_token).await.is_ok());
}

#[tokio::test]
async fn tokens_expire_with_the_clock() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let principal = w.identity.authenticate(&pair.access_token).await.unwrap();
    assert!(!principal.refresh_required);

    w.clock.advance(Duration::seconds(850));
    let principal = w.identity.authenticate(&pair.access_token).await.unwrap();
    assert!(principal.refresh_required, "within 60 s of expiry");

    w.clock.advance(Duration::seconds(60));
    assert!(matches!(
        w.identity.authenticate(&pair.access_token).await,
        Err(IdentityError::Unauthorized)
    ));

    // The refresh token lives 7 days.
    w.clock.advance(Duration::days(7));
    assert!(matches!(
        w.identity.refresh(&pair.refresh_token).await,
        Err(IdentityError::Unauthorized)
    ));
}

#[tokio::test]
async fn logout_ends_the_session_and_the_access_token() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let principal = w.identity.authenticate(&pair.access_token).await.unwrap();
    w.identity.logout(&principal, None).await.unwrap();
    assert!(matches!(
        w.identity.authenticate(&pair.access_token).await,
        Err(IdentityError::Unauthorized)
    ));
    assert!(matches!(
        w.identity.refresh(&pair.refresh_token).await,
        Err(IdentityError::Unauthorized)
    ));
    // Its open sockets hear of it: the event names the session, not the user's others.
    let events = w.store.events();
    let revoked = events
        .iter()
        .find(|e| e.kind == "session.revoked")
        .expect("session.revoked recorded");
    let session = principal.session_id.as_uuid().to_string();
    let ids: Vec<&str> = revoked.data["sessionIds"]
        .as_array()
        .expect("sessionIds")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    assert_eq!(ids, [session.as_str()]);
    assert_eq!(
        revoked.data["userId"].as_str(),
        Some(principal.user.id.as_uuid().to_string().as_str())
    );
}

#[tokio::test]
async fn suspension_acts_at_once() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let id = pair.user.unwrap().id;
    w.store
        .set_status(id, UserStatus::Suspended, w.clock.now())
        .await
        .unwrap();
    assert!(matches!(
        w.identity.authenticate(&pair.access_token).await,
        Err(IdentityError::Suspended)
    ));
    let login = w
        .identity
        .login(LoginIdentifier::Username("awa".into()), "motdepasse")
        .await;
    assert!(matches!(login, Err(IdentityError::Suspended)));
    // A wrong password still says nothing about the account's state.
    let wrong = w
        .identity
        .login(LoginIdentifier::Username("awa".into()), "not-the-one")
        .await;
    assert!(matches!(wrong, Err(IdentityError::InvalidCredentials)));
}

fn reset_token_from(mail_text: &str) -> String {
    let start = mail_text.find("?token=").expect("a reset link") + "?token=".len();
    mail_text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn password_reset_is_single_use_and_ends_sessions() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    w.identity
        .forgot_password("nobody@example.com")
        .await
        .unwrap();
    assert!(w.mailer.sent().is_empty(), "no mail for unknown addresses");

    w.identity.forgot_password("AWA@example.com").await.unwrap();
    let mail = w.mailer.sent().pop().unwrap();
    assert_eq!(mail.to, "awa@example.com");
    assert!(mail.text.contains("https://app.test/reset?token="));
    let token = reset_token_from(&mail.text);

    let weak = w
        .identity
        .reset_password(&token, "short")
        .await
        .unwrap_err();
    assert_eq!(fields(weak), ["password"]);
    w.identity
        .reset_password(&token, "nouveau-secret")
        .await
        .unwrap();
    assert_eq!(
        fields(
            w.identity
                .reset_password(&token, "encore-autre")
                .await
                .unwrap_err()
        ),
        ["token"]
    );

    assert!(matches!(
        w.identity.authenticate(&pair.access_token).await,
        Err(IdentityError::Unauthorized)
    ));
    assert!(w.identity.refresh(&pair.refresh_token).await.is_err());
    let old = w
        .identity
        .login(LoginIdentifier::Username("awa".into()), "motdepasse")
        .await;
    assert!(matches!(old, Err(IdentityError::InvalidCredentials)));
    assert!(
        w.identity
            .login(LoginIdentifier::Username("awa".into()), "nouveau-secret")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn reset_tokens_expire_after_an_hour() {
    let w = world();
    w.identity.register(awa()).await.unwrap();
    w.identity.forgot_password("awa@example.com").await.unwrap();
    let token = reset_token_from(&w.mailer.sent()[0].text);
    w.clock.advance(Duration::minutes(61));
    assert_eq!(
        fields(
            w.identity
                .reset_password(&token, "nouveau-secret")
                .await
                .unwrap_err()
        ),
        ["token"]
    );
}

#[tokio::test]
async fn profile_edits_and_deletion() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let principal = w.identity.authenticate(&pair.access_token).await.unwrap();
    let update = ProfileUpdate {
        name: Some("  Awa T.  ".into()),
        bio: Some(Some("<b>Designer</b>".into())),
        phone: Some(Some("+22507000000".into())),
        ..ProfileUpdate::default()
    };
    let user = w.identity.update_profile(&principal, update).await.unwrap();
    assert_eq!(user.name, "Awa T.");
    assert_eq!(
        user.bio.as_deref(),
        Some("<b>Designer</b>"),
        "text is kept as sent"
    );
    let bad = ProfileUpdate {
        phone: Some(Some("0700".into())),
        bio: Some(Some("x".repeat(2001))),
        ..Default::default()
    };
    let mut got = fields(
        w.identity
            .update_profile(&principal, bad)
            .await
            .unwrap_err(),
    );
    got.sort();
    assert_eq!(got, ["bio", "phone"]);

    let wrong = w
        .identity
        .delete_account(&principal, "not-my-password")
        .await
        .unwrap_err();
    assert_eq!(fields(wrong), ["password"]);
    w.identity
        .delete_account(&principal, "motdepasse")
        .await
        .unwrap();
    assert!(w.identity.authenticate(&pair.access_token).await.is_err());
    assert!(matches!(
        w.identity.user(user.id).await,
        Err(IdentityError::NotFound)
    ));
    // The address is free again.
    assert!(w.identity.register(awa()).await.is_ok());
}

#[tokio::test]
async fn avatars_are_checked_by_content() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let principal = w.identity.authenticate(&pair.access_token).await.unwrap();
    let text = b"just text, named avatar.png".to_vec();
    assert!(matches!(
        w.identity.set_avatar(&principal, text).await,
        Err(IdentityError::UnsupportedMedia)
    ));
    let big = vec![0xFF; 5 * 1024 * 1024 + 1];
    assert!(matches!(
        w.identity.set_avatar(&principal, big).await,
        Err(IdentityError::TooLarge { .. })
    ));

    let png = b"\x89PNG\r\n\x1a\n rest of a png".to_vec();
    let user = w
        .identity
        .set_avatar(&principal, png.clone())
        .await
        .unwrap();
    let first_key = user.avatar_key.clone().unwrap();
    assert!(first_key.starts_with("public/avatars/") && first_key.ends_with(".png"));
    let user = w.identity.set_avatar(&principal, png).await.unwrap();
    assert_ne!(user.avatar_key.as_ref(), Some(&first_key));
    assert_eq!(
        w.blobs.keys(),
        vec![user.avatar_key.unwrap()],
        "the old avatar is removed"
    );
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([0u8; 32]);
    bytes
}

async fn principal(w: &World, registration: Registration) -> krika_identity::Principal {
    let pair = w.identity.register(registration).await.unwrap();
    w.identity.authenticate(&pair.access_token).await.unwrap()
}

async fn admin(w: &World) -> krika_identity::Principal {
    krika_identity::provision_admin(
        w.store.as_ref(),
        &PlainHasher::default(),
        "root@example.com",
        "motdepasse",
        "Root",
        w.clock.now(),
    )
    .await
    .unwrap();
    let pair = w
        .identity
        .login(
            LoginIdentifier::Email("root@example.com".into()),
            "motdepasse",
        )
        .await
        .unwrap();
    w.identity.authenticate(&pair.access_token).await.unwrap()
}

#[tokio::test]
async fn kyc_goes_step1_step2_review_and_documents_stay_private() {
    use krika_identity::{KycDecision, KycStatus, KycStep1, KycStep2};
    let w = world();
    let seller = principal(&w, awa()).await;
    let step2 = || KycStep2 {
        document_type: Some("passport".into()),
        front: Some(png()),
        back: None,
        selfie: Some(png()),
    };
    match w.identity.kyc_step2(&seller, step2()).await {
        Err(IdentityError::InvalidTransition { from, allowed }) => {
            assert_eq!((from, allowed), ("not_started", vec!["step1_completed"]));
        }
        other => panic!("step 2 before step 1: {other:?}"),
    }
    let step1 = KycStep1 {
        first_name: "Awa".into(),
        last_name: "Traoré".into(),
        date_of_birth: "1990-01-31".into(),
        country: "ci".into(),
        phone: "+2250700000000".into(),
    };
    let file = w.identity.kyc_step1(&seller, step1).await.unwrap();
    assert_eq!(file.status, KycStatus::Step1Completed);
    assert_eq!(file.identity.unwrap().country, "CI");

    let seller = w.identity.authenticate_again(&seller).await;
    let file = w.identity.kyc_step2(&seller, step2()).await.unwrap();
    assert_eq!(file.status, KycStatus::PendingReview);
    let documents = file.documents.unwrap();
    assert!(documents.keys().all(|k| !k.starts_with("public/")));
    assert_eq!(documents.keys().count(), 2, "no back side for a passport");

    let root = admin(&w).await;
    assert!(matches!(
        w.identity.kyc_queue(&seller, None, page()).await,
        Err(IdentityError::AdminOnly)
    ));
    let queue = w.identity.kyc_queue(&root, None, page()).await.unwrap();
    assert_eq!(queue.total, 1);
    let review = w.identity.kyc_review(&root, seller.user.id).await.unwrap();
    assert!(review.front_url.is_some() && review.back_url.is_none());

    let file = w
        .identity
        .review_kyc(&root, seller.user.id, KycDecision::Approve)
        .await
        .unwrap();
    assert_eq!(file.status, KycStatus::Approved);
    assert_eq!(
        w.identity.user(seller.user.id).await.unwrap().role,
        Role::Seller
    );
}

#[tokio::test]
async fn suspension_ends_sessions_and_admins_cannot_suspend_themselves() {
    let w = world();
    let pair = w.identity.register(awa()).await.unwrap();
    let user = pair.user.clone().unwrap();
    let root = admin(&w).await;
    let client = w.identity.authenticate(&pair.access_token).await.unwrap();
    assert!(matches!(
        w.identity.suspend_user(&client, root.user.id, "no").await,
        Err(IdentityError::AdminOnly)
    ));
    assert!(matches!(
        w.identity.suspend_user(&root, root.user.id, "test").await,
        Err(IdentityError::SuspendingOneself)
    ));
    let suspended = w
        .identity
        .suspend_user(&root, user.id, "Fraude")
        .await
        .unwrap();
    assert_eq!(suspended.status, UserStatus::Suspended);
    assert!(matches!(
        w.identity.authenticate(&pair.access_token).await,
        Err(IdentityError::Suspended)
    ));
    assert!(w.identity.refresh(&pair.refresh_token).await.is_err());
    let active = w.identity.unsuspend_user(&root, user.id).await.unwrap();
    assert_eq!(active.status, UserStatus::Active);
    let filter = krika_identity::ports::UserFilter {
        search: Some("awa".into()),
        ..Default::default()
    };
    let found = w.identity.list_users(&root, filter, page()).await.unwrap();
    assert_eq!(found.total, 1);
}

fn page() -> krika_kernel::PageRequest {
    krika_kernel::PageRequest::parse(None, None, 20).unwrap()
}

trait Reauthenticate {
    async fn authenticate_again(
        &self,
        principal: &krika_identity::Principal,
    ) -> krika_identity::Principal;
}

impl Reauthenticate for Identity {
    /// The principal as a new request would see it (status read afresh).
    async fn authenticate_again(
        &self,
        principal: &krika_identity::Principal,
    ) -> krika_identity::Principal {
        let mut again = principal.clone();
        again.user = self.user(principal.user.id).await.unwrap();
        again
    }
}
