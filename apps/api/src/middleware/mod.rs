//! Request-wide behaviour: request ids and logs, panics as 500s, rate limits, the
//! token-refresh hint, JSON text PostgreSQL cannot store, security headers.

pub mod catch_panic;
pub mod rate_limit;
pub mod request_id;
pub mod security_headers;
pub mod text_guard;
pub mod token_refresh;
