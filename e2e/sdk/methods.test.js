// The official univapay-node SDK, unmodified, against a Kessai server: a
// konbini and a bank-transfer charge followed from creation to their
// completion through the store's sandbox clock, an online charge paid
// through its issuer token, and a 3-D Secure challenge answered on the
// sandbox ACS page (docs/payment-methods.md).
const test = require("node:test");
const assert = require("node:assert/strict");
const { sdk, storeId, card, freshCard, advanceClock, env, rejectsWith } = require("./env");

// sandbox calls a /sandbox/ route with the secret.
async function sandbox(method, path, body) {
  const res = await fetch(env("KESSAI_ENDPOINT") + path, {
    method,
    headers: { Authorization: `Bearer ${env("KESSAI_SECRET")}.${env("KESSAI_JWT")}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

test.before(async () => {
  await sandbox("PATCH", "/sandbox/store_configuration", { konbini_enabled: true, bank_transfer_enabled: true, online_enabled: true });
});

test("konbini: applied, awaiting with a payment number, paid ten minutes later", async () => {
  const tok = await sdk.transactionTokens.create({
    paymentType: "konbini", type: "one_time", email: "hanako@example.com",
    data: {
      customerName: "山田花子", convenienceStore: "seven_eleven",
      phoneNumber: { countryCode: "81", localNumber: "09012345678" }, expirationPeriod: "P3D",
    },
  });
  assert.equal(tok.paymentType, "konbini");
  assert.equal(tok.data.convenienceStore, "seven_eleven");
  assert.equal(tok.data.customerName, "山田花子");

  const created = await sdk.charges.create({ transactionTokenId: tok.id, amount: 2480, currency: "JPY", metadata: { order_id: "K-1" } });
  assert.equal(created.status, "pending");
  assert.ok(created.captureAt, "the payment deadline");
  // Seven-Eleven takes no time of day: the deadline is 23:59:59 Japan time.
  const jst = new Date(Date.parse(created.captureAt) + 9 * 3600 * 1000);
  assert.equal(jst.toISOString().slice(11, 19), "23:59:59");

  const awaiting = await sdk.charges.poll(storeId, created.id);
  assert.equal(awaiting.status, "awaiting");
  assert.match(awaiting.metadata.internal_convenience_payment_number, /^\d{5}-\d{12}$/);
  assert.match(awaiting.metadata.internal_convenience_payment_url, /\/sandbox\/konbini\//);
  assert.equal(awaiting.metadata.order_id, "K-1");
  await rejectsWith(sdk.charges.getIssuerToken(storeId, created.id), "VALIDATION_ERROR");

  await advanceClock("PT9M");
  assert.equal((await sdk.charges.get(storeId, created.id)).status, "awaiting");
  await advanceClock("PT1M");
  const paid = await sdk.charges.get(storeId, created.id);
  assert.equal(paid.status, "successful");
  assert.equal(paid.chargedAmount, 2480);
});

test("bank transfer: virtual account, issuer token, deposit ten minutes later, ledgers", async () => {
  const tok = await sdk.transactionTokens.create({
    paymentType: "bank_transfer", type: "one_time", email: "hanako@example.com", data: { brand: "aozora_bank" },
  });
  assert.equal(tok.data.brand, "aozora_bank");
  const created = await sdk.charges.create({ transactionTokenId: tok.id, amount: 15000, currency: "JPY" });
  const awaiting = await sdk.charges.poll(storeId, created.id);
  assert.equal(awaiting.status, "awaiting");

  const withAccount = await sdk.transactionTokens.get(storeId, tok.id);
  assert.equal(withAccount.data.bankCode, "0310");
  assert.equal(withAccount.data.bankName, "GMOあおぞらネット銀行");
  assert.match(withAccount.data.accountNumber, /^\d{7}$/);

  const issuer = await sdk.charges.getIssuerToken(storeId, created.id);
  assert.equal(issuer.paymentType, "bank_transfer");
  assert.equal(issuer.accountNumber, withAccount.data.accountNumber);
  assert.equal(issuer.branchCode, withAccount.data.branchCode);
  assert.equal(issuer.accountHolderName, withAccount.data.accountHolderName);

  await advanceClock("PT10M");
  const paid = await sdk.charges.get(storeId, created.id);
  assert.equal(paid.status, "successful");
  assert.equal(paid.chargedAmount, 15000);

  const ledgers = await sandboxGet(`/stores/${storeId}/charges/${created.id}/bank_transfer_ledgers`);
  assert.deepEqual(ledgers.items.map((l) => [l.bank_ledger_type, l.amount, l.balance]), [["payment", 15000, 0], ["deposit", 15000, 15000]]);
});

test("bank transfer: a short deposit keeps the charge awaiting until the rest arrives", async () => {
  const tok = await sdk.transactionTokens.create({
    paymentType: "bank_transfer", type: "one_time", email: "hanako@example.com", data: { brand: "aozora_bank" },
  });
  const created = await sdk.charges.create({ transactionTokenId: tok.id, amount: 8000, currency: "JPY" });
  await sdk.charges.poll(storeId, created.id);
  const short = await sandbox("POST", `/sandbox/charges/${created.id}/deposit`, { amount: 5000 });
  assert.equal(short.status, "awaiting");
  const rest = await sandbox("POST", `/sandbox/charges/${created.id}/deposit`, { amount: 3000 });
  assert.equal(rest.status, "successful");
  assert.equal((await sdk.charges.get(storeId, created.id)).chargedAmount, 8000);
});

test("online: awaiting, the issuer token, paid", async () => {
  const tok = await sdk.transactionTokens.create({ paymentType: "online", type: "one_time", data: { brand: "pay_pay_online" } });
  assert.equal(tok.data.callMethod, "http_post");
  const created = await sdk.charges.create({
    transactionTokenId: tok.id, amount: 990, currency: "JPY", redirect: { endpoint: "https://shop.example/thanks" },
  });
  assert.ok(created.redirect.redirectId);
  assert.equal((await sdk.charges.poll(storeId, created.id)).status, "awaiting");
  const issuer = await sdk.charges.getIssuerToken(storeId, created.id);
  assert.equal(issuer.issuerToken, "test");
  assert.equal(issuer.callMethod, "http_post");
  assert.equal((await sdk.charges.get(storeId, created.id)).status, "successful");
});

test("3-D Secure: the charge awaits its challenge, answered on the sandbox ACS page", async () => {
  const tok = await sdk.transactionTokens.create(card(freshCard("3220")));
  const created = await sdk.charges.create({ transactionTokenId: tok.id, amount: 5000, currency: "JPY", threeDs: { mode: "normal" } });
  const awaiting = await sdk.charges.poll(storeId, created.id);
  assert.equal(awaiting.status, "awaiting");
  assert.equal(awaiting.threeDs.status, "awaiting");
  const it = await sdk.charges.threeDsIssuerToken(storeId, created.id);
  assert.equal(it.callMethod, "http_post");
  assert.equal(it.contentType, "application/x-www-form-urlencoded");
  assert.equal(it.paymentType, "card");
  assert.ok(it.payload.session);
  // The buyer presses Authenticate: the form the page posts.
  const res = await fetch(it.issuerToken, {
    method: "POST", headers: { "Content-Type": it.contentType },
    body: new URLSearchParams({ ...it.payload, action: "authenticate", lang: "en" }),
  });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Authentication succeeded/);
  const done = await sdk.charges.poll(storeId, created.id);
  assert.equal(done.status, "successful");
  assert.equal(done.threeDs.status, "successful");
});

async function sandboxGet(path) { return sandbox("GET", path); }
