// The official univapay-node SDK, unmodified, against a Kessai server: what
// happens to a charge after it is created (docs/charges.md): capture of an
// authorization, refunds (partial, the test card whose refunds fail, the
// refund-total rules), cancels (the test card whose cancels fail), lists
// with cursors, metadata updates.
const test = require("node:test");
const assert = require("node:assert/strict");
const { sdk, storeId, card, freshCard, advanceClock, rejectsWith } = require("./env");

// charge creates a 1000 JPY charge on a new one-time token of a fresh card
// ending like number (the test cards' outcomes depend on the last four
// digits) and polls it out of pending.
async function charge(number, params = {}) {
  const tok = await sdk.transactionTokens.create(card(freshCard(number.slice(-4))));
  const ch = await sdk.charges.create({ transactionTokenId: tok.id, amount: 1000, currency: "JPY", ...params });
  return sdk.charges.poll(storeId, ch.id);
}

test("capture of an authorization", async () => {
  const auth = await charge("4000020000000000", { capture: false });
  assert.equal(auth.status, "authorized");
  assert.equal(auth.chargedAmount, null);

  await rejectsWith(sdk.captures.create(storeId, auth.id, { amount: 1001, currency: "JPY" }), "CAPTURE_AMOUNT_TOO_LARGE");
  await rejectsWith(sdk.captures.create(storeId, auth.id, { amount: 600, currency: "USD" }), "VALIDATION_ERROR");
  const captured = await sdk.captures.create(storeId, auth.id, { amount: 600, currency: "JPY" });
  assert.equal(captured.id, auth.id);
  assert.equal(captured.status, "pending");
  const done = await sdk.charges.poll(storeId, auth.id);
  assert.equal(done.status, "successful");
  assert.equal(done.requestedAmount, 1000);
  assert.equal(done.chargedAmount, 600);
  await rejectsWith(sdk.captures.create(storeId, auth.id, { amount: 1, currency: "JPY" }), "ALREADY_CAPTURED");
});

test("refunds: partial, rules, metadata, list with cursors, the failing test card", async () => {
  const ch = await charge("4000020000000000");
  assert.equal(ch.status, "successful");
  const r1 = await sdk.refunds.create(storeId, ch.id, {
    amount: 250, currency: "JPY", reason: "customer_request", message: "15 percent off", metadata: { coupon: "VIP007" },
  });
  assert.equal(r1.status, "pending");
  assert.equal(r1.chargeId, ch.id);
  assert.equal(r1.amountFormatted, 250);
  assert.equal(r1.metadata.coupon, "VIP007");
  const done = await sdk.refunds.poll(storeId, ch.id, r1.id);
  assert.equal(done.status, "successful");
  assert.equal(done.error, null);
  assert.equal((await sdk.charges.get(storeId, ch.id)).status, "successful"); // refunds keep the charge successful

  await rejectsWith(sdk.refunds.create(storeId, ch.id, { amount: 751, currency: "JPY" }), "REFUND_EXCEEDS_CHARGE_AMOUNT");
  await rejectsWith(sdk.refunds.create(storeId, ch.id, { amount: 1001, currency: "JPY" }), "REFUND_NOT_WITHIN_BOUNDS");
  await rejectsWith(sdk.refunds.create(storeId, ch.id, { amount: 10, currency: "USD" }), "CURRENCY_MUST_MATCH_CHARGE");

  const updated = await sdk.refunds.update(storeId, ch.id, r1.id, { metadata: { customer_id: 5555 } });
  assert.equal(updated.metadata.coupon, "VIP007");
  assert.equal(Number(updated.metadata.customer_id), 5555);

  const ids = [r1.id];
  for (let i = 0; i < 11; i++) {
    // One path allows a burst of 10 requests, refilled at 2 a second
    // (docs/limits.md): let the sandbox clock refill it.
    await advanceClock("1s");
    ids.push((await sdk.refunds.create(storeId, ch.id, { amount: 10, currency: "JPY" })).id);
  }
  const first = await sdk.refunds.list(storeId, ch.id, { limit: 10 });
  assert.equal(first.items.length, 10);
  assert.equal(first.hasMore, true);
  assert.equal(first.totalHits, 12);
  assert.equal(first.items[0].id, ids[11]); // newest first
  assert.ok(first.items[0].storeName);
  const second = await sdk.refunds.list(storeId, ch.id, { limit: 10, cursor: first.items[9].id });
  assert.equal(second.hasMore, false);
  assert.deepEqual([...first.items, ...second.items].map((r) => r.id), [...ids].reverse());

  const bad = await charge("4242424242424242");
  const failed = await sdk.refunds.poll(storeId, bad.id, (await sdk.refunds.create(storeId, bad.id, { amount: 1000, currency: "JPY" })).id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error.code, 329);
  assert.equal(failed.error.message, "Test refund failed purposely");

  const declined = await charge("4111111111111111");
  await rejectsWith(sdk.refunds.create(storeId, declined.id, { amount: 100, currency: "JPY" }), "CANNOT_REFUND_UNSUCCESSFUL_CHARGE");
});

test("cancels: authorization released, the failing test card, list", async () => {
  const auth = await charge("4000020000000000", { capture: false });
  const cn = await sdk.cancels.create(storeId, auth.id, { metadata: { order_id: 1234 } });
  assert.equal(cn.status, "pending");
  assert.equal(cn.chargeId, auth.id);
  const done = await sdk.cancels.poll(storeId, auth.id, cn.id);
  assert.equal(done.status, "successful");
  assert.equal(Number(done.metadata.order_id), 1234);
  assert.equal((await sdk.charges.get(storeId, auth.id)).status, "canceled");
  await rejectsWith(sdk.cancels.create(storeId, auth.id, {}), "CANCEL_NOT_ALLOWED");

  const stuck = await charge("4012888888881881", { capture: false });
  const failed = await sdk.cancels.poll(storeId, stuck.id, (await sdk.cancels.create(storeId, stuck.id, {})).id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error.code, 312);
  assert.equal(failed.error.message, "Test cancel failed purposely");
  assert.equal((await sdk.charges.get(storeId, stuck.id)).status, "authorized");
  const list = await sdk.cancels.list(storeId, stuck.id);
  assert.deepEqual(list.items.map((c) => c.id), [failed.id]);

  const paid = await charge("4000020000000000");
  await rejectsWith(sdk.cancels.create(storeId, paid.id, {}), "CANCEL_NOT_ALLOWED");
});
