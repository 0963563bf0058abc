package widget

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"kessai/api"
)

// StageThreeDS: a 3-D Secure challenge failed or timed out; StageIssuerToken:
// the issuer token of an awaiting charge could not be read.
const (
	StageThreeDS     = "three_ds"
	StageIssuerToken = "issuer_token"
)

// Next-action types: what the buyer does after the widget (docs/widget.md,
// "Success detail").
const (
	NextKonbini      = "konbini"
	NextBankTransfer = "bank_transfer"
	NextOnline       = "online"
	NextThreeDS      = "three_ds"
)

// NextAction is what the buyer must do next: pay at the store, transfer to
// the account, pay in the app, or authenticate. It is shown by the widget
// and, for an application awaiting payment, sent as nextAction in the
// univapay:success detail.
type NextAction struct {
	Type string `json:"type"`
	// konbini
	ConvenienceStore string `json:"convenienceStore,omitempty"`
	PaymentNumber    string `json:"paymentNumber,omitempty"`
	PaymentURL       string `json:"paymentUrl,omitempty"`
	// CollectionAgency is Pay-easy's collection agency number.
	CollectionAgency string `json:"collectionAgency,omitempty"`
	// bank_transfer
	BankName          string `json:"bankName,omitempty"`
	BankCode          string `json:"bankCode,omitempty"`
	BranchName        string `json:"branchName,omitempty"`
	BranchCode        string `json:"branchCode,omitempty"`
	AccountType       string `json:"accountType,omitempty"`
	AccountNumber     string `json:"accountNumber,omitempty"`
	AccountHolderName string `json:"accountHolderName,omitempty"`
	// konbini and bank_transfer: what to pay and by when (ISO-8601).
	Amount   int64  `json:"amount,omitempty"`
	Currency string `json:"currency,omitempty"`
	Deadline string `json:"deadline,omitempty"`
	// online and three_ds: the page to open, how, and for online the brand.
	Brand       string            `json:"brand,omitempty"`
	IssuerToken string            `json:"issuerToken,omitempty"`
	CallMethod  string            `json:"callMethod,omitempty"`
	Payload     map[string]string `json:"payload,omitempty"`
	ContentType string            `json:"contentType,omitempty"`
	// Test: a test-mode issuer token ("test") that opens nothing.
	Test bool `json:"test,omitempty"`
}

// DeadlineTime is the deadline as an instant (zero when none).
func (n NextAction) DeadlineTime() time.Time {
	t, _ := time.Parse(time.RFC3339, n.Deadline)
	return t
}

// methodPolls is the polling budget of a payment the buyer completes
// elsewhere (online app, 3-D Secure): 15 minutes of 3-second polls
// (docs/widget.md, "API calls").
const methodPolls = 300

// runMethod pays with a method other than card: the method's token, then
// the charge (or, for Paidy, the subscription), followed to awaiting: a
// konbini or bank-transfer application succeeds there with its payment
// instructions; an online charge is handed to the buyer's app and followed
// to its end.
func (p *Payment) runMethod(ctx context.Context, in CardInput) Outcome {
	if errs := ValidateMethod(p.Options, p.Method, in, p.Choice, p.Offer); len(errs) > 0 {
		p.Emit(ValidationErrorEvent(errs))
		return Outcome{Stage: StageToken, Code: CodeValidation, Message: p.Locale.T("error.validation"), Fields: errs, Retry: true}
	}
	p.Extras.CustomFields = p.Extras.custom(p.Options, in)
	if p.Method == MethodBankTransfer {
		if n := strings.TrimSpace(in.Name); n != "" {
			p.Extras.Reserved = mergeStrings(p.Extras.Reserved, map[string]string{"univapay-name": n})
		}
	}
	tok, err := p.Client.CreateToken(ctx, MethodTokenRequest(p.Options, p.Method, in, p.Choice, p.Device, p.Extras))
	if err != nil {
		return p.fail(StageToken, err, created{})
	}
	p.Emit(NewEvent(EventTokenCreated, TokenCreatedDetail{TokenID: tok.Value.ID, Response: camel(tok.Raw)}))
	switch {
	case p.Options.Checkout == CheckoutToken:
		return p.succeed(Outcome{Token: &tok, Inputs: ResultFields(p.Options, tok.Value.ID, "", ""),
			Success: successDetail(ResultToken, tok, camel(tok.Raw))})
	case CreatesSubscription(p.Options, p.Extras):
		return p.subscribe(ctx, tok)
	}

	ch, err := p.Client.CreateCharge(ctx, ChargeRequestWith(p.Options, tok.Value.ID, string(tok.Value.PaymentType), p.Extras))
	if err != nil {
		return p.fail(StageCharge, err, created{tok: &tok})
	}
	p.Emit(NewEvent(EventChargeCreated, ChargeCreatedDetail{ChargeID: ch.Value.ID, TokenID: tok.Value.ID, Response: camel(ch.Raw)}))
	ch, err = p.pollCharge(ctx, ch, 0)
	if err != nil {
		return p.fail(StagePolling, err, created{tok: &tok, ch: &ch})
	}
	if ch.Value.Status != api.ChargeAwaiting {
		return p.chargeEnded(tok, ch, StageCharge)
	}
	switch p.Method {
	case MethodKonbini:
		return p.awaiting(tok, ch, p.konbiniAction(ch))
	case MethodBankTransfer:
		it, err := p.Client.IssuerToken(ctx, ch.Value.StoreID, ch.Value.ID)
		if err != nil {
			return p.fail(StageIssuerToken, err, created{tok: &tok, ch: &ch})
		}
		return p.awaiting(tok, ch, p.bankAction(ch, it.Value))
	case MethodOnline:
		it, err := p.Client.IssuerToken(ctx, ch.Value.StoreID, ch.Value.ID)
		if err != nil {
			return p.fail(StageIssuerToken, err, created{tok: &tok, ch: &ch})
		}
		v := it.Value
		p.act(NextAction{Type: NextOnline, Brand: p.Choice.Brand, IssuerToken: v.IssuerToken, CallMethod: string(v.CallMethod),
			Payload: v.Payload, ContentType: v.ContentType, Test: v.IssuerToken == api.TestIssuerToken})
		ch, err = p.pollCharge(ctx, ch, methodPolls)
		if err != nil {
			return p.fail(StagePolling, err, created{tok: &tok, ch: &ch})
		}
		return p.chargeEnded(tok, ch, StageCharge)
	}
	return p.chargeEnded(tok, ch, StageCharge)
}

// act shows the buyer a next action (the online app, the 3-D Secure
// challenge) while the flow keeps following the charge.
func (p *Payment) act(n NextAction) {
	if p.Act != nil {
		p.Act(n)
	}
}

// pollCharge reads the charge while it is pending, or also while it is
// awaiting when max is set (the buyer is paying or authenticating
// elsewhere), at most max times (MaxPolls when 0).
func (p *Payment) pollCharge(ctx context.Context, ch Object[api.Charge], max int) (Object[api.Charge], error) {
	busy := func(c api.Charge) bool { return c.Status == api.ChargePending }
	q := *p
	if max > 0 {
		busy = func(c api.Charge) bool { return c.Status == api.ChargePending || c.Status == api.ChargeAwaiting }
		if p.MaxPolls == 0 || p.MaxPolls < max {
			q.MaxPolls = max
		}
	}
	return poll(ctx, &q, ch, busy, 0, func() (Object[api.Charge], error) {
		return p.Client.GetCharge(ctx, ch.Value.StoreID, ch.Value.ID, true)
	})
}

// awaiting ends an application that awaits the buyer's payment: a success
// whose status is awaiting, with the payment instructions as nextAction
// (docs/widget.md, "Success detail"), so that no merchant takes it for a
// completed payment.
func (p *Payment) awaiting(tok Object[api.TransactionToken], ch Object[api.Charge], n NextAction) Outcome {
	detail := successDetail(ResultCharge, tok, withPaymentType(ch.Raw, tok.Value.PaymentType))
	detail.ChargeID, detail.Status, detail.Charge = ch.Value.ID, string(ch.Value.Status), camel(ch.Raw)
	detail.NextAction = &n
	return p.succeed(Outcome{Token: &tok, Charge: &ch, Next: &n, Inputs: ResultFields(p.Options, tok.Value.ID, ch.Value.ID, ""), Success: detail})
}

// chargeEnded reports a charge that left pending and awaiting (or is still
// in one of them when the budget ran out).
func (p *Payment) chargeEnded(tok Object[api.TransactionToken], ch Object[api.Charge], stage string) Outcome {
	switch ch.Value.Status {
	case api.ChargeSuccessful, api.ChargeAuthorized:
		detail := successDetail(ResultCharge, tok, withPaymentType(ch.Raw, tok.Value.PaymentType))
		detail.ChargeID, detail.Status, detail.Charge = ch.Value.ID, string(ch.Value.Status), camel(ch.Raw)
		return p.succeed(Outcome{Token: &tok, Charge: &ch, Inputs: ResultFields(p.Options, tok.Value.ID, ch.Value.ID, ""), Success: detail})
	case api.ChargePending, api.ChargeAwaiting:
		return p.timeout(created{tok: &tok, ch: &ch})
	}
	code, msg := "CHARGE_"+strings.ToUpper(string(ch.Value.Status)), p.Locale.T("error.declined")
	if p.Method == MethodOnline {
		msg = p.Locale.T("error.onlineFailed")
	}
	if e := ch.Value.Error; e != nil {
		code = strconv.Itoa(e.Code)
		if stage == StageCharge {
			msg = p.Locale.PaymentError(e.Code)
		}
	}
	if stage == StageThreeDS {
		msg = p.Locale.T("error.threeDS")
		if ch.Value.Status == api.ChargeError {
			msg = p.Locale.T("error.threeDSTimeout")
		}
	}
	var failed json.RawMessage
	if ch.Value.Error != nil {
		failed = camel(ch.Raw)
	}
	return p.finish(Outcome{Stage: stage, Code: code, Message: msg, Retry: true, Token: &tok, Charge: &ch,
		Failure: p.errorDetail(stage, code, msg, created{tok: &tok, ch: &ch}, failed)})
}

// konbiniAction is the payment slip of an awaiting konbini charge: the
// store, the payment number (and Seven-Eleven's slip URL, Pay-easy's
// collection agency number) from the charge's metadata, the amount and the
// deadline.
func (p *Payment) konbiniAction(ch Object[api.Charge]) NextAction {
	n := NextAction{Type: NextKonbini, ConvenienceStore: p.Choice.Store,
		PaymentNumber: metaString(ch.Value.Metadata, api.MetadataKonbiniPaymentNumber),
		PaymentURL:    metaString(ch.Value.Metadata, api.MetadataKonbiniPaymentURL),
		Amount:        ch.Value.RequestedAmount, Currency: ch.Value.RequestedCurrency}
	if p.Choice.Store == api.KonbiniPayEasy {
		n.CollectionAgency = api.PayEasyCollectionAgency
	}
	n.Deadline = p.deadline(ch, MethodKonbini, p.Choice.Store)
	return n
}

// bankAction is the virtual account of an awaiting bank transfer, from its
// issuer token (the bank's name and code are those of every account when
// the server leaves them out).
func (p *Payment) bankAction(ch Object[api.Charge], it api.IssuerToken) NextAction {
	n := NextAction{Type: NextBankTransfer, BankName: it.BankName, BankCode: it.BankCode,
		BranchName: it.BranchName, BranchCode: it.BranchCode, AccountType: it.AccountType,
		AccountNumber: it.AccountNumber, AccountHolderName: it.AccountHolderName,
		Amount: ch.Value.RequestedAmount, Currency: ch.Value.RequestedCurrency}
	if n.BankName == "" {
		n.BankName, n.BankCode = api.AozoraBankName, api.AozoraBankCode
	}
	if n.AccountType == "" {
		n.AccountType = api.AccountTypeOrdinary
	}
	n.Deadline = p.deadline(ch, MethodBankTransfer, BankTransferBrand)
	return n
}

// deadline is the charge's payment deadline: its capture_at as the server
// set it, else the one the widget computes from the options and
// checkout_info (Deadline) from the charge's creation on the store's clock.
func (p *Payment) deadline(ch Object[api.Charge], method, brand string) string {
	if ch.Value.CaptureAt != nil && *ch.Value.CaptureAt != "" {
		return *ch.Value.CaptureAt
	}
	applied, err := time.Parse(time.RFC3339, ch.Value.CreatedOn)
	if err != nil {
		return ""
	}
	if d, ok := Deadline(p.Options, p.Info, method, brand, applied); ok {
		return d.UTC().Format(time.RFC3339)
	}
	return ""
}

func metaString(m api.Metadata, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}

// threeDSCharge runs the 3-D Secure challenge of an awaiting card charge
// (docs/widget.md, "3-D Secure"): the challenge is shown (Act), and the
// charge followed until the buyer has authenticated and it is processed.
// Failure (306) and timeout (327) are univapay:error with stage three_ds.
func (p *Payment) threeDSCharge(ctx context.Context, tok Object[api.TransactionToken], ch Object[api.Charge]) Outcome {
	it, err := p.Client.ChargeThreeDSIssuerToken(ctx, ch.Value.StoreID, ch.Value.ID)
	if err != nil {
		return p.fail(StageThreeDS, err, created{tok: &tok, ch: &ch})
	}
	p.act(threeDSAction(it))
	ch, err = p.pollCharge(ctx, ch, methodPolls)
	if err != nil {
		return p.fail(StagePolling, err, created{tok: &tok, ch: &ch})
	}
	stage := StageCharge
	if s := ch.Value.ThreeDS; s != nil && s.Status != nil && *s.Status != api.ThreeDSSuccessful {
		stage = StageThreeDS
	}
	return p.chargeEnded(tok, ch, stage)
}

// threeDSToken runs the 3-D Secure challenge of a new recurring card token
// and waits for its outcome; a non-nil Outcome is the failure, reported.
func (p *Payment) threeDSToken(ctx context.Context, tok Object[api.TransactionToken]) (Object[api.TransactionToken], *Outcome) {
	busy := func(t api.TransactionToken) bool {
		s := t.Data.ThreeDS
		return s != nil && s.Status != nil && (*s.Status == api.ThreeDSPending || *s.Status == api.ThreeDSAwaiting)
	}
	if !busy(tok.Value) {
		return tok, nil
	}
	it, err := p.Client.TokenThreeDSIssuerToken(ctx, tok.Value.StoreID, tok.Value.ID)
	if err != nil {
		o := p.fail(StageThreeDS, err, created{tok: &tok})
		return tok, &o
	}
	p.act(threeDSAction(it))
	q := *p
	q.MaxPolls = methodPolls * 3 // the token GET does not wait: 1-second polls
	tok, err = poll(ctx, &q, tok, busy, p.tokenPollWait(), func() (Object[api.TransactionToken], error) {
		return p.Client.GetToken(ctx, tok.Value.StoreID, tok.Value.ID)
	})
	if err != nil {
		o := p.fail(StagePolling, err, created{tok: &tok})
		return tok, &o
	}
	if busy(tok.Value) {
		o := p.timeout(created{tok: &tok})
		return tok, &o
	}
	s := tok.Value.Data.ThreeDS
	if *s.Status == api.ThreeDSSuccessful {
		return tok, nil
	}
	code, msg := "THREE_DS_"+strings.ToUpper(string(*s.Status)), p.Locale.T("error.threeDS")
	if *s.Status == api.ThreeDSError {
		msg = p.Locale.T("error.threeDSTimeout")
	}
	if s.Error != nil {
		code = strconv.Itoa(s.Error.Code)
	}
	o := Outcome{Stage: StageThreeDS, Code: code, Message: msg, Retry: true, Token: &tok}
	o.Failure = p.errorDetail(StageThreeDS, code, msg, created{tok: &tok}, nil)
	o.Failure.Response = camel(tok.Raw)
	return tok, ptrOutcome(p.finish(o))
}

func threeDSAction(it Object[api.ThreeDSIssuerToken]) NextAction {
	v := it.Value
	return NextAction{Type: NextThreeDS, IssuerToken: v.IssuerToken, CallMethod: string(v.CallMethod), Payload: v.Payload, ContentType: v.ContentType}
}

// ThreeDSTokenRequest marks a card token request for 3-D Secure when the
// store requires it and the token is a recurring one made without a charge
// (card registration, docs/widget.md, "3-D Secure"); charges run their own
// challenge.
func ThreeDSTokenRequest(o Options, req *api.TokenCreateRequest, required bool) {
	if required && req.Type == api.TokenTypeRecurring && o.Checkout == CheckoutToken {
		t := api.FlexBool(true)
		req.Data.ThreeDS = &api.ThreeDSTokenRequest{Enabled: &t}
	}
}
