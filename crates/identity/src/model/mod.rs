mod fields;
mod user;

pub use fields::{Bio, DisplayName, Email, Password, PasswordHash, Phone, Username};
pub use user::{KycStatus, NewUser, Role, User, UserStatus};
