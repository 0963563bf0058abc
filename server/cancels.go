package server

import (
	"context"
	"time"
)

func (s *Server) cancelRoutes(m *apiMux) {}

// runDueCancels is the engine job of cancels.
func (s *Server) runDueCancels(ctx context.Context, storeID string, now time.Time) {}
