//! A mailer that sends through an SMTP server with lettre.

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ports::{Mail, MailError, Mailer};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends UTF-8 mail (plain text, or text and HTML) through one SMTP server, a connection
/// per mail: lettre's pool spawns a task when dropped, which aborts a process whose runtime
/// is already shutting down.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `smtp_url` is read by lettre: `smtp://host:port` is plain SMTP (add `?tls=required`
    /// for STARTTLS), `smtps://host:port` is TLS from the first byte, and
    /// `smtp://user:password@host` logs in. `from` is an address, optionally with a name:
    /// `2Krika <no-reply@2krika.com>`.
    ///
    /// Nothing is contacted here; see [`SmtpMailer::ping`].
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, MailError> {
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| MailError::InvalidAddress(format!("{from}: {e}")))?;
        let transport: AsyncSmtpTransport<Tokio1Executor> =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
                .map_err(Unexpected::new)?
                .build();
        Ok(Self { transport, from })
    }

    /// Whether the server answers (connects and greets), for the readiness probe.
    pub async fn ping(&self) -> bool {
        match self.transport.test_connection().await {
            Ok(ready) => ready,
            Err(error) => {
                tracing::warn!(%error, "SMTP server unreachable");
                false
            }
        }
    }

    fn message(&self, mail: Mail) -> Result<Message, MailError> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|e| MailError::InvalidAddress(format!("{}: {e}", mail.to)))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject);
        match mail.html {
            // Both forms: clients that render HTML show it, the others the text.
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(mail.text, html)),
            None => builder.header(ContentType::TEXT_PLAIN).body(mail.text),
        }
        .map_err(|e| MailError::Unexpected(Unexpected::new(e)))
    }
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the credentials: show only the sender.
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Unexpected(Unexpected::new(e)))?;
        Ok(())
    }
}
