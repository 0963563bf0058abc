package server

import (
	"context"
	"time"
)

func (s *Server) refundRoutes(m *apiMux) {}

// runDueRefunds is the engine job of refunds.
func (s *Server) runDueRefunds(ctx context.Context, storeID string, now time.Time) {}
