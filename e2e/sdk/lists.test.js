// The official univapay-node SDK, unmodified, against a Kessai server:
// token and charge lists paged with cursors, the charge metadata PATCH the
// PHP SDK (WooCommerce, EC-CUBE) sends, token update, renew and delete, and
// errors as ResponseError with codes and field errors. Other test files run
// in parallel against the same store, so every list is narrowed to what
// this file made (a run ID in the metadata, a fresh customer ID).
const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { default: SDK, ResponseError } = require("univapay-node");
const { sdk, storeId, card, env, rejectsWith } = require("./env");

const run = crypto.randomUUID();

// A browser-side SDK: the app token without the secret.
const browser = new SDK({ endpoint: env("KESSAI_ENDPOINT"), jwt: env("KESSAI_JWT") });

// pages walks a list with cursors and returns every item's id and the page sizes.
async function pages(list, params) {
  const ids = [];
  const sizes = [];
  let cursor;
  for (let i = 0; i < 10; i++) {
    const page = await list({ ...params, cursor });
    ids.push(...page.items.map((it) => it.id));
    sizes.push(page.items.length);
    if (!page.hasMore) return { ids, sizes, total: page.totalHits };
    cursor = page.items[page.items.length - 1].id;
  }
  throw new Error("pagination does not end");
}

test("charges: list with cursors and filters, PATCH metadata, errors", async () => {
  const tok = await sdk.transactionTokens.create({ ...card("4000020000000000", "recurring"), metadata: { run } });
  const made = []; // newest first
  for (let i = 0; i < 12; i++) {
    // Distinct amounts keep clear of the charge-frequency limit.
    const ch = await sdk.charges.create({ transactionTokenId: tok.id, amount: 1100 + i, currency: "JPY", metadata: { run, n: i } });
    made.unshift(ch.id);
  }
  const mine = `run:${run}`;
  const desc = await pages((p) => sdk.charges.list(p, undefined, storeId), { limit: 10, metadata: mine });
  assert.deepEqual(desc.ids, made);
  assert.deepEqual(desc.sizes, [10, 2]);
  assert.equal(desc.total, 12);
  // GET /charges (every store the app token sees), oldest first.
  const asc = await pages((p) => sdk.charges.list(p), { limit: 10, cursorDirection: "asc", metadata: mine });
  assert.deepEqual(asc.ids, [...made].reverse());

  const first = (await sdk.charges.list({ metadata: mine, limit: 10 }, undefined, storeId)).items[0];
  assert.equal(first.transactionTokenId, tok.id);
  assert.equal(typeof first.merchantName, "string");
  assert.equal(typeof first.storeName, "string");
  assert.equal(first.metadata.run, run);

  // Filters: the card group, amount bounds (exclusive), currency, token.
  const byCard = await sdk.charges.list({ lastFour: "0000", name: "taro yamada", expMonth: 12, expYear: 2099, metadata: mine, limit: 100 }, undefined, storeId);
  assert.equal(byCard.totalHits, 12);
  const byAmount = await sdk.charges.list({ amountFrom: 1100, amountTo: 1103, metadata: mine }, undefined, storeId);
  assert.equal(byAmount.totalHits, 2);
  const byToken = await sdk.charges.list({ transactionTokenId: tok.id, currency: "jpy", limit: 100 }, undefined, storeId);
  assert.equal(byToken.totalHits, 12);

  const incomplete = await rejectsWith(sdk.charges.list({ lastFour: "0000", name: "TARO YAMADA" }, undefined, storeId), "VALIDATION_ERROR");
  assert.deepEqual(incomplete.errors, [
    { field: "exp_month", reason: "REQUIRED_VALUE" },
    { field: "exp_year", reason: "REQUIRED_VALUE" },
  ]);
  assert.equal(incomplete.httpCode, 400);

  // PATCH /stores/{storeId}/charges/{id} with metadata, as the PHP SDK
  // sends it: merged, keys never case-converted.
  const patched = await sdk.api.send("PATCH", `/stores/${storeId}/charges/${made[0]}`, {
    metadata: { order_id: "A-2", shippingDetails: "now", n: null },
  });
  assert.equal(patched.id, made[0]);
  assert.equal(patched.metadata.order_id, "A-2");
  assert.equal(patched.metadata.shippingDetails, "now");
  assert.equal(patched.metadata.orderId, undefined);
  assert.equal(patched.metadata.run, run);
  assert.equal("n" in patched.metadata, false);
  const got = await sdk.charges.get(storeId, made[0]);
  assert.deepEqual(got.metadata, patched.metadata);

  const nested = await rejectsWith(sdk.api.send("PATCH", `/stores/${storeId}/charges/${made[0]}`, { metadata: { a: { b: 1 } } }), "VALIDATION_ERROR");
  assert.deepEqual(nested.errors, [{ field: "metadata.a", reason: "NESTED_JSON_NOT_ALLOWED" }]);
  await rejectsWith(sdk.charges.getIssuerToken(storeId, made[0]), "VALIDATION_ERROR");
  await rejectsWith(sdk.charges.threeDsIssuerToken(storeId, made[0]), "VALIDATION_ERROR");
  await rejectsWith(sdk.charges.list({}, undefined, crypto.randomUUID()), "NOT_FOUND");
  await rejectsWith(browser.charges.list({}, undefined, storeId), "INVALID_PERMISSIONS");
});

test("tokens: list with cursors, update, renew, delete, errors", async () => {
  const customerId = crypto.randomUUID();
  const made = []; // newest first
  for (let i = 0; i < 11; i++) {
    const t = await sdk.transactionTokens.create({ ...card("4000020000000000", "recurring"), metadata: { "univapay-customer-id": customerId } });
    made.unshift(t.id);
  }
  const listed = await pages((p) => sdk.transactionTokens.list(p, undefined, storeId), { customerId, limit: 10 });
  assert.deepEqual(listed.ids, made);
  assert.deepEqual(listed.sizes, [10, 1]);
  const all = await pages((p) => sdk.transactionTokens.list(p), { customerId, type: "recurring", limit: 10, cursorDirection: "asc" });
  assert.deepEqual(all.ids, [...made].reverse());
  const item = (await sdk.transactionTokens.list({ id: made[0] }, undefined, storeId)).items[0];
  assert.equal(item.userData.cardholderName, "taro yamada");
  assert.equal(item.data, undefined);
  assert.equal(item.metadata["univapay-customer-id"], customerId);

  // Without the secret: only a customer's recurring tokens, masked.
  const saved = await browser.transactionTokens.list({ customerId, type: "recurring", limit: 100 }, undefined, storeId);
  assert.equal(saved.items.length, 11);
  assert.equal(saved.items[0].email, "t***@example.com");
  assert.deepEqual(saved.items[0].data.card, { cardholder: "TARO YAMADA", brand: "visa", lastFour: "0000", expMonth: 12, expYear: 2099 });
  await rejectsWith(browser.transactionTokens.list({ customerId }, undefined, storeId), "INVALID_PERMISSIONS");

  // Update: e-mail, billing, metadata (merged; keys kept as sent).
  const upd = await sdk.transactionTokens.update(storeId, made[0], { email: "new@example.com", metadata: { orderId: 7 }, data: { line1: "1-2-3 Chiyoda" } });
  assert.equal(upd.email, "new@example.com");
  assert.equal(upd.data.billing.line1, "1-2-3 Chiyoda");
  assert.equal(upd.metadata.orderId, 7);
  assert.equal(upd.metadata["univapay-customer-id"], customerId);
  // A CVV-only update needs no secret; anything else does.
  const cvv = await browser.transactionTokens.update(storeId, made[0], { data: { cvv: "123" } });
  assert.equal(cvv.id, made[0]);
  await rejectsWith(browser.transactionTokens.update(storeId, made[0], { email: "x@example.com" }), "INVALID_PERMISSIONS");
  const bad = await rejectsWith(sdk.transactionTokens.update(storeId, made[0], { data: { cvv: "12" } }), "VALIDATION_ERROR");
  assert.deepEqual(bad.errors, [{ field: "data.cvv", reason: "INVALID_CVV" }]);
  const other = await rejectsWith(sdk.transactionTokens.update(storeId, made[0], { data: { cardNumber: "4242424242424242" } }), "VALIDATION_ERROR");
  assert.deepEqual(other.errors, [{ field: "data.card_number", reason: "FORBIDDEN_PARAMETER" }]);

  // Renew: a new token with the new name and expiry replaces the old one.
  const renewed = await sdk.transactionTokens.renew(storeId, made[1], { data: { cardholder: "TARO SUZUKI", expMonth: 1, expYear: 2098 } });
  assert.equal(renewed.previousId, made[1]);
  assert.equal(renewed.data.card.cardholder, "TARO SUZUKI");
  assert.equal(renewed.data.card.expYear, 2098);
  assert.equal((await sdk.transactionTokens.get(storeId, made[1])).active, false);
  await rejectsWith(sdk.transactionTokens.renew(storeId, made[1], { data: { cardholder: "A B", expMonth: 1, expYear: 2098 } }), "RECURRING_TOKEN_DISABLED");

  // Delete: 204, then 404.
  assert.equal(await sdk.transactionTokens.delete(storeId, made[2]), "");
  const gone = await rejectsWith(sdk.transactionTokens.get(storeId, made[2]), "NOT_FOUND");
  assert.equal(gone.httpCode, 404);
  await rejectsWith(sdk.transactionTokens.delete(storeId, made[2]), "NOT_FOUND");
  await rejectsWith(sdk.transactionTokens.threeDsIssuerToken(storeId, made[0]), "VALIDATION_ERROR");

  // Errors are ResponseErrors.
  await assert.rejects(sdk.transactionTokens.list({ cardExp: "2099/12" }, undefined, storeId), (e) => {
    assert.ok(e instanceof ResponseError, String(e));
    assert.deepEqual(e.errorResponse.errors, [{ field: "card_exp", reason: "INVALID_FORMAT" }]);
    return true;
  });
});
