package server

import (
	"context"
	"kessai/api"
	"time"
)

func (s *Server) webhookRoutes(m *apiMux) {}

// runDueWebhooks is the engine job of webhooks.
func (s *Server) runDueWebhooks(ctx context.Context, storeID string, now time.Time) {}

// emit records a webhook event of a store: every active webhook of the
// store (or of its merchant) whose triggers include event gets a delivery.
func (s *Server) emit(ctx context.Context, storeID string, event api.WebhookEvent, data any) {}
