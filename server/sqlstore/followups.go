package sqlstore

import (
	"context"
	"kessai/server/domain"
)

// FollowUpTables maps the kinds of records with follow-ups
// (domain.FollowUpKinds) to their tables.
var FollowUpTables = map[string]string{
	domain.KindCharge:       "charges",
	domain.KindRefund:       "refunds",
	domain.KindCancel:       "cancels",
	domain.KindSubscription: "subscriptions",
	domain.KindToken:        "tokens",
}

// PendingFollowUps lists up to limit records of every kind whose follow-ups
// are not done yet (domain.FollowUpStorage).
func PendingFollowUps(ctx context.Context, db DB, limit int) ([]domain.FollowUpRef, error) {
	var refs []domain.FollowUpRef
	for _, kind := range domain.FollowUpKinds {
		if len(refs) >= limit {
			break
		}
		rows, err := db.Q.Query(ctx, db.Dialect.Bind("SELECT id FROM "+FollowUpTables[kind]+
			" WHERE "+db.Dialect.Text("data", "follow_up")+" IS NOT NULL LIMIT ?"), limit-len(refs))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			ref := domain.FollowUpRef{Kind: kind}
			if err := rows.Scan(&ref.ID); err != nil {
				rows.Close()
				return nil, err
			}
			refs = append(refs, ref)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return refs, nil
}
