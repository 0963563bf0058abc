package sqlstore

import "kessai/server/domain"

// FollowUpTables maps the kinds of records with follow-ups
// (domain.FollowUpKinds) to their tables.
var FollowUpTables = map[string]string{
	domain.KindCharge:       "charges",
	domain.KindRefund:       "refunds",
	domain.KindCancel:       "cancels",
	domain.KindSubscription: "subscriptions",
	domain.KindToken:        "tokens",
}
