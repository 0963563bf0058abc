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

module.exports = { sdk, storeId, card, env, rejectsWith };
