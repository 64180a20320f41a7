//! E-mails in French, plain text and HTML, rendered from the templates under
//! `crates/messaging/templates` (embedded at build time; no file is read at run time).
//! HTML templates escape what they print (minijinja escapes `.html` templates).

use std::sync::OnceLock;

use krika_kernel::Unexpected;
use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde::Serialize;

/// One e-mail, ready for the `Mailer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// `(name, subject template, text template, html template)`.
const MAILS: &[(&str, &str, &str, &str)] = &[
    (
        "order_confirmation",
        "Votre commande {{ number }} est confirmée",
        include_str!("../../templates/order_confirmation.txt"),
        include_str!("../../templates/order_confirmation.html"),
    ),
    (
        "order_received",
        "Nouvelle commande {{ number }}",
        include_str!("../../templates/order_received.txt"),
        include_str!("../../templates/order_received.html"),
    ),
    (
        "order_delivered",
        "Votre commande {{ number }} a été livrée",
        include_str!("../../templates/order_delivered.txt"),
        include_str!("../../templates/order_delivered.html"),
    ),
    (
        "order_completed",
        "Commande {{ number }} terminée",
        include_str!("../../templates/order_completed.txt"),
        include_str!("../../templates/order_completed.html"),
    ),
    (
        "payout_processed",
        "Votre retrait de {{ amount }} {{ currency }} a été effectué",
        include_str!("../../templates/payout_processed.txt"),
        include_str!("../../templates/payout_processed.html"),
    ),
    (
        "kyc_approved",
        "Votre identité est vérifiée",
        include_str!("../../templates/kyc_approved.txt"),
        include_str!("../../templates/kyc_approved.html"),
    ),
    (
        "kyc_rejected",
        "Votre vérification d'identité n'a pas abouti",
        include_str!("../../templates/kyc_rejected.txt"),
        include_str!("../../templates/kyc_rejected.html"),
    ),
    (
        "service_approved",
        "Votre service « {{ title }} » est en ligne",
        include_str!("../../templates/service_approved.txt"),
        include_str!("../../templates/service_approved.html"),
    ),
    (
        "service_rejected",
        "Votre service « {{ title }} » n'a pas été approuvé",
        include_str!("../../templates/service_rejected.txt"),
        include_str!("../../templates/service_rejected.html"),
    ),
    (
        "password_reset",
        "Réinitialisation de votre mot de passe",
        include_str!("../../templates/password_reset.txt"),
        include_str!("../../templates/password_reset.html"),
    ),
    (
        "unread_messages",
        "Vous avez {{ unread }} message{% if unread > 1 %}s{% endif %} non lu{% if unread > 1 %}s{% endif %}",
        include_str!("../../templates/unread_messages.txt"),
        include_str!("../../templates/unread_messages.html"),
    ),
];

fn environment() -> &'static Result<Environment<'static>, minijinja::Error> {
    static ENV: OnceLock<Result<Environment<'static>, minijinja::Error>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.add_template("layout.html", include_str!("../../templates/layout.html"))?;
        for (name, subject, text, html) in MAILS {
            // The name's extension picks the escaping: none for subjects and text.
            env.add_template_owned(format!("{name}.subject"), *subject)?;
            env.add_template_owned(format!("{name}.txt"), *text)?;
            env.add_template_owned(format!("{name}.html"), *html)?;
        }
        Ok(env)
    })
}

/// Renders the mail `name` with `context`.
pub fn render(name: &str, context: &impl Serialize) -> Result<Rendered, Unexpected> {
    let env = environment()
        .as_ref()
        .map_err(|e| Unexpected::msg(format!("mail templates: {e}")))?;
    let context = Value::from(Serde(context));
    let part = |suffix: &str| -> Result<String, Unexpected> {
        env.get_template(&format!("{name}.{suffix}"))
            .and_then(|t| t.render(context.clone()))
            .map_err(|e| Unexpected::msg(format!("mail {name}.{suffix}: {e}")))
    };
    Ok(Rendered {
        // A subject is one line, whatever the data held.
        subject: part("subject")?.replace(['\r', '\n'], " "),
        text: part("txt")?,
        html: part("html")?,
    })
}

/// The password-reset mail `(subject, text, html)`, for identity to send.
pub fn password_reset(name: &str, link: &str) -> Result<(String, String, String), Unexpected> {
    let Rendered {
        subject,
        text,
        html,
    } = render(
        "password_reset",
        &serde_json::json!({ "name": name, "link": link }),
    )?;
    Ok((subject, text, html))
}

impl crate::Messaging {
    /// Renders `template` with `context` and sends it to `to`, text and HTML.
    pub(crate) async fn send_mail(
        &self,
        to: String,
        template: &str,
        context: &impl Serialize,
    ) -> Result<(), Unexpected> {
        let Rendered {
            subject,
            text,
            html,
        } = render(template, context)?;
        self.ports
            .mailer
            .send(krika_kernel::ports::Mail {
                to,
                subject,
                text,
                html: Some(html),
            })
            .await
            .map_err(Unexpected::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mail_renders_in_both_parts() {
        let context = serde_json::json!({
            "name": "Awa", "number": "KR-2026-000001", "service_title": "Logo",
            "title": "Logo", "total": 10000, "amount": 5000, "currency": "XOF",
            "reason": "Flou", "unread": 2, "link": "http://front/x",
        });
        for (name, ..) in MAILS {
            let mail = render(name, &context).unwrap();
            assert!(!mail.subject.is_empty(), "{name}");
            assert!(
                mail.text.contains("http://front/x"),
                "{name}: {}",
                mail.text
            );
            // minijinja escapes `/` too, which HTML decodes back.
            assert!(
                mail.html.contains("href=\"http:&#x2f;&#x2f;front&#x2f;x\""),
                "{name}: {}",
                mail.html
            );
            assert!(mail.html.contains("Bonjour Awa"), "{name}");
        }
    }

    #[test]
    fn html_escapes_user_text_and_text_keeps_it() {
        let context = serde_json::json!({
            "name": "<b>Awa</b>", "title": "<script>x</script>", "reason": "a & b", "link": "http://f/",
        });
        let mail = render("service_rejected", &context).unwrap();
        assert!(mail.html.contains("&lt;script&gt;"));
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&lt;b&gt;Awa"));
        assert!(mail.text.contains("<script>x</script>"));
        assert!(mail.subject.contains("<script>x</script>"));
    }

    #[test]
    fn password_reset_carries_the_link() {
        let (subject, text, html) = password_reset("Koffi", "http://front/reset?t=abc").unwrap();
        assert_eq!(subject, "Réinitialisation de votre mot de passe");
        assert!(text.contains("http://front/reset?t=abc"));
        assert!(html.contains("http:&#x2f;&#x2f;front&#x2f;reset?t=abc"));
    }
}
