//! The transfers each money operation writes. Pure: the adapter posts them in the same
//! transaction as the order or payout change that causes them.

use krika_kernel::ids::{OrderId, PayoutId, UserId};
use krika_kernel::money::Money;

use super::ledger::{Account, EntryType, Transfer};

/// How a buyer pays an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Funding {
    /// Charged through the payment gateway; `charge` is the gateway's reference.
    Card { charge: String },
    /// Taken from the buyer's wallet balance.
    Wallet,
}

/// The money of one order, fixed when it is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderMoney {
    /// Package price plus extras: what the seller's share is computed on.
    pub gross: Money,
    /// Borne by the platform (an offer).
    pub discount: Money,
    /// What the buyer pays: `gross − discount`.
    pub total: Money,
    /// The platform's cut of `gross`.
    pub commission: Money,
}

/// The order's identity as the ledger describes it.
#[derive(Debug, Clone, Copy)]
pub struct OrderRef<'a> {
    pub id: OrderId,
    pub number: &'a str,
}

fn order_transfer(
    order: OrderRef<'_>,
    from: Account,
    to: Account,
    amount: Money,
    kind: EntryType,
    description: String,
) -> Option<Transfer> {
    amount.is_positive().then_some(Transfer {
        from,
        to,
        amount,
        kind,
        order_id: Some(order.id),
        payout_id: None,
        description,
    })
}

/// The buyer pays `total` into escrow; the platform adds the discount, so escrow holds
/// `gross`.
pub fn order_paid(
    order: OrderRef<'_>,
    buyer: UserId,
    funding: &Funding,
    money: OrderMoney,
) -> Vec<Transfer> {
    let escrow = Account::Escrow(order.id);
    let (source, how) = match funding {
        Funding::Card { .. } => (Account::World, "card"),
        Funding::Wallet => (Account::Wallet(buyer), "wallet"),
    };
    [
        order_transfer(
            order,
            source,
            escrow,
            money.total,
            EntryType::Payment,
            format!("Payment for order {} ({how})", order.number),
        ),
        order_transfer(
            order,
            Account::Promotions,
            escrow,
            money.discount,
            EntryType::Discount,
            format!("Offer discount on order {}", order.number),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Completion: escrow goes to the seller, who pays the platform its commission.
pub fn order_released(order: OrderRef<'_>, seller: UserId, money: OrderMoney) -> Vec<Transfer> {
    let wallet = Account::Wallet(seller);
    [
        order_transfer(
            order,
            Account::Escrow(order.id),
            wallet,
            money.gross,
            EntryType::EscrowRelease,
            format!("Earnings from order {}", order.number),
        ),
        order_transfer(
            order,
            wallet,
            Account::PlatformRevenue,
            money.commission,
            EntryType::Commission,
            format!("Platform commission on order {}", order.number),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Cancellation: the buyer gets back what they paid, the platform its discount.
pub fn order_refunded(order: OrderRef<'_>, buyer: UserId, money: OrderMoney) -> Vec<Transfer> {
    let escrow = Account::Escrow(order.id);
    [
        order_transfer(
            order,
            escrow,
            Account::Wallet(buyer),
            money.total,
            EntryType::Refund,
            format!("Refund of order {}", order.number),
        ),
        order_transfer(
            order,
            escrow,
            Account::Promotions,
            money.discount,
            EntryType::Discount,
            format!("Offer discount returned from order {}", order.number),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn payout_transfer(
    payout: PayoutId,
    from: Account,
    to: Account,
    amount: Money,
    kind: EntryType,
    description: &str,
) -> Vec<Transfer> {
    vec![Transfer {
        from,
        to,
        amount,
        kind,
        order_id: None,
        payout_id: Some(payout),
        description: description.into(),
    }]
}

/// A payout reserves its amount at once.
pub fn payout_requested(payout: PayoutId, seller: UserId, amount: Money) -> Vec<Transfer> {
    let (from, to) = (Account::Wallet(seller), Account::PayoutClearing);
    payout_transfer(
        payout,
        from,
        to,
        amount,
        EntryType::Payout,
        "Payout requested",
    )
}

/// The money has left the platform.
pub fn payout_processed(payout: PayoutId, amount: Money) -> Vec<Transfer> {
    let (from, to) = (Account::PayoutClearing, Account::World);
    payout_transfer(payout, from, to, amount, EntryType::Payout, "Payout sent")
}

/// A rejected payout returns to the wallet.
pub fn payout_rejected(payout: PayoutId, seller: UserId, amount: Money) -> Vec<Transfer> {
    let (from, to) = (Account::PayoutClearing, Account::Wallet(seller));
    let kind = EntryType::PayoutReversal;
    payout_transfer(
        payout,
        from,
        to,
        amount,
        kind,
        "Payout rejected, amount returned",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn balances(transfers: &[Transfer]) -> HashMap<Account, i64> {
        let mut sums = HashMap::new();
        for t in transfers {
            *sums.entry(t.from).or_default() -= t.amount.minor();
            *sums.entry(t.to).or_default() += t.amount.minor();
        }
        sums
    }

    const fn xof(minor: i64) -> Money {
        Money::new(minor, krika_kernel::Currency::XOF)
    }

    const MONEY: OrderMoney = OrderMoney {
        gross: xof(12_000),
        discount: xof(1_200),
        total: xof(10_800),
        commission: xof(1_200),
    };

    #[test]
    fn paid_then_released_leaves_escrow_empty_and_the_seller_paid_on_gross() {
        let order = OrderRef {
            id: OrderId::new(),
            number: "KR-2026-000001",
        };
        let (buyer, seller) = (UserId::new(), UserId::new());
        let mut all = order_paid(
            order,
            buyer,
            &Funding::Card {
                charge: "ch".into(),
            },
            MONEY,
        );
        all.extend(order_released(order, seller, MONEY));
        let sums = balances(&all);
        assert_eq!(sums[&Account::Escrow(order.id)], 0);
        assert_eq!(sums[&Account::Wallet(seller)], 10_800); // 12 000 − 10 %
        assert_eq!(sums[&Account::PlatformRevenue], 1_200);
        assert_eq!(sums[&Account::Promotions], -1_200);
        assert_eq!(sums[&Account::World], -10_800);
        assert_eq!(sums.values().sum::<i64>(), 0);
    }

    #[test]
    fn paid_then_refunded_returns_what_the_buyer_paid() {
        let order = OrderRef {
            id: OrderId::new(),
            number: "KR-2026-000002",
        };
        let buyer = UserId::new();
        let mut all = order_paid(order, buyer, &Funding::Wallet, MONEY);
        all.extend(order_refunded(order, buyer, MONEY));
        let sums = balances(&all);
        assert_eq!(sums[&Account::Escrow(order.id)], 0);
        assert_eq!(sums[&Account::Wallet(buyer)], 0);
        assert_eq!(sums[&Account::Promotions], 0);
    }

    #[test]
    fn zero_amounts_write_nothing() {
        let order = OrderRef {
            id: OrderId::new(),
            number: "KR-2026-000003",
        };
        let money = OrderMoney {
            gross: xof(5_000),
            discount: xof(0),
            total: xof(5_000),
            commission: xof(0),
        };
        assert_eq!(
            order_paid(order, UserId::new(), &Funding::Wallet, money).len(),
            1
        );
        assert_eq!(order_released(order, UserId::new(), money).len(), 1);
    }

    #[test]
    fn a_rejected_payout_gives_the_amount_back() {
        let (payout, seller) = (PayoutId::new(), UserId::new());
        let mut all = payout_requested(payout, seller, xof(7_000));
        all.extend(payout_rejected(payout, seller, xof(7_000)));
        let sums = balances(&all);
        assert_eq!(sums[&Account::Wallet(seller)], 0);
        assert_eq!(sums[&Account::PayoutClearing], 0);
    }
}
