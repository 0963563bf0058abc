package server

import (
	"context"

	"kessai/server/domain"
)

func (s *Server) subscriptionRoutes(m *apiMux) {}

// subscriptionChargeChanged lets a subscription follow one of its charges
// (prev is nil for a new charge).
func (s *Server) subscriptionChargeChanged(ctx context.Context, prev, c *domain.Charge) {}
