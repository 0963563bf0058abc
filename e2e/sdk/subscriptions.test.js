// The official univapay-node SDK, unmodified, against a Kessai server:
// a subscription from a subscription token, polled until its first charge
// is through, read, listed, updated, suspended and resumed, its charges,
// and cancel.
const test = require("node:test");
const assert = require("node:assert/strict");
const { sdk, storeId, card, rejectsWith } = require("./env");

test("subscriptions: create, poll, get, list, update, charges, cancel", async () => {
  const tok = await sdk.transactionTokens.create(card("4000020000000000", "subscription"));
  assert.equal(tok.type, "subscription");
  // One active subscription token per card.
  await rejectsWith(sdk.transactionTokens.create(card("4000020000000000", "subscription")), "NON_UNIQUE_ACTIVE_TOKEN");

  const created = await sdk.subscriptions.create({
    transactionTokenId: tok.id, amount: 1250, currency: "USD", period: "monthly",
    metadata: { service_id: 78435694 },
  });
  assert.equal(created.status, "unverified");
  assert.equal(created.amountFormatted, 12.5);
  assert.equal(created.scheduleSettings.zoneId, "Asia/Tokyo");
  assert.equal(created.scheduleSettings.terminationMode, "immediate");
  assert.equal(created.nextPayment.amount, 1250);
  assert.equal(created.nextPayment.isPaid, false);

  const current = await sdk.subscriptions.poll(storeId, created.id);
  assert.equal(current.status, "current");
  assert.ok(current.nextPayment.dueDate > created.nextPayment.dueDate, "next payment after the first");

  const got = await sdk.subscriptions.get(storeId, created.id);
  assert.equal(got.id, created.id);
  assert.equal(got.metadata.service_id, 78435694); // metadata keys are never camelCased
  assert.equal((await sdk.transactionTokens.get(storeId, tok.id)).active, false); // used by the subscription

  const list = await sdk.subscriptions.list({ status: "current", search: "78435694" }, undefined, storeId);
  assert.ok(list.items.some((s) => s.id === created.id));
  const item = list.items.find((s) => s.id === created.id);
  assert.equal(item.nextPaymentDate, current.nextPayment.dueDate);
  assert.equal(item.userData.cardholderName, "TARO YAMADA");

  const updated = await sdk.subscriptions.update(storeId, created.id, {
    metadata: { service_id: 7843568, note: "upgraded" }, amount: 2000,
  });
  assert.equal(updated.metadata.service_id, 7843568);
  assert.equal(updated.metadata.note, "upgraded");
  assert.equal(updated.amount, 2000);
  assert.equal(updated.nextPayment.amount, 2000);

  assert.equal((await sdk.subscriptions.suspend(storeId, created.id)).status, "suspended");
  assert.equal((await sdk.subscriptions.unsuspend(storeId, created.id)).status, "unpaid");

  const charges = await sdk.subscriptions.charges(storeId, created.id);
  assert.equal(charges.items.length, 1);
  assert.equal(charges.items[0].subscriptionId, created.id);
  assert.equal(charges.items[0].status, "successful");
  assert.equal(charges.items[0].requestedAmount, 1250);
  assert.equal(charges.items[0].metadata.service_id, 78435694);

  await sdk.subscriptions.delete(storeId, created.id);
  assert.equal((await sdk.subscriptions.get(storeId, created.id)).status, "canceled");
  await rejectsWith(sdk.subscriptions.delete(storeId, created.id), "CANNOT_CHANGE_CANCELED_SUBSCRIPTION");
});

test("subscriptions: a declined first charge, then a new card", async () => {
  const bad = await sdk.transactionTokens.create(card("4111111111111111", "subscription"));
  const sub = await sdk.subscriptions.create({ transactionTokenId: bad.id, amount: 1000, currency: "JPY", cyclicalPeriod: "P10D" });
  const failed = await sdk.subscriptions.poll(storeId, sub.id);
  assert.equal(failed.status, "unconfirmed");
  assert.equal(failed.cyclicalPeriod, "P10D");

  const good = await sdk.transactionTokens.create(card("5555555555554444", "subscription"));
  const retried = await sdk.subscriptions.updateToken(storeId, sub.id, { transactionTokenId: good.id });
  assert.equal(retried.transactionTokenId, good.id);
  const { subscription, charge } = await sdk.subscriptions.pollSubscriptionWithFirstCharge(storeId, sub.id);
  assert.equal(subscription.status, "current");
  assert.equal(charge.status, "successful");

  const oneTime = await sdk.transactionTokens.create(card("4242424242424242"));
  await rejectsWith(sdk.subscriptions.create({ transactionTokenId: oneTime.id, amount: 1000, currency: "JPY", period: "monthly" }), "NOT_SUBSCRIPTION_TOKEN");
});
