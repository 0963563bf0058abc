// The official univapay-node SDK, unmodified, against a Kessai server:
// what a merchant's back end does after the widget (token with the secret,
// charge, poll, read back, a decline, a validation error).
const test = require("node:test");
const assert = require("node:assert/strict");
const { sdk, storeId, card, rejectsWith } = require("./env");

test("checkout: token, charge, poll, decline, validation error", async () => {
  const info = await sdk.checkoutInfo.get();
  assert.equal(info.mode, "test");
  assert.equal(info.cardConfiguration.enabled, true);

  const tok = await sdk.transactionTokens.create(card("4000020000000000"));
  assert.equal(tok.data.card.lastFour, "0000");
  assert.equal(tok.data.card.brand, "visa");

  const ch = await sdk.charges.create({ transactionTokenId: tok.id, amount: 1000, currency: "JPY", metadata: { order_id: "A-1" } });
  assert.equal(ch.status, "pending");
  const done = await sdk.charges.poll(storeId, ch.id);
  assert.equal(done.status, "successful");
  assert.equal(done.chargedAmount, 1000);
  const got = await sdk.charges.get(storeId, ch.id);
  assert.equal(got.metadata.order_id, "A-1"); // metadata keys are never camelCased
  assert.equal(got.metadata.orderId, undefined);
  assert.equal((await sdk.transactionTokens.get(storeId, tok.id)).id, tok.id);

  const bad = await sdk.transactionTokens.create(card("4111111111111111"));
  const declined = await sdk.charges.poll(storeId, (await sdk.charges.create({ transactionTokenId: bad.id, amount: 1000, currency: "JPY" })).id);
  assert.equal(declined.status, "failed");
  assert.equal(declined.error.code, 309);

  await rejectsWith(sdk.transactionTokens.create(card("4000020000000001")), "VALIDATION_ERROR");
});
