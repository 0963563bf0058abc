package widget

import (
	"encoding/json"
	"fmt"
)

// This file is the message contract between the loader on the merchant page
// (client/checkout.js) and the checkout app in the widget iframe. It is the
// only definition: the loader is rendered from a template that takes its
// message names from LoaderContract, so the two sides cannot drift apart.
//
// Every message is a JSON string (merchant pages JSON.parse every message they
// receive) of the shape {"type": <MessageType>, ...fields of that type}.
//
// The loader accepts messages only from the widget origin and from the iframe
// it created; the iframe learns the merchant origin from event.origin of the
// parent's first message (init) and uses exactly that origin as targetOrigin
// for everything it sends afterwards. Only MsgHello, which carries nothing, is
// posted with targetOrigin "*" before the iframe knows its parent.

// MessageType names one kind of message.
type MessageType string

// Messages from the loader (parent page) to the iframe.
const (
	// MsgInit hands the iframe the merchant's raw options; answered by the
	// iframe from then on. Payload: Init.
	MsgInit MessageType = "init"
	// MsgOpen asks a popup iframe to show its form (checkout.open()).
	MsgOpen MessageType = "open"
	// MsgSubmit asks an inline iframe to validate and pay
	// (UnivapayCheckout.submit(iframe)); answered by one MsgResult.
	MsgSubmit MessageType = "submit"
	// MsgClose asks the iframe to close (checkout.close()).
	MsgClose MessageType = "close"
)

// Messages from the iframe to the loader.
const (
	// MsgHello is posted by a tiny inline script of the iframe document before
	// the wasm starts. It tells the loader that the frame was allowed to render
	// (a frame blocked by Content-Security-Policy frame-ancestors never says
	// hello).
	MsgHello MessageType = "hello"
	// MsgReady is posted when the Go app has started and listens for MsgInit.
	MsgReady MessageType = "ready"
	// MsgEvent asks the loader to call the merchant's callback option (if
	// any) and then dispatch a univapay:* CustomEvent on window. Payload: Event.
	MsgEvent MessageType = "event"
	// MsgInputs asks the loader to put hidden inputs into the merchant form,
	// replacing inputs of the same name. Payload: Inputs.
	MsgInputs MessageType = "inputs"
	// MsgResize reports the height the inline iframe needs, in the shape
	// merchant pages already parse: {"type":"resize","data":{"height":N}}.
	MsgResize MessageType = "resize"
	// MsgClosed tells the loader that the iframe closed its popup (the buyer
	// pressed close or done, or autoClose fired), or that an inline form
	// closed and its iframe goes. Payload: Closed.
	MsgClosed MessageType = "closed"
	// MsgResult settles the Promise of the pending UnivapayCheckout.submit().
	// Payload: Result.
	MsgResult MessageType = "result"
	// MsgConsole asks the loader to log a line in the merchant page's
	// console (a configuration problem, docs/widget.md, "Configuration
	// errors"). Payload: Console.
	MsgConsole MessageType = "console"
)

// Mode is how the loader shows the iframe.
type Mode string

// Modes of an iframe.
const (
	ModePopup  Mode = "popup"
	ModeInline Mode = "inline"
)

// Init is the payload of MsgInit.
type Init struct {
	Type MessageType `json:"type"`
	// Source says whether Options are a span's data-* attributes ("html") or
	// the object given to UnivapayCheckout.create ("js").
	Source string `json:"source"`
	// Options are the raw options: attribute name -> string for "html",
	// option name -> JSON value for "js" (functions removed by the loader).
	Options map[string]any `json:"options"`
	// Mode is popup or inline.
	Mode Mode `json:"mode"`
	// PayButton asks an inline frame to show its own pay button (an inline
	// frame created by create({inline:true}).open(), see docs/widget.md,
	// "Inline mode").
	PayButton bool `json:"payButton"`
	// ConnectorID is the loader's id of this instance, reported back in
	// submit results as connectorId.
	ConnectorID string `json:"connectorId"`
}

// Event is the payload of MsgEvent.
type Event struct {
	Type MessageType `json:"type"`
	// Name is the window event name, e.g. "univapay:success".
	Name string `json:"name"`
	// Callback is the name of the create() option the loader calls first
	// with Detail, e.g. "onSuccess"; empty for none.
	Callback string `json:"callback,omitempty"`
	// Detail is a value of the event's detail type (EventSpec.Detail):
	// EmptyDetail, FieldErrors, TokenCreatedDetail, ...
	Detail any `json:"detail"`
}

// Inputs is the payload of MsgInputs.
type Inputs struct {
	Type MessageType `json:"type"`
	// Fields maps hidden input names to values.
	Fields map[string]string `json:"fields"`
}

// Resize is the payload of MsgResize.
type Resize struct {
	Type MessageType `json:"type"`
	Data struct {
		Height int `json:"height"`
	} `json:"data"`
}

// Closed is the payload of MsgClosed.
type Closed struct {
	Type MessageType `json:"type"`
	// Submit asks the loader to submit the merchant form (autoSubmit after a
	// success).
	Submit bool `json:"submit,omitempty"`
	// RemoveButton asks the loader to remove the launch button
	// (removeCheckoutButtonAfterCharge after a success).
	RemoveButton bool `json:"removeButton,omitempty"`
	// RemoveFrame asks the loader to remove an inline iframe
	// (checkout.close() of an inline form, docs/widget.md, "Inline mode").
	RemoveFrame bool `json:"removeFrame,omitempty"`
}

// Result is the payload of MsgResult.
type Result struct {
	Type MessageType `json:"type"`
	OK   bool        `json:"ok"`
	// Value resolves the Promise when OK, Error rejects it otherwise.
	Value *SubmitResult    `json:"value,omitempty"`
	Error *SubmitRejection `json:"error,omitempty"`
}

// Console is the payload of MsgConsole.
type Console struct {
	Type MessageType `json:"type"`
	// Level is "error" or "warn".
	Level string `json:"level"`
	Text  string `json:"text"`
}

// ConsoleMessage is the console line of a configuration problem: the
// parameter, the value given and why (`UnivapayCheckout: paymentMethods="konbini": ...`).
func ConsoleMessage(p Problem) Console {
	level := "error"
	if p.Warning {
		level = "warn"
	}
	return Console{Type: MsgConsole, Level: level, Text: "UnivapayCheckout: " + p.Named() + ": " + p.Reason}
}

// ConsoleWarn is a warning line for the merchant page's console.
func ConsoleWarn(text string) Console {
	return Console{Type: MsgConsole, Level: "warn", Text: "UnivapayCheckout: " + text}
}

// The window events (docs/widget.md, "Events and callbacks"), with the
// create() callback option the loader calls before dispatching each.
const (
	EventOpened              = "univapay:opened"
	EventClosed              = "univapay:closed"
	EventSuccess             = "univapay:success"
	EventError               = "univapay:error"
	EventTokenCreated        = "univapay:token-created"
	EventChargeCreated       = "univapay:charge-created"
	EventSubscriptionCreated = "univapay:subscription-created"
	EventValidationError     = "univapay:validation-error"
)

// Callbacks maps each window event to its create() callback option (from
// the event table, widget/events.go).
var Callbacks = func() map[string]string {
	m := make(map[string]string, len(eventTable))
	for _, e := range eventTable {
		m[e.Name] = e.Callback
	}
	return m
}()

// NewEvent builds the MsgEvent for a window event name. The detail is the
// event's type in the event table (widget/events.go); nil is {}.
func NewEvent(name string, detail any) Event {
	if detail == nil {
		detail = EmptyDetail{}
	}
	return Event{Type: MsgEvent, Name: name, Callback: Callbacks[name], Detail: detail}
}

// Encode marshals a message to the JSON string posted with postMessage.
func Encode(msg any) (string, error) {
	b, err := json.Marshal(msg)
	if err != nil {
		return "", fmt.Errorf("encode message: %w", err)
	}
	return string(b), nil
}

// PeekType returns the type of an encoded message; ok is false when the
// string is not a message of this contract.
func PeekType(data string) (t MessageType, ok bool) {
	var head struct {
		Type MessageType `json:"type"`
	}
	if err := json.Unmarshal([]byte(data), &head); err != nil || head.Type == "" {
		return "", false
	}
	return head.Type, true
}

// LoaderContract is what the loader template needs to know of this contract.
// server/web renders client/checkout.js with it.
type LoaderContract struct {
	MsgInit, MsgOpen, MsgSubmit, MsgClose                                    MessageType
	MsgHello, MsgReady, MsgEvent, MsgInputs, MsgResize, MsgClosed, MsgResult MessageType
	MsgConsole                                                               MessageType
	ModePopup, ModeInline                                                    Mode // SourceHTML and SourceJS are Init.Source's values.
	SourceHTML, SourceJS                                                     string

	EventError string
	// ErrorCallback is the callback option of EventError.
	ErrorCallback string
}

// Contract returns the LoaderContract of this package.
func Contract() LoaderContract {
	return LoaderContract{
		MsgInit: MsgInit, MsgOpen: MsgOpen, MsgSubmit: MsgSubmit, MsgClose: MsgClose,
		MsgHello: MsgHello, MsgReady: MsgReady, MsgEvent: MsgEvent, MsgInputs: MsgInputs,
		MsgResize: MsgResize, MsgClosed: MsgClosed, MsgResult: MsgResult, MsgConsole: MsgConsole,
		ModePopup: ModePopup, ModeInline: ModeInline,
		SourceHTML: SourceHTML.String(), SourceJS: SourceJS.String(),
		EventError:    EventError,
		ErrorCallback: Callbacks[EventError],
	}
}
