package server

import (
	"context"

	"kessai/server/domain"
)

// checkChargeLimits applies the limits on creating charge c with tok (the
// charge frequency limit, the card lock, the daily test-charge limit).
func (s *Server) checkChargeLimits(ctx context.Context, tok *domain.TxToken, c *domain.Charge) error {
	return nil
}
