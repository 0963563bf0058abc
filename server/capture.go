package server

import (
	"kessai/server/domain"
	"time"
)

// captureRoutes registers the capture route (issue: the REST sandbox).
func (s *Server) captureRoutes(m *apiMux) {}

// dueAuthorized runs what is due on an authorized charge at now (capture at
// capture_at, expiry of the authorization).
func (s *Server) dueAuthorized(c *domain.Charge, now time.Time) {}
