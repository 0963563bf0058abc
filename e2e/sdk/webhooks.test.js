// The official univapay-node SDK, unmodified, managing webhooks: its
// sdk.webHooks resource calls (/stores/{storeId})/webhooks[/{id}] with
// POST, GET, PATCH and DELETE (docs/webhooks.md).
const test = require("node:test");
const assert = require("node:assert/strict");
const { sdk, storeId, rejectsWith } = require("./env");

test("webhooks: create, get, list, update, delete", async () => {
  const url = `https://shop.example/hooks/${Date.now()}`;

  const created = await sdk.webHooks.create(
    { triggers: ["charge_finished", "refund_finished"], url, authToken: "Bearer s3cret" }, undefined, storeId);
  assert.equal(created.storeId, storeId);
  assert.equal(created.url, url);
  assert.equal(created.active, true);
  assert.deepEqual(created.triggers, ["charge_finished", "refund_finished"]);
  assert.equal(created.authToken, undefined); // never returned

  const got = await sdk.webHooks.get(created.id, undefined, undefined, storeId);
  assert.equal(got.id, created.id);
  assert.equal(got.merchantId, created.merchantId);

  const list = await sdk.webHooks.list({ limit: 10, active: true }, undefined, storeId);
  assert.ok(list.items.some((w) => w.id === created.id), "the new webhook is listed");
  assert.equal(typeof list.hasMore, "boolean");

  const updated = await sdk.webHooks.update(created.id, { active: "false", triggers: ["cancel_finished"], authToken: "other" }, undefined, storeId);
  assert.equal(updated.active, false);
  assert.deepEqual(updated.triggers, ["cancel_finished"]);
  const inactive = await sdk.webHooks.list({ active: false }, undefined, storeId);
  assert.ok(inactive.items.some((w) => w.id === created.id), "listed as inactive");

  await rejectsWith(sdk.webHooks.create({ triggers: ["charge_finished"], url }, undefined, storeId), "WEBHOOK_URL_EXISTS");
  await rejectsWith(sdk.webHooks.create({ triggers: ["no_such_event"], url: url + "/x" }, undefined, storeId), "VALIDATION_ERROR");

  // Without a store ID the SDK calls /webhooks: a merchant-wide webhook.
  const merchantWide = await sdk.webHooks.create({ triggers: ["token_created"], url });
  assert.equal(merchantWide.storeId, null);
  assert.equal((await sdk.webHooks.get(merchantWide.id)).url, url);
  assert.ok((await sdk.webHooks.list()).items.some((w) => w.id === merchantWide.id));
  await sdk.webHooks.delete(merchantWide.id);

  await sdk.webHooks.delete(created.id, undefined, undefined, storeId);
  await rejectsWith(sdk.webHooks.get(created.id, undefined, undefined, storeId), "NOT_FOUND");
});
