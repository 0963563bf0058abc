// Deliberate mistakes: each line after a @ts-expect-error marker must be a
// type error. e2e/ts_test.go compiles this file with and without the markers:
// with them, tsc must pass (every marked line is an error, or tsc reports the
// unused marker); without them, tsc must report an error on each marked line
// and nowhere else. So the declarations cannot be `any`.

const say = (...args: unknown[]): void => console.log(...args);

// @ts-expect-error appId is required.
UnivapayCheckout.create({ amount: 1000 });

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error an unknown option.
  amout: 1000,
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error checkout is "token" or "payment".
  checkout: "charge",
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error a boolean option.
  autoClose: 3,
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error not a payment method.
  paymentMethods: ["cash"],
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error not a period.
  subscriptionPeriod: "every month",
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error text is an HTML-only attribute (data-text).
  text: "Pay",
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error the detail of onSuccess has no chargeID.
  onSuccess: (r) => say(r.chargeID),
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error tokenId is a string.
  onTokenCreated: (d) => say(d.tokenId.toFixed()),
});

UnivapayCheckout.create({
  appId: "x",
  // @ts-expect-error stage is one of the documented stages.
  onError: (e) => say(e.stage === "payment"),
});

window.addEventListener("univapay:charge-created", (e) => {
  // @ts-expect-error a charge has no cardNumber.
  say(e.detail.response.cardNumber);
});

window.addEventListener("univapay:success", (e) => {
  // @ts-expect-error resourceType is token, charge or subscription.
  const kind: "refund" = e.detail.resourceType;
  say(kind);
});

// @ts-expect-error open() takes no argument and returns nothing.
const opened: Promise<void> = UnivapayCheckout.create({ appId: "x" }).open(1);
say(opened);

UnivapayCheckout.submit(null).then((r) => {
  // @ts-expect-error charge is the charge's id, a string.
  say(r.charge?.requestedAmount);
});

// @ts-expect-error the global has no pay().
UnivapayCheckout.pay();
