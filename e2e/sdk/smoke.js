// The official univapay-node SDK, unmodified, against a Kessai server:
// what a merchant's back end does after the widget (token with the secret,
// charge, poll, read back, a decline, a validation error).
// Env: KESSAI_ENDPOINT, KESSAI_JWT, KESSAI_SECRET, KESSAI_STORE_ID.
const assert = require("node:assert/strict");
const { default: SDK } = require("univapay-node");

const env = (k) => {
  if (!process.env[k]) throw new Error(k + " is not set");
  return process.env[k];
};
const sdk = new SDK({ endpoint: env("KESSAI_ENDPOINT"), jwt: env("KESSAI_JWT"), secret: env("KESSAI_SECRET") });
const storeId = env("KESSAI_STORE_ID");

const card = (number) => ({
  paymentType: "card", type: "one_time", email: "taro@example.com",
  data: { cardholder: "TARO YAMADA", cardNumber: number, expMonth: "12", expYear: "2099", cvv: "123" },
});

async function main() {
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

  await assert.rejects(sdk.transactionTokens.create(card("4000020000000001")), (e) => {
    assert.equal(e.errorResponse.code, "VALIDATION_ERROR");
    return true;
  });
  console.log("univapay-node: all checks passed");
}

main().catch((e) => {
  console.error(e && e.errorResponse ? JSON.stringify(e.errorResponse) : e);
  process.exit(1);
});
