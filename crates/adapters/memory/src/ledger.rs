//! The double-entry ledger in memory, with the PostgreSQL `post`'s promises: every transfer
//! becomes two entries of one transaction; wallets and escrows never go below zero; with a
//! clearance cutoff, a debited wallet never ends below the earnings credited to it since;
//! a refused post writes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, PayoutId};
use krika_payments::ports::{ClearanceSince, InsufficientFunds};
use krika_payments::{Account, EntryType, Transfer};
use uuid::Uuid;

/// The entry types that make up a seller's earnings (releases in, commission out).
const EARNINGS: [EntryType; 2] = [EntryType::EscrowRelease, EntryType::Commission];

/// One side of a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: Uuid,
    /// The entries one post wrote; they sum to zero.
    pub transaction_id: Uuid,
    pub account: Account,
    /// Signed: credits above zero.
    pub amount: i64,
    /// The running balance after this entry, on the accounts that keep one.
    pub balance_after: Option<i64>,
    pub kind: EntryType,
    pub order_id: Option<OrderId>,
    pub payout_id: Option<PayoutId>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Default)]
pub(crate) struct Ledger {
    /// In the order they were written.
    entries: Vec<LedgerEntry>,
    /// Running balances of the accounts that keep one (wallets, escrows).
    balances: HashMap<Account, i64>,
}

impl Ledger {
    pub(crate) fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    fn of(&self, account: Account) -> impl Iterator<Item = &LedgerEntry> {
        self.entries.iter().filter(move |e| e.account == account)
    }

    /// The account's balance: its running balance, or the sum of its entries for the
    /// platform's accounts.
    pub(crate) fn balance(&self, account: Account) -> i64 {
        if account.keeps_balance() {
            self.balances.get(&account).copied().unwrap_or(0)
        } else {
            self.of(account).map(|e| e.amount).sum()
        }
    }

    /// Net earnings credited to `account` over all time.
    pub(crate) fn earned(&self, account: Account) -> i64 {
        self.of(account)
            .filter(|e| EARNINGS.contains(&e.kind))
            .map(|e| e.amount)
            .sum()
    }

    /// Earnings credited to `account` after `since`: still in clearance.
    pub(crate) fn in_clearance(&self, account: Account, since: DateTime<Utc>) -> i64 {
        self.of(account)
            .filter(|e| e.created_at > since && EARNINGS.contains(&e.kind))
            .map(|e| e.amount)
            .sum::<i64>()
            .max(0)
    }

    pub(crate) fn post(
        &mut self,
        transfers: &[Transfer],
        clearance: ClearanceSince,
        now: DateTime<Utc>,
    ) -> Result<(), InsufficientFunds> {
        self.post_all(&[transfers], clearance, now)
    }

    /// Posts several operations, each its own ledger transaction, all or none (the
    /// PostgreSQL adapter posts them one after the other in one database transaction).
    pub(crate) fn post_all(
        &mut self,
        operations: &[&[Transfer]],
        clearance: ClearanceSince,
        now: DateTime<Utc>,
    ) -> Result<(), InsufficientFunds> {
        let mut balances: HashMap<Account, i64> = HashMap::new();
        let mut entries = Vec::new();
        let mut debited = Vec::new();
        for transfers in operations.iter().filter(|t| !t.is_empty()) {
            let transaction_id = Uuid::now_v7();
            for transfer in *transfers {
                for (account, amount) in [
                    (transfer.from, -transfer.amount.minor()),
                    (transfer.to, transfer.amount.minor()),
                ] {
                    let balance_after = account.keeps_balance().then(|| {
                        let balance = balances
                            .entry(account)
                            .or_insert_with(|| self.balance(account));
                        *balance += amount;
                        *balance
                    });
                    if amount < 0 && matches!(account, Account::Wallet(_)) {
                        debited.push(account);
                    }
                    entries.push(LedgerEntry {
                        id: Uuid::now_v7(),
                        transaction_id,
                        account,
                        amount,
                        balance_after,
                        kind: transfer.kind,
                        order_id: transfer.order_id,
                        payout_id: transfer.payout_id,
                        description: transfer.description.clone(),
                        created_at: now,
                    });
                }
            }
        }
        if balances.values().any(|balance| *balance < 0) {
            return Err(InsufficientFunds);
        }
        // As in PostgreSQL, what is in clearance is read before this post's entries.
        if let Some(since) = clearance
            && debited
                .iter()
                .any(|wallet| balances[wallet] < self.in_clearance(*wallet, since))
        {
            return Err(InsufficientFunds);
        }
        self.balances.extend(balances);
        self.entries.extend(entries);
        Ok(())
    }

    /// What breaks the ledger's invariants, one sentence each; empty when it is sound.
    pub(crate) fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        let total: i64 = self.entries.iter().map(|e| e.amount).sum();
        if total != 0 {
            found.push(format!("all entries sum to {total}, not 0"));
        }
        let mut transactions: HashMap<Uuid, i64> = HashMap::new();
        let mut sums: HashMap<Account, i64> = HashMap::new();
        for entry in &self.entries {
            *transactions.entry(entry.transaction_id).or_default() += entry.amount;
            *sums.entry(entry.account).or_default() += entry.amount;
            if entry.amount == 0 {
                found.push(format!("entry {} moves nothing", entry.id));
            }
        }
        for (transaction, sum) in transactions.into_iter().filter(|(_, sum)| *sum != 0) {
            found.push(format!("transaction {transaction} sums to {sum}"));
        }
        for (account, sum) in sums.iter().filter(|(a, _)| a.keeps_balance()) {
            if *sum < 0 {
                found.push(format!("{account:?} is at {sum}"));
            }
            if self.balance(*account) != *sum {
                found.push(format!(
                    "{account:?} keeps {} but its entries sum to {sum}",
                    self.balance(*account)
                ));
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use krika_kernel::ids::UserId;

    use super::*;

    fn transfer(from: Account, to: Account, amount: i64, kind: EntryType) -> Transfer {
        Transfer {
            from,
            to,
            amount: krika_kernel::Money::new(amount, krika_kernel::Currency::XOF),
            kind,
            order_id: None,
            payout_id: None,
            description: String::new(),
        }
    }

    #[test]
    fn a_refused_post_writes_nothing() {
        let mut ledger = Ledger::default();
        let (wallet, now) = (Account::Wallet(UserId::new()), Utc::now());
        let fund = transfer(Account::World, wallet, 1_000, EntryType::Refund);
        ledger.post(&[fund], None, now).unwrap();
        // The first transfer alone would fit; together they overdraw.
        let spend = transfer(wallet, Account::World, 600, EntryType::Payment);
        assert_eq!(
            ledger.post(&[spend.clone(), spend.clone()], None, now),
            Err(InsufficientFunds)
        );
        assert_eq!(ledger.entries().len(), 2);
        assert_eq!(ledger.balance(wallet), 1_000);
        ledger.post(&[spend], None, now).unwrap();
        assert_eq!(ledger.balance(wallet), 400);
        assert_eq!(ledger.balance(Account::World), -400);
        assert!(ledger.violations().is_empty(), "{:?}", ledger.violations());
    }

    #[test]
    fn earnings_in_clearance_cannot_leave_the_wallet() {
        let mut ledger = Ledger::default();
        let (wallet, t0) = (Account::Wallet(UserId::new()), Utc::now());
        let earn = [
            transfer(Account::World, wallet, 10_000, EntryType::EscrowRelease),
            transfer(
                wallet,
                Account::PlatformRevenue,
                1_000,
                EntryType::Commission,
            ),
        ];
        ledger.post(&earn, None, t0).unwrap();
        let refund = transfer(Account::World, wallet, 500, EntryType::Refund);
        ledger.post(&[refund], None, t0).unwrap();
        assert_eq!(ledger.earned(wallet), 9_000);

        let since = Some(t0 - Duration::days(7));
        let spend = |amount| [transfer(wallet, Account::World, amount, EntryType::Payment)];
        // The refund is free at once; the earnings wait.
        assert_eq!(ledger.post(&spend(501), since, t0), Err(InsufficientFunds));
        ledger.post(&spend(500), since, t0).unwrap();
        let later = Some(t0 + Duration::seconds(1));
        ledger.post(&spend(9_000), later, t0).unwrap();
        assert_eq!(ledger.balance(wallet), 0);
        assert!(ledger.violations().is_empty(), "{:?}", ledger.violations());
    }
}
