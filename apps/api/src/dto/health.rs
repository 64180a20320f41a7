use serde::Serialize;
use utoipa::ToSchema;

/// `GET /health`: no envelope, load balancers read it as is.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Liveness)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// The state of one backing service.
#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyCheck {
    #[schema(example = "postgres")]
    pub name: String,
    pub ok: bool,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// `GET /ready`: `ready` when every backing service answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ready")]
    pub status: String,
    pub checks: Vec<DependencyCheck>,
}
