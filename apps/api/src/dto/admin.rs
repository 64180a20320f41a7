use serde::Deserialize;
use utoipa::IntoParams;

use super::kyc::KycQueueItem;
use super::page::list;
use super::users::{KycStatusDto, RoleDto, UserDto, UserStatusDto};

/// Filters of `GET /admin/users`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilters {
    pub role: Option<RoleDto>,
    pub status: Option<UserStatusDto>,
    /// Part of an email, username or name; accents and case ignored.
    #[param(max_length = 100)]
    pub search: Option<String>,
}

/// Filters of `GET /admin/kyc`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KycFilters {
    /// Default `pending_review`.
    pub status: Option<KycStatusDto>,
}

list!(UserList, UserListResponse, UserDto);
list!(KycQueue, KycQueueResponse, KycQueueItem);
