package server

// sandboxRoutes registers the sandbox control surface under /sandbox/.
func (s *Server) sandboxRoutes(m *apiMux) {}
