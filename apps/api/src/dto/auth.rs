use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::envelope;
use super::users::UserDto;

/// `POST /auth/register`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "awa@example.com", "password": "motdepasse", "name": "Awa Koné", "username": "awa_kone"}))]
pub struct RegisterRequest {
    #[schema(required = true, nullable = false, format = Email, max_length = 255, example = "awa@example.com")]
    #[serde(default)]
    pub email: String,
    /// 8 to 72 bytes (bcrypt's limit).
    #[schema(required = true, nullable = false, min_length = 8, max_length = 72, format = Password, example = "motdepasse")]
    #[serde(default)]
    pub password: String,
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 100,
        example = "Awa Traoré"
    )]
    #[serde(default)]
    pub name: String,
    /// Chosen when absent, from the email address.
    #[schema(
        min_length = 3,
        max_length = 30,
        pattern = "^[a-z0-9_]{3,30}$",
        example = "awa_design"
    )]
    #[serde(default)]
    pub username: Option<String>,
}

/// `POST /auth/login`: `email` or `username`, and the password.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "awa@example.com", "password": "motdepasse"}))]
pub struct LoginRequest {
    #[schema(example = "awa@example.com")]
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[schema(required = true, nullable = false, format = Password, example = "motdepasse")]
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"refreshToken": "4f1c9a0e5b7d4c2e8a6f3b1d9e7c5a3f"}))]
pub struct RefreshRequest {
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub refresh_token: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"refreshToken": "4f1c9a0e5b7d4c2e8a6f3b1d9e7c5a3f"}))]
pub struct LogoutRequest {
    /// Also ends the session this refresh token belongs to (if it is the caller's).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"email": "awa@example.com"}))]
pub struct ForgotPasswordRequest {
    #[schema(required = true, nullable = false, format = Email, example = "awa@example.com")]
    #[serde(default)]
    pub email: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"token": "b2c4e6f8a0b2c4e6f8a0b2c4e6f8a0b2", "password": "nouveau-motdepasse"}))]
pub struct ResetPasswordRequest {
    /// The token from the reset link.
    #[schema(required = true, nullable = false)]
    #[serde(default)]
    pub token: String,
    #[schema(required = true, nullable = false, min_length = 8, max_length = 72, format = Password)]
    #[serde(default)]
    pub password: String,
}

/// The token type of a token payload: always `Bearer`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}

/// What register, login and refresh return.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenPayload {
    pub access_token: String,
    /// Opaque; send it to `POST /auth/refresh`. Each use returns a new one.
    pub refresh_token: String,
    pub token_type: TokenType,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    pub expires_at: DateTime<Utc>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserDto>,
}

/// `POST /auth/forgot-password`: the same answer whatever the address.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    #[schema(example = "If an account exists for this address, a reset link has been sent.")]
    pub message: String,
}

envelope!(TokenResponse, TokenPayload);
envelope!(AcceptedResponse, Accepted);
