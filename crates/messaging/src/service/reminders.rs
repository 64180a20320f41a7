//! The e-mail about messages left unread (docs/events.md): after `unread_email_after`, to a
//! recipient with no open socket, at most once per conversation per hour.

use chrono::Duration;

use super::Messaging;
use crate::MessagingError;

impl Messaging {
    /// One pass of the reminder worker; returns how many e-mails went out.
    ///
    /// Users online are skipped without being marked: they will see the messages, or be
    /// reminded on a later pass once offline.
    pub async fn remind_unread(&self, limit: i64) -> Result<usize, MessagingError> {
        let now = self.now();
        let due = self
            .ports
            .conversations
            .unread_reminders(
                now - self.config.unread_email_after,
                now - Duration::hours(1),
                limit,
            )
            .await?;
        let mut sent = 0;
        for reminder in due {
            if self.ports.realtime.is_online(reminder.user).await? {
                continue;
            }
            let contact = self.ports.people.contact(reminder.user).await?;
            if let Some(contact) = contact.filter(|c| c.active) {
                let context = serde_json::json!({
                    "name": contact.person.greeting_name(),
                    "unread": reminder.unread,
                    "link": self.link(&format!("/messages/{}", reminder.conversation_id)),
                });
                self.send_mail(contact.email, "unread_messages", &context)
                    .await?;
                sent += 1;
            }
            // Marked even for an inactive account, so it does not come back every pass.
            self.ports
                .conversations
                .reminded(reminder.conversation_id, reminder.user, now)
                .await?;
        }
        Ok(sent)
    }
}
