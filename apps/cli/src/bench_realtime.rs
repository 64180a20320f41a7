//! `krika-cli bench-realtime`: the real-time load generator (wrk cannot speak WebSocket).
//!
//! Registers `sockets` users, opens one socket each spread over the API instances given,
//! measures the instances' memory before and after (RSS difference / sockets), then posts
//! messages over HTTP at a fixed rate, each to a recipient whose socket is on another
//! instance than the one posted to, and times POST start → the recipient's
//! `message.created` frame.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Base URL of an API instance; repeat for several (sockets and posts alternate).
    #[arg(long = "api", required = true)]
    pub apis: Vec<String>,
    #[arg(long, default_value_t = 1000)]
    pub sockets: usize,
    /// Messages per second, over all senders.
    #[arg(long, default_value_t = 200)]
    pub rate: u32,
    /// Seconds of message stream.
    #[arg(long, default_value_t = 20)]
    pub duration: u64,
    /// PIDs of the API processes, for memory per idle socket.
    #[arg(long = "pid")]
    pub pids: Vec<u32>,
}

#[derive(Debug)]
pub struct Report {
    pub sockets: usize,
    pub sent: usize,
    pub delivered: usize,
    pub failed_posts: usize,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The POST alone (response received), for comparison.
    pub post_p50_ms: f64,
    pub post_p99_ms: f64,
    pub rss_per_socket_kb: Option<f64>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sockets={} sent={} delivered={} failed_posts={} rate={:.1}/s p50={:.1}ms p99={:.1}ms max={:.1}ms post_p50={:.1}ms post_p99={:.1}ms rss_per_idle_socket={}",
            self.sockets,
            self.sent,
            self.delivered,
            self.failed_posts,
            self.rate,
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.post_p50_ms,
            self.post_p99_ms,
            self.rss_per_socket_kb
                .map_or("n/a".to_owned(), |kb| format!("{kb:.1}KB"))
        )
    }
}

struct User {
    token: String,
    id: String,
}

/// A nonce written with letters only: digits could be masked as a phone number.
fn letters(mut n: u64) -> String {
    let mut out = String::new();
    loop {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}

fn rss_kb(pids: &[u32]) -> Option<u64> {
    let mut total = 0;
    for pid in pids {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        total += line.split_whitespace().nth(1)?.parse::<u64>().ok()?;
    }
    Some(total)
}

async fn register(
    client: &reqwest::Client,
    api: &str,
    run: &str,
    i: usize,
) -> anyhow::Result<User> {
    let name = format!("rt{run}{}", letters(i as u64));
    let body = json!({
        "email": format!("{name}@bench.2krika.test"),
        "username": name,
        "name": "Bench",
        "password": "bench-password",
    });
    let reply: Value = client
        .post(format!("{api}/api/v1/auth/register"))
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let data = &reply["data"];
    Ok(User {
        token: data["accessToken"]
            .as_str()
            .ok_or_else(|| anyhow!("register: {reply}"))?
            .into(),
        id: data["user"]["id"]
            .as_str()
            .ok_or_else(|| anyhow!("register: {reply}"))?
            .into(),
    })
}

type Pending = Arc<Mutex<HashMap<String, Instant>>>;

pub async fn run(args: &BenchArgs) -> anyhow::Result<Report> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let run = letters(u64::from(rand::random::<u32>()));
    let apis: Vec<String> = args
        .apis
        .iter()
        .map(|a| a.trim_end_matches('/').to_owned())
        .collect();
    let sockets = args.sockets.max(2) & !1; // pairs

    eprintln!("[bench-realtime] registering {sockets} users");
    let users: Vec<User> = futures_util::stream::iter(0..sockets)
        .map(|i| {
            let (client, api, run) = (client.clone(), apis[i % apis.len()].clone(), run.clone());
            async move { register(&client, &api, &run, i).await }
        })
        .buffered(16)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;

    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_before = rss_kb(&args.pids);
    eprintln!("[bench-realtime] opening {sockets} sockets");
    let pending: Pending = Arc::new(Mutex::new(HashMap::new()));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    let mut readers = Vec::with_capacity(sockets);
    for (i, user) in users.iter().enumerate() {
        let api = &apis[i % apis.len()];
        let url = format!(
            "{}/api/v1/ws?token={}",
            api.replacen("http", "ws", 1),
            user.token
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .with_context(|| format!("socket {i}"))?;
        // Wait for `ready`.
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) if text.contains("\"ready\"") => break,
                Some(Ok(_)) => continue,
                other => anyhow::bail!("socket {i} closed before ready: {other:?}"),
            }
        }
        let (pending, latencies, me) = (pending.clone(), latencies.clone(), user.id.clone());
        readers.push(tokio::spawn(async move {
            while let Some(Ok(message)) = ws.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                let Ok(frame) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                if frame["type"] != "message.created"
                    || frame["data"]["sender"]["id"] == me.as_str()
                {
                    continue;
                }
                let nonce = frame["data"]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let sent = pending.lock().unwrap().remove(&nonce);
                if let Some(sent) = sent {
                    latencies
                        .lock()
                        .unwrap()
                        .push(sent.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_after = rss_kb(&args.pids);
    let rss_per_socket_kb = match (rss_before, rss_after) {
        (Some(before), Some(after)) => Some(after.saturating_sub(before) as f64 / sockets as f64),
        _ => None,
    };

    eprintln!(
        "[bench-realtime] posting {} messages/s for {} s",
        args.rate, args.duration
    );
    let half = sockets / 2;
    let total = args.rate as usize * args.duration as usize;
    let failed = Arc::new(Mutex::new(0usize));
    let post_times = Arc::new(Mutex::new(Vec::<f64>::with_capacity(total)));
    let mut ticker =
        tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1))));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut posts = Vec::with_capacity(total);
    for n in 0..total {
        ticker.tick().await;
        let sender = n % half;
        let recipient = sender + half;
        // Posted to another instance than the recipient's socket: the frame crosses Redis.
        let api = apis[(recipient + 1) % apis.len()].clone();
        let nonce = format!("bench {}", letters(n as u64));
        let body = json!({"recipientId": users[recipient].id, "content": nonce});
        let (client, token, pending, failed, post_times) = (
            client.clone(),
            users[sender].token.clone(),
            pending.clone(),
            failed.clone(),
            post_times.clone(),
        );
        posts.push(tokio::spawn(async move {
            let start = Instant::now();
            pending.lock().unwrap().insert(nonce.clone(), start);
            let ok = client
                .post(format!("{api}/api/v1/messages"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == 201);
            post_times
                .lock()
                .unwrap()
                .push(start.elapsed().as_secs_f64() * 1000.0);
            if !ok {
                *failed.lock().unwrap() += 1;
                pending.lock().unwrap().remove(&nonce);
            }
        }));
    }
    for post in posts {
        let _ = post.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Stragglers.
    for _ in 0..50 {
        if pending.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for reader in readers {
        reader.abort();
    }
    let mut lat = latencies.lock().unwrap().clone();
    lat.sort_by(f64::total_cmp);
    let mut posted = post_times.lock().unwrap().clone();
    posted.sort_by(f64::total_cmp);
    let quantile = |values: &[f64], q: f64| {
        values
            .get(((values.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let pick = |q: f64| quantile(&lat, q);
    let failed_posts = *failed.lock().unwrap();
    Ok(Report {
        sockets,
        sent: total,
        delivered: lat.len(),
        failed_posts,
        rate: (total - failed_posts) as f64 / elapsed,
        p50_ms: pick(0.50),
        p99_ms: pick(0.99),
        max_ms: lat.last().copied().unwrap_or(f64::NAN),
        post_p50_ms: quantile(&posted, 0.50),
        post_p99_ms: quantile(&posted, 0.99),
        rss_per_socket_kb,
    })
}
