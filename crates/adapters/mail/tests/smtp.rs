//! Against a real SMTP sink that stores messages in a Maildir:
//!
//! ```sh
//! mkdir -p /tmp/maildir/{tmp,new,cur}   # or let the sink create /tmp/maildir: it adds the
//!                                       # three subfolders only when the folder is missing
//! python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox /tmp/maildir &
//! TEST_SMTP_URL=smtp://127.0.0.1:2525 TEST_MAILDIR=/tmp/maildir cargo nextest run -p krika-mail
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use krika_kernel::ports::{Mail, MailError, Mailer};
use krika_mail::maildir::{wait_for_message, wait_for_message_async};
use krika_mail::{BackgroundMailer, LogMailer, SmtpMailer};
use tokio::sync::Semaphore;

const FROM: &str = "2Krika <no-reply@2krika.test>";
const WAIT: Duration = Duration::from_secs(10);

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set. These tests need an SMTP sink writing to a Maildir, e.g.\n  \
             mkdir -p /tmp/maildir/{{tmp,new,cur}} && python3 -m aiosmtpd -n -l 127.0.0.1:2525 \
             -c aiosmtpd.handlers.Mailbox /tmp/maildir &\n  \
             TEST_SMTP_URL=smtp://127.0.0.1:2525 TEST_MAILDIR=/tmp/maildir \
             cargo nextest run -p krika-mail"
        )
    })
}

fn smtp_url() -> String {
    env("TEST_SMTP_URL")
}

fn maildir() -> PathBuf {
    PathBuf::from(env("TEST_MAILDIR"))
}

fn mailer() -> SmtpMailer {
    SmtpMailer::new(&smtp_url(), FROM).expect("valid SMTP URL")
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A URL longer than a 76-character line, with a query string full of `=` and `&`.
fn reset_link(id: &str) -> String {
    format!(
        "https://app.2krika.test/auth/reset-password?token={id}{id}&email=utilisateur%2B{id}%40example.com&redirect=%2Fcompte%2Fparametres"
    )
}

#[tokio::test]
async fn delivers_utf8_subject_and_a_long_link_intact() {
    let id = unique();
    let to = format!("user-{id}@example.com");
    let link = reset_link(&id);
    assert!(link.len() > 76);
    let subject = format!("Réinitialisation de votre mot de passe — {id} — à très bientôt");
    let text = format!(
        "Bonjour Élodie,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n{link}\n\n\
         Il expire dans une heure. Si vous n'êtes pas à l'origine de cette demande, ignorez ce \
         message.\n\nÀ bientôt,\nL'équipe 2Krika\n"
    );

    mailer()
        .send(Mail {
            to: to.clone(),
            subject: subject.clone(),
            text: text.clone(),
            html: None,
        })
        .await
        .expect("sent");

    let got = wait_for_message(&maildir(), &id, WAIT).expect("message in the Maildir");
    assert_eq!(got.to, to);
    assert_eq!(got.subject, subject);
    assert!(
        got.body.contains(&link),
        "link not intact in:\n{}",
        got.body
    );
    assert_eq!(got.body.trim_end(), text.trim_end());
}

#[tokio::test]
async fn delivers_a_mostly_non_ascii_body() {
    // When more than a third of the bytes need escaping, lettre writes base64 rather than
    // quoted-printable: this mail takes the other decoding path.
    let id = unique();
    let to = format!("ivan-{id}@example.com");
    let link = reset_link(&id);
    let greeting = "Здравствуйте! Ваша ссылка для сброса пароля готова. Ёжик.\n";
    let text = format!("{}{link}\n", greeting.repeat(4));
    let subject = format!("Сброс пароля {id}");

    mailer()
        .send(Mail {
            to: to.clone(),
            subject: subject.clone(),
            text: text.clone(),
            html: None,
        })
        .await
        .expect("sent");

    let got = wait_for_message(&maildir(), &to, WAIT).expect("message in the Maildir");
    assert_eq!(got.to, to);
    assert_eq!(got.subject, subject);
    assert!(
        got.body.contains(&link),
        "link not intact in:\n{}",
        got.body
    );
    assert_eq!(got.body.trim_end(), text.trim_end());
}

#[tokio::test]
async fn rejects_an_invalid_recipient() {
    let result = mailer()
        .send(Mail {
            to: "not an address".into(),
            subject: "x".into(),
            text: "x".into(),
            html: None,
        })
        .await;
    assert!(
        matches!(result, Err(MailError::InvalidAddress(_))),
        "{result:?}"
    );
}

#[test]
fn rejects_an_invalid_sender() {
    let result = SmtpMailer::new(&smtp_url(), "no sender here");
    assert!(
        matches!(result, Err(MailError::InvalidAddress(_))),
        "{result:?}"
    );
}

#[test]
fn rejects_a_malformed_url() {
    let result = SmtpMailer::new("not a url", FROM);
    assert!(
        matches!(result, Err(MailError::Unexpected(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn ping_sees_the_sink() {
    assert!(mailer().ping().await);
}

/// A port where nothing listens: bind one, then free it.
fn dead_smtp_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("smtp://127.0.0.1:{port}")
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_not_a_panic() {
    let mailer = SmtpMailer::new(&dead_smtp_url(), FROM).expect("valid URL");
    assert!(!mailer.ping().await);
    let result = mailer
        .send(Mail {
            to: "someone@example.com".into(),
            subject: "x".into(),
            text: "x".into(),
            html: None,
        })
        .await;
    assert!(
        matches!(result, Err(MailError::Unexpected(_))),
        "{result:?}"
    );
}

/// Holds every mail until the test opens the gate, then hands it to the real mailer.
struct Gated {
    gate: Arc<Semaphore>,
    inner: SmtpMailer,
}

#[async_trait]
impl Mailer for Gated {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let _permit = self.gate.acquire().await.expect("gate open");
        self.inner.send(mail).await
    }
}

#[tokio::test]
async fn background_returns_at_once_and_the_mail_still_arrives() {
    let gate = Arc::new(Semaphore::new(0));
    let background = BackgroundMailer::new(Arc::new(Gated {
        gate: Arc::clone(&gate),
        inner: mailer(),
    }));
    let id = unique();
    let to = format!("later-{id}@example.com");

    // The inner send cannot finish before the gate opens, so returning proves no waiting.
    let started = Instant::now();
    background
        .send(Mail {
            to: to.clone(),
            subject: format!("Bienvenue {id}"),
            text: "Votre compte est prêt.".into(),
            html: None,
        })
        .await
        .expect("handed over");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        wait_for_message_async(&maildir(), &id, Duration::from_millis(300))
            .await
            .is_none()
    );

    gate.add_permits(1);
    let got = wait_for_message_async(&maildir(), &id, WAIT)
        .await
        .expect("message in the Maildir");
    assert_eq!(got.to, to);
    assert_eq!(got.body.trim_end(), "Votre compte est prêt.");
}

#[tokio::test]
async fn background_swallows_a_failure() {
    let background = BackgroundMailer::new(Arc::new(
        SmtpMailer::new(&dead_smtp_url(), FROM).expect("valid URL"),
    ));
    let result = background
        .send(Mail {
            to: "someone@example.com".into(),
            subject: "x".into(),
            text: "x".into(),
            html: None,
        })
        .await;
    assert!(result.is_ok());
}

#[tokio::test]
async fn log_mailer_accepts_everything() {
    let result = LogMailer::new()
        .send(Mail {
            to: "dev@example.com".into(),
            subject: "Lien".into(),
            text: "https://app.2krika.test/reset?token=abc".into(),
            html: None,
        })
        .await;
    assert!(result.is_ok());
}
