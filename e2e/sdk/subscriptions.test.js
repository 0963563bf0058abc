// The official univapay-node SDK, unmodified, against a Kessai server:
// a subscription from a subscription token, polled until its first charge
// is through, read, listed, updated, suspended and resumed, its charges,
// and cancel; a year of payments run by moving the sandbox clock, with
// the payments list.
const test = require("node:test");
const assert = require("node:assert/strict");
const { sdk, storeId, card, freshCard, advanceClock, rejectsWith } = require("./env");

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

// jstDate is the date (YYYY-MM-DD) in Japan days after the time t.
const jstDate = (t, days = 0) => new Date(Date.parse(t) + 9 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

test("subscriptions: a year of payments under the sandbox clock, payments, suspend, resume, cancel", async () => {
  // The second payment two days from now, then monthly: a year holds
  // twelve more payments.
  const { now } = await advanceClock("PT0S");
  const startOn = jstDate(now, 2);
  const tok = await sdk.transactionTokens.create(card(freshCard(), "subscription"));
  const created = await sdk.subscriptions.create({
    transactionTokenId: tok.id, amount: 1200, currency: "JPY", period: "monthly",
    scheduleSettings: { startOn }, metadata: { plan: "yearly-check" },
  });
  const current = await sdk.subscriptions.poll(storeId, created.id);
  assert.equal(current.status, "current");
  assert.equal(current.nextPayment.dueDate, startOn);

  let payments = await sdk.subscriptions.payments.list(storeId, created.id);
  assert.deepEqual(payments.items.map((p) => [p.dueDate, p.isPaid]), [[startOn, false], [created.nextPayment.dueDate, true]]);

  // One move of the clock runs the year's payments, each once.
  await advanceClock("P1Y");
  const charges = await sdk.subscriptions.charges(storeId, created.id, { limit: 100 });
  assert.equal(charges.items.length, 13);
  for (const c of charges.items) {
    assert.equal(c.status, "successful");
    assert.equal(c.requestedAmount, 1200);
    assert.equal(c.metadata.plan, "yearly-check");
  }
  payments = await sdk.subscriptions.payments.list(storeId, created.id, { limit: 100 });
  assert.equal(payments.items.length, 14);
  assert.equal(payments.items[0].isPaid, false);
  assert.ok(payments.items.slice(1).every((p) => p.isPaid));
  const dates = payments.items.map((p) => p.dueDate);
  assert.deepEqual(dates, [...new Set(dates)].sort().reverse(), "newest first, each date once");
  const after = await sdk.subscriptions.get(storeId, created.id);
  assert.equal(after.status, "current");
  assert.equal(after.nextPayment.id, payments.items[0].id);
  const one = await sdk.subscriptions.payments.get(storeId, created.id, payments.items[5].id);
  assert.equal(one.dueDate, payments.items[5].dueDate);
  assert.equal(one.isPaid, true);

  // The next payment moved by a week.
  const moved = await sdk.subscriptions.payments.update(storeId, created.id, after.nextPayment.id,
    { dueDate: jstDate(after.nextPayment.dueDate + "T00:00:00+09:00", 7) });
  assert.equal(moved.dueDate, jstDate(after.nextPayment.dueDate + "T00:00:00+09:00", 7));

  // Suspended: two months pass without a charge; resumed: unpaid until
  // the next cycle date, then charged and current.
  assert.equal((await sdk.subscriptions.suspend(storeId, created.id)).status, "suspended");
  await advanceClock("P2M");
  assert.equal((await sdk.subscriptions.charges(storeId, created.id, { limit: 100 })).items.length, 13);
  const resumed = await sdk.subscriptions.unsuspend(storeId, created.id);
  assert.equal(resumed.status, "unpaid");
  const { now: resumedAt } = await advanceClock("PT0S");
  assert.ok(resumed.nextPayment.dueDate >= jstDate(resumedAt), "the next payment is not in the past");
  await advanceClock("P1M");
  assert.equal((await sdk.subscriptions.charges(storeId, created.id, { limit: 100 })).items.length, 14);
  assert.equal((await sdk.subscriptions.get(storeId, created.id)).status, "current");

  // Canceled: no payment any more.
  await sdk.subscriptions.delete(storeId, created.id);
  await advanceClock("P2M");
  const canceled = await sdk.subscriptions.get(storeId, created.id);
  assert.equal(canceled.status, "canceled");
  assert.equal(canceled.nextPayment, null);
  assert.equal((await sdk.subscriptions.charges(storeId, created.id, { limit: 100 })).items.length, 14);
});
