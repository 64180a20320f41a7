use std::collections::HashSet;
use std::sync::Mutex;

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ids::{SessionId, UserId};
use krika_kernel::ports::{Frame, Realtime};

use crate::lock;

/// Records every frame pushed, with its users; who is online is set by hand.
#[derive(Default)]
pub struct MemoryRealtime {
    pushed: Mutex<Vec<(Vec<UserId>, Frame)>>,
    online: Mutex<HashSet<UserId>>,
    disconnected: Mutex<Vec<UserId>>,
    ended: Mutex<Vec<(UserId, SessionId)>>,
}

impl MemoryRealtime {
    pub fn set_online(&self, user: UserId, online: bool) {
        let mut set = lock(&self.online);
        if online {
            set.insert(user);
        } else {
            set.remove(&user);
        }
    }

    /// Every push, oldest first.
    pub fn pushed(&self) -> Vec<(Vec<UserId>, Frame)> {
        lock(&self.pushed).clone()
    }

    /// The frames `user` was sent, oldest first.
    pub fn frames_for(&self, user: UserId) -> Vec<Frame> {
        lock(&self.pushed)
            .iter()
            .filter(|(users, _)| users.contains(&user))
            .map(|(_, frame)| frame.clone())
            .collect()
    }

    /// Every user whose sockets were closed, oldest first.
    pub fn disconnected(&self) -> Vec<UserId> {
        lock(&self.disconnected).clone()
    }

    /// Every session whose sockets were closed, oldest first.
    pub fn ended_sessions(&self) -> Vec<(UserId, SessionId)> {
        lock(&self.ended).clone()
    }

    pub fn clear(&self) {
        lock(&self.pushed).clear();
    }
}

#[async_trait]
impl Realtime for MemoryRealtime {
    async fn push(&self, users: &[UserId], frame: Frame) -> Result<(), Unexpected> {
        lock(&self.pushed).push((users.to_vec(), frame));
        Ok(())
    }

    async fn is_online(&self, user: UserId) -> Result<bool, Unexpected> {
        Ok(lock(&self.online).contains(&user))
    }

    async fn disconnect(&self, users: &[UserId], _reason: &str) -> Result<(), Unexpected> {
        let mut online = lock(&self.online);
        for user in users {
            online.remove(user);
        }
        lock(&self.disconnected).extend_from_slice(users);
        Ok(())
    }

    async fn end_sessions(
        &self,
        user: UserId,
        sessions: &[SessionId],
        _reason: &str,
    ) -> Result<(), Unexpected> {
        lock(&self.ended).extend(sessions.iter().map(|s| (user, *s)));
        Ok(())
    }
}
