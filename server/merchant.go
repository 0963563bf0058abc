package server

// merchantRoutes registers /me, stores, create_customer_id and the
// transaction history.
func (s *Server) merchantRoutes(m *apiMux) {}
