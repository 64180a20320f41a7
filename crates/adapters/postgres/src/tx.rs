//! Transactions that may be refused for a domain reason (not enough money, a status that
//! moved on): the reason rolls the transaction back like an error, and comes out as
//! `RepoError::Refused`.

use diesel::result::Error;
use krika_kernel::RepoError;

use crate::error::unexpected;

pub enum TxError<R> {
    Db(Error),
    Refused(R),
}

impl<R> From<Error> for TxError<R> {
    fn from(error: Error) -> Self {
        TxError::Db(error)
    }
}

/// `Ok` committed, `Refused` rolled back for `reason`, `Unexpected` failed.
pub fn settle<T, R: std::fmt::Debug>(result: Result<T, TxError<R>>) -> Result<T, RepoError<R>> {
    match result {
        Ok(value) => Ok(value),
        Err(TxError::Refused(reason)) => Err(RepoError::Refused(reason)),
        Err(TxError::Db(error)) => Err(RepoError::Unexpected(unexpected(error))),
    }
}
