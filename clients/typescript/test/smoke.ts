// Drives one whole order through the generated client against a running API:
// register → login → browse → order → start → deliver → complete → review → wallet.
// KRIKA_API_URL (default http://127.0.0.1:8000) names the server; the demo seller
// (`make run`'s seed) sells the service.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import {
  createClient,
  createConfig,
  createOrder,
  createReview,
  deliverOrder,
  getMe,
  getOrder,
  getService,
  getWallet,
  listServices,
  loginUser,
  registerUser,
  updateOrderStatus,
  type Client,
} from '../src/index.js';

const baseUrl = process.env.KRIKA_API_URL ?? 'http://127.0.0.1:8000';
const SELLER = { email: 'vendeur@demo.2krika.com', password: 'demo-password' };

/** A client that sends `token` as its bearer. */
function as(token?: string): Client {
  return createClient(createConfig({ baseUrl, auth: token }));
}

async function login(email: string, password: string): Promise<Client> {
  const { data, error } = await loginUser({ client: as(), body: { email, password } });
  assert.ok(data, `login of ${email} failed: ${JSON.stringify(error)}`);
  return as(data.data.accessToken);
}

async function main(): Promise<void> {
  // register → login
  const email = `smoke-${randomUUID()}@example.com`;
  const password = 'motdepasse-smoke';
  const registered = await registerUser({
    client: as(),
    body: { email, password, name: 'Smoke Test' },
  });
  assert.equal(registered.response.status, 201, JSON.stringify(registered.error));
  const buyer = await login(email, password);
  const seller = await login(SELLER.email, SELLER.password);

  // browse: the demo seller's services, then one page
  const me = await getMe({ client: seller, throwOnError: true });
  const list = await listServices({
    client: buyer,
    query: { sellerId: me.data.data.id, limit: 5 },
    throwOnError: true,
  });
  const summary = list.data.data.items[0];
  assert.ok(summary, 'the demo seller has an approved service');
  const service = (await getService({ client: buyer, path: { serviceId: summary.id }, throwOnError: true }))
    .data.data;
  const pack = service.packages[0];
  assert.ok(pack, 'the service has a package');

  // order, paid by card, with an idempotency key
  const placed = await createOrder({
    client: buyer,
    headers: { 'Idempotency-Key': randomUUID() },
    body: {
      serviceId: service.id,
      packageId: pack.id,
      requirements: 'Un logo pour ma boutique, couleurs vert et or.',
      payment: { method: 'card', token: 'tok_smoke' },
    },
  });
  assert.equal(placed.response.status, 201, JSON.stringify(placed.error));
  assert.ok(placed.data);
  const order = placed.data.data;
  assert.equal(order.status, 'pending');
  assert.equal(order.total, pack.price);

  // a refused transition is typed: the buyer cannot start the work
  const refused = await updateOrderStatus({
    client: buyer,
    path: { orderId: order.id },
    body: { status: 'in_progress' },
  });
  assert.equal(refused.response.status, 403);
  assert.equal(refused.error?.error.code, 'FORBIDDEN');

  // the seller starts, then delivers (multipart)
  await updateOrderStatus({
    client: seller,
    path: { orderId: order.id },
    body: { status: 'in_progress' },
    throwOnError: true,
  });
  const delivered = await deliverOrder({
    client: seller,
    path: { orderId: order.id },
    body: {
      message: 'Voici le logo.',
      files: [new Blob(['%PDF-1.4 smoke'], { type: 'application/pdf' })],
    },
    throwOnError: true,
  });
  assert.equal(delivered.data.data.status, 'delivered');

  // the buyer accepts and reviews
  await updateOrderStatus({
    client: buyer,
    path: { orderId: order.id },
    body: { status: 'completed' },
    throwOnError: true,
  });
  const review = await createReview({
    client: buyer,
    body: {
      orderId: order.id,
      rating: 5,
      comment: 'Parfait.',
      criteria: { communication: 5, quality: 5, delivery: 5 },
    },
  });
  assert.equal(review.response.status, 201, JSON.stringify(review.error));

  // the seller's wallet has the earnings, and the order its history
  const wallet = (await getWallet({ client: seller, throwOnError: true })).data.data;
  assert.equal(wallet.currency, 'XOF');
  assert.ok(wallet.totalEarned > 0 || wallet.pending > 0, JSON.stringify(wallet));
  const final = (await getOrder({ client: buyer, path: { orderId: order.id }, throwOnError: true }))
    .data.data;
  assert.deepEqual(
    final.history.map((h) => h.to),
    ['pending', 'in_progress', 'delivered', 'completed'],
  );
  console.log(`smoke: order ${final.number} went through; seller wallet ${JSON.stringify(wallet)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
