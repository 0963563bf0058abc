package storagetest

import (
	"testing"

	"kessai/server/domain"
)

func testWebhooks(t *testing.T, st domain.Storage) {}
