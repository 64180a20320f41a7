//! the spec, openapi/openapi.json: sign-up, sign-in, token refresh, sign-out, password reset.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use krika_identity::{LoginIdentifier, Registration, TokenPair};
use krika_kernel::ValidationErrors;

use crate::dto::auth::*;
use crate::dto::reply;
use crate::dto::users::UserDto;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, Json, OptionalJson};
use crate::state::AppState;

pub fn token_payload(state: &AppState, pair: TokenPair) -> TokenPayload {
    TokenPayload {
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
        token_type: TokenType::Bearer,
        expires_in: pair.expires_in,
        expires_at: pair.expires_at,
        user: pair.user.map(|user| {
            let avatar = state.identity.avatar_url(&user);
            UserDto::new(user, avatar)
        }),
    }
}

/// Create an account
///
/// Registers a client account and signs it in. Emails are unique case-insensitively.
#[utoipa::path(
    tag = "auth",
    operation_id = "registerUser",
    request_body = RegisterRequest,
    security(()),
    responses(
        (status = 201, description = "Registered and signed in", body = TokenResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 409, description = "Email or username already taken (`CONFLICT`)", body = ErrorResponse),
        (status = 422, description = "Invalid fields (`VALIDATION_ERROR`)", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let pair = state
        .identity
        .register(Registration {
            email: body.email,
            password: body.password,
            name: body.name,
            username: body.username,
        })
        .await?;
    Ok(reply(
        StatusCode::CREATED,
        TokenResponse::from(token_payload(&state, pair)),
    ))
}

/// Sign in
///
/// With `email` or `username`, and the password. Unknown users and wrong passwords get the
/// same `INVALID_CREDENTIALS` answer.
#[utoipa::path(
    tag = "auth",
    operation_id = "loginUser",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "`INVALID_CREDENTIALS`", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 422, description = "Neither email nor username, or no password", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    let identifier = match (body.email, body.username) {
        (Some(email), _) if !email.trim().is_empty() => Some(LoginIdentifier::Email(email)),
        (_, Some(username)) if !username.trim().is_empty() => {
            Some(LoginIdentifier::Username(username))
        }
        _ => {
            errors.push("email", "Email or username is required");
            None
        }
    };
    if body.password.is_empty() {
        errors.push("password", "Password is required");
    }
    let (Some(identifier), true) = (identifier, errors.is_empty()) else {
        return Err(errors.into());
    };
    let pair = state.identity.login(identifier, &body.password).await?;
    Ok(reply(
        StatusCode::OK,
        TokenResponse::from(token_payload(&state, pair)),
    ))
}

/// Refresh the tokens
///
/// Spends the refresh token and returns a new pair. A refresh token used twice ends the
/// whole session (every token of its family).
#[utoipa::path(
    tag = "auth",
    operation_id = "refreshToken",
    request_body = RefreshRequest,
    security(()),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 401, description = "Invalid, expired, revoked or reused refresh token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let pair = state.identity.refresh(&body.refresh_token).await?;
    Ok(reply(
        StatusCode::OK,
        TokenResponse::from(token_payload(&state, pair)),
    ))
}

/// Sign out
///
/// Ends the session: its refresh tokens stop working and the access token is refused at
/// once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logoutUser",
    request_body(content = Option<LogoutRequest>),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "`ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    auth: Auth,
    body: OptionalJson<LogoutRequest>,
) -> ApiResult<HttpResponse> {
    let refresh_token = body.0.and_then(|b| b.refresh_token);
    state
        .identity
        .logout(&auth.0, refresh_token.as_deref())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ask for a password reset link
///
/// Always 202, whether or not the address has an account. When it does, an email with a
/// single-use link valid one hour is sent.
#[utoipa::path(
    tag = "auth",
    operation_id = "forgotPassword",
    request_body = ForgotPasswordRequest,
    security(()),
    responses(
        (status = 202, description = "Accepted", body = AcceptedResponse),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 422, description = "Not an email address", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/auth/forgot-password")]
pub async fn forgot_password(
    state: web::Data<AppState>,
    body: Json<ForgotPasswordRequest>,
) -> ApiResult<HttpResponse> {
    state.identity.forgot_password(&body.email).await?;
    let message = "If an account exists for this address, a reset link has been sent.".to_owned();
    Ok(reply(
        StatusCode::ACCEPTED,
        AcceptedResponse::from(Accepted { message }),
    ))
}

/// Set a new password with a reset token
///
/// The token works once; every session of the user ends.
#[utoipa::path(
    tag = "auth",
    operation_id = "resetPassword",
    request_body = ResetPasswordRequest,
    security(()),
    responses(
        (status = 204, description = "Password changed"),
        (status = 400, description = "Not JSON, or not a JSON object", body = ErrorResponse),
        (status = 422, description = "Invalid password, or a token that is unknown, spent or expired (field `token`)", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/auth/reset-password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    body: Json<ResetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    state
        .identity
        .reset_password(&body.token, &body.password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
