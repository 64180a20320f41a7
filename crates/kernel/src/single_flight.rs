//! Coalesces concurrent loads of one key: the first caller runs the load, and callers that
//! arrive while it runs wait for its result instead of running their own. A popular cache
//! entry that expires under load is then refilled by one query per instance, not by one
//! query per waiting request.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::future::{BoxFuture, FutureExt, Shared};

type Flights<K, V> = Mutex<HashMap<K, Shared<BoxFuture<'static, V>>>>;

pub struct SingleFlight<K, V> {
    flights: Arc<Flights<K, V>>,
}

impl<K, V> Default for SingleFlight<K, V> {
    fn default() -> Self {
        Self {
            flights: Arc::default(),
        }
    }
}

fn lock<K, V>(
    flights: &Flights<K, V>,
) -> MutexGuard<'_, HashMap<K, Shared<BoxFuture<'static, V>>>> {
    // The map holds no invariant a panic could break.
    flights.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Ends the flight when its first caller is done with it, finished or cancelled: later
/// callers then start a new load instead of reading an old result.
struct Leader<K: Eq + Hash, V> {
    flights: Arc<Flights<K, V>>,
    key: Option<K>,
}

impl<K: Eq + Hash, V> Drop for Leader<K, V> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            lock(&self.flights).remove(&key);
        }
    }
}

impl<K, V> SingleFlight<K, V>
where
    K: Eq + Hash + Clone,
    V: Clone + Send + Sync + 'static,
{
    /// `load`'s value, or the value of the load of `key` already under way.
    pub async fn run<F>(&self, key: K, load: F) -> V
    where
        F: Future<Output = V> + Send + 'static,
    {
        let (flight, _leader) = {
            let mut flights = lock(&self.flights);
            match flights.get(&key) {
                Some(flight) => (flight.clone(), None),
                None => {
                    let flight = load.boxed().shared();
                    flights.insert(key.clone(), flight.clone());
                    let leader = Leader {
                        flights: self.flights.clone(),
                        key: Some(key),
                    };
                    (flight, Some(leader))
                }
            }
        };
        flight.await
    }

    /// Loads under way.
    pub fn in_flight(&self) -> usize {
        lock(&self.flights).len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::future::join_all;

    use super::*;

    #[tokio::test]
    async fn concurrent_callers_share_one_load_and_later_ones_load_again() {
        let flights = SingleFlight::<&str, usize>::default();
        let loads = Arc::new(AtomicUsize::new(0));
        let calls = (0..5).map(|_| {
            let loads = loads.clone();
            flights.run("page", async move {
                // Let the other callers arrive while this load runs.
                tokio::task::yield_now().await;
                loads.fetch_add(1, Ordering::SeqCst) + 1
            })
        });
        assert_eq!(join_all(calls).await, vec![1; 5]);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert_eq!(flights.in_flight(), 0);
        assert_eq!(
            flights.run("page", async { 7 }).await,
            7,
            "no old result reused"
        );
        assert_eq!(flights.run("other", async { 8 }).await, 8);
    }

    #[tokio::test]
    async fn a_cancelled_first_caller_leaves_the_load_to_the_others() {
        let flights = SingleFlight::<&str, usize>::default();
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        let mut first = Box::pin(flights.run("page", async move {
            let _ = wait.await;
            1
        }));
        // Start the flight, then join it from a second caller.
        assert!(futures_util::poll!(first.as_mut()).is_pending());
        let mut second = Box::pin(flights.run("page", async { 2 }));
        assert!(futures_util::poll!(second.as_mut()).is_pending());
        drop(first);
        assert_eq!(flights.in_flight(), 0, "a new caller would load again");
        release.send(()).unwrap();
        assert_eq!(second.await, 1, "the follower still gets the shared load");
    }
}
