package main

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// screen is what the checkout shows (docs/widget.md, "Screens").
type screen int

const (
	screenWaiting    screen = iota // before the loader's init message
	screenLoading                  // fetching checkout_info
	screenForm                     // card input
	screenProcessing               // token, charge, polling
	screenSuccess
	screenFailure // a payment failed; the buyer may try again
	screenFatal   // bad configuration or the API refused the app token
	screenMethods // the method selection (docs/widget.md, "Payment methods")
)

// cardFields are the card form's inputs in display order: the field name of
// widget events and errors, the input's name (merchant tests type into these),
// its autocomplete token and inputmode.
var cardFields = []struct{ field, name, autocomplete, inputmode string }{
	{widget.FieldCardNumber, "data.cardNumber", "cc-number", "numeric"},
	{widget.FieldExp, "data.exp", "cc-exp", "numeric"},
	{widget.FieldCVV, "data.cvv", "cc-csc", "numeric"},
	{widget.FieldCardholder, "data.cardholder", "cc-name", "text"},
	{widget.FieldEmail, "email", "email", "email"},
}

// checkout is the widget iframe's only component.
type checkout struct {
	app.Compo

	parentOrigin string // the merchant origin, from the init message's event.origin
	init         widget.Init
	opts         widget.Options
	loc          widget.Locale
	info         api.CheckoutInfo
	client       *fetchClient

	screen screen
	open   bool // popup shown
	busy   bool
	in     widget.CardInput
	// The buyer's choices beside the card: a saved card (its token ID, ""
	// for a new card), the save-card or consent box, the installment count.
	storeID     string
	savedCards  []api.TokenListItem
	saved       string
	boxChecked  bool
	installment string
	touched     map[string]bool
	errs        widget.FieldErrors // errors shown next to the fields
	// reported is the last univapay:validation-error detail sent, as JSON.
	reported string
	outcome  *widget.Outcome
	fatal    *widget.Outcome
	announce string // text of the persistent live region
	height   int    // last height reported to an inline loader
	// session counts the form's sessions: the timeout and a new payment
	// after it start a new one, and a payment of an older session finishes
	// unseen. ids are the resources the session's payments created.
	session  int
	ids      map[string]string
	timedOut bool
	// submitting: a submit() waits for this session's payment.
	submitting bool
	// logoHidden: the store's logo failed to load or is at most 5 px wide.
	logoHidden bool
	// removed: an inline form was closed; its iframe is going.
	removed bool
	// focused is the field that has the focus, for the inline focus styles.
	focused string
	// timer counts the timeouts started; only the latest may fire.
	timer int
	// The payment methods (docs/widget.md, "Payment methods"): what is
	// offered, the method chosen ("" before the choice), the store or brand
	// within it, the buyer's device, what the buyer must do while a payment
	// waits (the online app, a 3-D Secure challenge), the value copied last.
	offer  widget.Offer
	method string
	choice widget.MethodChoice
	device widget.Device
	action *widget.NextAction
	copied string
	// root is the context of the component itself: a timer started from
	// an element's handler (the pay button's form) must not die with the
	// element when the screen changes, nor the progress of a payment whose
	// form gives way to an online payment or a 3-D Secure challenge (go-app
	// drops the dispatches of an unmounted source).
	root    app.Context
	hasRoot bool
	// page is the link form page's state; nil in the widget's iframe
	// (wasm/page.go).
	page *linkPage
}

func (c *checkout) OnMount(ctx app.Context) {
	c.root, c.hasRoot = ctx, true
	c.touched = map[string]bool{}
	c.reported = "{}"
	c.loc = widget.ResolveLocale("auto", navigatorLanguages())

	win := app.Window()
	win.Call("addEventListener", "message", app.FuncOf(func(this app.Value, args []app.Value) any {
		e := args[0]
		if !e.Get("source").Equal(win.Get("parent")) || e.Get("data").Type() != app.TypeString {
			return nil
		}
		origin, data := e.Get("origin").String(), e.Get("data").String()
		ctx.Dispatch(func(ctx app.Context) { c.onMessage(ctx, origin, data) })
		return nil
	}))
	win.Call("addEventListener", "keydown", app.FuncOf(func(this app.Value, args []app.Value) any {
		switch args[0].Get("key").String() {
		case "Escape":
			ctx.Dispatch(func(ctx app.Context) {
				if !c.busy { // a payment in flight finishes on screen
					c.close(ctx)
				}
			})
		case "Tab":
			c.trapFocus(args[0])
		}
		return nil
	}))
	if ro := win.Get("ResizeObserver"); ro.Truthy() {
		obs := ro.New(app.FuncOf(func(this app.Value, args []app.Value) any {
			c.reportHeight()
			return nil
		}))
		obs.Call("observe", ctx.JSSrc())
	}
	if id := formIDOfPath(win.Get("location").Get("pathname").String()); id != "" {
		c.startPage(ctx, id)
		return
	}
	// The only message sent before the parent's origin is known; it carries
	// nothing but its type.
	if s, err := widget.Encode(struct {
		Type widget.MessageType `json:"type"`
	}{widget.MsgReady}); err == nil {
		win.Get("parent").Call("postMessage", s, "*")
	}
}

// post sends a message to the loader, to the merchant origin only.
func (c *checkout) post(msg any) {
	if c.page != nil {
		pageConsole(msg) // a link form page has no loader
		return
	}
	s, err := widget.Encode(msg)
	if err != nil {
		app.Log(err)
		return
	}
	app.Window().Get("parent").Call("postMessage", s, c.parentOrigin)
}

func (c *checkout) onMessage(ctx app.Context, origin, data string) {
	t, ok := widget.PeekType(data)
	if !ok {
		return
	}
	if c.parentOrigin == "" {
		if t != widget.MsgInit {
			return
		}
		var m widget.Init
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			return
		}
		c.parentOrigin = origin
		c.start(ctx, m)
		return
	}
	if origin != c.parentOrigin {
		return
	}
	switch t {
	case widget.MsgOpen:
		c.show(ctx)
	case widget.MsgSubmit:
		c.pay(ctx, true)
	case widget.MsgClose:
		if c.inline() {
			c.closeInline()
		} else {
			c.close(ctx)
		}
	}
}

// start parses and validates the merchant's options and loads checkout_info.
func (c *checkout) start(ctx app.Context, m widget.Init) {
	c.init = m
	src, _ := widget.ParseSource(m.Source)
	opts, problems := widget.ParseOptions(src, m.Options)
	problems = append(problems, opts.Validate()...)
	c.opts = opts
	c.loc = widget.ResolveLocale(opts.Locale, navigatorLanguages())
	app.Window().Get("document").Get("documentElement").Set("lang", c.loc.HTMLLang())
	if c.report(ctx, problems) {
		return
	}
	loc := app.Window().Get("location")
	c.client = &fetchClient{base: loc.Get("origin").String(), jwt: opts.AppID, origin: c.parentOrigin}
	if c.page != nil {
		c.client.form = c.page.formID
	}
	c.in = widget.Prefill(opts)
	c.screen = screenLoading
	if c.inline() {
		c.post(widget.NewEvent(widget.EventOpened, nil))
		c.startTimeout(ctx)
	}
	c.storeID = widget.AppTokenStoreID(opts.AppID)
	c.device = widget.DeviceOf(app.Window().Get("navigator").Get("userAgent").String())
	ctx.Async(func() {
		info, err := c.client.CheckoutInfo(ctx)
		// A returning customer's saved cards (docs/widget.md,
		// "Saved cards"); the form works without them if they cannot be
		// read.
		var saved []api.TokenListItem
		if err == nil && widget.OffersSavedCards(opts, info) && c.storeID != "" {
			var lerr error
			if saved, lerr = c.client.SavedCards(ctx, c.storeID, opts.UnivapayCustomerID); lerr != nil {
				c.post(widget.ConsoleWarn("saved cards: " + lerr.Error()))
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.setFatal(ctx, widget.APIFailure(c.loc, widget.StageCheckoutInfo, err))
				return
			}
			c.info = info
			if c.report(ctx, opts.ValidateInfo(info)) || c.applyProducts(ctx, info) {
				return
			}
			offer, ps := widget.ResolveMethods(opts, info, c.device)
			for _, p := range ps {
				c.post(widget.ConsoleMessage(p))
			}
			if errs := ps.Errors(); len(errs) > 0 {
				c.setFatal(ctx, widget.NoMethodsError(c.loc, errs))
				return
			}
			c.offer = offer
			c.setMethod(offer.Single())
			c.savedCards = saved
			if len(saved) > 0 {
				c.saved = saved[0].ID // the latest card, for a one-click payment
			}
			c.screen = c.firstScreen()
			c.adoptPrerendered(ctx)
			markReady()
		})
	})
}

// report logs the problems in the merchant page's console and, when one is
// an error, stops the widget with the configuration error (docs/widget.md,
// "Configuration errors"). It reports whether it stopped.
func (c *checkout) report(ctx app.Context, ps widget.Problems) bool {
	for _, p := range ps {
		c.post(widget.ConsoleMessage(p))
	}
	if errs := ps.Errors(); len(errs) > 0 {
		c.setFatal(ctx, widget.ConfigError(c.loc, errs))
		return true
	}
	return false
}

// setFatal shows an error the buyer cannot fix. Inline frames report it at
// once; popups when they are opened.
func (c *checkout) setFatal(ctx app.Context, o widget.Outcome) {
	c.fatal, c.screen = &o, screenFatal
	c.announce = o.Message
	c.adoptPrerendered(ctx) // the error replaces the pre-rendered form
	if c.inline() {
		c.post(widget.ErrorEvent(o.Failure))
	} else if c.open {
		c.post(widget.ErrorEvent(o.Failure))
	}
	markReady()
}

func (c *checkout) inline() bool { return c.init.Mode == widget.ModeInline }

func (c *checkout) show(ctx app.Context) {
	if c.inline() || c.open {
		return
	}
	c.open = true
	c.post(widget.NewEvent(widget.EventOpened, nil))
	if c.fatal != nil {
		c.post(widget.ErrorEvent(c.fatal.Failure))
	}
	c.startTimeout(ctx)
	ctx.Defer(func(app.Context) { focus("cardNumber") })
}

// close closes the popup: the buyer pressed close, Esc or done, autoClose
// fired, or the merchant called checkout.close().
func (c *checkout) close(ctx app.Context) {
	if c.inline() || !c.open {
		return
	}
	c.open = false
	ok := c.outcome != nil && c.outcome.OK
	c.post(widget.NewEvent(widget.EventClosed, nil))
	c.post(widget.Closed{Type: widget.MsgClosed, Submit: ok && c.opts.AutoSubmit, RemoveButton: ok && c.opts.RemoveCheckoutButtonAfterCharge})
	if ok || c.timedOut {
		// The next open starts a new payment.
		c.outcome, c.in, c.errs, c.touched, c.announce = nil, widget.Prefill(c.opts), nil, map[string]bool{}, ""
		c.action, c.copied = nil, ""
		c.setMethod(c.offer.Single())
		c.screen = c.firstScreen()
		if c.timedOut {
			c.fatal, c.timedOut = nil, false
		}
		c.session++
	}
}

// closeInline closes an inline form on checkout.close() (docs/widget.md,
// "Inline mode"): univapay:closed, then the loader removes the iframe.
func (c *checkout) closeInline() {
	if c.removed {
		return
	}
	c.removed = true
	c.session++ // a payment in flight finishes unseen
	c.post(widget.NewEvent(widget.EventClosed, nil))
	c.post(widget.Closed{Type: widget.MsgClosed, RemoveFrame: true})
}

// startTimeout starts the merchant's timeout (docs/widget.md, "Timeout"):
// from open() (an inline frame: from its start), the form of this session
// gives way to the timeout screen unless the payment has succeeded.
func (c *checkout) startTimeout(ctx app.Context) {
	if c.opts.Timeout <= 0 || c.fatal != nil {
		return
	}
	c.timer++ // a reopened popup counts from its own open()
	session, timer := c.session, c.timer
	ctx.After(c.opts.Timeout, func(ctx app.Context) {
		if session != c.session || timer != c.timer || c.screen == screenSuccess || c.fatal != nil || !c.inline() && !c.open {
			return
		}
		c.timeout(ctx)
	})
}

// timeout abandons the session: the payment in flight (if any) finishes
// unseen, the timeout screen and univapay:error TIMEOUT with the ids created
// so far; autoCloseOnError closes the popup 3 s later.
func (c *checkout) timeout(ctx app.Context) {
	o := widget.TimeoutError(c.loc, c.ids)
	c.session++
	c.busy, c.timedOut, c.fatal, c.screen, c.announce = false, true, &o, screenFatal, o.Message
	c.post(widget.ErrorEvent(o.Failure))
	if c.submitting {
		c.submitting = false
		c.post(widget.Result{Type: widget.MsgResult, Error: o.SubmitError(c.loc)})
	}
	if c.opts.AutoCloseOnError && !c.inline() {
		session := c.session
		ctx.After(3*time.Second, func(ctx app.Context) {
			if session == c.session && c.timedOut {
				c.close(ctx)
			}
		})
	}
}

// validate checks the fields the buyer has touched (all of them on submit)
// and reports the set of errors when it changed (docs/widget.md,
// "The validation-error detail").
func (c *checkout) validate(all bool) widget.FieldErrors {
	var errs widget.FieldErrors
	if c.nonCard() {
		errs = widget.ValidateMethod(c.opts, c.method, c.in, c.choice, c.offer)
		return c.showErrors(errs, all)
	}
	if c.saved != "" {
		errs = widget.ValidateSavedCardCVV(c.in, c.savedCVV())
	} else {
		errs = widget.ValidateCard(c.in, time.Now(), c.rules())
	}
	errs = widget.ValidateForm(c.opts, c.in, errs)
	for f, code := range widget.ValidateChoices(c.box(), c.boxChecked, c.installmentChoice(), c.installmentChoices()) {
		errs[f] = code
	}
	return c.showErrors(errs, all)
}

// showErrors shows the errors of the touched fields (all of them on
// submit) and reports the set when it changed.
func (c *checkout) showErrors(errs widget.FieldErrors, all bool) widget.FieldErrors {
	shown := widget.FieldErrors{}
	for f, code := range errs {
		if all || c.touched[f] {
			shown[f] = code
		}
	}
	c.errs = shown
	if b, err := json.Marshal(shown); err == nil && string(b) != c.reported {
		c.reported = string(b)
		c.post(widget.NewEvent(widget.EventValidationError, shown))
	}
	return shown
}

// rules are the card brands checkout_info allows, narrowed by brand values
// in the merchant's paymentMethods (docs/widget.md, "Field validation").
func (c *checkout) rules() widget.CardRules {
	return widget.CardRules{RequireCVV: widget.ShowsCVV(c.opts, c.info), AllowedBrands: widget.CardBrandsOffered(c.opts, c.info)}
}

// pay runs the payment from the widget's own button or from
// UnivapayCheckout.submit(iframe) (fromSubmit), which expects one result.
func (c *checkout) pay(ctx app.Context, fromSubmit bool) {
	result := func(o widget.Outcome) {
		if fromSubmit {
			if o.OK {
				c.post(widget.Result{Type: widget.MsgResult, OK: true, Value: o.SubmitValue(c.init.ConnectorID)})
			} else {
				c.post(widget.Result{Type: widget.MsgResult, Error: o.SubmitError(c.loc)})
			}
		}
	}
	switch {
	case c.fatal != nil:
		c.post(widget.ErrorEvent(c.fatal.Failure))
		result(*c.fatal)
		return
	case c.screen != screenForm && c.screen != screenFailure || c.busy:
		if fromSubmit {
			o := widget.Outcome{Code: "NOT_READY", Message: c.loc.T("error.notReady")}
			result(o)
		}
		return
	}
	if errs := c.validate(true); len(errs) > 0 {
		c.announce = c.loc.T("error.validation")
		result(widget.Outcome{Code: widget.CodeValidation, Message: c.announce, Fields: errs, Retry: true})
		ctx.Defer(func(app.Context) { focusFirstInvalid(errs) })
		return
	}
	c.busy, c.screen, c.announce = true, screenProcessing, c.loc.T("processing")
	if c.hasRoot {
		ctx = c.root
	}
	session := c.session
	c.submitting = fromSubmit
	if c.ids == nil {
		c.ids = map[string]string{}
	}
	emit := func(msg any) {
		// Runs on the payment's goroutine; the session is read on the UI's.
		ctx.Dispatch(func(app.Context) {
			if session == c.session {
				widget.CreatedIDs(msg, c.ids)
				c.post(msg)
			}
		})
	}
	p := &widget.Payment{Options: c.opts, Locale: c.loc, Client: c.client, Emit: emit, Rules: c.rules(),
		Extras:    widget.RequestExtras{SaveCard: c.box() == widget.BoxSaveCard && c.boxChecked, Installments: c.installmentChoice(), TerminationMode: c.terminationMode()},
		SavedCard: c.saved, StoreID: c.storeID, SavedCardCVV: c.savedCVV(),
		Method: c.method, Choice: c.choice, Offer: c.offer, Device: c.device, Info: c.info,
		Act: func(n widget.NextAction) {
			ctx.Dispatch(func(ctx app.Context) {
				if session == c.session {
					c.onAct(ctx, n)
				}
			})
		}}
	c.withProducts(p)
	in := c.in
	ctx.Async(func() {
		o := p.Run(ctx, in)
		ctx.Dispatch(func(ctx app.Context) {
			if session != c.session {
				return // the timeout abandoned this payment
			}
			c.submitting = false
			c.busy, c.outcome, c.announce, c.action = false, &o, o.Message, nil
			switch {
			case o.OK:
				c.screen = screenSuccess
				c.announce = c.successTitle()
				if c.opts.AutoClose && !c.inline() {
					// Not ctx.After: ctx belongs to the form, which the
					// success screen has just replaced.
					c.root.After(1500*time.Millisecond, func(ctx app.Context) { c.close(ctx) })
				}
			case len(o.Fields) > 0:
				c.screen, c.errs = screenForm, o.Fields
				ctx.Defer(func(app.Context) { focusFirstInvalid(o.Fields) })
			case o.Retry:
				c.screen = screenFailure
			default:
				c.fatal, c.screen = &o, screenFatal
			}
			if c.page != nil {
				c.pageOutcome(o)
			}
			result(o)
		})
	})
}

// box is the save-card or consent box the form shows (none with a saved
// card).
func (c *checkout) box() widget.RecurringBox {
	if c.saved != "" {
		return widget.BoxNone
	}
	return widget.RecurringBoxOf(c.opts, c.info)
}

// savedCVV tells whether the chosen saved card needs its CVV again.
func (c *checkout) savedCVV() bool {
	return c.saved != "" && widget.NeedsSavedCardCVV(c.opts, c.info)
}

// cardBrand is the brand of the card being paid with: the saved card's, or
// the one the typed number shows.
func (c *checkout) cardBrand() string {
	if c.saved != "" {
		for _, sc := range c.savedCards {
			if sc.ID == c.saved && sc.Data != nil && sc.Data.Card != nil {
				return sc.Data.Card.Brand
			}
		}
		return ""
	}
	return widget.DetectBrand(widget.CardNumberDigits(c.in.CardNumber))
}

func (c *checkout) installmentChoices() []string {
	return widget.InstallmentChoices(c.opts, c.info, c.cardBrand())
}

// installmentChoice is the buyer's installment choice among those offered
// for the card, the first one until they choose; "" when none is offered.
func (c *checkout) installmentChoice() string {
	choices := c.installmentChoices()
	for _, ch := range choices {
		if ch == c.installment {
			return ch
		}
	}
	if len(choices) > 0 {
		return choices[0]
	}
	return ""
}

func (c *checkout) onSavedCard(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		c.saved, c.errs, c.in.CVV = id, nil, ""
		c.validate(false)
	}
}

func (c *checkout) onBox(ctx app.Context, e app.Event) {
	c.boxChecked = ctx.JSSrc().Get("checked").Bool()
	c.touched[widget.FieldConsent] = true
	c.validate(false)
}

func (c *checkout) onInstallment(ctx app.Context, e app.Event) {
	c.installment = ctx.JSSrc().Get("value").String()
	c.validate(false)
}

// retry goes back from a failed payment to the filled-in form.
func (c *checkout) retry(ctx app.Context, e app.Event) {
	c.screen, c.outcome, c.announce = screenForm, nil, ""
	c.in.CVV = ""
	if c.page != nil {
		c.page.redirect = ""
	}
	ctx.Defer(func(app.Context) { focus(widget.FieldCVV) })
}

// inputValue is an input's value; a drop-down's first option ("please
// choose") is no value.
func inputValue(src app.Value) string {
	if src.Get("tagName").String() == "SELECT" && src.Get("selectedIndex").Int() <= 0 {
		return ""
	}
	return src.Get("value").String()
}

func (c *checkout) onInput(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		v := inputValue(ctx.JSSrc())
		*c.in.Field(field) = v
		if _, shown := c.errs[field]; shown {
			c.validate(false) // clear the error as soon as it is fixed
		}
	}
}

// onCustom keeps a custom field's value (docs/widget.md, "Custom fields").
func (c *checkout) onCustom(key string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if c.in.Custom == nil {
			c.in.Custom = map[string]string{}
		}
		c.in.Custom[key] = inputValue(ctx.JSSrc())
		field := widget.CustomFieldName(key)
		if _, shown := c.errs[field]; shown || e.Get("type").String() == "change" {
			c.touched[field] = true
			c.validate(false)
		}
	}
}

// onFocus and onFocusOut follow the focused field (the inline focus
// styles, docs/widget.md, "Inline styles").
func (c *checkout) onFocus(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) { c.focused = field }
}

func (c *checkout) onFocusOut(ctx app.Context, e app.Event) { c.focused = "" }

func (c *checkout) onBlur(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		c.focused = ""
		if strings.TrimSpace(ctx.JSSrc().Get("value").String()) == "" && !c.touched[field] {
			return
		}
		c.touched[field] = true
		c.validate(false)
	}
}

func (c *checkout) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	c.pay(ctx, false)
}

func (c *checkout) onDone(ctx app.Context, e app.Event) { c.close(ctx) }

// onLogoLoad hides a logo of 5 px or less (docs/widget.md, "Screens").
func (c *checkout) onLogoLoad(ctx app.Context, e app.Event) {
	if ctx.JSSrc().Get("naturalWidth").Int() <= 5 {
		c.logoHidden = true
	}
}

func (c *checkout) onLogoError(ctx app.Context, e app.Event) { c.logoHidden = true }

func (c *checkout) onCloseClick(ctx app.Context, e app.Event) { c.close(ctx) }

func (c *checkout) onBackdrop(ctx app.Context, e app.Event) {
	if e.Get("target").Equal(e.Get("currentTarget")) && !c.busy {
		c.close(ctx)
	}
}

// trapFocus keeps Tab and Shift+Tab inside the open popup dialog, as a
// modal dialog must (the page behind it is inert for the buyer).
func (c *checkout) trapFocus(e app.Value) {
	if c.inline() || !c.open {
		return
	}
	doc := app.Window().Get("document")
	list := doc.Call("querySelectorAll", ".kessai-dialog button:not([disabled]), .kessai-dialog input:not([disabled]), .kessai-dialog a[href]")
	n := list.Length()
	if n == 0 {
		return
	}
	first, last, active := list.Index(0), list.Index(n-1), doc.Get("activeElement")
	switch {
	case e.Get("shiftKey").Bool() && (active.Equal(first) || !doc.Call("querySelector", ".kessai-dialog").Call("contains", active).Bool()):
		e.Call("preventDefault")
		last.Call("focus")
	case !e.Get("shiftKey").Bool() && active.Equal(last):
		e.Call("preventDefault")
		first.Call("focus")
	}
}

// reportHeight tells an inline loader how tall the frame must be.
func (c *checkout) reportHeight() {
	if !c.inline() || c.parentOrigin == "" {
		return
	}
	root := app.Window().GetElementByID("kessai")
	if !root.Truthy() {
		return
	}
	h := int(root.Call("getBoundingClientRect").Get("height").Float() + 0.999)
	if h == c.height || h == 0 {
		return
	}
	c.height = h
	r := widget.Resize{Type: widget.MsgResize}
	r.Data.Height = h
	c.post(r)
}

func navigatorLanguages() []string {
	nav := app.Window().Get("navigator")
	langs := nav.Get("languages")
	var out []string
	if langs.Truthy() {
		for i := 0; i < langs.Length(); i++ {
			out = append(out, langs.Index(i).String())
		}
	}
	if len(out) == 0 && nav.Get("language").Truthy() {
		out = append(out, nav.Get("language").String())
	}
	return out
}

// markReady flags the document for tests and tools: the widget has left its
// loading state.
func markReady() {
	app.Window().Get("document").Get("documentElement").Get("dataset").Set("ready", "1")
}

func focus(id string) {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Call("focus")
	}
}

func focusFirstInvalid(errs widget.FieldErrors) {
	for _, f := range cardFields {
		if _, ok := errs[f.field]; ok {
			focus(f.field)
			return
		}
	}
	// The buyer fields and custom fields, in the order of the form.
	list := app.Window().Get("document").Call("querySelectorAll", ".kessai-form [aria-invalid=true]")
	if list.Length() > 0 {
		list.Index(0).Call("focus")
		return
	}
	for _, f := range []string{widget.FieldInstallments, widget.FieldConsent, widget.FieldKonbiniStore, widget.FieldOnlineBrand} {
		if _, ok := errs[f]; ok {
			focus(f)
			return
		}
	}
}
