// A merchant page written in TypeScript against the declarations served at
// /client/checkout.d.ts: every option, every callback, every event, open,
// close and submit. e2e/ts_test.go type-checks it with the TypeScript
// compiler (strict); it must compile without an error.

const log = (...args: unknown[]): void => console.log(...args);

const checkout: UnivapayCheckout.Checkout = UnivapayCheckout.create({
  // Display.
  header: "My shop",
  title: "Order 42",
  description: "Two T-shirts",
  submitButtonText: "Pay now",
  showLogo: true,
  locale: "ja",
  hidePrivacyLink: false,
  qrColor: "#000000",
  qrLogo: "false",
  // Behaviour.
  appId: "APP_TOKEN_JWT",
  checkout: "payment",
  paymentMethods: ["card", "visa", "konbini"],
  amount: 1000,
  currency: "jpy",
  tokenType: "one_time",
  productCodes: ["tshirt", "mug"],
  productCodeQuantities: [2, 1],
  name: "paymentRef",
  capture: false,
  captureAt: "2027-01-02T10:00:00+09:00",
  expirationPeriod: "P7D",
  expirationTimeShift: "12:00:00+09:00",
  email: "taro@example.com",
  address: true,
  shippingAddressCountryCode: "JP",
  shippingAddressZip: "100-0001",
  shippingAddressState: "東京都",
  shippingAddressCity: "千代田区",
  shippingAddressLine1: "千代田1-1",
  shippingAddressLine2: "101",
  requireName: true,
  requireEmail: true,
  requirePhoneNumber: true,
  phoneNumber: "0312345678",
  requireBillingAddress: false,
  cvvAuthorize: false,
  showCvv: true,
  univapayReferenceId: "ref-1",
  univapayCustomerId: "0190f7a8-7d3c-7cc2-9d4f-2d0c7f0b9f11",
  autoSubmit: false,
  autoClose: true,
  removeCheckoutButtonAfterCharge: false,
  usageLimit: "monthly",
  timeout: 600,
  autoCloseOnError: true,
  hideRecurringCheckbox: false,
  metadata: { orderNo: 42, tags: ["a", "b"] },
  inline: false,
  // Subscriptions and installments.
  subscriptionPeriod: "P2W",
  subscriptionId: "0190f7a8-7d3c-7cc2-9d4f-2d0c7f0b9f12",
  subscriptionPlan: "fixed_cycles",
  subscriptionQty: 3,
  subscriptionInitialAmount: "0",
  subscriptionStart: "2027-01-01",
  subscriptionStartIn: "P1M",
  subscriptionStartDayOfMonth: 27,
  subscriptionPreserveEndOfMonth: true,
  subscriptionRetryInterval: "P1D",
  allowCardInstallments: true,
  cardInstallmentOptions: ["3", "6", "revolving"],
  installmentPlan: "fixed_cycles",
  installmentQty: "3",
  // Inline styles, with a misspelt alias.
  inlineItemStyle: "margin:0",
  inlineTextItemStyle: "margin:0",
  inlineToggleItemStyle: "margin:0",
  inlineItemLabelStyle: "color:#333",
  inlineItemLabelstyle: "color:#333",
  inlineTextItemLabelStyle: "color:#333",
  inlineFieldStyle: "border:1px solid #ccc",
  inlineTextFieldStyle: "border:1px solid #ccc",
  inlineItemErrorStyle: "color:red",
  inlineTextErrorStyle: "color:red",
  inlineFieldInvalidStyle: "border-color:red",
  inlineTextFieldInvalidStyle: "border-color:red",
  inlineTextToggleInvalidStyle: "outline:1px solid red",
  inlineFieldFocusStyle: "border-color:blue",
  inlineFieldForcusStyle: "border-color:blue",
  inlineTextFieldFocusStyle: "border-color:blue",
  inlineTextFieldForcusStyle: "border-color:blue",
  inlineToggleFieldFocusStyle: "outline:1px solid blue",
  inlineToggleFieldForcusStyle: "outline:1px solid blue",
  // Deadlines, custom fields.
  bankTransferExpirationPeriod: "P3D",
  bankTransferExpirationTimeShift: "15:00:00+09:00",
  convenienceStoreExpirationPeriod: "P3D",
  convenienceStoreExpirationTimeShift: "15:00:00+09:00",
  customFieldLabels: "Size,Gift message",
  customFieldTypes: "select,string",
  customFieldRequired: "true,false",
  customFieldOptions: "S;M;L",
  customFieldKeys: "size,gift",
  // Kessai's JS-only options.
  form: "#order-form",
  target: document.body,
  // Callbacks.
  opened: () => log("opened"),
  closed: () => log("closed"),
  onValidationError: (errors) => {
    for (const field of Object.keys(errors)) log(field, errors[field].toUpperCase());
  },
  onTokenCreated: (d) => log(d.tokenId, d.response.data.card?.lastFour, d.response.metadata["order_id"]),
  onChargeCreated: (d) => log(d.chargeId, d.tokenId, d.response.requestedAmount, d.response.status),
  onSubscriptionCreated: (d) => log(d.subscriptionId, d.response.period, d.response.nextPayment?.dueDate),
  onSuccess: (result) => {
    // What WooCommerce and EC-CUBE read.
    const id: string = result.response.id;
    const paymentType: string = result.response.paymentType;
    log(id, paymentType, result.resourceType, result.status, result.token.data.card?.brand);
    if (result.charge) log(result.charge.requestedAmount);
    for (const p of result.products ?? []) log(p.code, p.name, p.quantity, p.amount * p.quantity, p.currency);
  },
  onError: (e) => {
    const stage: UnivapayCheckout.ErrorStage = e.stage;
    log(stage, e.code, e.message, e.tokenId, e.chargeId, e.subscriptionId);
    // EC-CUBE reads e.error.error.message.
    if ("error" in e.error && e.error.error && "message" in e.error.error) log(e.error.error.message);
  },
});

checkout.open();
checkout.close();

// Every window event, typed by its name.
window.addEventListener("univapay:opened", (e) => log(Object.keys(e.detail).length));
window.addEventListener("univapay:closed", (e) => log(e.detail));
window.addEventListener("univapay:validation-error", (e) => log(e.detail["cardNumber"]));
window.addEventListener("univapay:token-created", (e) => log(e.detail.tokenId, e.detail.response.email));
window.addEventListener("univapay:charge-created", (e) => log(e.detail.chargeId, e.detail.response.error?.code));
window.addEventListener("univapay:subscription-created", (e) => log(e.detail.response.amount));
window.addEventListener("univapay:success", (e) => log(e.detail.resourceType, e.detail.response.id));
window.addEventListener("univapay:error", (e) => log(e.detail.code, e.detail.response));

// Inline mode: submit() resolves with the ids and rejects with an Error.
const inline = UnivapayCheckout.create({ appId: "APP_TOKEN_JWT", inline: true, amount: "1000.00", currency: "JPY" });
inline.open();
const frame = document.querySelector("iframe[name=univapay-checkout-connector]");
UnivapayCheckout.submit(frame)
  .then((r: UnivapayCheckout.SubmitResult) => {
    const ids: (string | undefined)[] = [r.token, r.transactionToken, r.charge, r.subscription, r.connectorId];
    log(ids, r.tokenData?.email, r.response.id);
  })
  .catch((err: UnivapayCheckout.SubmitError) => {
    log("エラー: " + err.message, err.code);
    if ("type" in err && err.type === "validation") log(err.data?.["cardNumber"], err.status, err.errors);
  });
inline.submit().then((r) => log(r.chargeId));
window.UnivapayCheckout.create({ appId: "x", checkout: "token", tokenType: "recurring", subscriptionPeriod: "monthly" });
