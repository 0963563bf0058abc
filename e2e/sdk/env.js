// Shared set-up of the SDK checks: the official univapay-node SDK,
// unmodified, configured from the environment that e2e/sdk_test.go sets.
// Env: KESSAI_ENDPOINT, KESSAI_JWT, KESSAI_SECRET, KESSAI_STORE_ID.
const { default: SDK } = require("univapay-node");

const env = (k) => {
  if (!process.env[k]) throw new Error(k + " is not set");
  return process.env[k];
};

const sdk = new SDK({ endpoint: env("KESSAI_ENDPOINT"), jwt: env("KESSAI_JWT"), secret: env("KESSAI_SECRET") });
const storeId = env("KESSAI_STORE_ID");

// card returns a card transaction-token request for number.
const card = (number, type = "one_time") => ({
  paymentType: "card", type, email: "taro@example.com",
  data: { cardholder: "TARO YAMADA", cardNumber: number, expMonth: "12", expYear: "2099", cvv: "123" },
});

// freshCard returns a Luhn-valid Visa number never used before that ends in
// suffix (e.g. "4242" for the card whose refunds fail). The sandbox limits
// count per card (the same card and amount twice within 30 seconds is
// CHARGE_TOO_QUICK), so checks that are not about the limits pay with cards
// of their own.
function freshCard(suffix = "") {
  const luhn = (n) => [...n].reverse().reduce((sum, ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    return sum + d;
  }, 0) % 10 === 0;
  for (;;) {
    let n = "4";
    while (n.length < 16 - suffix.length) n += String(Math.floor(Math.random() * 10));
    n += suffix;
    if (luhn(n)) return n;
  }
}

// advanceClock moves the store's sandbox clock forward (POST
// /sandbox/clock/advance, docs/sandbox.md): the way to let time-based rules
// act, such as the rate limits' refill, without waiting.
async function advanceClock(duration) {
  const res = await fetch(env("KESSAI_ENDPOINT") + "/sandbox/clock/advance", {
    method: "POST",
    headers: { Authorization: `Bearer ${env("KESSAI_SECRET")}.${env("KESSAI_JWT")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ duration }),
  });
  if (!res.ok) throw new Error(`advance clock: ${res.status} ${await res.text()}`);
  return res.json();
}

// rejectsWith asserts that promise fails with the SDK's ResponseError of
// the given API code, and returns the error response.
async function rejectsWith(promise, code) {
  const assert = require("node:assert/strict");
  let caught;
  await assert.rejects(promise, (e) => { caught = e; return true; });
  assert.ok(caught.errorResponse, "not a ResponseError: " + caught);
  assert.equal(caught.errorResponse.code, code);
  return caught.errorResponse;
}

module.exports = { sdk, storeId, card, freshCard, advanceClock, env, rejectsWith };
