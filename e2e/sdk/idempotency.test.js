// The official univapay-node SDK against Kessai's idempotency keys and
// limits (docs/limits.md): an idempotent retry returns the same charge, a
// reused key on another route is refused, a second charge of the same
// card and amount within 30 seconds surfaces as CHARGE_TOO_QUICK, and an
// empty 429 of the rate limits as TOO_MANY_REQUESTS.
// The cards here are used by no other file: the charge-frequency limit
// and the card lock count per card.
const test = require("node:test");
const assert = require("node:assert/strict");
const { randomUUID } = require("node:crypto");
const { sdk, storeId, card, rejectsWith } = require("./env");

// idempotencyStatuses records the Idempotency-Status header of every
// response while fn runs.
async function idempotencyStatuses(fn) {
  const seen = [];
  const listener = (response) => seen.push(response.headers.get("idempotency-status"));
  sdk.on("response", listener);
  try {
    await fn();
  } finally {
    sdk.removeListener("response", listener);
  }
  return seen;
}

test("idempotency: a retry with the key returns the same charge", async () => {
  const tok = await sdk.transactionTokens.create(card("4000000000000002"));
  const key = randomUUID();
  const req = { transactionTokenId: tok.id, amount: 1200, currency: "JPY" };
  let first, retry;
  const statuses = await idempotencyStatuses(async () => {
    first = await sdk.charges.create(req, { idempotentKey: key });
    retry = await sdk.charges.create(req, { idempotentKey: key });
  });
  assert.deepEqual(statuses, ["successfully_stored", "retrieved_idempotent_response"]);
  assert.equal(retry.id, first.id);
  assert.deepEqual(retry, first);

  // Not replayed, the request would have failed: the one-time token is used.
  await rejectsWith(sdk.charges.create(req), "TRANSACTION_ALREADY_PROCESSED");
  // The key belongs to POST /charges now.
  const conflict = await rejectsWith(sdk.transactionTokens.create(card("4000000000000010"), { idempotentKey: key }), "IDEMPOTENCY_KEY_CONFLICT");
  assert.equal(conflict.httpCode, 409);
  assert.equal((await sdk.charges.poll(storeId, first.id)).status, "successful");
});

test("limits: the same card and amount within 30 seconds is CHARGE_TOO_QUICK", async () => {
  const tok = await sdk.transactionTokens.create(card("4000000000000028", "recurring"));
  const first = await sdk.charges.create({ transactionTokenId: tok.id, amount: 1300, currency: "JPY" });
  const err = await rejectsWith(sdk.charges.create({ transactionTokenId: tok.id, amount: 1300, currency: "JPY" }), "CHARGE_TOO_QUICK");
  assert.equal(err.httpCode, 400);
  // Another amount on the same card goes through.
  const other = await sdk.charges.create({ transactionTokenId: tok.id, amount: 1301, currency: "JPY" });
  assert.notEqual(other.id, first.id);
});

test("limits: an exhausted rate limit surfaces as TOO_MANY_REQUESTS (429)", async () => {
  const tok = await sdk.transactionTokens.create(card("4000000000000036"));
  const ch = await sdk.charges.create({ transactionTokenId: tok.id, amount: 1400, currency: "JPY" });
  // One exact path: a burst of 10, refilled at 2 a second; quick requests
  // empty it.
  let err;
  for (let i = 0; i < 30 && !err; i++) {
    await sdk.charges.get(storeId, ch.id).catch((e) => { err = e; });
  }
  assert.ok(err, "no request met the rate limit");
  assert.ok(err.errorResponse, "not a ResponseError: " + err);
  assert.equal(err.errorResponse.httpCode, 429);
  assert.equal(err.errorResponse.code, "TOO_MANY_REQUESTS"); // derived by the SDK: the body is empty
});
