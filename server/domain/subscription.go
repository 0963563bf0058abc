package domain

// SubscriptionStorage persists subscriptions. (Filled in by its issue.)
type SubscriptionStorage interface{}
