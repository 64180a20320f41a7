//! Transactions that may be refused for a domain reason (not enough money, a status that
//! moved on): the reason rolls the transaction back like an error, and comes out as `Err`
//! inside `Ok`.

use diesel::result::Error;
use krika_kernel::Unexpected;

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

/// `Ok(Ok)` committed, `Ok(Err)` refused and rolled back, `Err` failed.
pub fn settle<T, R>(result: Result<T, TxError<R>>) -> Result<Result<T, R>, Unexpected> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(TxError::Refused(reason)) => Ok(Err(reason)),
        Err(TxError::Db(error)) => Err(unexpected(error)),
    }
}
